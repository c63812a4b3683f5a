/**
 * Invocations by event sources (SQS, DynamoDB streams, S3 notifications, bus targets) that fail as
 * Lambda's do when the runtime dies: a crash runs the function on the first records of its batch and
 * then reports the invocation failed, the worst case for duplicates (side effects made, nothing
 * acknowledged), so the event source retries the whole batch as Lambda would; a stream batch failure
 * fails before the function runs. Asynchronous invocations (S3) go through `invoke` too, so each of
 * their attempts may crash and be retried on Lambda's schedule.
 */
import { AsyncInvocations, type AsyncRetry } from '../runtime/async-invocations';
import { FunctionError, type FunctionInvoker } from '../types';
import type { FaultPlan } from './plan';

/** Wraps the invoker that runs the functions (the local runtime). */
export class FaultInjectingInvoker implements FunctionInvoker {
  private readonly asyncInvocations: AsyncInvocations;

  constructor(
    private readonly plan: FaultPlan,
    private readonly inner: FunctionInvoker,
    log: (message: string) => void,
    retry?: AsyncRetry,
  ) {
    // Lambda's retries of an asynchronous invocation go through the faults too, each on its own.
    this.asyncInvocations = new AsyncInvocations((name, payload) => this.invoke(name, payload), log, retry);
  }

  async invoke(functionName: string, payload: unknown): Promise<unknown> {
    const fault = this.plan.invocationFault(functionName, payload);
    if (fault.kind === 'none') return this.inner.invoke(functionName, payload);
    if (fault.kind === 'stream') {
      throw new FunctionError(
        functionName,
        'Runtime.InitError',
        'injected: the batch failed before the function ran',
      );
    }
    // Whatever the partial run returned or threw, the runtime "died" before answering.
    await this.inner.invoke(functionName, fault.payload).catch(() => undefined);
    throw new FunctionError(
      functionName,
      'Runtime.ExitError',
      `injected: the runtime exited after ${fault.ran} of ${fault.of} record(s)`,
    );
  }

  async invokeAsync(functionName: string, payload: unknown): Promise<void> {
    this.asyncInvocations.start(functionName, payload);
  }

  /** Resolves when no asynchronous invocation is pending. */
  drained(): Promise<void> {
    return this.asyncInvocations.drained();
  }
}
