// The local runtime on tiny handler modules (fixture/src/handlers.mjs), in real worker threads:
// results, errors, timeouts, crashes, each function's own environment, warm reuse, one invocation per
// container at a time, idle reaping and asynchronous retries.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import { LocalRuntime, type RuntimeFunction } from '../../src/runtime/runtime';
import { FunctionError } from '../../src/types';

const codeDir = join(import.meta.dirname, 'fixture');
const lines: string[] = [];
const runtimes: LocalRuntime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.stop()));
  lines.length = 0;
});

const fn = (name: string, handler: string, change: Partial<RuntimeFunction> = {}): RuntimeFunction => ({
  name,
  handler: `src/${handler}`,
  codeDir,
  timeout: 30,
  memorySize: 256,
  environment: { WHO: name, SHARED: 'as configured' },
  output: (line) => lines.push(line),
  ...change,
});

function runtime(functions: RuntimeFunction[], options: { idleMs?: number; retry?: number[] } = {}) {
  const started = new LocalRuntime(functions, {
    region: 'us-east-1',
    awsEnv: (name) => ({ AWS_ENDPOINT_URL_SQS: `http://sqs.for/${name}` }),
    functionArn: (name) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    log: (line) => lines.push(line),
    ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
    ...(options.retry === undefined ? {} : { retry: { delaysMs: options.retry } }),
  });
  runtimes.push(started);
  return started;
}

