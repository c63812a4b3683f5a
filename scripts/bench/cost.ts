/**
 * What an event costs in AWS requests, counted, not estimated: every function counts the calls its
 * AWS SDK clients send (@herald/shared/aws/call-counter) and logs them in its summary line; this
 * bench adds them up per stored event (ingest + processing) and per delivered webhook (dispatch +
 * deliver), by function and operation, and reports the event-source pollers' calls (SQS receive and
 * delete, stream reads: Lambda's side in AWS) apart, from the local cloud's own count.
 *
 *   npm run bench -- cost [--singles 100] [--rate 10] [--batches 5]
 *
 * Three runs on one tenant with one subscription matching every event, its receiver answering 200
 * at once: `--singles` events POSTed one per request at `--rate` a second, the same again with each
 * event's own `id` (which keys the request, so ingest claims it: one write more), then `--batches`
 * requests of 100 events each. Each run waits until every event is delivered and the functions'
 * counts stop moving. Every function is warmed first, so cold starts are not counted (a container
 * started during a run still is: its first KMS decrypt of the signing secret, say).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { issueToken, loadOrCreateSigningKey } from '@herald/local-cloud';
import { startBenchCloud } from './lib/cloud';
import { figure } from './lib/figures';

const { values: args } = parseArgs({
  options: {
    singles: { type: 'string', default: '100' },
    rate: { type: 'string', default: '10' },
    batches: { type: 'string', default: '5' },
  },
});
const singles = Number(args.singles);
const rate = Number(args.rate);
const batches = Number(args.batches);
const BATCH = 100;
const TARGET_PER_EVENT = 1.3;
const TARGET_PER_WEBHOOK = 2.5;

/** The functions whose calls make up each figure, by the end of their deployed name. */
const STORING = ['-acceptEvents', '-onUpload', '-consume', '-publish'];
const DELIVERING = ['-dispatch', '-deliver'];
const SERVICES = ['ingest', 'processing', 'notifications'] as const;

type Line = Record<string, unknown>;
type Counts = Record<string, number>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const add = (into: Counts, from: Counts) => {
  for (const [name, count] of Object.entries(from)) into[name] = (into[name] ?? 0) + count;
};
const total = (counts: Counts) => Object.values(counts).reduce((a, b) => a + b, 0);
const diff = (after: Counts, before: Counts): Counts =>
  Object.fromEntries(
    Object.entries(after)
      .map(([name, count]) => [name, count - (before[name] ?? 0)] as const)
      .filter(([, count]) => count > 0),
  );

const cloud = await startBenchCloud();

/** The JSON lines each service logged since `offsets` (byte offsets into its log). */
function linesSince(offsets: Record<string, number>): Line[] {
  const lines: Line[] = [];
  for (const service of SERVICES) {
    const path = join(cloud.logDir, `${service}.log`);
    const size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
    const from = offsets[service] ?? 0;
    if (size <= from) continue;
    const buffer = Buffer.alloc(size - from);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, from);
    } finally {
      closeSync(fd);
    }
    for (const text of buffer.toString('utf8').split('\n')) {
      if (!text.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(text) as Line);
      } catch {
        // A line cut at the end of the file: read again on the next poll.
      }
    }
  }
  return lines;
}

const offsetsNow = () =>
  Object.fromEntries(
    SERVICES.map((service) => [
      service,
      statSync(join(cloud.logDir, `${service}.log`), { throwIfNoEntry: false })?.size ?? 0,
    ]),
  );

interface RunCounts {
  stored: number;
  delivered: number;
  /** By function (the end of its name), then `<service>.<operation>`. */
  byFunction: Record<string, Counts>;
  eventSources: Counts;
}

function countRun(lines: Line[], subscriptionId: string, eventSources: Counts): RunCounts {
  const byFunction: Record<string, Counts> = {};
  let stored = 0;
  let delivered = 0;
  for (const line of lines) {
    if (line.message === 'Event stored') stored += 1;
    if (
      line.message === 'Delivery attempt' &&
      line.status === 'succeeded' &&
      line.subscriptionId === subscriptionId
    )
      delivered += 1;
    const calls = line.awsCalls as Counts | undefined;
    if (!calls || typeof calls !== 'object') continue;
    const name = String(line.function_name ?? 'unknown');
    const fn = [...STORING, ...DELIVERING].find((suffix) => name.endsWith(suffix)) ?? name;
    add((byFunction[fn] ??= {}), calls);
  }
  return { stored, delivered, byFunction, eventSources };
}

