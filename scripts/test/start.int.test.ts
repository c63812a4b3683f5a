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

interface Process {
  pid: number;
  ppid: number;
  args: string;
}

const processes = (): Process[] =>
  execSync('ps -eo pid=,ppid=,args=', { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [pid, ppid, ...args] = line.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), args: args.join(' ') };
    });

/**
 * The processes `root` started that the local cloud runs: serverless-offline and DynamoDB Local.
 * Found by descent from `root`, not by name alone: other local clouds may be starting and stopping on
 * the same machine meanwhile (another test run), and theirs are not this one's to stop.
 */
const localCloudProcesses = (root: number): number[] => {
  const all = processes();
  const descendants = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const { pid, ppid } of all) {
      if (descendants.has(ppid) && !descendants.has(pid)) {
        descendants.add(pid);
        grew = true;
      }
    }
  }
  return all
    .filter(
      ({ pid, args }) => descendants.has(pid) && /serverless offline start|DynamoDBLocal\.jar/.test(args),
    )
    .map(({ pid }) => pid);
};

const alive = (pids: readonly number[]): number[] => {
  const running = new Set(processes().map(({ pid }) => pid));
  return pids.filter((pid) => running.has(pid));
};

describe('npm start', () => {
  test('comes up with a banner and stops on SIGINT, leaving no process and no busy port', async () => {
    const child = start({ HERALD_PORTS: 'auto' });
    const text = output(child);
    const done = exited(child);
    try {
      // However long a loaded machine takes: only the test's own timeout bounds it.
      while (!text().includes('Ctrl-C stops everything')) {
        if (child.exitCode !== null) throw new Error(`npm start exited early:\n${text()}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(text()).toMatch(/Herald is running locally \(ready in [\d.]+ s\)/);
      expect(text()).toMatch(/export HERALD_TOKEN=ey/);
      const ports = [...text().matchAll(/(?:localhost|127\.0\.0\.1):(\d+)/g)].map((m) => Number(m[1]));
      expect(new Set(ports).size).toBeGreaterThanOrEqual(8);
      const started = localCloudProcesses(child.pid!);
      expect(started.length).toBeGreaterThanOrEqual(4); // three serverless-offline, one DynamoDB Local

      child.kill('SIGINT');
      expect(await done).toBe(0);
      expect(text()).toContain('stopped');
      expect(alive(started)).toEqual([]);
      for (const port of new Set(ports)) await assertPortFree(port, { purpose: 'test', setting: 'test' });
    } finally {
      // A failed expectation must not leave npm start (and its local cloud) running: Jest would wait on it.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        await done;
      }
    }
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
