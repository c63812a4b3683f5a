// Invocation faults in front of the invoker that runs the functions: a crash runs the function on the
// first records of its batch and then fails as a dead runtime does; a stream batch failure never
// reaches the function. The runtime here is a stand-in that records what it was given and answers it back.
import { describe, expect, test } from '@jest/globals';
import { parseFaults, type FaultOptions } from '../../src/faults/config';
import { FaultInjectingInvoker } from '../../src/faults/invoker';
import { FaultPlan } from '../../src/faults/plan';
import { FunctionError, type FunctionInvoker } from '../../src/types';

/** Each invocation's payload, as the function received it. */
const received: Array<{ Records?: unknown[] }> = [];
const runtime: FunctionInvoker = {
  async invoke(_name, payload) {
    const records = payload as { Records?: unknown[] };
    received.push(records);
    return { handled: records.Records?.length ?? 0 };
  },
  async invokeAsync() {
    throw new Error('the fault invoker makes asynchronous invocations itself');
  },
};

function invokerWith(faults: FaultOptions) {
  const plan = new FaultPlan(parseFaults(faults)!);
  const invoker = new FaultInjectingInvoker(plan, runtime, () => undefined, { delaysMs: [] });
  return { plan, invoker };
}

const sqsBatch = (n: number) => ({
  Records: Array.from({ length: n }, (_, i) => ({ messageId: `m${i}`, eventSource: 'aws:sqs' })),
});
const streamBatch = (n: number) => ({
  Records: Array.from({ length: n }, (_, i) => ({ eventID: `r${i}`, eventSource: 'aws:dynamodb' })),
});

describe('invocation faults', () => {
  test('without faults the function runs on the whole batch and its answer comes back', async () => {
    const { plan, invoker } = invokerWith('crash=0');
    received.length = 0;
    await expect(invoker.invoke('fn', sqsBatch(4))).resolves.toEqual({ handled: 4 });
    expect(received).toHaveLength(1);
    expect(plan.ledger.snapshot().functions).toEqual({
      fn: { invocations: 1, crashes: 0, streamFailures: 0 },
    });
  });

  test('a crash runs the function on the first records, then fails the invocation as a dead runtime', async () => {
    const { plan, invoker } = invokerWith('crash=1,seed=3');
    received.length = 0;
    const runs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const error = await invoker.invoke('fn', sqsBatch(10)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FunctionError);
      expect(error).toMatchObject({ errorType: 'Runtime.ExitError' });
      const records = received.at(-1)!.Records!;
      expect(records).toEqual(sqsBatch(10).Records.slice(0, records.length));
      runs.push(records.length);
    }
    // Anywhere from one record to the whole batch: some side effects, never none.
    expect(Math.min(...runs)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...runs)).toBe(10);
    expect(new Set(runs).size).toBeGreaterThan(3);
    expect(plan.ledger.snapshot().functions.fn).toEqual({ invocations: 20, crashes: 20, streamFailures: 0 });
  });

  test('a stream batch failure never reaches the function; other batches are not stream batches', async () => {
    const { plan, invoker } = invokerWith('stream=1');
    received.length = 0;
    await expect(invoker.invoke('fn', streamBatch(3))).rejects.toMatchObject({
      name: 'FunctionError',
      errorType: 'Runtime.InitError',
    });
    expect(received).toHaveLength(0);
    await expect(invoker.invoke('fn', sqsBatch(3))).resolves.toEqual({ handled: 3 });
    expect(plan.ledger.snapshot().functions.fn).toEqual({ invocations: 2, crashes: 0, streamFailures: 1 });
  });

  test('asynchronous invocations crash too, each attempt on its own', async () => {
    const { plan, invoker } = invokerWith('crash=1');
    received.length = 0;
    await invoker.invokeAsync('fn', { Records: [{ eventSource: 'aws:s3' }] });
    await invoker.drained();
    expect(received).toHaveLength(1);
    expect(plan.ledger.snapshot().functions.fn?.crashes).toBe(1);
  });

  test('rates change at run time', async () => {
    const { plan, invoker } = invokerWith('crash=1');
    plan.set({ crash: 0 });
    await expect(invoker.invoke('fn', sqsBatch(1))).resolves.toEqual({ handled: 1 });
    expect(plan.rates.crash).toBe(0);
  });
});
