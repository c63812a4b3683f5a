/**
 * The decisions: whether an AWS call attempt fails and how, whether an invocation crashes. Rates
 * can change while the local cloud runs; every decision is counted in the ledger.
 *
 * An AWS fault is, at the service's rate, one of:
 *   throttle     refused before the emulator saw it, with the service's throttling error;
 *   error        refused before the emulator saw it, with a 500;
 *   error-after  applied by the emulator, then answered 500 (the answer was lost: AWS documents a 500
 *                as "may or may not have succeeded"), so a retry meets its own earlier write;
 *   partial      batch calls only: some entries applied, the others failed in a 200 answer.
 * in the shares 2:1:1 (and 2:1:1:1 for batches that can fail by entry). Each attempt is drawn on its
 * own unless the call was made sticky: then its retries fail too (refused, never applied again), and
 * the calling code sees the fault whatever its SDK's retry settings.
 */
import {
  changeRates,
  type FaultConfig,
  type FaultOptions,
  type FaultRates,
  type FaultyService,
} from './config';
import { FaultLedger, type AwsFaultKind } from './counts';
import { seededRandom } from './random';

export type InvocationFault =
  | { kind: 'none' }
  /** Fail the stream batch without running the function. */
  | { kind: 'stream' }
  /** Run the function on `payload` (the first records of the batch), then fail the invocation. */
  | { kind: 'crash'; payload: unknown; ran: number; of: number };

const MIX: readonly AwsFaultKind[] = ['throttle', 'throttle', 'error', 'error-after'];
const BATCH_MIX: readonly AwsFaultKind[] = [...MIX, 'partial'];
/** Sticky calls remembered for their retries; the SDK retries within seconds, so a few thousand do. */
const MAX_STICKY_CALLS = 10_000;

/** What the proxy knows of an attempt: the SDK's id of its call, and which attempt it is. */
export interface Attempt {
  invocationId?: string;
  attempt: number;
}

export class FaultPlan {
  readonly ledger = new FaultLedger();
  private current: FaultRates;
  private readonly randoms = new Map<string, () => number>();
  private readonly sticky = new Map<string, AwsFaultKind>();

  constructor(private readonly config: FaultConfig) {
    this.current = {
      aws: { ...config.aws },
      crash: config.crash,
      stream: config.stream,
      sticky: config.sticky,
    };
  }

  get seed(): number {
    return this.config.seed;
  }

  get rates(): FaultRates {
    return { ...this.current, aws: { ...this.current.aws } };
  }

  set(change: FaultOptions): FaultRates {
    this.current = changeRates(this.current, change);
    return this.rates;
  }

  random(name: string): () => number {
    let random = this.randoms.get(name);
    if (!random) this.randoms.set(name, (random = seededRandom(this.config.seed, name)));
    return random;
  }

  /** Whether this attempt fails, and how; `byEntry`: the call is a batch that can fail entry by entry. */
  awsFault(
    service: FaultyService,
    byEntry: boolean,
    attempt: Attempt = { attempt: 1 },
  ): AwsFaultKind | undefined {
    const random = this.random(service);
    const key = attempt.invocationId === undefined ? undefined : `${service} ${attempt.invocationId}`;
    const stuck = key === undefined ? undefined : this.sticky.get(key);
    if (stuck && attempt.attempt > 1) return stuck === 'error-after' ? 'error' : stuck;
    if (random() >= this.current.aws[service]) return undefined;
    const mix = byEntry ? BATCH_MIX : MIX;
    const kind = mix[Math.floor(random() * mix.length)]!;
    // A batch failed by entry is answered 200: the SDK does not retry it, so there is nothing to stick to.
    if (key && kind !== 'partial' && this.current.sticky > 0 && random() < this.current.sticky) {
      this.sticky.set(key, kind);
      if (this.sticky.size > MAX_STICKY_CALLS) this.sticky.delete(this.sticky.keys().next().value!);
    }
    return kind;
  }

  /** Whether an invocation by an event source fails: streams first (before running), then crashes. */
  invocationFault(functionName: string, payload: unknown): InvocationFault {
    const random = this.random('invocations');
    const records = (payload as { Records?: unknown[] } | undefined)?.Records;
    const isStream =
      Array.isArray(records) &&
      (records[0] as { eventSource?: string } | undefined)?.eventSource === 'aws:dynamodb';
    if (isStream && random() < this.current.stream) {
      this.ledger.invoked(functionName, 'stream');
      return { kind: 'stream' };
    }
    if (random() < this.current.crash) {
      this.ledger.invoked(functionName, 'crash');
      if (!Array.isArray(records) || records.length === 0) return { kind: 'crash', payload, ran: 1, of: 1 };
      // The runtime died part-way: the first `ran` records had their side effects, the rest none.
      const ran = 1 + Math.floor(random() * records.length);
      return {
        kind: 'crash',
        payload: { ...(payload as object), Records: records.slice(0, ran) },
        ran,
        of: records.length,
      };
    }
    this.ledger.invoked(functionName);
    return { kind: 'none' };
  }
}
