/**
 * Notifications on the local cloud:
 *  1. end-to-end latency, ingest accepted (202) → webhook received, at a steady rate;
 *  2. deliveries per second when one of ten subscriptions answers slowly, against ten fast ones.
 * Before those, without the cloud: dispatch's cost per event of matching 1,000 subscriptions of one
 * tenant, each with the worst content filter the bounds allow, against the same without filters
 * (`--only filters` measures that alone).
 * AWS calls per delivered webhook are the cost bench's (`npm run bench -- cost`).
 *
 *   npx tsx scripts/bench/notifications.ts [--rate 5] [--seconds 20] [--events 60] [--slow-ms 2000]
 *   npx tsx scripts/bench/notifications.ts --only filters
 *
 * Everything runs on this one machine (emulators, serverless-offline with no Lambda limits, one
 * poller per queue), so the figures compare builds of Herald with each other, not with AWS.
 */
import { parseArgs } from 'node:util';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { createEnvelopeSigner } from '@herald/shared/signing';
import { ulid } from 'ulid';
import { clientConfig } from '@herald/local-cloud';
import type { Envelope } from '@herald/shared/contracts';
import {
  contentFilterProblems,
  filterText,
  matcherCache,
  MAX_FILTER_BRANCHES,
  MAX_FILTER_BYTES,
  MAX_FILTER_LEAVES,
  subscriptionsMatching,
} from '../../services/notifications/src/fan-out/content-filter';
import { startBenchCloud } from './lib/cloud';
import { heraldClient } from './lib/herald';
import { figure } from './lib/figures';
import { percentile, summary } from './lib/stats';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '20' },
    events: { type: 'string', default: '60' },
    'slow-ms': { type: 'string', default: '2000' },
    only: { type: 'string' },
  },
});
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const burstEvents = Number(args.events);
const slowMs = Number(args['slow-ms']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The worst content filter the bounds allow, for matching cost: 16 $or combinations (each repeats
 * every other constraint, as the engine expands them), and the rest of its 100 values as wildcards
 * that scan a long string without matching, an anything-but list and numeric ranges, none of which
 * matches, so every combination tests every value. (Arrays in events are left out: the engine's
 * search for array-consistent matches has costs no bound of the filter's caps; see the README.)
 */
function worstFilter(): Record<string, unknown> {
  const or = (i: number) => ({
    $or: [{ [`p${i}`]: [{ wildcard: '*q*Z' }] }, { [`r${i}`]: [{ prefix: 'zz' }] }],
  });
  const filter = {
    data: {
      k0: or(0),
      k1: or(1),
      k2: or(2),
      k3: or(3),
      text: Array.from({ length: 20 }, (_, i) => ({ wildcard: `*b${i}*c*d*e*f*g*h*Z` })),
      code: [{ 'anything-but': Array.from({ length: 40 }, (_, i) => `code-${i}`) }],
      total: Array.from({ length: 8 }, (_, i) => ({ numeric: ['>', 1000 * i, '<', 1000 * i + 1] })),
    },
  };
  const problems = contentFilterProblems(filter);
  if (problems.length > 0) throw new Error(`the bench's filter is refused: ${JSON.stringify(problems)}`);
  return filter;
}

/** µs per event to find which of 1,000 subscriptions (one tenant) an event reaches, as dispatch does. */
function filterMatchingCost(): void {
  const filter = worstFilter();
  const text = filterText(filter);
  const long = 'a'.repeat(4096);
  const envelope = {
    type: 'order.created',
    source: '/shop',
    subject: 'orders/1',
    data: {
      k0: { p0: long, r0: long },
      k1: { p1: long, r1: long },
      k2: { p2: long, r2: long },
      k3: { p3: long, r3: long },
      text: `${long}Z`,
      code: 'code-7',
      total: 5.5,
    },
  } as unknown as Envelope;
  const count = 1000;
  const plain = Array.from({ length: count }, () => ({ eventTypes: ['order.*'] }));
  // Each subscription its own text (a space apart, same pattern), so the cache holds 1,000 entries.
  const filtered = Array.from({ length: count }, (_, i) => ({
    eventTypes: ['order.*'],
    filterJson: `${text}${' '.repeat(i % 8)}`.slice(0, MAX_FILTER_BYTES),
  }));
  const run = (
    subscriptions: ReadonlyArray<{ eventTypes: string[]; filterJson?: string }>,
    events: number,
  ) => {
    let reached = 0;
    const t0 = performance.now();
    for (let i = 0; i < events; i++) reached += subscriptionsMatching(subscriptions, envelope).length;
    return { us: ((performance.now() - t0) * 1000) / events, reached };
  };
  matcherCache.clear();
  run(filtered, 2); // compiles each filter once, as the first event after a cold start does
  run(plain, 20);
  const none = run(plain, 200);
  const worst = run(filtered, 5);
  console.log(
    `content filters: ${count} subscriptions of one tenant, the worst filter the bounds allow (${Buffer.byteLength(text)} bytes, ` +
      `${MAX_FILTER_LEAVES} values, ${MAX_FILTER_BRANCHES} $or combinations): ${worst.us.toFixed(0)} µs an event ` +
      `(${worst.reached / 5} reached), against ${none.us.toFixed(1)} µs without filters (${none.reached / 200} reached)`,
  );
  figure({
    figure: `dispatch matching, ${count} subscriptions of one tenant each with the worst allowed content filter: cost per event`,
    value: worst.us,
    unit: 'µs',
    baseline: { value: none.us, label: 'the same subscriptions without filters' },
  });
}

filterMatchingCost();
if (args.only === 'filters') process.exit(0);

const cloud = await startBenchCloud();

try {
  const herald = await heraldClient(cloud);
  const token = herald.token;
  const receiver = cloud.endpoints.webhooks;
  const signer = createEnvelopeSigner(cloud.envelopeSigningKey);
  const bus = new EventBridgeClient(clientConfig(cloud.endpoints.aws.eventbridge));

  async function subscribe(tenant: string, endpoint: string, behaviour: Record<string, unknown> = {}) {
    const { secret } = await herald.subscribe(tenant, {
      url: `${receiver}/${endpoint}`,
      eventTypes: ['bench.*'],
    });
    await fetch(`${receiver}/_endpoints/${endpoint}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret, ...behaviour }),
    });
  }

  type Received = {
    endpoint: string;
    time: string;
    verified?: boolean;
    json?: { id: string };
    headers: Record<string, string>;
  };
  const requests = async (): Promise<Received[]> =>
    (await (await fetch(`${receiver}/_requests`)).json()) as Received[];
  const clearRequests = () => fetch(`${receiver}/_requests`, { method: 'DELETE' });

  async function waitFor(predicate: (all: Received[]) => boolean, timeoutMs: number): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const all = await requests();
      if (predicate(all) || Date.now() > deadline) return all;
      await sleep(100);
    }
  }

  // Warm every function once so cold starts do not count.
  await subscribe('bench-warm', 'warm');
  const warmEvent = signer.sign({
    specversion: '1.0',
    id: `warm-${ulid()}`,
    source: '/herald/ingest',
    type: 'bench.warm',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: {},
    tenantid: 'bench-warm',
    correlationid: 'warm',
  });
  await bus.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: 'herald-local',
          Source: 'herald.processing',
          DetailType: 'event.stored',
          Detail: JSON.stringify(warmEvent),
        },
      ],
    }),
  );
  const ingestToken = await token('bench-latency', ['events:write']);
  await fetch(`${cloud.endpoints.services.ingest}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'bench.warm', data: {} }),
  });
  await waitFor((all) => all.some((r) => r.endpoint === 'warm'), 30_000);
  await sleep(2000);
  await clearRequests();

  // 1. End-to-end latency at a steady rate, through ingest, processing and notifications.
  await subscribe('bench-latency', 'latency');
  const accepted = new Map<string, number>();
  const total = Math.round(rate * seconds);
  const sends: Array<Promise<void>> = [];
  const start = Date.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    await sleep(Math.max(0, due - Date.now()));
    const id = `lat-${i}-${ulid()}`;
    sends.push(
      fetch(`${cloud.endpoints.services.ingest}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id, type: 'bench.latency', data: { i } }),
      }).then(async (response) => {
        await response.arrayBuffer();
        if (response.status === 202) accepted.set(id, Date.now());
      }),
    );
  }
  await Promise.all(sends);
  const got = (
    await waitFor((all) => all.filter((r) => r.endpoint === 'latency').length >= accepted.size, 60_000)
  ).filter((r) => r.endpoint === 'latency');
  const latencies = got
    .filter((r) => r.json && accepted.has(r.json.id))
    .map((r) => Date.parse(r.time) - accepted.get(r.json!.id)!);
  const unverified = got.filter((r) => r.verified !== true).length;
  console.log(`end-to-end latency, ingest 202 → webhook received, ${rate}/s for ${seconds} s:`);
  console.log(`  ${latencies.length}/${total} delivered, ${unverified} unverified; ${summary(latencies)}`);
  const at = `at ${rate}/s for ${seconds} s`;
  figure({
    figure: `ingest 202 → webhook p50, ${at}`,
    value: percentile(latencies, 50),
    unit: 'ms',
    baseline: { value: 300, label: 'target at 50/s' },
  });
  figure({
    figure: `ingest 202 → webhook p99, ${at}`,
    value: percentile(latencies, 99),
    unit: 'ms',
    baseline: { value: 1000, label: 'target at 50/s' },
  });
  figure({
    figure: `accepted events not delivered, ${at}`,
    value: accepted.size - latencies.length,
    unit: 'events',
    baseline: { value: 0, label: 'nothing lost' },
  });
  await clearRequests();

  // 2. Fan-out throughput: ten subscriptions per event, all fast, then one of them slow.
  async function fanOut(label: string, tenant: string, slow: boolean) {
    const endpoints = Array.from({ length: 10 }, (_, i) => `${label}-${i}`);
    for (const [i, endpoint] of endpoints.entries()) {
      await subscribe(tenant, endpoint, slow && i === 0 ? { delayMs: slowMs } : {});
    }
    const fast = new Set(slow ? endpoints.slice(1) : endpoints);
    const events = Array.from({ length: burstEvents }, (_, i) =>
      signer.sign({
        specversion: '1.0',
        id: `${label}-${i}-${ulid()}`,
        source: '/herald/ingest',
        type: 'bench.fanout',
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        data: { i },
        tenantid: tenant,
        correlationid: `${label}-${i}`,
      }),
    );
    const t0 = Date.now();
    for (let i = 0; i < events.length; i += 10) {
      await bus.send(
        new PutEventsCommand({
          Entries: events.slice(i, i + 10).map((envelope) => ({
            EventBusName: 'herald-local',
            Source: 'herald.processing',
            DetailType: 'event.stored',
            Detail: JSON.stringify(envelope),
          })),
        }),
      );
    }
    const expectedFast = fast.size * events.length;
    const all = await waitFor(
      (seen) => seen.filter((r) => fast.has(r.endpoint)).length >= expectedFast,
      180_000,
    );
    const fastArrivals = all.filter((r) => fast.has(r.endpoint)).map((r) => Date.parse(r.time) - t0);
    const fastDone = Math.max(...fastArrivals);
    let slowLine = '';
    if (slow) {
      const slowAll = await waitFor(
        (seen) => seen.filter((r) => r.endpoint === endpoints[0]).length >= events.length,
        300_000,
      );
      const slowArrivals = slowAll
        .filter((r) => r.endpoint === endpoints[0])
        .map((r) => Date.parse(r.time) - t0 + slowMs);
      slowLine = `; the slow receiver (${slowMs} ms a request) had all ${slowArrivals.length} by ${(Math.max(...slowArrivals) / 1000).toFixed(1)} s`;
    }
    figure({
      figure: `fan-out ${burstEvents} events x 10 subscriptions, ${slow ? 'one slow' : 'all fast'}: fast deliveries per second`,
      value: (fastArrivals.length * 1000) / fastDone,
      unit: 'deliveries/s',
      higherIsBetter: true,
    });
    console.log(
      `  ${label}: ${fastArrivals.length} fast deliveries in ${(fastDone / 1000).toFixed(1)} s = ${((fastArrivals.length * 1000) / fastDone).toFixed(1)}/s` +
        ` (arrival after publish ${summary(fastArrivals)})${slowLine}`,
    );
    await clearRequests();
  }
  console.log(`fan-out, ${burstEvents} events x 10 subscriptions, published in batches of 10 on the bus:`);
  await fanOut('allfast', 'bench-fast', false);
  await fanOut('oneslow', 'bench-slow', true);

  console.log(`latency p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`);
} finally {
  await cloud.stop();
}