try {
  const key = await loadOrCreateSigningKey(cloud.identity.keyDir);
  const tenant = `bench-cost-${Date.now().toString(36)}`;
  const token = (scopes: string[]) =>
    issueToken(key.privateKey, key.kid, cloud.endpoints.issuer, { tenant, scopes });
  const ingestToken = await token(['events:write']);

  const created = await fetch(`${cloud.endpoints.services.notifications}/v1/subscriptions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await token(['subscriptions:write'])}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ url: `${cloud.endpoints.webhooks}/cost`, eventTypes: ['cost.*'] }),
  });
  if (created.status !== 201) throw new Error(`subscription: ${created.status} ${await created.text()}`);
  const subscriptionId = ((await created.json()) as { id: string }).id;

  /** The number of events accepted (202): 0 when the request failed (a loaded machine times out). */
  async function post(body: Record<string, unknown>): Promise<number> {
    const response = await fetch(`${cloud.endpoints.services.ingest}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status === 202) return Array.isArray(body.events) ? body.events.length : 1;
    console.log(`  POST /v1/events answered ${response.status}: ${text.slice(0, 120)}`);
    return 0;
  }

  /**
   * Runs `send`, waits until every event it got accepted is delivered and the counts settle, and
   * counts. The figures divide by what was stored and delivered, so a refused request only makes the
   * run smaller.
   */
  async function run(label: string, send: () => Promise<number>): Promise<RunCounts> {
    const offsets = offsetsNow();
    const sourcesBefore = cloud.eventSourceCalls();
    const started = Date.now();
    const expected = await send();
    let counted = countRun(linesSince(offsets), subscriptionId, {});
    const deadline = Date.now() + 300_000;
    while (counted.delivered < expected && Date.now() < deadline) {
      await sleep(500);
      counted = countRun(linesSince(offsets), subscriptionId, {});
    }
    // Summary lines follow the work they count: wait until no count moves for two seconds.
    let last = -1;
    for (let quiet = 0; quiet < 4;) {
      await sleep(500);
      counted = countRun(linesSince(offsets), subscriptionId, {});
      const now = Object.values(counted.byFunction).reduce((sum, counts) => sum + total(counts), 0);
      quiet = now === last ? quiet + 1 : 0;
      last = now;
    }
    counted.eventSources = diff(cloud.eventSourceCalls(), sourcesBefore);
    console.log(
      `${label}: ${expected} events accepted, ${counted.stored} stored, ${counted.delivered} delivered in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return counted;
  }

  // Warm every function on the path (ingest, consume, publish, dispatch, deliver) once.
  await run('warm-up', () => post({ type: 'cost.warm', data: {} }));
  await run('warm-up batch', () =>
    post({ events: Array.from({ length: BATCH }, (_, i) => ({ type: 'cost.warm', data: { i } })) }),
  );

  /** `singles` single-event POSTs at `rate` a second, the i-th event made by `event(i)`. */
  const postSingles = async (event: (i: number) => Record<string, unknown>) => {
    const sends: Array<Promise<number>> = [];
    const start = Date.now();
    for (let i = 0; i < singles; i++) {
      await sleep(Math.max(0, start + (i * 1000) / rate - Date.now()));
      sends.push(post(event(i)));
    }
    return (await Promise.all(sends)).reduce((a, b) => a + b, 0);
  };
  const single = await run(`singles at ${rate}/s`, () =>
    postSingles((i) => ({ type: 'cost.single', data: { i } })),
  );
  const runId = Date.now().toString(36);
  const keyed = await run(`singles with their own id at ${rate}/s`, () =>
    postSingles((i) => ({ id: `cost-${runId}-${i}`, type: 'cost.keyed', data: { i } })),
  );
  const batched = await run(`${batches} batches of ${BATCH}`, async () => {
    let accepted = 0;
    for (let b = 0; b < batches; b++) {
      accepted += await post({
        events: Array.from({ length: BATCH }, (_, i) => ({ type: 'cost.batch', data: { b, i } })),
      });
    }
    return accepted;
  });

  const perFunction = (counted: RunCounts, functions: string[]) => {
    const sum: Counts = {};
    for (const fn of functions) add(sum, counted.byFunction[fn] ?? {});
    return sum;
  };
  const pad = (text: string, width: number) => text.padEnd(width);
  const num = (value: number, width = 8) => value.toFixed(2).padStart(width);

  function report(name: string, counted: RunCounts) {
    const stored = counted.stored || 1;
    const delivered = counted.delivered || 1;
    console.log(`\n${name}: ${counted.stored} events stored, ${counted.delivered} webhooks delivered`);
    console.log(
      `  ${pad('function', 16)}${pad('operation', 36)}${'calls'.padStart(8)}${'per unit'.padStart(10)}`,
    );
    const lines = (functions: string[], unit: number, unitName: string) => {
      for (const fn of functions) {
        for (const [operation, count] of Object.entries(counted.byFunction[fn] ?? {}).sort())
          console.log(
            `  ${pad(fn.replace(/^-/, ''), 16)}${pad(operation, 36)}${String(count).padStart(8)}${num(count / unit, 10)}`,
          );
      }
      const sum = total(perFunction(counted, functions));
      console.log(
        `  ${pad('', 16)}${pad(`total per ${unitName}`, 36)}${String(sum).padStart(8)}${num(sum / unit, 10)}`,
      );
      return sum / unit;
    };
    const perEvent = lines(STORING, stored, 'stored event');
    const perWebhook = lines(DELIVERING, delivered, 'delivered webhook');
    const sources = total(counted.eventSources);
    for (const [operation, count] of Object.entries(counted.eventSources).sort())
      console.log(
        `  ${pad('event sources', 16)}${pad(operation, 36)}${String(count).padStart(8)}${num(count / stored, 10)}`,
      );
    console.log(
      `  ${pad('', 16)}${pad('event sources per stored event', 36)}${String(sources).padStart(8)}${num(sources / stored, 10)}`,
    );
    return { perEvent, perWebhook, sourcesPerEvent: sources / stored };
  }

  const s = report(`single-event POSTs (${singles} at ${rate}/s)`, single);
  const k = report(`single-event POSTs with their own id (${singles} at ${rate}/s)`, keyed);
  const b = report(`batches of ${BATCH} (${batches})`, batched);

  figure({
    figure: 'AWS calls per stored event, batches of 100 (ingest + processing)',
    value: b.perEvent,
    unit: 'calls/event',
    baseline: { value: TARGET_PER_EVENT, label: 'target' },
  });
  figure({
    figure: 'AWS calls per stored event, single-event POSTs (ingest + processing)',
    value: s.perEvent,
    unit: 'calls/event',
  });
  figure({
    figure: 'AWS calls per stored event, single-event POSTs with their own id (ingest + processing)',
    value: k.perEvent,
    unit: 'calls/event',
  });
  figure({
    figure: 'AWS calls per delivered webhook, batches of 100 (dispatch + deliver)',
    value: b.perWebhook,
    unit: 'calls/webhook',
    baseline: { value: TARGET_PER_WEBHOOK, label: 'target' },
  });
  figure({
    figure: 'AWS calls per delivered webhook, single-event POSTs (dispatch + deliver)',
    value: s.perWebhook,
    unit: 'calls/webhook',
    baseline: { value: TARGET_PER_WEBHOOK, label: 'target' },
  });
  figure({
    figure: 'Event-source poller calls per stored event, batches of 100 (Lambda side)',
    value: b.sourcesPerEvent,
    unit: 'calls/event',
  });
  figure({
    figure: 'Event-source poller calls per stored event, single-event POSTs (Lambda side)',
    value: s.sourcesPerEvent,
    unit: 'calls/event',
  });
} finally {
  await cloud.stop();
}