type Echo = {
  event: unknown;
  container: string;
  invocations: number;
  who: string;
  shared: string;
  endpoint: string;
  functionName: string;
  memory: string;
  contextName: string;
  requestId: string;
  remaining: number;
};

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('the local runtime', () => {
  test("a container's heap is the function's memory for the old generation and 12 MB for the young one", async () => {
    const local = runtime([fn('small', 'handlers.heap'), fn('large', 'handlers.heap', { memorySize: 1024 })]);
    // V8 counts the young generation in its limit; without a young limit of its own a container's
    // was 48 MB, whatever the function's memory.
    expect(await local.invoke('small', {})).toEqual({ limitMb: 256 + 12 });
    expect(await local.invoke('large', {})).toEqual({ limitMb: 1024 + 12 });
  }, 60_000);

  test('runs the handler and answers with its result, with Lambda’s context and environment', async () => {
    const local = runtime([fn('a', 'handlers.echo')]);
    const result = (await local.invoke('a', { hello: 'world' })) as Echo;
    expect(result).toMatchObject({
      event: { hello: 'world' },
      who: 'a',
      endpoint: 'http://sqs.for/a',
      functionName: 'a',
      memory: '256',
      contextName: 'a',
    });
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.remaining).toBeGreaterThan(0);
    expect(result.remaining).toBeLessThanOrEqual(30_000);
    // What the function writes goes to its output, line by line.
    expect(lines).toContain(JSON.stringify({ level: 'INFO', message: 'echo', fn: 'a' }));
  }, 60_000);

  test("with a log file, the containers' threads append the function's lines to it themselves, whole", async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'herald-runtime-log-')), 'service.log');
    const local = runtime([fn('c', 'handlers.chatty', { logFile })]);
    // Four containers at once, each writing its lines in pieces: none may cut into another's line.
    await Promise.all(Array.from({ length: 4 }, () => local.invoke('c', { lines: 50, pad: 3000 })));
    await failure(local.invoke('c', { lines: 1, pad: 1, exit: true }));
    const written = readFileSync(logFile, 'utf8').split('\n').slice(0, -1);
    const json = written.filter((line) => line.startsWith('{"line"'));
    expect(json).toHaveLength(201);
    for (const line of json) expect(JSON.parse(line)).toMatchObject({ pad: expect.any(String) });
    expect(written.filter((line) => line.includes('on stderr'))).toHaveLength(5);
    expect(written).toContain('last words');
    // None of it went through the host's output; the host's own notices still do.
    expect(lines.some((line) => line.includes('"line"') || line.includes('on stderr'))).toBe(false);
    expect(lines.some((line) => /^c RequestId: \S+ /.test(line) || /exit/i.test(line))).toBe(true);
  }, 60_000);

  test('callback-style handlers answer through the callback', async () => {
    const local = runtime([fn('cb', 'handlers.callback')]);
    await expect(local.invoke('cb', 1)).resolves.toEqual({ via: 'callback', event: 1 });
  }, 60_000);

  test('a thrown error fails the invocation with its type and message, and is logged as unhandled', async () => {
    const local = runtime([fn('f', 'handlers.fails')]);
    const error = await failure(local.invoke('f', {}));
    expect(error).toBeInstanceOf(FunctionError);
    expect(error).toMatchObject({
      errorType: 'TypeError',
      message: 'f failed: TypeError: not what I expected',
    });
    expect(lines.some((line) => /^f RequestId: \S+ Unhandled error: .*not what I expected/.test(line))).toBe(
      true,
    );
  }, 60_000);

  test('past its timeout an invocation fails as Lambda’s does and its container is ended', async () => {
    const local = runtime([fn('h', 'handlers.hangs', { timeout: 1 })]);
    const error = await failure(local.invoke('h', {}));
    expect(error).toMatchObject({
      errorType: 'Sandbox.Timedout',
      message: 'h failed: Sandbox.Timedout: Task timed out after 1.00 seconds',
    });
    expect(lines.some((line) => line.includes('Task timed out after 1.00 seconds'))).toBe(true);
    await eventually(() => local.stats().h === undefined);
  }, 60_000);

  test('a runtime that exits fails its invocation; the next one gets a new container', async () => {
    const local = runtime([fn('x', 'handlers.exits'), fn('e', 'handlers.echo')]);
    const error = await failure(local.invoke('x', {}));
    expect(error).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect((error as Error).message).toContain('exit status 3');
    expect(local.stats().x).toBeUndefined();
    await expect(failure(local.invoke('x', {}))).resolves.toMatchObject({ errorType: 'Runtime.ExitError' });
  }, 60_000);

  test('an unhandled rejection ends the container and fails the invocation', async () => {
    const local = runtime([fn('r', 'handlers.rejectsLater')]);
    const error = await failure(local.invoke('r', {}));
    expect(error).toMatchObject({ errorType: 'Runtime.UnhandledPromiseRejection' });
    expect((error as Error).message).toContain('nobody caught me');
    expect(local.stats().r).toBeUndefined();
  }, 60_000);

  test('a module that cannot load fails each invocation at init', async () => {
    const local = runtime([
      fn('b', 'broken.handler'),
      fn('m', 'missing.handler'),
      fn('n', 'handlers.nothing'),
    ]);
    await expect(failure(local.invoke('b', {}))).resolves.toMatchObject({
      errorType: 'Runtime.ImportModuleError',
    });
    await expect(failure(local.invoke('m', {}))).resolves.toMatchObject({
      errorType: 'Runtime.ImportModuleError',
    });
    await expect(failure(local.invoke('n', {}))).resolves.toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
    });
    await expect(local.invoke('unknown', {})).rejects.toThrow('No local function named unknown');
  }, 60_000);

  test('each function has its own environment, even running the same module', async () => {
    const local = runtime([fn('one', 'handlers.mutateEnv'), fn('two', 'handlers.echo')]);
    expect(await local.invoke('one', {})).toBe('changed by one');
    const two = (await local.invoke('two', {})) as Echo;
    expect(two).toMatchObject({ who: 'two', shared: 'as configured', endpoint: 'http://sqs.for/two' });
    // Nor does the host's environment leak in.
    expect(process.env.SHARED).toBeUndefined();
  }, 60_000);

  test('a warm container is reused: module state survives between invocations', async () => {
    const local = runtime([fn('w', 'handlers.echo')]);
    const results = [];
    for (let i = 0; i < 3; i++) results.push((await local.invoke('w', i)) as Echo);
    expect(results.map((r) => r.invocations)).toEqual([1, 2, 3]);
    expect(new Set(results.map((r) => r.container)).size).toBe(1);
    expect(local.stats()).toEqual({ w: { idle: 1, busy: 0 } });
  }, 60_000);

  test('concurrent invocations run in separate containers, one invocation each', async () => {
    const local = runtime([fn('s', 'handlers.slow')]);
    const running = [
      local.invoke('s', { ms: 1500 }),
      local.invoke('s', { ms: 1500 }),
      local.invoke('s', { ms: 1500 }),
    ];
    await eventually(() => local.stats().s?.busy === 3);
    const containers = (await Promise.all(running)) as Array<{ container: string }>;
    expect(new Set(containers.map((r) => r.container)).size).toBe(3);
    expect(local.stats()).toEqual({ s: { idle: 3, busy: 0 } });
    // Afterwards one at a time reuses one warm container.
    const again = (await local.invoke('s', { ms: 1 })) as { container: string };
    expect(containers.map((r) => r.container)).toContain(again.container);
  }, 60_000);

  test('idle containers are ended after the idle time', async () => {
    const local = runtime([fn('i', 'handlers.echo')], { idleMs: 300 });
    await local.invoke('i', {});
    await eventually(() => local.stats().i === undefined);
    // And a new one starts when needed, with fresh module state.
    expect(((await local.invoke('i', {})) as Echo).invocations).toBe(1);
  }, 60_000);

  test("counts each function's CPU time, a container ended as idle included", async () => {
    const local = runtime([fn('busy', 'handlers.spins'), fn('quiet', 'handlers.slow')], { idleMs: 300 });
    await local.invoke('busy', { ms: 400 });
    await local.invoke('quiet', { ms: 400 });
    const first = await local.cpuTime();
    // The spinning thread's 400 ms are its own CPU; the sleeping one used little besides loading.
    expect(first.busy).toBeGreaterThanOrEqual(400);
    expect(first.quiet!).toBeLessThan(first.busy! - 300);
    // Reaped as idle, its time stays counted, and a new container's adds to it.
    await eventually(() => local.stats().busy === undefined);
    expect((await local.cpuTime()).busy).toBeGreaterThanOrEqual(first.busy!);
    await local.invoke('busy', { ms: 300 });
    expect((await local.cpuTime()).busy).toBeGreaterThanOrEqual(first.busy! + 300);
  }, 60_000);

  test('an asynchronous invocation is retried on failure, then dropped and logged', async () => {
    const local = runtime([fn('f', 'handlers.fails'), fn('e', 'handlers.echo')], { retry: [10, 10] });
    await local.invokeAsync('f', {});
    await local.invokeAsync('e', {});
    await local.drained();
    expect(lines.filter((line) => line.includes('Unhandled error'))).toHaveLength(3);
    expect(lines).toContain(
      'asynchronous invocation of f dropped after 3 attempts: FunctionError: f failed: TypeError: not what I expected',
    );
    expect(lines.filter((line) => line.includes('"message":"echo"'))).toHaveLength(1);
  }, 60_000);

  test('stop() ends every container; invocations in flight fail', async () => {
    const local = runtime([fn('s', 'handlers.slow')]);
    const running = failure(local.invoke('s', { ms: 20_000 }));
    await eventually(() => local.stats().s?.busy === 1);
    await local.stop();
    await expect(running).resolves.toMatchObject({ errorType: 'Runtime.ExitError' });
    expect(local.stats()).toEqual({});
    await expect(local.invoke('s', { ms: 1 })).rejects.toThrow('stopped');
  }, 60_000);
});

async function eventually(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
