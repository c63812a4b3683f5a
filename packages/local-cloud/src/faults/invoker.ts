/**
 * Invocations by event sources (SQS, DynamoDB streams, S3 notifications, bus targets) that fail as
 * Lambda's do when the runtime dies: a crash runs the function on the first records of its batch and
 * then reports the invocation failed, the worst case for duplicates (side effects made, nothing
 * acknowledged), so the event source retries the whole batch as Lambda would; a stream batch failure
 * fails before the function runs. Asynchronous invocations (S3) go through `invoke` too, so each of
 * their attempts may crash and be retried on Lambda's schedule.
 */
import { OfflineInvoker, type AsyncRetry } from '../invoker';
import { FunctionError } from '../types';
import type { FaultPlan } from './plan';

export class FaultInjectingInvoker extends OfflineInvoker {
  constructor(
    private readonly plan: FaultPlan,
    endpoints: ReadonlyMap<string, string>,
    log: (message: string) => void,
    retry?: AsyncRetry,
  ) {
    super(endpoints, log, retry);
  }

  override async invoke(functionName: string, payload: unknown): Promise<unknown> {
    const fault = this.plan.invocationFault(functionName, payload);
    if (fault.kind === 'none') return super.invoke(functionName, payload);
    if (fault.kind === 'stream') {
      throw new FunctionError(
        functionName,
        'Runtime.InitError',
        'injected: the batch failed before the function ran',
      );
    }
    // Whatever the partial run returned or threw, the runtime "died" before answering.
    await super.invoke(functionName, fault.payload).catch(() => undefined);
    throw new FunctionError(
      functionName,
      'Runtime.ExitError',
      `injected: the runtime exited after ${fault.ran} of ${fault.of} record(s)`,
    );
  }
}
