/**
 * The local cloud's capacity, measured from outside as a user would: events POSTed to ingest's
 * API, subscriptions made through notifications' API, and the webhooks received by a receiver this
 * bench runs itself (lib/receiver.ts), which checks every signature and notes when each arrived.
 *
 *  1. steady load: single-event POSTs at --rate a second for --seconds, open loop (a request is sent
 *     when due, whatever the earlier ones are doing): refused requests, POST latency, ingest
 *     202 → webhook received, and where that time goes (lib/webhook-hops.ts, from the services' logs);
 *  2. burst: --events events in batches of --batch-size, --concurrency requests at a time, one
 *     subscription matching each event, its receiver answering 200 at once: ingest's events/s and
 *     deliveries/s end to end (first POST → last webhook), and events lost;
 *  3. isolation: phase 1's load for --isolation-seconds with a second subscription on the same
 *     events whose receiver answers in --slow-ms: the first subscription's p99 against phase 1's,
 *     over the whole phase and over the events sent after its first 5 s (the slow receiver known slow);
 *  4. soak: phase 1's load for --soak-seconds (0, the default, skips it), the memory of every
 *     process of the stack sampled every 10 s: processes gone, memory after warm-up against the end,
 *     and latency and the stack's CPU (cores, and its two largest users' shares) minute by minute.
 * Throughout, the memory (RSS) and CPU of the whole stack, which runs in a process of its own as
 * `npm start` runs it (lib/cloud-process.ts): the local cloud's process (fronts, IAM gateways,
 * emulators, pollers, and the function containers as its threads), DynamoDB Local and the
 * serverless-offline processes. This process (the load client and the receiver) is shown apart.
 * The local cloud's function containers are split out by function (each is a worker thread whose
 * CPU time the runtime reads).
 *
 *   npm run bench -- capacity [--phases 1,2,3,4] [--rate 50] [--seconds 60] [--events 10000]
 *        [--batch-size 100] [--concurrency 4] [--isolation-seconds 30] [--slow-ms 2000]
 *        [--soak-seconds 0] [--grace-seconds 60] [--timeout-seconds 600] [--rate-limit 500]
 *        [--profile DIR]   (a V8 CPU profile of the local cloud's main thread, written to DIR at the end)
 *
 * Every subscription asks for --rate-limit deliveries a second (the stage's maximum, 500), so the
 * per-subscription pace (50 by default) is not what is measured. The figures come from one loaded
 * 2-core machine shared with other work: they are noisy, and compare builds of Herald with each other.
 */
import { readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { figure } from './lib/figures';
import { BENCH_LOG_DIR } from './lib/cloud';
import { startCloudProcess, type RuntimeStats } from './lib/cloud-process';
import { heraldClient } from './lib/herald';
import { processTree, type TreeProcess } from './lib/process-tree';
import { startBenchReceiver, type Endpoint } from './lib/receiver';
import { percentile } from './lib/stats';
import { describeHops, webhookHops } from './lib/webhook-hops';

const { values: args } = parseArgs({
  options: {
    phases: { type: 'string', default: '1,2,3,4' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    events: { type: 'string', default: '10000' },
    'batch-size': { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '4' },
    'isolation-seconds': { type: 'string', default: '30' },
    'slow-ms': { type: 'string', default: '2000' },
    'soak-seconds': { type: 'string', default: '0' },
    'grace-seconds': { type: 'string', default: '60' },
    'timeout-seconds': { type: 'string', default: '600' },
    'rate-limit': { type: 'string', default: '500' },
    profile: { type: 'string' },
  },
});
const phases = new Set(args.phases.split(',').map((phase) => phase.trim()));
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const burstEvents = Number(args.events);
const batchSize = Number(args['batch-size']);
const concurrency = Number(args.concurrency);
const isolationSeconds = Number(args['isolation-seconds']);
const slowMs = Number(args['slow-ms']);
const soakSeconds = Number(args['soak-seconds']);
const graceMs = Number(args['grace-seconds']) * 1000;
const timeoutMs = Number(args['timeout-seconds']) * 1000;
const rateLimit = Number(args['rate-limit']);

/** The issue's budgets and targets, the baselines of the figures that have one. */
const TARGET = {
  p50Ms: 300,
  p99Ms: 1000,
  deliveriesPerSecond: 300,
  isolationRatio: 1.1,
  stackRssMiB: 1536,
};

/** Phase 3: seconds after which the slow receiver has surely answered once (and been marked slow). */
const SETTLE_SECONDS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : 'n/a');
const mib = (value: number) => `${Math.round(value)} MiB`;
const runId = Date.now().toString(36);

const receiver = await startBenchReceiver();
// The local cloud runs in a process of its own, as `npm start` runs it: this one only drives it.
const cloud = await startCloudProcess({
  webhookPorts: [receiver.port],
  ...(args.profile ? { profileDir: args.profile } : {}),
});
const herald = await heraldClient(cloud);

// ---------------------------------------------------------------------------------------------
// Memory of the stack: every process under this one, sampled all along.

interface Sample {
  at: number;
  processes: TreeProcess[];
  /** The function containers by function, as last reported (up to one sampling interval old). */
  containers: RuntimeStats;
  totalMiB: number;
  /** The same, proportional: pages the processes share counted once (TreeProcess.pssMiB). */
  totalPssMiB: number;
}

/**
 * The stack's cores in use between two moments, from the samples nearest them, and the share of its
 * two largest users: a process whose work per event grows with the data it holds shows here as a
 * share that grows minute by minute while the load stays the same.
 */
function stackCpuShares(samples: Sample[], from: number, to: number): string {
  const nearest = (at: number) =>
    samples.reduce((best, s) => (Math.abs(s.at - at) < Math.abs(best.at - at) ? s : best));
  const [start, end] = [nearest(from), nearest(to)];
  if (end.at <= start.at) return 'no CPU samples';
  const before = new Map(start.processes.map((p) => [p.pid, p.cpuMs]));
  const used = end.processes
    .filter((p) => !isBench(p))
    .map((p) => ({ name: names.get(p.pid) ?? processName(p), ms: p.cpuMs - (before.get(p.pid) ?? 0) }));
  const total = used.reduce((sum, p) => sum + p.ms, 0);
  const top = used
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 2)
    .map((p) => `${p.name.split(' (')[0]} ${((100 * p.ms) / total).toFixed(0)}%`);
  return `the stack ${(total / (end.at - start.at)).toFixed(2)} cores, ${top.join(', ')}`;
}

/** What a process of the stack is, in a word or two. */
function processName(process: TreeProcess): string {
  if (process.pid === globalThis.process.pid) return 'bench (load client, receiver)';
  if (process.pid === cloud.pid) return 'local cloud (fronts, IAM gateways, emulators, pollers; containers)';
  if (process.command.includes('DynamoDBLocal')) return 'DynamoDB Local';
  if (process.command.includes('esbuild'))
    return `esbuild service of ${names.get(process.ppid) ?? process.ppid}`;
  if (process.command.includes('offline')) {
    try {
      return `serverless-offline ${basename(readlinkSync(`/proc/${process.pid}/cwd`))}`;
    } catch {
      return 'serverless-offline';
    }
  }
  return process.command.slice(0, 60);
}

/** The bench's own process: the load, not the stack. */
const isBench = (p: TreeProcess) => p.pid === process.pid;

let containers: RuntimeStats = {};

function sample(): Sample {
  const processes = processTree(process.pid);
  // Asked now, answered for the next sample: the sample itself stays synchronous.
  void cloud.containers().then((stats) => (containers = stats));
  return {
    at: performance.now(),
    processes,
    containers,
    totalMiB: processes.reduce((total, p) => total + (isBench(p) ? 0 : p.rssMiB), 0),
    totalPssMiB: processes.reduce((total, p) => total + (isBench(p) ? 0 : p.pssMiB), 0),
  };
}

const samples: Sample[] = [sample()];
const names = new Map<number, string>();
const nameAll = (s: Sample) => {
  for (const p of s.processes) if (!names.has(p.pid)) names.set(p.pid, processName(p));
};
nameAll(samples[0]!);
const sampler = setInterval(() => {
  const next = sample();
  nameAll(next);
  samples.push(next);
}, 2000);

/**
 * The load client and the receiver share this process's event loop: a late loop delays sends and
 * arrival times alike, so each phase says how late it ran.
 */
const loopDelay = monitorEventLoopDelay({ resolution: 20 });
loopDelay.enable();

const peakOf = (
  from: number,
  to = Number.POSITIVE_INFINITY,
  total: 'totalMiB' | 'totalPssMiB' = 'totalMiB',
) => Math.max(0, ...samples.filter((s) => s.at >= from && s.at <= to).map((s) => s[total]));

