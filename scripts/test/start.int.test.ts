/**
 * `npm start` as a person runs it: it comes up, prints one banner, and Ctrl-C leaves no process and
 * no busy port behind. A busy port is refused up front with a message naming it.
 */
import { execSync, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { describe, expect, test } from '@jest/globals';
import { assertPortFree } from '@herald/local-cloud';

const start = (env: Record<string, string>) =>
  spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

function output(child: ReturnType<typeof start>) {
  let text = '';
  child.stdout.on('data', (chunk) => (text += chunk));
  child.stderr.on('data', (chunk) => (text += chunk));
  return () => text;
}

const exited = (child: ReturnType<typeof start>) =>
  new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

const childPids = (): Set<number> => {
  // Processes the local cloud starts: serverless-offline and DynamoDB Local.
  const out = execSync('ps -eo pid,args', { encoding: 'utf8' });
  return new Set(
    out
      .split('\n')
      .filter((line) => /serverless offline start|DynamoDBLocal\.jar/.test(line))
      .map((line) => Number(line.trim().split(/\s+/)[0])),
  );
};

describe('npm start', () => {
  test('comes up with a banner and stops on SIGINT, leaving no process and no busy port', async () => {
    const before = childPids();
    const child = start({ HERALD_PORTS: 'auto' });
    const text = output(child);
    const done = exited(child);
    // However long a loaded machine takes: only the test's own timeout bounds it.
    while (!text().includes('Ctrl-C stops everything')) {
      if (child.exitCode !== null) throw new Error(`npm start exited early:\n${text()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(text()).toMatch(/Herald is running locally \(ready in [\d.]+ s\)/);
    expect(text()).toMatch(/export TOKEN=ey/);
    const ports = [...text().matchAll(/(?:localhost|127\.0\.0\.1):(\d+)/g)].map((m) => Number(m[1]));
    expect(new Set(ports).size).toBeGreaterThanOrEqual(8);
    const started = [...childPids()].filter((pid) => !before.has(pid));
    expect(started.length).toBeGreaterThanOrEqual(4); // three serverless-offline, one DynamoDB Local

    child.kill('SIGINT');
    expect(await done).toBe(0);
    expect(text()).toContain('stopped');
    const left = [...childPids()].filter((pid) => started.includes(pid));
    expect(left).toEqual([]);
    for (const port of new Set(ports)) await assertPortFree(port, { purpose: 'test', setting: 'test' });
  }, 400_000);

  test('a busy port is refused with a message naming it and the setting to change', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const child = start({ HERALD_PORT_INGEST_HTTP: String(port) });
      const text = output(child);
      expect(await exited(child)).toBe(1);
      expect(text()).toContain(`Port ${port} (ingest HTTP API) is already in use`);
      expect(text()).toContain(`HERALD_PORT_INGEST_HTTP=<port>`);
    } finally {
      blocker.close();
    }
  }, 60_000);
});
