// The watchdog over a stand-in for serverless-offline (an HTTP server on the port the watchdog chose,
// whose "exit" the test decides): an exit is reported at once with its cause and log, the front answers
// 503 meanwhile, the process is started again with the same options and its log appended to, and a
// crash loop backs off (each pause twice the last, up to the maximum), every failure reported.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, test } from '@jest/globals';
import type { OfflineExit, OfflineOptions, OfflineService } from '../src/functions';
import { startHttpFront, type HttpFront } from '../src/http-front';
import { describeExit, exitHint, superviseOffline, type SupervisedService } from '../src/watchdog';

interface StandIn {
  options: OfflineOptions;
  service: OfflineService;
  server: Server;
  exit(exit: OfflineExit, tail?: string): void;
}

const OOM =
  'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n' +
  ' 1: 0xb8cf03 node::Abort() [node]';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** startOffline's stand-in: each start is an HTTP server answering with its start number. */
function standIns(failures: () => boolean = () => false) {
  const started: StandIn[] = [];
  let nextPid = 1000;
  const start = async (options: OfflineOptions): Promise<OfflineService> => {
    if (failures())
      throw new Error(`serverless-offline for ${options.service} exited (code 1). Its output:\n…`);
    const n = started.length + 1;
    const server = createServer((_, res) => res.end(`start ${n}`));
    await new Promise<void>((resolve) => server.listen(options.httpPort, '127.0.0.1', resolve));
    let exit!: (value: OfflineExit) => void;
    const exited = new Promise<OfflineExit>((resolve) => (exit = resolve));
    let tail = 'Server ready: http://localhost';
    const close = () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    const service: OfflineService = {
      name: options.service,
      httpPort: options.httpPort,
      lambdaPort: options.lambdaPort,
      logFile: `${options.logDir}/${options.service}.log`,
      pid: nextPid++,
      exited,
      outputTail: () => tail,
      manifest: { service: options.service, region: 'us-east-1', functions: [] },
      stop: async () => {
        await close();
        exit({ code: null, signal: 'SIGTERM' });
      },
    };
    started.push({
      options,
      service,
      server,
      exit: (value, lastWords) => {
        if (lastWords) tail += `\n${lastWords}`;
        void close().then(() => exit(value));
      },
    });
    return service;
  };
  return { started, start };
}

async function supervise(
  start: (options: OfflineOptions) => Promise<OfflineService>,
  backoff = { initialMs: 100, maxMs: 400, stableMs: 60_000 },
) {
  const front: HttpFront = await startHttpFront({
    service: 'ingest',
    port: 'auto',
    use: { purpose: 'test', setting: 'TEST' },
  });
  cleanups.push(() => front.stop());
  const lines: string[] = [];
  const supervised: SupervisedService = await superviseOffline({
    offline: {
      root: '/repo',
      service: 'ingest',
      lambdaPort: 4002,
      params: { authIssuer: 'http://localhost:4100' },
      env: { AWS_REGION: 'us-east-1' },
      logDir: '/logs',
      http: true,
    },
    front,
    log: (line) => lines.push(line),
    backoff,
    start,
  });
  cleanups.push(() => supervised.stop());
  return { front, lines, supervised, url: `http://127.0.0.1:${front.port}/v1/events` };
}

const until = async (what: string, check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!check()) throw new Error(`never: ${what}`);
};

