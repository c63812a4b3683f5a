/** herald events send | upload | list | get */
import { openAsBlob } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import {
  HeraldNetworkError,
  HeraldProblem,
  MAX_BATCH,
  type EventInput,
  type SendEventsResult,
  type StoredEvent,
} from '@herald/client';
import type { Command, Context } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import { fields, progressBar, table } from '../format';
import { parseEvents, positiveInteger, readAll } from '../input';

async function eventsToSend(context: Context, positionals: string[], file: string | undefined) {
  const events: EventInput[] = positionals
    .filter((argument) => argument !== '-')
    .flatMap((argument, index) => parseEvents(argument, `argument ${index + 1}`));
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
    }
    events.push(...parseEvents(text, file));
  }
  const fromStdin = positionals.includes('-') || (events.length === 0 && file === undefined);
  if (fromStdin) {
    if (context.io.stdin.isTTY)
      throw new UsageError('give the events as arguments, --file FILE, or on stdin (e.g. < events.ndjson)');
    events.push(...parseEvents(await readAll(context.io.stdin), 'stdin'));
  }
  return events;
}

export const send: Command = {
  words: ['events', 'send'],
  summary: 'Send events (JSON from arguments, a file or stdin; one or many)',
  usage: '[\'{"type":...}\'...] [--file FILE] [-]',
  positionals: { min: 0, max: Infinity, names: 'JSON' },
  options: {
    file: {
      type: 'string',
      short: 'f',
      valueName: 'FILE',
      description: 'events from a file (JSON object, array, or NDJSON)',
    },
    'idempotency-key': {
      type: 'string',
      valueName: 'KEY',
      description: 'the Idempotency-Key of the request (at most 100 events), to send it again safely',
    },
  },
  details: `Each JSON is an event ({"type":"order.created","subject":"order/42","data":{...}}), an array of
events, or NDJSON. With no JSON and no --file (or with -), events are read from stdin.
Events go in batches of 100; what can succeed is retried. Prints each event's id or why it was
rejected; exits 4 when some were rejected.

Example:
  herald events send '{"type":"order.created","data":{"total":42}}'
  herald events send --file orders.ndjson --json`,
  async run(context, values, positionals) {
    const events = await eventsToSend(context, positionals, values.file as string | undefined);
    const key = values['idempotency-key'] as string | undefined;
    if (key !== undefined && events.length > 100)
      throw new UsageError('--idempotency-key names one request, and one request carries at most 100 events');
    const result = await context
      .client()
      .sendEvents(events, key === undefined ? undefined : { idempotencyKey: () => key });
    if (context.json) context.out(JSON.stringify(result));
    else {
      context.out(
        table(
          result.results.map((outcome, index) => ({ index, ...outcome })),
          [
            { header: '#', value: (row) => row.index },
            { header: 'status', value: (row) => row.status },
            { header: 'id', value: (row) => row.id },
            {
              header: 'error',
              value: (row) =>
                row.status === 'rejected'
                  ? `${row.error.message}${eventErrors(row.error, row.index)}${row.retryable ? ' (retryable)' : ''}`
                  : undefined,
            },
          ],
        ),
      );
      context.note(`${result.accepted} accepted, ${result.rejected} rejected`);
    }
    return sendExit(result);
  },
};

/**
 * A problem's field errors about this event (the client sends batches of MAX_BATCH, so the event is
 * `/body/events/<index % MAX_BATCH>` in its request), relative to the event: `; /data/total: must be >= 0`.
 */
function eventErrors(error: Error, index: number): string {
  if (!(error instanceof HeraldProblem)) return '';
  const prefix = `/body/events/${index % MAX_BATCH}`;
  const own = (error.errors ?? []).filter(
    ({ pointer }) => pointer === prefix || pointer.startsWith(`${prefix}/`),
  );
  return own.map(({ pointer, message }) => `; ${pointer.slice(prefix.length) || '/'}: ${message}`).join('');
}

/** 0 when all were accepted, 4 when some; when none were, 3 if the API was never reached, else 1. */
export function sendExit(result: SendEventsResult): number {
  if (result.rejected === 0) return EXIT.ok;
  if (result.accepted > 0) return EXIT.partial;
  const unreached = result.results.every(
    (outcome) => outcome.status === 'rejected' && outcome.error instanceof HeraldNetworkError,
  );
  return unreached ? EXIT.network : EXIT.problem;
}

