import { createHmac, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { processTree } from '../bench/lib/process-tree';
import { startBenchReceiver, type BenchReceiver } from '../bench/lib/receiver';

const secretBytes = randomBytes(32);
const secret = `whsec_${secretBytes.toString('base64')}`;

/** A webhook signed as Standard Webhooks says (and as Herald's deliver function signs). */
function signed(id: string, key: Buffer = secretBytes) {
  const body = JSON.stringify({ id, type: 'bench.test', timestamp: new Date().toISOString(), data: {} });
  const messageId = `msg_${id}`;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': messageId,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signature}`,
    },
  };
}

const send = (url: string, request: { body: string; headers: Record<string, string> }) =>
  fetch(url, { method: 'POST', ...request });

describe("the benchmarks' webhook receiver", () => {
  let receiver: BenchReceiver;
  beforeAll(async () => {
    receiver = await startBenchReceiver();
  });
  afterAll(() => receiver.stop());

  it('notes the first arrival of each event, verified with the endpoint secret, and counts repeats', async () => {
    const endpoint = receiver.endpoint('verified');
    endpoint.setSecrets([secret]);
    const before = performance.now();
    expect((await send(endpoint.url, signed('evt-1'))).status).toBe(200);
    expect((await send(endpoint.url, signed('evt-1'))).status).toBe(200);
    expect(endpoint.arrivals.get('evt-1')).toEqual({ at: expect.any(Number), verified: true });
    expect(endpoint.arrivals.get('evt-1')!.at).toBeGreaterThanOrEqual(before);
    expect(endpoint.duplicates).toBe(1);
    expect(endpoint.unverified).toBe(0);
  });

  it('counts a webhook signed with another secret as unverified', async () => {
    const endpoint = receiver.endpoint('foreign');
    endpoint.setSecrets([secret]);
    await send(endpoint.url, signed('evt-2', randomBytes(32)));
    expect(endpoint.arrivals.get('evt-2')?.verified).toBe(false);
    expect(endpoint.unverified).toBe(1);
  });

  it('answers 404 for an endpoint no subscription was given', async () => {
    expect((await send(`${receiver.endpoint('known').url}-not`, signed('evt-3'))).status).toBe(404);
  });

  it('answers after the delay the endpoint was given', async () => {
    const endpoint = receiver.endpoint('slow');
    endpoint.setSecrets([secret]);
    endpoint.setDelayMs(300);
    const started = performance.now();
    await send(endpoint.url, signed('evt-4'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('waits for every id, or until nothing arrived for the quiet period', async () => {
    const endpoint = receiver.endpoint('waiting');
    endpoint.setSecrets([secret]);
    setTimeout(() => void send(endpoint.url, signed('late')), 300);
    await endpoint.waitFor(['late'], { quietMs: 60_000, timeoutMs: 60_000 });
    expect(endpoint.arrivals.has('late')).toBe(true);
    await endpoint.waitFor(['never'], { quietMs: 300, timeoutMs: 60_000 });
    expect(endpoint.arrivals.has('never')).toBe(false);
  });
});

describe('processTree', () => {
  it('lists this process and its children, with their memory', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const tree = processTree(process.pid);
      expect(tree[0]).toMatchObject({ pid: process.pid, rssMiB: expect.any(Number) });
      expect(tree.find((p) => p.pid === child.pid)).toMatchObject({ ppid: process.pid });
      expect(tree.some((p) => p.command.startsWith('ps '))).toBe(false);
    } finally {
      child.kill();
    }
  });

  it('counts pages that processes share once in their proportional memory, and in each RSS', async () => {
    // Two idle node processes share the node binary's code (tens of MiB), which each RSS counts whole.
    const children = [0, 1].map(() =>
      spawn(process.execPath, ['-e', 'console.log("up"); setTimeout(() => {}, 60000)'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    try {
      await Promise.all(
        children.map((child) => new Promise((resolve) => child.stdout!.once('data', resolve))),
      );
      const tree = processTree(process.pid);
      const [a, b] = children.map((child) => tree.find((p) => p.pid === child.pid)!);
      for (const p of [a!, b!]) {
        expect(p.pssMiB).toBeGreaterThan(1);
        expect(p.pssMiB).toBeLessThan(p.rssMiB);
      }
      expect(a!.rssMiB + b!.rssMiB - (a!.pssMiB + b!.pssMiB)).toBeGreaterThanOrEqual(10);
    } finally {
      for (const child of children) child.kill();
    }
  });

  (existsSync('/dev/shm') ? it : it.skip)(
    'counts the files on /dev/shm a process holds open as its memory (RSS leaves them out)',
    async () => {
      // 32 MiB written 1 MiB at a time, so that the writer's own memory stays small.
      const holder = (file: string) =>
        `const fs = require('node:fs'); const fd = fs.openSync(${JSON.stringify(file)}, 'w'); ` +
        `const chunk = Buffer.alloc(1 << 20, 1); for (let i = 0; i < 32; i++) fs.writeSync(fd, chunk); ` +
        `console.log('held'); setTimeout(() => {}, 60000)`;
      const file = join('/dev/shm', `herald-process-tree-test-${process.pid}`);
      const children = [holder(file), 'console.log("held"); setTimeout(() => {}, 60000)'].map((code) =>
        spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] }),
      );
      try {
        await Promise.all(
          children.map((child) => new Promise((resolve) => child.stdout!.once('data', resolve))),
        );
        const tree = processTree(process.pid);
        const [holding, bare] = children.map((child) => tree.find((p) => p.pid === child.pid)!.rssMiB);
        expect(holding! - bare!).toBeGreaterThanOrEqual(30);
      } finally {
        for (const child of children) child.kill();
        rmSync(file, { force: true });
      }
    },
  );

  it("counts each process's CPU time, its threads' included", async () => {
    // Busy for 400 ms of CPU, then idle until killed.
    const busy =
      'const end = process.cpuUsage().user + 400e3; while (process.cpuUsage().user < end); setTimeout(() => {}, 60000)';
    const child = spawn(process.execPath, ['-e', busy], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const before = processTree(process.pid).find((p) => p.pid === child.pid)!.cpuMs;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const after = processTree(process.pid).find((p) => p.pid === child.pid)!.cpuMs;
      expect(after).toBeGreaterThanOrEqual(400);
      expect(after - before).toBeGreaterThan(0);
    } finally {
      child.kill();
    }
  });
});