/** Processes seen in at least two samples that are no longer there (died, or were stopped). */
function gone(from: number, to: number): Array<{ pid: number; name: string; lastSeen: number }> {
  const within = samples.filter((s) => s.at >= from && s.at <= to);
  const last = within.at(-1);
  if (!last) return [];
  const alive = new Set(last.processes.map((p) => p.pid));
  const seen = new Map<number, { count: number; lastSeen: number }>();
  for (const s of within)
    for (const p of s.processes)
      seen.set(p.pid, { count: (seen.get(p.pid)?.count ?? 0) + 1, lastSeen: s.at });
  return [...seen]
    .filter(([pid, { count }]) => count >= 2 && !alive.has(pid))
    .map(([pid, { lastSeen }]) => ({ pid, name: names.get(pid) ?? String(pid), lastSeen }));
}

/** The containers' CPU time by function when the phase started (see functionCpuProfile). */
let phaseFunctionCpu: Promise<Record<string, number>> = Promise.resolve({});

/** Starts a phase: its memory peak counts from now, and so do its event-loop delay and CPU. */
function phaseStart(): number {
  loopDelay.reset();
  phaseFunctionCpu = cloud.functionCpu();
  const first = sample();
  nameAll(first);
  samples.push(first);
  return first.at;
}

/**
 * Where the phase's CPU went: each process's CPU time from the phase's start to now, per event
 * accepted, largest first (processes of one kind, e.g. the function containers, added up).
 */
function cpuProfile(from: number, events: number, phase?: string): string {
  const first = samples.find((s) => s.at >= from);
  if (!first || events === 0) return '';
  const now = sample();
  nameAll(now);
  const before = new Map(first.processes.map((p) => [p.pid, p]));
  const byName = new Map<string, number>();
  const kernelShare = new Map<string, number>();
  const add = (name: string, cpu: number) => byName.set(name, (byName.get(name) ?? 0) + cpu);
  for (const p of now.processes) {
    const name = names.get(p.pid) ?? p.command;
    const was = before.get(p.pid);
    const main = p.mainThreadCpuMs - (was?.mainThreadCpuMs ?? 0);
    add(`${name} [main thread]`, main);
    if (main > 0)
      kernelShare.set(
        `${name} [main thread]`,
        (p.mainThreadSystemCpuMs - (was?.mainThreadSystemCpuMs ?? 0)) / main,
      );
    // Node's threads apart from its main one: the function containers (worker threads) in the local
    // cloud's process and serverless-offline's, and the garbage collector's and compilers' everywhere.
    add(`${name} [other threads]`, p.cpuMs - (was?.cpuMs ?? 0) - main);
  }
  const benchName = names.get(process.pid)!;
  const total = [...byName]
    .filter(([name]) => !name.startsWith(benchName))
    .reduce((sum, [, cpu]) => sum + cpu, 0);
  if (phase)
    figure({ figure: `capacity: stack CPU per accepted event, ${phase}`, value: total / events, unit: 'ms' });
  const parts = [...byName]
    .filter(([, cpu]) => cpu / events >= 0.05)
    .sort((a, b) => b[1] - a[1])
    .map(([name, cpu]) => {
      const kernel = kernelShare.get(name);
      // A main thread's share in the kernel: most of it is loopback sockets' traffic.
      return `${name} ${(cpu / events).toFixed(1)}${kernel === undefined ? '' : ` (${Math.round(kernel * 100)}% kernel)`}`;
    });
  return (
    `\n  the stack's CPU per accepted event (the bench's own listed beside it): ${(total / events).toFixed(1)} ms over ${((now.at - from) / 1000).toFixed(0)} s ` +
    `(${(total / (now.at - from)).toFixed(2)} cores): ${parts.join(', ')}`
  );
}

/** `herald-notifications-local-deliver` as `notifications/deliver`. */
const shortFunctionName = (name: string) => name.replace(/^herald-([a-z]+)-[a-z]+-/, '$1/');

/**
 * The local cloud's function containers apart, by function: each container is a worker thread whose
 * CPU time the runtime reads (its garbage collection included), so the "other threads" of the local
 * cloud above split into what each function costs per event.
 */