export const upload: Command = {
  words: ['events', 'upload'],
  summary: 'Upload an NDJSON file of events and wait for its report',
  usage: 'FILE.ndjson',
  positionals: { min: 1, max: 1, names: 'FILE' },
  options: {
    timeout: {
      type: 'string',
      valueName: 'SECONDS',
      description: 'how long to wait for the report (default 600)',
    },
  },
  details: `Shows a progress bar on a terminal (lines of progress otherwise), then the report: lines
read, accepted, rejected and blank, and each rejected line with its reason.
Exits 4 when some lines were rejected, 1 when the upload was refused or failed.`,
  async run(context, values, [file]) {
    const timeout = positiveInteger(values.timeout, 'timeout');
    let blob: Blob;
    try {
      if (!(await stat(file!)).isFile()) throw new Error('not a file');
      blob = await openAsBlob(file!, { type: 'application/x-ndjson' });
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
    }
    const onProgress = progressReporter(context);
    const result = await context.client().uploadNdjson(blob, {
      ...(onProgress && { onProgress }),
      ...(timeout !== undefined && { timeoutMs: timeout * 1000 }),
    });
    if (context.json) context.out(JSON.stringify(result));
    else {
      const report = result.report;
      context.out(`upload ${result.id}: ${result.status}${result.failure ? ` (${result.failure})` : ''}`);
      if (report) {
        context.out(
          `${report.lines} lines: ${report.accepted} accepted, ${report.rejected} rejected, ${report.blank} blank`,
        );
        if (report.rejections.length > 0)
          context.out(
            table(report.rejections, [
              { header: 'line', value: (row) => row.line },
              { header: 'reason', value: (row) => row.reason },
            ]),
          );
        if (report.rejected > report.rejections.length)
          context.out(`(${report.rejected - report.rejections.length} more rejected lines not listed)`);
      }
    }
    if (result.status !== 'completed') return EXIT.problem;
    return (result.report?.rejected ?? 0) > 0 ? EXIT.partial : EXIT.ok;
  },
};

/** A bar redrawn in place on a terminal; a line per tenth otherwise; nothing with --json. */
function progressReporter(context: Context) {
  if (context.json) return undefined;
  const { stderr } = context.io;
  if (stderr.isTTY)
    return ({ sent, total }: { sent: number; total: number }) => {
      stderr.write(`\r${progressBar(sent, total)}${sent >= total ? '\n' : ''}`);
    };
  let shown = -1;
  return ({ sent, total }: { sent: number; total: number }) => {
    const tenth = total === 0 ? 10 : Math.floor((sent / total) * 10);
    if (tenth === shown) return;
    shown = tenth;
    context.note(`uploaded ${sent} of ${total} bytes (${tenth * 10}%)`);
  };
}

const eventColumns = [
  { header: 'id', value: (event: StoredEvent) => event.id },
  { header: 'type', value: (event: StoredEvent) => event.type },
  { header: 'subject', value: (event: StoredEvent) => event.subject },
  { header: 'received', value: (event: StoredEvent) => event.receivedAt },
];

export const list: Command = {
  words: ['events', 'list'],
  summary: "List the tenant's events, newest first",
  usage: '[--type TYPE] [--since TIME] [--until TIME] [--limit N]',
  options: {
    type: { type: 'string', valueName: 'TYPE', description: 'only events of this type' },
    since: { type: 'string', valueName: 'TIME', description: 'received at or after (RFC 3339)' },
    until: { type: 'string', valueName: 'TIME', description: 'received before (RFC 3339)' },
    limit: { type: 'string', valueName: 'N', description: 'at most N events (default 20)' },
  },
  details: 'With --json, one event per line (NDJSON).',
  async run(context, values) {
    const limit = positiveInteger(values.limit, 'limit') ?? 20;
    const query = {
      ...(typeof values.type === 'string' && { type: values.type }),
      ...(typeof values.since === 'string' && { since: values.since }),
      ...(typeof values.until === 'string' && { until: values.until }),
      pageSize: Math.min(limit, 100),
    };
    const events: StoredEvent[] = [];
    for await (const event of context.client().events.list(query)) {
      if (context.json) context.out(JSON.stringify(event));
      else events.push(event);
      if (events.length >= limit) break;
    }
    if (!context.json) context.out(events.length ? table(events, eventColumns) : 'No events.');
    return EXIT.ok;
  },
};

export const get: Command = {
  words: ['events', 'get'],
  summary: 'Show one stored event',
  usage: 'EVENT_ID',
  positionals: { min: 1, max: 1, names: 'EVENT_ID' },
  async run(context, _values, [id]) {
    const event = await context.client().events.get(id!);
    context.out(context.json ? JSON.stringify(event) : fields(event));
    return EXIT.ok;
  },
};
