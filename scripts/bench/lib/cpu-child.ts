/**
 * One function of the CPU benchmark (../cpu.ts), in a process of its own, as a Lambda container
 * would hold it: the function's environment set before its bundle is imported (the handlers read
 * it at module load and on first use), invocations given one after another, CPU time
 * (process.cpuUsage: user + system) summed over the measured ones after a warm-up. This process
 * holds nothing else: the emulators run in the parent, so their work is not counted here.
 *
 * Beside it, the floor: parse + verify + sign of an envelope like the ones the function handles,
 * measured here too, on the same CPU at the same moment.
 *
 *   node --import tsx scripts/bench/lib/cpu-child.ts <job.json>   (written by ../cpu.ts)
 */
import { openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { UnsignedEnvelope } from '@herald/shared/contracts';
import type { Ed25519PrivateJwk } from '@herald/shared/signing';

export interface CpuJob {
  name: string;
  /** The function's bundle (.mjs), as packaged for Lambda. */
  bundle: string;
  env: Record<string, string>;
  /** JSON file: the invocations' events, in order, and how many events each carries. */
  inputs: string;
  /** Invocations run first and not measured (JIT, clients, key sets, connections). */
  warm: number;
  /** At least this long between measured invocations (a receiver's rate limit); sleeping costs no CPU. */
  minIntervalMs?: number;
  signingKey: Ed25519PrivateJwk;
  /** An envelope like the ones the function handles, for the floor. */
  floorEnvelope: UnsignedEnvelope;
  out: string;
}

export interface CpuInputs {
  events: unknown[];
  eventsPerInvocation: number[];
}

export interface CpuResult {
  name: string;
  invocations: number;
  events: number;
  cpuMicros: number;
  wallMs: number;
  /** Invocations that did not succeed whole (a non-2xx answer, or batch item failures). */
  failures: number;
  failureSample?: string;
  floorMicrosPerEvent: number;
  floorEvents: number;
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as CpuJob;
Object.assign(process.env, job.env);
const { events, eventsPerInvocation } = JSON.parse(readFileSync(job.inputs, 'utf8')) as CpuInputs;
const { handler } = (await import(pathToFileURL(job.bundle).href)) as {
  handler: (event: unknown, context: Context) => Promise<unknown>;
};
const { createEnvelopeSigner, createEnvelopeVerifier } = await import('@herald/shared/signing');

const context = {
  awsRequestId: 'bench',
  functionName: job.name,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${job.name}`,
  memoryLimitInMB: '512',
  logGroupName: job.name,
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;

/** What a result says went wrong, or undefined when the invocation succeeded whole. */
function failureOf(result: unknown): string | undefined {
  const r = result as { statusCode?: number; body?: string; batchItemFailures?: unknown[] } | undefined;
  if (r?.statusCode !== undefined) return r.statusCode < 300 ? undefined : `${r.statusCode} ${r.body}`;
  if (r?.batchItemFailures !== undefined)
    return r.batchItemFailures.length === 0 ? undefined : `${r.batchItemFailures.length} batch item failures`;
  return `unexpected result ${JSON.stringify(result)}`;
}

/**
 * The function's log lines are still produced, serialised and written (Lambda pays for that: its
 * stdout is a pipe to the runtime), but to /dev/null instead of this bench's output.
 */
const devNull = openSync('/dev/null', 'w');
const realWrites = [process.stdout.write, process.stderr.write] as const;
function quiet(on: boolean): void {
  const sink = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk === 'string') writeSync(devNull, chunk);
    else writeSync(devNull, chunk);
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = on ? sink : realWrites[0];
  process.stderr.write = on ? sink : realWrites[1];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

quiet(true);
let failures = 0;
let failureSample: string | undefined;
for (const event of events.slice(0, job.warm)) await handler(event, context);
const measured = events.slice(job.warm);
const wallStart = performance.now();
let cpuMicros = 0;
for (const [index, event] of measured.entries()) {
  const dueAt = wallStart + index * (job.minIntervalMs ?? 0);
  if (performance.now() < dueAt) await sleep(dueAt - performance.now());
  const start = process.cpuUsage();
  const result = await handler(event, context);
  const used = process.cpuUsage(start);
  cpuMicros += used.user + used.system;
  const failure = failureOf(result);
  if (failure) {
    failures += 1;
    failureSample ??= failure;
  }
}
const wallMs = performance.now() - wallStart;
quiet(false);

// The floor: what any function handling this envelope cannot avoid (ingest signs it, processing
// and notifications parse and verify it), on envelopes of the same shape and size.
const signer = createEnvelopeSigner(job.signingKey);
const { d: _private, ...publicJwk } = job.signingKey;
const verifier = createEnvelopeVerifier([publicJwk]);
const floorEvents = 2000;
const floorRound = (n: number, from: number) => {
  for (let i = from; i < from + n; i++) {
    const body = JSON.stringify(signer.sign({ ...job.floorEnvelope, id: `${job.floorEnvelope.id}-${i}` }));
    verifier.verify(JSON.parse(body));
  }
};
floorRound(500, 0);
const floorStart = process.cpuUsage();
floorRound(floorEvents, 500);
const floorUsed = process.cpuUsage(floorStart);

const result: CpuResult = {
  name: job.name,
  invocations: measured.length,
  events: eventsPerInvocation.slice(job.warm).reduce((a, b) => a + b, 0),
  cpuMicros,
  wallMs,
  failures,
  ...(failureSample === undefined ? {} : { failureSample: failureSample.slice(0, 300) }),
  floorMicrosPerEvent: (floorUsed.user + floorUsed.system) / floorEvents,
  floorEvents,
};
writeFileSync(job.out, JSON.stringify(result));
// The handlers' clients keep sockets open, as a container would; this container is done.
process.exit(0);