async function functionCpuProfile(events: number): Promise<string> {
  if (events === 0) return '';
  const [before, after] = await Promise.all([phaseFunctionCpu, cloud.functionCpu()]);
  const used = Object.entries(after)
    .map(([name, cpu]) => [name, cpu - (before[name] ?? 0)] as const)
    .filter(([, cpu]) => cpu / events >= 0.05)
    .sort((a, b) => b[1] - a[1]);
  const total = used.reduce((sum, [, cpu]) => sum + cpu, 0);
  return (
    `\n  of which the function containers, per event: ${(total / events).toFixed(1)} ms: ` +
    used.map(([name, cpu]) => `${shortFunctionName(name)} ${(cpu / events).toFixed(1)}`).join(', ')
  );
}

async function phaseFootnote(from: number, events = 0, phase?: string): Promise<string> {
  return (
    `  peak RSS of the whole stack during the phase: ${mib(peakOf(from))}; this process's event loop ` +
    `ran late by p99 ${ms(loopDelay.percentile(99) / 1e6)}, max ${ms(loopDelay.max / 1e6)}` +
    cpuProfile(from, events, phase) +
    (await functionCpuProfile(events))
  );
}

// ---------------------------------------------------------------------------------------------
// Load: what was sent, what came back.

interface Sent {
  id: string;
  /** performance.now() when the request was sent. */
  sentAt: number;
  /** When the response's status arrived (or the request failed). */
  answeredAt?: number;
  status?: number;
  /** The connection error (e.g. ECONNREFUSED) when no response came. */
  error?: string;
  /** What a response other than 202 said, in a few words. */
  said?: string;
  /** Ids ingest accepted (202, or the queued ones of a 207). */
  accepted: string[];
}

function errorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string; name?: string } }).cause;
  return cause?.code ?? cause?.name ?? (error as Error).name ?? 'error';
}

/**
 * A refusal's gist: a problem's title, or the Lambda error serverless-offline reports, for an HTTP
 * API function, as a 200 whose body is the error (`[504] - Lambda timeout.`).
 */
function gist(text: string): string {
  try {
    const body = JSON.parse(text) as { errorMessage?: string; title?: string };
    const said = body.errorMessage ?? body.title;
    if (said) return said.slice(0, 60);
  } catch {
    // not JSON: its first words
  }
  return text.slice(0, 40);
}

async function post(token: string, ids: string[], body: unknown): Promise<Sent> {
  const sent: Sent = { id: ids[0]!, sentAt: performance.now(), accepted: [] };
  try {
    const response = await fetch(herald.eventsUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
    sent.answeredAt = performance.now();
    sent.status = response.status;
    const text = await response.text();
    if (response.status === 202) sent.accepted = ids;
    else sent.said = gist(text);
    if (response.status === 207) {
      const { events } = JSON.parse(text) as { events: Array<{ id: string; status: string }> };
      sent.accepted = events.filter((event) => event.status !== 'failed').map((event) => event.id);
    }
  } catch (error) {
    sent.answeredAt = performance.now();
    sent.error = errorCode(error);
  }
  return sent;
}

/** Single-event POSTs at `perSecond` for `forSeconds`, each sent when due, none waiting for another. */
async function openLoop(tenant: string, label: string, perSecond: number, forSeconds: number) {
  const token = await herald.token(tenant, ['events:write']);
  const total = Math.round(perSecond * forSeconds);
  const requests: Array<Promise<Sent>> = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const id = `cap-${runId}-${label}-${i}`;
    requests.push(post(token, [id], { id, type: 'bench.capacity', data: { i } }));
  }
  return { start, sent: await Promise.all(requests) };
}

