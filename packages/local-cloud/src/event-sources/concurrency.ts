// How many batches an SQS mapping handles at once. In AWS, Lambda's pollers start at five concurrent batches
// and scale to 1,000 unless ScalingConfig.MaximumConcurrency (2 to 1,000) caps them ("Configuring scaling
// behavior for SQS event source mappings"). Locally every concurrent batch is a function instance (a worker, a
// warm container: tens of MB each) on a machine of a few cores, so the local cloud caps them too: the cap is
// the `localConcurrency` option of startLocalCloud or HERALD_LOCAL_CONCURRENCY, 3 by default. On 2 cores
// fewer batches at once did more: each batch was fuller (less work per event), fewer containers competed
// for the cores, and they held less memory (the capacity bench: 3 against 5, and 2, in the local cloud's
// README). Not lower: a webhook receiver that answers slowly holds a slot for its whole answer.

/** The batches one SQS mapping may process at once in AWS, with or without MaximumConcurrency. */
export const AWS_MAX_CONCURRENT_BATCHES = 1000;
/** The local cap when neither the option nor HERALD_LOCAL_CONCURRENCY sets one. */
export const DEFAULT_LOCAL_CONCURRENCY = 3;

export class LocalConcurrencyError extends Error {
  override readonly name = 'LocalConcurrencyError';
}

/**
 * The local cap from the option or the environment variable's text: a whole number from 1 (one batch at a
 * time per mapping) to 1,000 (AWS's own limit, above which nothing would change).
 */
export function localConcurrency(value: number | string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_LOCAL_CONCURRENCY;
  const number = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isInteger(number) || number < 1 || number > AWS_MAX_CONCURRENT_BATCHES)
    throw new LocalConcurrencyError(
      `HERALD_LOCAL_CONCURRENCY (or the localConcurrency option) must be a whole number from 1 to ${AWS_MAX_CONCURRENT_BATCHES}, not ${JSON.stringify(value)}`,
    );
  return number;
}

/** The batches a mapping handles at once: its MaximumConcurrency (AWS's 1,000 without one), within the local cap. */
export const mappingConcurrency = (maximumConcurrency: number | undefined, localCap: number): number =>
  Math.max(1, Math.min(maximumConcurrency ?? AWS_MAX_CONCURRENT_BATCHES, localCap));

/**
 * A counting semaphore for work in flight. A poller takes a slot before it receives, so it never holds
 * messages (invisible to everyone else) that no handler is free to take.
 */
export class Slots {
  #free: number;
  readonly #waiting: Array<() => void> = [];
  readonly #running = new Set<Promise<void>>();

  constructor(readonly size: number) {
    this.#free = size;
  }

  /** Takes a slot once one is free: true; false when `signal` aborts first (then nothing is taken). */
  take(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const handOver = () => {
        signal.removeEventListener('abort', abort);
        resolve(true);
      };
      const abort = () => {
        this.#waiting.splice(this.#waiting.indexOf(handOver), 1);
        resolve(false);
      };
      this.#waiting.push(handOver);
      signal.addEventListener('abort', abort, { once: true });
    });
  }

  /** Gives back a slot: to the first waiter, or to the pool. */
  give(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free++;
  }

  /** Runs `work` in a slot already taken, giving it back when the work settles (it must not reject). */
  run(work: () => Promise<void>): void {
    const running = work().finally(() => {
      this.#running.delete(running);
      this.give();
    });
    this.#running.add(running);
  }

  /** Resolves once all work run so far has settled. */
  async drained(): Promise<void> {
    await Promise.allSettled([...this.#running]);
  }
}
