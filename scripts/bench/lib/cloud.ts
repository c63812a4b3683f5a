/**
 * How a benchmark starts the local cloud it measures: on free ports, packaging only the services
 * whose sources changed since their package (the local cloud's package key: a template older than
 * the code would grant the functions what they no longer do), stopped on Ctrl-C as well as at the end, and returned only once
 * the services' HTTP APIs answer (startLocalCloud can return before serverless-offline's HTTP server
 * listens: it stops waiting at "Function names exposed", printed before "Server ready").
 */
import { startLocalCloud, type FaultOptions, type LocalCloud } from '@herald/local-cloud';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function listening(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`${url} is not listening`);
}

/** Where the services' logs go unless a bench says otherwise, from the repository's root. */
export const BENCH_LOG_DIR = '.local-cloud/bench-logs';

export interface BenchCloudOptions {
  /** Where the services' logs go (default BENCH_LOG_DIR). */
  logDir?: string;
  /** HERALD_FAULTS-style fault settings (see the local cloud's README). */
  faults?: FaultOptions;
  /** More ports webhooks may be sent to: a bench's own receiver (lib/receiver.ts). */
  webhookPorts?: readonly number[];
}

export async function startBenchCloud(options: BenchCloudOptions = {}): Promise<LocalCloud> {
  const started = performance.now();
  const cloud = await startLocalCloud({
    ports: 'auto',
    logDir: options.logDir ?? BENCH_LOG_DIR,
    // Responses stream unread, as before contract checks, unless HERALD_CONTRACT asks for them.
    ...(process.env.HERALD_CONTRACT ? {} : { contract: 'off' as const }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
    ...(options.webhookPorts === undefined ? {} : { webhookPorts: options.webhookPorts }),
  });
  // Interrupted (a long run cut short), the local cloud's processes still stop.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void cloud.stop().finally(() => process.exit(130)));
  try {
    await Promise.all(
      (['ingest', 'processing', 'notifications'] as const).map((service) =>
        listening(cloud.endpoints.services[service]),
      ),
    );
  } catch (error) {
    await cloud.stop();
    throw error;
  }
  const faults = options.faults === undefined ? '' : ` with faults ${options.faults}`;
  console.log(`local cloud${faults} up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return cloud;
}