/** Refusals by what they were: the status (504, 503, ...) or the connection error. */
function refusals(sent: readonly Sent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of sent) {
    if (request.status === 202) continue;
    const key = request.error ?? `${request.status}${request.said ? ` "${request.said}"` : ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const describe = (counts: Map<string, number>) =>
  counts.size === 0 ? 'none' : [...counts].map(([what, n]) => `${n} ${what}`).join(', ');

/** A subscription of `tenant` to an endpoint of the bench's receiver, for every bench.* event. */
async function subscribe(tenant: string, endpointName: string): Promise<Endpoint> {
  const endpoint = receiver.endpoint(`${endpointName}-${runId}`);
  const { secret } = await herald.subscribe(tenant, {
    url: endpoint.url,
    eventTypes: ['bench.*'],
    rateLimit,
  });
  endpoint.setSecrets([secret]);
  return endpoint;
}

interface SteadyResult {
  sent: number;
  accepted: number;
  /** The ids of the events accepted (one a request). */
  acceptedIds: string[];
  refused: Map<string, number>;
  postLatencies: number[];
  latencies: number[];
  missing: number;
  /** 202 → webhook of each accepted event that arrived, by the second it was sent in. */
  bySecond: Map<number, number[]>;
  endpoint: Endpoint;
}

/** Phase 1's load against one subscription (and maybe others on the same events), then its webhooks. */
async function steady(
  tenant: string,
  label: string,
  perSecond: number,
  forSeconds: number,
  endpoint: Endpoint,
): Promise<SteadyResult> {
  const { start, sent } = await openLoop(tenant, label, perSecond, forSeconds);
  const accepted = sent.filter((request) => request.status === 202);
  await endpoint.waitFor(
    accepted.map((request) => request.id),
    { quietMs: graceMs, timeoutMs },
  );
  const latencies: number[] = [];
  const bySecond = new Map<number, number[]>();
  for (const request of accepted) {
    const arrival = endpoint.arrivals.get(request.id);
    if (!arrival) continue;
    const latency = arrival.at - request.answeredAt!;
    latencies.push(latency);
    const second = Math.floor((request.sentAt - start) / 1000);
    bySecond.set(second, [...(bySecond.get(second) ?? []), latency]);
  }
  return {
    sent: sent.length,
    accepted: accepted.length,
    acceptedIds: accepted.map((request) => request.id),
    refused: refusals(sent),
    postLatencies: sent.filter((r) => r.status !== undefined).map((r) => r.answeredAt! - r.sentAt),
    latencies,
    missing: accepted.filter((request) => !endpoint.arrivals.has(request.id)).length,
    bySecond,
    endpoint,
  };
}

function printSteady(title: string, r: SteadyResult): void {
  const refused = [...r.refused.values()].reduce((a, b) => a + b, 0);
  console.log(title);
  console.log(`  sent ${r.sent}, 202 ${r.accepted}, refused ${refused} (${describe(r.refused)})`);
  console.log(
    `  POST latency p50 ${ms(percentile(r.postLatencies, 50))}, p99 ${ms(percentile(r.postLatencies, 99))}`,
  );
  console.log(
    `  202 → webhook received p50 ${ms(percentile(r.latencies, 50))}, p99 ${ms(percentile(r.latencies, 99))}, ` +
      `max ${ms(Math.max(...r.latencies))}; ${r.latencies.length} received, ${r.missing} missing ` +
      `after ${graceMs / 1000} s without one; ${r.endpoint.duplicates} duplicates, ${r.endpoint.unverified} unverified`,
  );
}

// ---------------------------------------------------------------------------------------------

const benchStart = performance.now();
try {
  // Every function on the way runs once (single and batch) before anything is measured.
  {
    const endpoint = await subscribe('capacity-warm', 'warm');
    const token = await herald.token('capacity-warm', ['events:write']);
    const ids = Array.from({ length: 10 }, (_, i) => `cap-${runId}-warm-${i}`);
    await Promise.all([
      ...ids.slice(0, 5).map((id) => post(token, [id], { id, type: 'bench.warm', data: {} })),
      post(token, ids.slice(5), { events: ids.slice(5).map((id) => ({ id, type: 'bench.warm', data: {} })) }),
    ]);
    await endpoint.waitFor(ids, { quietMs: 60_000, timeoutMs: 120_000 });
    console.log(`warm-up: ${endpoint.arrivals.size}/${ids.length} webhooks received`);
  }

  let steadyP99: number | undefined;

  if (phases.has('1')) {
    const from = phaseStart();
    const endpoint = await subscribe('capacity-steady', 'steady');
    const r = await steady('capacity-steady', 'p1', rate, seconds, endpoint);
    steadyP99 = percentile(r.latencies, 99);
    printSteady(`\n1. steady load: single-event POSTs at ${rate}/s for ${seconds} s (open loop)`, r);
    console.log(await phaseFootnote(from, r.accepted, `single POSTs at ${rate}/s`));
    console.log(describeHops(await webhookHops(BENCH_LOG_DIR, new Set(r.acceptedIds))));
    const refused = r.sent - r.accepted;
    const at = `${rate} POST/s for ${seconds} s`;
    figure({
      figure: `capacity: POSTs refused at ${at}`,
      value: refused,
      unit: 'requests',
      baseline: { value: 0, label: 'target' },
    });
    figure({
      figure: `capacity: POST latency p50 at ${at}`,
      value: percentile(r.postLatencies, 50),
      unit: 'ms',
    });
    figure({
      figure: `capacity: POST latency p99 at ${at}`,
      value: percentile(r.postLatencies, 99),
      unit: 'ms',
    });
    figure({
      figure: `capacity: 202 → webhook p50 at ${at}`,
      value: percentile(r.latencies, 50),
      unit: 'ms',
      baseline: { value: TARGET.p50Ms, label: 'target' },
    });
    figure({
      figure: `capacity: 202 → webhook p99 at ${at}`,
      value: steadyP99,
      unit: 'ms',
      baseline: { value: TARGET.p99Ms, label: 'target' },
    });
    figure({
      figure: `capacity: webhooks missing at ${at}`,
      value: r.missing,
      unit: 'events',
      baseline: { value: 0, label: 'target' },
    });
  }

  if (phases.has('2')) {
    await sleep(2000);
    const from = phaseStart();
    const tenant = 'capacity-burst';
    const endpoint = await subscribe(tenant, 'burst');
    const token = await herald.token(tenant, ['events:write']);
    const batches = Array.from({ length: Math.ceil(burstEvents / batchSize) }, (_, b) =>
      Array.from(
        { length: Math.min(batchSize, burstEvents - b * batchSize) },
        (_, i) => `cap-${runId}-p2-${b * batchSize + i}`,
      ),
    );
    const sent: Sent[] = [];
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < batches.length) {
          const ids = batches[next++]!;
          sent.push(
            await post(token, ids, {
              events: ids.map((id, i) => ({ id, type: 'bench.capacity', data: { i } })),
            }),
          );
        }
      }),
    );
    const posted = performance.now();
    const accepted = sent.flatMap((request) => request.accepted);
    const lastAccepted = Math.max(...sent.filter((r) => r.accepted.length > 0).map((r) => r.answeredAt!));
    await endpoint.waitFor(accepted, { quietMs: graceMs, timeoutMs });
    const arrivals = accepted.flatMap((id) => endpoint.arrivals.get(id)?.at ?? []);
    const lastArrival = Math.max(...arrivals);
    // Nothing accepted or nothing delivered is a rate of 0, not a division by an empty maximum.
    const ingestRate = accepted.length === 0 ? 0 : (accepted.length * 1000) / (lastAccepted - start);
    const deliveryRate = arrivals.length === 0 ? 0 : (arrivals.length * 1000) / (lastArrival - start);
    const lost = accepted.length - arrivals.length;
    const batchLatencies = sent.filter((r) => r.status !== undefined).map((r) => r.answeredAt! - r.sentAt);
    console.log(
      `\n2. burst: ${burstEvents} events in batches of ${batchSize}, ${concurrency} requests at a time, one subscription`,
    );
    console.log(
      `  ${accepted.length}/${burstEvents} accepted in ${((posted - start) / 1000).toFixed(1)} s = ${ingestRate.toFixed(0)} events/s; ` +
        `refused batches: ${describe(refusals(sent.filter((r) => r.status !== 207)))}; ` +
        `batch POST p50 ${ms(percentile(batchLatencies, 50))}, p99 ${ms(percentile(batchLatencies, 99))}`,
    );
    console.log(
      `  ${arrivals.length} delivered, the last ${((lastArrival - start) / 1000).toFixed(1)} s after the first POST = ` +
        `${deliveryRate.toFixed(1)} deliveries/s end to end; ${lost} lost (not received when the wait ended: ` +
        `${graceMs / 1000} s without a webhook, or ${timeoutMs / 1000} s in all), ` +
        `${endpoint.duplicates} duplicates, ${endpoint.unverified} unverified`,
    );
    console.log(await phaseFootnote(from, accepted.length, `batches of ${batchSize}`));
    const what = `${burstEvents} events in batches of ${batchSize}`;
    figure({
      figure: `capacity: ingest events/s, ${what}`,
      value: ingestRate,
      unit: 'events/s',
      higherIsBetter: true,
    });
    figure({
      figure: `capacity: deliveries/s end to end, ${what}`,
      value: deliveryRate,
      unit: 'deliveries/s',
      baseline: { value: TARGET.deliveriesPerSecond, label: 'target' },
      higherIsBetter: true,
    });
    figure({
      figure: `capacity: events lost, ${what}`,
      value: lost,
      unit: 'events',
      baseline: { value: 0, label: 'target' },
    });
  }

  if (phases.has('3')) {
    await sleep(2000);
    const from = phaseStart();
    const tenant = 'capacity-isolation';
    const fast = await subscribe(tenant, 'isolation-fast');
    const slow = await subscribe(tenant, 'isolation-slow');
    slow.setDelayMs(slowMs);
    let baselineP99 = steadyP99;
    let baselineLabel = 'phase 1 p99 (target ≤ 1.1x)';
    if (baselineP99 === undefined) {
      // Phase 1 did not run: the same load without the slow subscription first, as its baseline.
      const alone = await subscribe('capacity-isolation-alone', 'isolation-alone');
      const r = await steady('capacity-isolation-alone', 'p3a', rate, isolationSeconds, alone);
      printSteady(`\n3a. baseline: ${rate}/s for ${isolationSeconds} s, one subscription`, r);
      baselineP99 = percentile(r.latencies, 99);
      baselineLabel = 'p99 without it (target ≤ 1.1x)';
    }
    const r = await steady(tenant, 'p3', rate, isolationSeconds, fast);
    printSteady(
      `\n3. isolation: ${rate}/s for ${isolationSeconds} s, a second subscription on the same events answering in ${slowMs} ms`,
      r,
    );
    console.log(
      `  the first subscription's p99 ${ms(percentile(r.latencies, 99))} against ${ms(baselineP99)} without the slow one ` +
        `(${(percentile(r.latencies, 99) / baselineP99).toFixed(2)}x; target ≤ ${TARGET.isolationRatio}x); ` +
        `the slow one had ${slow.arrivals.size}/${r.accepted} by then`,
    );
    // The slow receiver is only known slow (and its deliveries moved to the slow lane) once it has
    // answered slowly: until then its tasks hold the fast lane's containers. The events sent after
    // that show the lanes at work, apart from that start.
    const settled = [...r.bySecond].filter(([second]) => second >= SETTLE_SECONDS).flatMap(([, l]) => l);
    const settledP99 = percentile(settled, 99);
    console.log(
      `  of the events sent after the first ${SETTLE_SECONDS} s (the slow receiver answered and marked slow by then): ` +
        `p99 ${ms(settledP99)} (${(settledP99 / baselineP99).toFixed(2)}x)`,
    );
    console.log(await phaseFootnote(from, r.accepted));
    figure({
      figure: `capacity: 202 → webhook p99 beside a ${slowMs} ms subscription at ${rate} POST/s`,
      value: percentile(r.latencies, 99),
      unit: 'ms',
      baseline: { value: baselineP99, label: baselineLabel },
    });
    figure({
      figure: `capacity: 202 → webhook p99 beside a ${slowMs} ms subscription, events after its first ${SETTLE_SECONDS} s`,
      value: settledP99,
      unit: 'ms',
      baseline: { value: baselineP99, label: baselineLabel },
    });
    // The slow subscription's backlog drains at once, so it does not weigh on what follows.
    slow.setDelayMs(0);
    await slow.waitFor(fast.arrivals.keys(), { quietMs: 10_000, timeoutMs: 120_000 });
  }

  if (phases.has('4') && soakSeconds > 0) {
    await sleep(2000);
    const from = phaseStart();
    const tenant = 'capacity-soak';
    const endpoint = await subscribe(tenant, 'soak');
    const soakSamples: Sample[] = [sample()];
    const every10s = setInterval(() => soakSamples.push(sample()), 10_000);
    let r: SteadyResult;
    try {
      r = await steady(tenant, 'p4', rate, soakSeconds, endpoint);
    } finally {
      clearInterval(every10s);
    }
    soakSamples.push(sample());
    for (const s of soakSamples) nameAll(s);
    printSteady(`\n4. soak: ${rate}/s for ${soakSeconds} s`, r);
    console.log(await phaseFootnote(from, r.accepted));
    const warmUpS = Math.min(60, soakSeconds / 5);
    const afterWarmUp = soakSamples.find((s) => s.at - from >= warmUpS * 1000) ?? soakSamples[0]!;
    const end = soakSamples.at(-1)!;
    console.log(
      `  RSS of the whole stack after ${warmUpS.toFixed(0)} s of warm-up ${mib(afterWarmUp.totalMiB)}, ` +
        `at the end ${mib(end.totalMiB)}, peak ${mib(Math.max(...soakSamples.map((s) => s.totalMiB)))}`,
    );
    const byPid = (s: Sample) => new Map(s.processes.map((p) => [p.pid, p.rssMiB]));
    const [warm, last] = [byPid(afterWarmUp), byPid(end)];
    for (const [pid, rss] of warm) {
      const now = last.get(pid);
      console.log(
        `    ${(names.get(pid) ?? String(pid)).padEnd(54)} ${mib(rss).padStart(9)} → ${now === undefined ? 'gone' : mib(now)}`,
      );
    }
    const died = gone(from, performance.now());
    console.log(
      `  processes gone during the soak: ${
        died.length === 0
          ? 'none'
          : died
              .map(
                (d) => `${d.name} (pid ${d.pid}, last seen ${((d.lastSeen - from) / 1000).toFixed(0)} s in)`,
              )
              .join('; ')
      }`,
    );
    console.log('  202 → webhook minute by minute (by when sent):');
    const minutes = new Map<number, number[]>();
    for (const [second, latencies] of r.bySecond) {
      const minute = Math.floor(second / 60);
      minutes.set(minute, [...(minutes.get(minute) ?? []), ...latencies]);
    }
    for (const [minute, latencies] of [...minutes].sort(([a], [b]) => a - b)) {
      console.log(
        `    minute ${String(minute + 1).padStart(2)}: ${String(latencies.length).padStart(5)} received, ` +
          `p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}; ` +
          stackCpuShares(soakSamples, from + minute * 60_000, from + (minute + 1) * 60_000),
      );
    }
    const at = `${rate} POST/s for ${soakSeconds} s`;
    figure({
      figure: `capacity: soak, processes gone at ${at}`,
      value: died.length,
      unit: 'processes',
      baseline: { value: 0, label: 'target' },
    });
    figure({
      figure: `capacity: soak, POSTs refused at ${at}`,
      value: r.sent - r.accepted,
      unit: 'requests',
      baseline: { value: 0, label: 'target' },
    });
    figure({
      figure: `capacity: soak, stack RSS at the end at ${at}`,
      value: end.totalMiB,
      unit: 'MiB',
      baseline: { value: afterWarmUp.totalMiB, label: 'after warm-up (flat: 1x)' },
    });
    figure({
      figure: `capacity: soak, 202 → webhook p99 at ${at}`,
      value: percentile(r.latencies, 99),
      unit: 'ms',
      baseline: { value: TARGET.p99Ms, label: 'target' },
    });
  }

  samples.push(sample());
  const peak = peakOf(benchStart);
  const peakSample = samples.find((s) => s.totalMiB === peak) ?? samples.at(-1)!;
  const peakPss = peakOf(benchStart, undefined, 'totalPssMiB');
  console.log(
    `\npeak RSS of the whole stack over the run: ${mib(peak)} (at that moment ` +
      `${mib(peakSample.totalPssMiB)} proportional, shared pages counted once; peak proportional ${mib(peakPss)})`,
  );
  console.log(`    ${'process'.padEnd(54)} ${'RSS'.padStart(9)} ${'PSS'.padStart(9)}`);
  for (const p of [...peakSample.processes].sort((a, b) => b.rssMiB - a.rssMiB))
    console.log(
      `    ${(names.get(p.pid) ?? processName(p)).padEnd(54)} ${mib(p.rssMiB).padStart(9)} ${mib(p.pssMiB).padStart(9)}`,
    );
  const byFunction = Object.entries(peakSample.containers)
    .map(([name, { idle, busy }]) => ({
      name: shortFunctionName(name),
      count: idle + busy,
    }))
    .sort((a, b) => b.count - a.count);
  console.log(
    `  function containers in the local cloud then: ${byFunction.reduce((n, f) => n + f.count, 0)} ` +
      `(${byFunction.map((f) => `${f.name} ${f.count}`).join(', ')})`,
  );
  const died = gone(benchStart, performance.now());
  if (died.length > 0) console.log(`processes gone during the run: ${died.map((d) => d.name).join(', ')}`);
  figure({
    figure: 'capacity: peak RSS of the whole stack',
    value: peak,
    unit: 'MiB',
    baseline: { value: TARGET.stackRssMiB, label: 'budget' },
  });
  figure({
    figure: 'capacity: peak PSS of the whole stack (shared pages once)',
    value: peakPss,
    unit: 'MiB',
    baseline: { value: TARGET.stackRssMiB, label: 'budget' },
  });
} finally {
  clearInterval(sampler);
  await cloud.stop();
  await receiver.stop();
}
