// What every poller shares: where it logs, how it is stopped, and a sleep that stopping cuts short.

/** Where the pollers report; `console` is one. */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A running event source. */
export interface EventSourceHandle {
  /** Stops polling and resolves once in-flight invocations have finished. */
  stop(): Promise<void>;
}

export const noopHandle: EventSourceHandle = { stop: async () => undefined };

/** Lambda keeps a disabled mapping but never polls it: true (and said once) when this one is disabled. */
export function isDisabled(mapping: { enabled: boolean }, name: string, log: Log): boolean {
  if (!mapping.enabled) log.info(`${name}: mapping disabled, not polling`);
  return !mapping.enabled;
}

/** Resolves after `ms`, or at once when `signal` aborts, so a stopping poller never waits out a backoff. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The region part of an ARN (`arn:aws:sqs:us-east-1:…`). */
export const regionFromArn = (arn: string): string | undefined => arn.split(':')[3] || undefined;
