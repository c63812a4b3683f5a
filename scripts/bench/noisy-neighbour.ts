/**
 * Noisy neighbours on the local cloud: how long one tenant's single events take to reach its webhook
 * while another tenant's backlog is queued ahead of them.
 *
 *  1. baseline: tenant B posts --b-events single events, --b-spacing-ms apart, on a quiet pipeline;
 *  2. backlog: tenant A posts --a-events events (batches of 100) and, as soon as they are accepted,
 *     tenant B posts the same single events; A's whole backlog is then waited for.
 *
 * B's latency is ingest's 202 → webhook received (p50, p99, max); A's drain time is its first 202 →
 * its last webhook received. Each tenant has one subscription matching its events.
 *
 *   npx tsx scripts/bench/noisy-neighbour.ts [--a-events 5000] [--b-events 20] [--b-spacing-ms 500]
 *        [--timeout 1800]
 *
 * Everything runs on this one machine (emulators, serverless-offline with no Lambda limits, one
 * poller per queue handling one batch at a time), so a backlog here is far deeper in time than on
 * AWS, where the pollers scale out: the figures compare builds of Herald with each other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ulid } from 'ulid';
import { startBenchCloud } from './lib/cloud';
import { heraldClient } from './lib/herald';
import { figure } from './lib/figures';
import { percentile, summary } from './lib/stats';

const { values: args } = parseArgs({
  options: {
    'a-events': { type: 'string', default: '5000' },
    'b-events': { type: 'string', default: '20' },
    'b-spacing-ms': { type: 'string', default: '500' },
    timeout: { type: 'string', default: '1800' },
  },
});
const aEvents = Number(args['a-events']);
const bEvents = Number(args['b-events']);
const bSpacingMs = Number(args['b-spacing-ms']);
const timeoutMs = Number(args.timeout) * 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const cloud = await startBenchCloud();

interface Received {
  time: string;
  json?: { id: string };
}

try {
  const herald = await heraldClient(cloud);
  const token = herald.token;
  const receiver = cloud.endpoints.webhooks;
  const ingest = herald.eventsUrl;

  /** One subscription per tenant, to an endpoint of the receiver named after it. */
  async function subscribe(tenant: string, endpoint: string): Promise<void> {
    await herald.subscribe(tenant, { url: `${receiver}/${endpoint}`, eventTypes: ['bench.*'] });
  }

  /**
   * Every webhook that reached `endpoint` so far, by event id, with its arrival time. The receiver
   * keeps only its last 1,000 requests, so each poll adds what it sees to what earlier polls saw.
   */
  const seen = new Map<string, Map<string, number>>();
  async function received(endpoint: string): Promise<Map<string, number>> {
    const all = (await (await fetch(`${receiver}/_requests?endpoint=${endpoint}`)).json()) as Received[];
    const arrivals = seen.get(endpoint) ?? new Map<string, number>();
    seen.set(endpoint, arrivals);
    for (const request of all) if (request.json) arrivals.set(request.json.id, Date.parse(request.time));
    return arrivals;
  }

  /** Waits until the webhooks of all `ids` reached `endpoint` (or the timeout), polling every `everyMs`. */
  async function waitForAll(
    endpoint: string,
    ids: Iterable<string>,
    everyMs: number,
  ): Promise<Map<string, number>> {
    const wanted = [...ids];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const arrivals = await received(endpoint);
      if (wanted.every((id) => arrivals.has(id)) || Date.now() > deadline) return arrivals;
      await sleep(everyMs);
    }
  }

  /** POSTs events for a tenant; resolves with the time of the 202, or undefined when refused. */
  async function post(bearer: string, body: unknown): Promise<number | undefined> {
    const response = await fetch(ingest, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.arrayBuffer();
    return response.status === 202 ? Date.now() : undefined;
  }

  const tokenA = await token('noisy-a', ['events:write']);
  const tokenB = await token('noisy-b', ['events:write']);
  await subscribe('noisy-a', 'noisy-a');
  await subscribe('noisy-b', 'noisy-b');

  // Warm every function on the way once, so cold starts do not count.
  const warm = `warm-${ulid()}`;
  await post(tokenB, { id: warm, type: 'bench.warm', data: {} });
  await waitForAll('noisy-b', [warm], 100);

  /** When each event was stored by consume and fanned out by dispatch, from the functions' logs. */
  function loggedTimes(file: string, message: string): Map<string, number> {
    const times = new Map<string, number>();
    for (const line of readFileSync(join(cloud.logDir, file), 'utf8').split('\n')) {
      if (!line.startsWith('{') || !line.includes(`"message":"${message}"`)) continue;
      const entry = JSON.parse(line) as { eventId?: string; timestamp?: string };
      if (entry.eventId && entry.timestamp) times.set(entry.eventId, Date.parse(entry.timestamp));
    }
    return times;
  }

  /**
   * B's latency by stretch: 202 → stored (inbound queue, consume), stored → fanned out (the table's
   * stream, publish, the bus, the dispatch queue, dispatch), fanned out → webhook (the delivery
   * queue, deliver).
   */
  async function stages(accepted: Map<string, number>, arrivals: Map<string, number>): Promise<string> {
    await sleep(1000); // the last log lines reach their files
    const stored = loggedTimes('processing.log', 'Event stored');
    const fannedOut = loggedTimes('notifications.log', 'Event fanned out');
    const stretch = (from: (id: string) => number | undefined, to: (id: string) => number | undefined) => {
      const spans = [...accepted.keys()].flatMap((id) => {
        const [a, b] = [from(id), to(id)];
        return a === undefined || b === undefined ? [] : [b - a];
      });
      return `${percentile(spans, 50)} / ${Math.max(...spans)}`;
    };
    return [
      `202 → stored ${stretch(
        (id) => accepted.get(id),
        (id) => stored.get(id),
      )}`,
      `stored → fanned out ${stretch(
        (id) => stored.get(id),
        (id) => fannedOut.get(id),
      )}`,
      `fanned out → webhook ${stretch(
        (id) => fannedOut.get(id),
        (id) => arrivals.get(id),
      )}`,
    ].join('; ');
  }

  /** B's single events, spaced; resolves with B's latencies once all arrived (or the timeout). */
  async function tenantB(label: string): Promise<{ latencies: number[]; sent: number }> {
    const accepted = new Map<string, number>();
    for (let i = 0; i < bEvents; i++) {
      const id = `b-${label}-${i}-${ulid()}`;
      const at = await post(tokenB, { id, type: 'bench.single', data: { i } });
      if (at !== undefined) accepted.set(id, at);
      await sleep(bSpacingMs);
    }
    const got = await waitForAll('noisy-b', accepted.keys(), 100);
    const latencies = [...accepted].flatMap(([id, at]) => (got.has(id) ? [got.get(id)! - at] : []));
    console.log(`tenant B, ${label}: ${latencies.length}/${accepted.size} delivered; ${summary(latencies)}`);
    console.log(`  where the time went (p50 / max, ms): ${await stages(accepted, got)}`);
    return { latencies, sent: accepted.size };
  }

  // 1. Baseline: B alone.
  const baseline = await tenantB('baseline');

  // 2. A's backlog (batches of 100, four requests at a time), then B right after.
  const batches = Array.from({ length: Math.ceil(aEvents / 100) }, (_, b) =>
    Array.from({ length: Math.min(100, aEvents - b * 100) }, (_, i) => ({
      id: `a-${b * 100 + i}-${ulid()}`,
      type: 'bench.bulk',
      data: { i: b * 100 + i },
    })),
  );
  let aFirstAccepted = Number.POSITIVE_INFINITY;
  let aAccepted = 0;
  const aIds: string[] = [];
  const aStart = Date.now();
  for (let b = 0; b < batches.length; b += 4) {
    await Promise.all(
      batches.slice(b, b + 4).map(async (events) => {
        const at = await post(tokenA, { events });
        if (at !== undefined) {
          aFirstAccepted = Math.min(aFirstAccepted, at);
          aAccepted += events.length;
          aIds.push(...events.map((event) => event.id));
        }
      }),
    );
  }
  const aPosted = Date.now();
  const aDelivered = await received('noisy-a');
  console.log(
    `tenant A: ${aAccepted}/${aEvents} events accepted in ${((aPosted - aStart) / 1000).toFixed(1)} s; ` +
      `${aDelivered.size} already delivered when B starts`,
  );
  // A's webhooks are read while B's events travel too, before the receiver forgets them.
  const watchA = (async () => {
    while (!aIds.every((id) => seen.get('noisy-a')?.has(id)) && Date.now() < aStart + timeoutMs) {
      await received('noisy-a');
      await sleep(2000);
    }
  })();
  const noisy = await tenantB('backlog');
  await watchA;
  const aAll = await received('noisy-a');
  const aArrivals = aIds.flatMap((id) => (aAll.has(id) ? [aAll.get(id)!] : []));
  const aDrainS = (Math.max(...aArrivals) - aFirstAccepted) / 1000;
  console.log(
    `tenant A: ${aArrivals.length}/${aAccepted} delivered, the last ${aDrainS.toFixed(0)} s after the first 202`,
  );

  const alone = { value: percentile(baseline.latencies, 99), label: 'B alone' };
  figure({ figure: 'tenant B 202 → webhook p99, alone', value: alone.value, unit: 'ms' });
  figure({
    figure: `tenant B 202 → webhook p99, ${aAccepted} of A's events queued ahead`,
    value: percentile(noisy.latencies, 99),
    unit: 'ms',
    baseline: alone,
  });
  figure({ figure: `tenant A: ${aAccepted} events, first 202 → last webhook`, value: aDrainS, unit: 's' });
  figure({
    figure: 'tenant A: deliveries per second end to end',
    value: aArrivals.length / aDrainS,
    unit: 'deliveries/s',
    higherIsBetter: true,
    baseline: { value: 300, label: 'target' },
  });
  const row = (name: string, r: { latencies: number[]; sent: number }, drain: string) =>
    `| ${name.padEnd(28)} | ${`${r.latencies.length}/${r.sent}`.padStart(7)} | ${String(percentile(r.latencies, 50)).padStart(7)} | ${String(percentile(r.latencies, 99)).padStart(7)} | ${String(Math.max(...r.latencies)).padStart(7)} | ${drain.padStart(14)} |`;
  console.log(
    `\ntenant B: ${bEvents} single events ${bSpacingMs} ms apart, latency ingest 202 → webhook received (ms)`,
  );
  console.log(`| ${'scenario'.padEnd(28)} | B recv  | B p50   | B p99   | B max   | A drain        |`);
  console.log(`| ${'-'.repeat(28)} | ------- | ------- | ------- | ------- | -------------- |`);
  console.log(row('no backlog (baseline)', baseline, '-'));
  console.log(
    row(
      `A: ${aAccepted} events queued ahead`,
      noisy,
      `${aArrivals.length}/${aAccepted} ${aDrainS.toFixed(0)} s`,
    ),
  );
} finally {
  await cloud.stop();
}
