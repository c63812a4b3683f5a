/**
 * Lambda's asynchronous invocation (InvocationType Event): accepted at once, run later, and retried
 * on failure on Lambda's schedule; a last failure is logged and dropped (no on-failure destination
 * or dead-letter queue is emulated).
 */

export interface AsyncRetry {
  /** Lambda retries a failed asynchronous invocation twice, after about 1 and 2 minutes. */
  delaysMs: number[];
}

export const LAMBDA_ASYNC_RETRY: AsyncRetry = { delaysMs: [60_000, 120_000] };

export class AsyncInvocations {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly invoke: (functionName: string, payload: unknown) => Promise<unknown>,
    private readonly log: (message: string) => void,
    private readonly retry: AsyncRetry = LAMBDA_ASYNC_RETRY,
  ) {}

  start(functionName: string, payload: unknown): void {
    const run = (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          await this.invoke(functionName, payload);
          return;
        } catch (error) {
          const delay = this.retry.delaysMs[attempt];
          if (delay === undefined) {
            this.log(
              `asynchronous invocation of ${functionName} dropped after ${attempt + 1} attempts: ${String(error)}`,
            );
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, delay).unref());
        }
      }
    })();
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  /** Resolves when no asynchronous invocation is pending. */
  async drained(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }
}
