/**
 * Every injected fault, counted: AWS calls by service and operation (per attempt, and per SDK call
 * once its retries are over), and invocations by function. Tests and the benchmark read a snapshot.
 */
import { FAULTY_SERVICES, type FaultyService } from './config';

/** throttle / error: refused before the emulator saw it; error-after: applied, then answered 500;
 *  partial: a batch answered 200 with some entries failed. */
export const AWS_FAULT_KINDS = ['throttle', 'error', 'error-after', 'partial'] as const;
export type AwsFaultKind = (typeof AWS_FAULT_KINDS)[number];

export interface CallCounts {
  /** HTTP requests: each SDK attempt is one. */
  attempts: number;
  faults: Record<AwsFaultKind, number>;
  /** SDK calls (an attempt without the SDK's invocation id is a call of its own). */
  calls: number;
  /** Calls whose last attempt was faulted: what the calling code saw after the SDK's retries. */
  surfaced: number;
  /** Batch entries failed by partial faults. */
  entriesFailed: number;
}

export interface ServiceCounts extends CallCounts {
  operations: Record<string, CallCounts>;
}

export interface InvocationCounts {
  invocations: number;
  /** Ran on part of the batch, then reported failed. */
  crashes: number;
  /** Stream batches failed before the function ran. */
  streamFailures: number;
}

export interface FaultCounts {
  aws: Record<FaultyService, ServiceCounts>;
  functions: Record<string, InvocationCounts>;
}

const emptyCalls = (): CallCounts => ({
  attempts: 0,
  faults: { throttle: 0, error: 0, 'error-after': 0, partial: 0 },
  calls: 0,
  surfaced: 0,
  entriesFailed: 0,
});

/** Calls remembered to learn whether their last attempt failed; older ones are settled and folded in. */
const MAX_OPEN_CALLS = 50_000;

interface OpenCall {
  service: FaultyService;
  operation: string;
  lastFaulted: boolean;
}

export class FaultLedger {
  private aws = new Map<FaultyService, Map<string, CallCounts>>();
  private functions = new Map<string, InvocationCounts>();
  private open = new Map<string, OpenCall>();
  private callSequence = 0;

  private calls(service: FaultyService, operation: string): CallCounts {
    let operations = this.aws.get(service);
    if (!operations) this.aws.set(service, (operations = new Map()));
    let counts = operations.get(operation);
    if (!counts) operations.set(operation, (counts = emptyCalls()));
    return counts;
  }

  /** One attempt of a call, faulted (by `fault`) or not. */
  attempt(
    service: FaultyService,
    operation: string,
    invocationId: string | undefined,
    fault: AwsFaultKind | undefined,
    entriesFailed = 0,
  ): void {
    const counts = this.calls(service, operation);
    counts.attempts += 1;
    if (fault) counts.faults[fault] += 1;
    counts.entriesFailed += entriesFailed;
    const key = `${service} ${invocationId ?? `#${++this.callSequence}`}`;
    const call = this.open.get(key);
    if (call) {
      call.lastFaulted = fault !== undefined;
      return;
    }
    counts.calls += 1;
    this.open.set(key, { service, operation, lastFaulted: fault !== undefined });
    if (this.open.size > MAX_OPEN_CALLS) this.settle(this.open.keys().next().value!);
  }

  private settle(key: string): void {
    const call = this.open.get(key);
    if (!call) return;
    this.open.delete(key);
    if (call.lastFaulted) this.calls(call.service, call.operation).surfaced += 1;
  }

  private invocation(functionName: string): InvocationCounts {
    let counts = this.functions.get(functionName);
    if (!counts)
      this.functions.set(functionName, (counts = { invocations: 0, crashes: 0, streamFailures: 0 }));
    return counts;
  }

  invoked(functionName: string, fault?: 'crash' | 'stream'): void {
    const counts = this.invocation(functionName);
    counts.invocations += 1;
    if (fault === 'crash') counts.crashes += 1;
    if (fault === 'stream') counts.streamFailures += 1;
  }

  reset(): void {
    this.aws.clear();
    this.functions.clear();
    this.open.clear();
  }

  snapshot(): FaultCounts {
    const surfacedNow = new Map<string, number>();
    for (const call of this.open.values()) {
      if (!call.lastFaulted) continue;
      const key = `${call.service} ${call.operation}`;
      surfacedNow.set(key, (surfacedNow.get(key) ?? 0) + 1);
    }
    const aws = {} as Record<FaultyService, ServiceCounts>;
    for (const service of FAULTY_SERVICES) {
      const total: ServiceCounts = { ...emptyCalls(), operations: {} };
      for (const [operation, counts] of this.aws.get(service) ?? []) {
        const copy: CallCounts = {
          ...counts,
          faults: { ...counts.faults },
          surfaced: counts.surfaced + (surfacedNow.get(`${service} ${operation}`) ?? 0),
        };
        total.operations[operation] = copy;
        total.attempts += copy.attempts;
        total.calls += copy.calls;
        total.surfaced += copy.surfaced;
        total.entriesFailed += copy.entriesFailed;
        for (const kind of AWS_FAULT_KINDS) total.faults[kind] += copy.faults[kind];
      }
      aws[service] = total;
    }
    const functions = Object.fromEntries([...this.functions].map(([name, counts]) => [name, { ...counts }]));
    return { aws, functions };
  }
}

export const faultsOf = (counts: CallCounts): number =>
  AWS_FAULT_KINDS.reduce((sum, kind) => sum + counts.faults[kind], 0);

const percent = (part: number, whole: number) =>
  whole === 0 ? '-' : `${((100 * part) / whole).toFixed(2)}%`;

/** A table for people: per service the attempts and how many failed, the calls and how many failed in the end. */
export function formatFaultCounts(counts: FaultCounts): string {
  const lines = [
    'service   attempts  faulted (rate)        throttle/error/after/partial  calls  failed after SDK retries',
  ];
  for (const service of FAULTY_SERVICES) {
    const c = counts.aws[service];
    const kinds = AWS_FAULT_KINDS.map((kind) => c.faults[kind]).join('/');
    lines.push(
      `${service.padEnd(9)} ${String(c.attempts).padStart(8)}  ${`${faultsOf(c)} (${percent(faultsOf(c), c.attempts)})`.padEnd(20)}  ${kinds.padEnd(28)}  ${String(c.calls).padStart(5)}  ${c.surfaced} (${percent(c.surfaced, c.calls)})`,
    );
  }
  const invocations = Object.values(counts.functions).reduce(
    (sum, f) => ({
      invocations: sum.invocations + f.invocations,
      crashes: sum.crashes + f.crashes,
      streamFailures: sum.streamFailures + f.streamFailures,
    }),
    { invocations: 0, crashes: 0, streamFailures: 0 },
  );
  lines.push(
    `invocations ${invocations.invocations}: crashed ${invocations.crashes} (${percent(invocations.crashes, invocations.invocations)}), stream batches failed ${invocations.streamFailures}`,
  );
  for (const [name, f] of Object.entries(counts.functions).sort(([a], [b]) => a.localeCompare(b)))
    lines.push(
      `  ${name}: ${f.invocations} invocations, ${f.crashes} crashed, ${f.streamFailures} stream failures`,
    );
  return lines.join('\n');
}
