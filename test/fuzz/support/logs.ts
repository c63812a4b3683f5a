/**
 * The services' logs as the fuzz found them: where each log file stood when it started, and every
 * line written since that tells of a failure nothing handled: an unhandled rejection or exception
 * in a function, a handler that threw to serverless-offline (a crashed batch), Lambda's
 * `Runtime.Unhandled`, or the HTTP stack's "Unhandled error" (a 500 nobody meant).
 *
 * Timeouts are kept apart: serverless-offline's "[504] - Lambda timeout" (HTTP functions) counts
 * loading the handler (a cold start, seconds on a loaded machine) against the function's timeout,
 * which AWS does not, and the local runtime's "Task timed out after N seconds" (functions of queues,
 * streams and the bus) can come of a loaded machine too, so a batch may time out and then succeed
 * on its next receive. What a timeout
 * could hide is judged elsewhere: an HTTP answer that times out is a 504 (a 5xx), a message lost
 * to timeouts is undelivered or dead, and a message in a DLQ must have been refused by its
 * consumer ("Record failed", with its message id), not killed by timeouts.
 */
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';

const SERVICES = ['ingest', 'processing', 'notifications'] as const;
const UNHANDLED = /unhandled|Runtime\.Unhandled|uncaughtException/i;
const LAMBDA_TIMEOUT = /\[504\] - Lambda timeout|Task timed out after/;

/** The local cloud of the integration tests logs here (test/setup/global-setup.mjs); the bench sets FUZZ_LOG_DIR. */
export const testLogDir = () => process.env.FUZZ_LOG_DIR ?? join(process.cwd(), '.local-cloud', 'test-logs');

export interface LogFinding {
  service: string;
  line: string;
}

/** Findings grouped by what they say (function and message), each with how often and one whole line. */
export function summariseFindings(findings: readonly LogFinding[]): string[] {
  const groups = new Map<string, { count: number; example: string }>();
  for (const { service, line } of findings) {
    let key = `${service}: ${line.slice(0, 200)}`;
    try {
      const entry = JSON.parse(line) as {
        function_name?: string;
        message?: string;
        error?: { message?: string };
      };
      key = `${service} ${entry.function_name ?? ''}: ${entry.message ?? ''}: ${entry.error?.message ?? ''}`;
    } catch {
      // A plain line (serverless-offline's own): grouped by its start.
    }
    const group = groups.get(key) ?? { count: 0, example: line };
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups].map(([key, { count, example }]) => `${key} (×${count})\n    ${example.slice(0, 1500)}`);
}

export class LogWatch {
  private constructor(
    private readonly dir: string,
    private readonly offsets: Map<string, number>,
  ) {}

  static async start(dir: string = testLogDir()): Promise<LogWatch> {
    const offsets = new Map<string, number>();
    for (const service of SERVICES) offsets.set(service, await size(join(dir, `${service}.log`)));
    return new LogWatch(dir, offsets);
  }

  /** Lines about unhandled failures written since start (Lambda timeouts apart, see above). */
  async unhandled(): Promise<LogFinding[]> {
    return (await this.lines())
      .filter(({ line }) => tellsOfUnhandled(line) && !LAMBDA_TIMEOUT.test(line))
      .map(({ service, line }) => ({ service, line: line.length > 2000 ? `${line.slice(0, 2000)}…` : line }));
  }

  /** Lambda timeouts (serverless-offline's and the local runtime's) since start. */
  async timeouts(): Promise<LogFinding[]> {
    return (await this.lines()).filter(({ line }) => LAMBDA_TIMEOUT.test(line));
  }

  /** The ids of the SQS messages a consumer refused ("Record failed") since start. */
  async refusedMessages(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const { line } of await this.lines()) {
      if (!line.includes('"Record failed"')) continue;
      try {
        const entry = JSON.parse(line) as { message?: unknown; message_id?: unknown };
        if (entry.message === 'Record failed' && typeof entry.message_id === 'string')
          ids.add(entry.message_id);
      } catch {
        // Not a JSON line: not the consumers' own.
      }
    }
    return ids;
  }

  /** Every line written since start (from the top, if a file was started over). */
  private async lines(): Promise<LogFinding[]> {
    const found: LogFinding[] = [];
    for (const service of SERVICES) {
      const file = join(this.dir, `${service}.log`);
      const end = await size(file);
      const from = end < this.offsets.get(service)! ? 0 : this.offsets.get(service)!;
      const text = await readRange(file, from, end);
      for (const line of text.split('\n')) if (line !== '') found.push({ service, line });
    }
    return found;
  }
}

/**
 * A JSON log line is judged by its message and error name alone: its other fields may quote what
 * the fuzz sent (a correlation id, an event type), which could say anything.
 */
function tellsOfUnhandled(line: string): boolean {
  if (!line.startsWith('{')) return UNHANDLED.test(line);
  try {
    const entry = JSON.parse(line) as { message?: unknown; error?: { name?: unknown }; errorType?: unknown };
    return [entry.message, entry.error?.name, entry.errorType].some(
      (field) => typeof field === 'string' && UNHANDLED.test(field),
    );
  } catch {
    return UNHANDLED.test(line);
  }
}

async function size(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

async function readRange(file: string, from: number, to: number): Promise<string> {
  if (to <= from) return '';
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    await handle.read(buffer, 0, buffer.length, from);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}
