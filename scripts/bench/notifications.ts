/**
 * Notifications on the local cloud:
 *  1. end-to-end latency, ingest accepted (202) → webhook received, at a steady rate;
 *  2. deliveries per second when one of ten subscriptions answers slowly, against ten fast ones.
 * AWS calls per delivered webhook are the cost bench's (`npm run bench -- cost`).
 *
 *   npx tsx scripts/bench/notifications.ts [--rate 5] [--seconds 20] [--events 60] [--slow-ms 2000]
 *
 * Everything runs on this one machine (emulators, serverless-offline with no Lambda limits, one
 * poller per queue), so the figures compare builds of Herald with each other, not with AWS.
 */
import { parseArgs } from 'node:util';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { createEnvelopeSigner } from '@herald/shared/signing';
import { ulid } from 'ulid';
import { clientConfig } from '@herald/local-cloud';
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
  },
});
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const burstEvents = Number(args.events);
const slowMs = Number(args['slow-ms']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
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
