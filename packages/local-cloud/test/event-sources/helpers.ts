// What the event-source tests share: an in-process function (our FunctionInvoker port, scriptable per test), a
// log that keeps its lines, and a poll-until helper for effects that arrive asynchronously.
import type { Log } from '../../src/event-sources/common';
import type { FunctionInvoker } from '../../src/types';

/** Time for startEmulators(): DynamoDB Local is a JVM, which takes seconds to start on a busy machine. */
export const EMULATORS_START_MS = 60_000;
/** Time for stopping the emulators and whatever a test file left running, on a busy machine. */
export const EMULATORS_STOP_MS = 30_000;
/** Time for one test against the emulators: each call may wait on a busy machine's JVM. */
export const EMULATOR_TEST_MS = 30_000;

export interface Invocation {
  functionName: string;
  payload: unknown;
  type: 'RequestResponse' | 'Event';
}

export type Handler = (payload: unknown, functionName: string) => unknown;

/** Records every invocation and runs `handler` for it; a handler that throws is a failed invocation. */
export class TestInvoker implements FunctionInvoker {
  readonly invocations: Invocation[] = [];
  handler: Handler = () => undefined;

  async invoke(functionName: string, payload: unknown): Promise<unknown> {
    this.invocations.push({ functionName, payload, type: 'RequestResponse' });
    return this.handler(payload, functionName);
  }

  async invokeAsync(functionName: string, payload: unknown): Promise<void> {
    this.invocations.push({ functionName, payload, type: 'Event' });
    await this.handler(payload, functionName);
  }

  /** The `Records` of every invocation of `functionName`, one array per invocation. */
  batches<T>(functionName: string): T[][] {
    return this.invocations
      .filter((invocation) => invocation.functionName === functionName)
      .map((invocation) => (invocation.payload as { Records: T[] }).Records);
  }
}

export class MemoryLog implements Log {
  readonly lines: string[] = [];
  info = (message: string) => void this.lines.push(`info: ${message}`);
  warn = (message: string) => void this.lines.push(`warn: ${message}`);
  error = (message: string) => void this.lines.push(`error: ${message}`);
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true; fails the test with `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

let counter = 0;
/** A name no other test in this run uses, so tests sharing an emulator never see each other's data. */
export const uniqueName = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

/**
 * Whether `work` settles before `otherMs` pass, where `otherMs` is how long what it must not wait for
 * would take (a long poll running its course, a pending retry's delay). An ordering between the two,
 * not a budget: on a slow machine both stretch, and a test using it allows more than `otherMs`.
 */
export async function settlesBefore(work: Promise<unknown>, otherMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const other = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), otherMs);
  });
  try {
    return await Promise.race([work.then(() => true), other]);
  } finally {
    clearTimeout(timer);
  }
}