describe('the watchdog', () => {
  test('reports an exit at once, answers 503 meanwhile, restarts with the same options and reports it back', async () => {
    const { started, start } = standIns();
    const { lines, supervised, url } = await supervise(start, {
      initialMs: 1_500,
      maxMs: 30_000,
      stableMs: 60_000,
    });
    expect(supervised.status()).toMatchObject({ state: 'running', pid: 1000, restarts: 0 });
    expect(await (await fetch(url)).text()).toBe('start 1');

    started[0]!.exit({ code: 134, signal: null }, OOM);
    await until('the exit is reported', () => lines.length > 0);
    expect(lines[0]).toMatch(/^ingest: serverless-offline \(pid 1000\) exited with exit code 134/);
    expect(lines[0]).toContain('JavaScript heap out of memory');
    expect(lines[0]).toContain('NODE_OPTIONS=--max-old-space-size');
    expect(lines[0]).toContain('Log: /logs/ingest.log');
    expect(lines[0]).toContain('Restarting in 1.5 s');
    expect(supervised.status()).toMatchObject({ state: 'restarting', pid: undefined, restarts: 0 });
    expect(supervised.status().lastExit).toMatchObject({ code: 134, signal: null });

    const response = await fetch(url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ service: 'ingest', exitCode: 134, restarting: true });
    expect(problem.detail).toMatch(
      /ingest's serverless-offline process exited \(exit code 134\).*restarting/,
    );

    await until('it is back', () => supervised.status().state === 'running');
    expect(supervised.status()).toMatchObject({ state: 'running', pid: 1001, restarts: 1 });
    expect(lines[1]).toMatch(/^ingest: serverless-offline is back \(pid 1001, .*restart 1\)/);
    expect(await (await fetch(url)).text()).toBe('start 2');
    // The same options, on a new internal port, the log appended to after a note.
    const [first, second] = started.map((s) => s.options);
    const { httpPort: _1, signal: _2, restartNote: _3, ...same } = first!;
    expect(second).toMatchObject(same);
    expect(first!.restartNote).toBeUndefined();
    expect(second!.restartNote).toMatch(/^--- .* restarted by the local cloud after exit code 134 ---$/);
  });

  test('a crash loop backs off, doubling each pause up to the maximum, and reports each failure', async () => {
    let failing = 0;
    const { started, start } = standIns(() => failing-- > 0);
    const { lines, supervised, url } = await supervise(start);

    failing = 3;
    const crashed = Date.now();
    started[0]!.exit({ code: null, signal: 'SIGKILL' });
    await until('it is back', () => supervised.status().restarts === 1);
    const elapsed = Date.now() - crashed;

    expect(lines[0]).toMatch(/exited with signal SIGKILL\. Log: \/logs\/ingest\.log\. Restarting in 0\.1 s/);
    expect(lines[0]).not.toContain('heap');
    expect(lines.slice(1, 4)).toEqual([
      expect.stringMatching(
        /failed to start again \(serverless-offline for ingest exited \(code 1\)\. Its output:\).*2 failures in a row: backing off, next try in 0\.2 s/,
      ),
      expect.stringMatching(/3 failures in a row: backing off, next try in 0\.4 s/),
      expect.stringMatching(/4 failures in a row: backing off, next try in 0\.4 s/),
    ]);
    expect(lines[4]).toMatch(/is back \(pid 1001, .*restart 1\)/);
    // Paused 0.1 + 0.2 + 0.4 + 0.4 s at least.
    expect(elapsed).toBeGreaterThanOrEqual(1_100);
    expect(await (await fetch(url)).text()).toBe('start 2');

    // Dying again soon after that start is the loop going on: the pause keeps growing.
    started[1]!.exit({ code: 1, signal: null });
    await until('the second crash is reported', () => lines.length > 5);
    expect(lines[5]).toMatch(
      /crashed 5 times in a row within 60 s of starting: backing off, restarting in 0\.4 s/,
    );
  });

  test('a process that stayed up past the stable time starts the back-off over', async () => {
    const { started, start } = standIns();
    const { lines, supervised } = await supervise(start, { initialMs: 100, maxMs: 400, stableMs: 300 });
    started[0]!.exit({ code: 1, signal: null });
    await until('back once', () => supervised.status().restarts === 1);
    started[1]!.exit({ code: 1, signal: null });
    await until('back twice', () => supervised.status().restarts === 2);
    expect(lines[2]).toMatch(/crashed 2 times in a row.*restarting in 0\.2 s/);
    await new Promise((resolve) => setTimeout(resolve, 400));
    started[2]!.exit({ code: 1, signal: null });
    await until('reported', () => lines.length > 4);
    expect(lines[4]).toMatch(/Restarting in 0\.1 s/);
  });

  test('stopping during the pause before a restart: nothing is started again', async () => {
    const { started, start } = standIns();
    const { lines, supervised } = await supervise(start, {
      initialMs: 1_000,
      maxMs: 1_000,
      stableMs: 60_000,
    });
    started[0]!.exit({ code: 1, signal: null });
    await until('the exit is reported', () => lines.length > 0);
    await supervised.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(started).toHaveLength(1);
    expect(lines).toHaveLength(1);
    expect(supervised.status()).toMatchObject({ state: 'stopped', restarts: 0 });
  });

  test('stopping ends the process and nothing is reported or restarted after', async () => {
    const { started, start } = standIns();
    const { front, lines, supervised, url } = await supervise(start);
    await supervised.stop();
    expect(supervised.status()).toMatchObject({ state: 'stopped', pid: undefined });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(started).toHaveLength(1);
    expect(lines).toEqual([]);
    const response = await fetch(url);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/stopping/);
    await front.stop();
  });

  test('a reload starts a second process beside the first, moves the front to it, then stops the first: no crash reported', async () => {
    const { started, start } = standIns();
    const { lines, supervised, url } = await supervise(start);
    expect(await (await fetch(url)).text()).toBe('start 1');

    await supervised.reload('sources changed');
    expect(started).toHaveLength(2);
    expect(await (await fetch(url)).text()).toBe('start 2');
    expect(started[0]!.server.listening).toBe(false);
    // A Lambda API port of its own: the old process held the first until the new one was up.
    expect(started[1]!.options.lambdaPort).not.toBe(started[0]!.options.lambdaPort);
    expect(started[1]!.options.restartNote).toMatch(/reloaded by the local cloud: sources changed/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(started).toHaveLength(2);
    expect(lines).toEqual([
      expect.stringMatching(/^ingest: serverless-offline reloaded \(sources changed; pid 1001/),
    ]);
    expect(supervised.status()).toMatchObject({ state: 'running', pid: 1001, restarts: 0 });

    // The new process is watched as the first was.
    started[1]!.exit({ code: 1, signal: null });
    await until('the exit is reported', () => lines.length > 1);
    expect(lines[1]).toMatch(/^ingest: serverless-offline \(pid 1001\) exited with exit code 1/);
  });

  test('a reload whose new process cannot start leaves the old one serving', async () => {
    let fail = false;
    const { started, start } = standIns(() => fail);
    const { supervised, url } = await supervise(start);
    fail = true;
    await expect(supervised.reload('sources changed')).rejects.toThrow(/exited \(code 1\)/);
    expect(started).toHaveLength(1);
    expect(await (await fetch(url)).text()).toBe('start 1');
    expect(supervised.status()).toMatchObject({ state: 'running', pid: 1000 });
  });
});

