/**
 * The watchdog on a real local cloud of its own (the shared one must not lose a service under other
 * suites): ingest's serverless-offline process group is killed with SIGKILL, as the kernel does when
 * memory runs out. A request right after is answered by the front with a 503 problem (not a refused
 * connection), the local cloud's log callback reports the exit (service, signal, log file), and once
 * the watchdog has started ingest again, requests are accepted again and the log file kept what it
 * had before the crash.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SERVICES, startLocalCloud, templatePath, type LocalCloud } from '@herald/local-cloud';

let cloud: LocalCloud | undefined;
const lines: string[] = [];

beforeAll(async () => {
  // Other suites package services while this one starts, and `serverless package` empties the
  // service's .serverless/ first: wait for the templates rather than fail.
  await until(
    'the packaged templates',
    () => (SERVICES.every((service) => existsSync(templatePath(service))) ? true : undefined),
    180_000,
  );
  cloud = await startLocalCloud({
    ports: 'auto',
    // Jest's global setup packaged the services moments ago.
    reusePackages: true,
    logDir: '.local-cloud/watchdog-test-logs',
    log: (line) => lines.push(line),
  });
}, 480_000);

afterAll(() => cloud?.stop(), 120_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

describe('the watchdog on the local cloud', () => {
  test('ingest killed: 503 problem at once, the exit reported, requests accepted again after the restart', async () => {
    const { endpoints, identity } = cloud!;
    const token = await identity.issueToken({ tenant: 'watchdog', scopes: ['events:write'] });
    const post = (id: string) =>
      fetch(`${endpoints.services.ingest}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ id, type: 'order.created', data: { total: 1 } }),
      });

    expect((await post(`wd-before-${Date.now()}`)).status).toBe(202);
    const before = cloud!.status().ingest;
    expect(before).toMatchObject({ state: 'running', restarts: 0 });
    const pid = before.pid!;
    const logFile = before.logFile;
    const logBefore = readFileSync(logFile, 'utf8');
    expect(logBefore).toContain('Server ready');

    // The whole group, as serverless-offline is started: its own process group.
    process.kill(-pid, 'SIGKILL');

    // Right after: the front answers (whatever it knows yet), never a refused connection.
    const first = await post(`wd-during-${Date.now()}`);
    expect(first.status).toBe(503);
    expect(first.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await first.json()).toMatchObject({
      status: 503,
      service: 'ingest',
      detail: expect.stringMatching(/ingest/),
    });

    // The report, through the log callback: which service, why, where its log is.
    const report = await until(
      'the exit report',
      () => lines.find((line) => line.startsWith('ingest: serverless-offline') && line.includes('exited')),
      30_000,
    );
    expect(report).toContain(`(pid ${pid}) exited with signal SIGKILL`);
    expect(report).toContain(`Log: ${logFile}`);
    expect(report).toMatch(/Restarting in/);

    // While it restarts: the 503 says why and that it is restarting.
    // (A restart pauses a second, then serverless-offline takes seconds to start: still restarting.)
    expect(cloud!.status().ingest).toMatchObject({ state: 'restarting', pid: undefined });
    const during = await post(`wd-restarting-${Date.now()}`);
    expect(during.status).toBe(503);
    const problem = (await during.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ service: 'ingest', signal: 'SIGKILL', restarting: true });
    expect(problem.detail).toMatch(
      /ingest's serverless-offline process exited \(signal SIGKILL\).*restarting/,
    );

    // Back: a new process, requests accepted again, reported, the log appended to.
    await until(
      'ingest running again',
      () => (cloud!.status().ingest.state === 'running' ? true : undefined),
      300_000,
    );
    const after = cloud!.status().ingest;
    expect(after.restarts).toBe(1);
    expect(after.pid).not.toBe(pid);
    expect(after.lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
    expect((await post(`wd-after-${Date.now()}`)).status).toBe(202);
    expect(
      lines.some((line) => /^ingest: serverless-offline is back \(pid \d+, .*restart 1\)/.test(line)),
    ).toBe(true);
    const logAfter = readFileSync(logFile, 'utf8');
    expect(logAfter.startsWith(logBefore)).toBe(true);
    expect(logAfter).toMatch(/--- .* restarted by the local cloud after signal SIGKILL ---/);
    // The other services never noticed.
    expect(cloud!.status().processing).toMatchObject({ state: 'running', restarts: 0 });
    expect(cloud!.status().notifications).toMatchObject({ state: 'running', restarts: 0 });
  }, 600_000);
});