describe('what an exit says', () => {
  test('a start whose port another process took meanwhile is tried again on a fresh port', async () => {
    const { started, start } = standIns();
    const tried: OfflineOptions[] = [];
    const { lines, supervised } = await supervise(async (options) => {
      tried.push(options);
      if (tried.length === 1)
        throw new Error(
          `serverless-offline for ingest exited (code 1). Its output:\n× Unexpected error while starting serverless-offline lambda server on port ${options.lambdaPort}: { Error: listen EADDRINUSE: address already in use 127.0.0.1:${options.lambdaPort}`,
        );
      return start(options);
    });
    expect(tried).toHaveLength(2);
    expect(tried[0]!.lambdaPort).toBe(4002);
    expect(tried[1]!.lambdaPort).not.toBe(4002);
    expect(supervised.status()).toMatchObject({ state: 'running', lambdaPort: tried[1]!.lambdaPort });
    expect(started).toHaveLength(1);
    expect(lines.join('\n')).toContain('a port was taken');
  });

  test('any other failure of a first start fails it at once', async () => {
    const attempts: number[] = [];
    await expect(
      supervise(async (options) => {
        attempts.push(options.httpPort);
        throw new Error('serverless-offline for ingest exited (code 1). Its output:\nSyntaxError');
      }),
    ).rejects.toThrow('SyntaxError');
    expect(attempts).toHaveLength(1);
  });

  test('exit code or signal', () => {
    expect(describeExit({ code: 134, signal: null })).toBe('exit code 134');
    expect(describeExit({ code: null, signal: 'SIGKILL' })).toBe('signal SIGKILL');
  });

  test('a hint only when the log says the heap ran out', () => {
    expect(exitHint(OOM)).toMatch(/heap/);
    expect(exitHint('Error: listen EADDRINUSE')).toBeUndefined();
  });
});
