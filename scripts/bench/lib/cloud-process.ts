/**
 * The local cloud in a process of its own, as `npm start` runs it, for a benchmark that measures it
 * from outside: the bench's load client and webhook receiver then run on their own event loop, and
 * what the local cloud's main thread does (fronts, IAM gateways, emulators, pollers) is measured
 * apart from what the bench does to drive it. The child (cloud-host.ts) starts the cloud with
 * startBenchCloud and reports its endpoints; stop() (or this process ending) stops it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { LocalCloud } from '@herald/local-cloud';
import type { BenchCloudOptions } from './cloud';
import type { CloudAddress } from './herald';

/** The runtime's containers by function: how many idle, how many busy. */
export type RuntimeStats = ReturnType<LocalCloud['runtime']['stats']>;

/** What a bench reads of a local cloud running in another process. */
export interface CloudProcess extends CloudAddress {
  /** The child process's pid: the root of the local cloud's process tree. */
  pid: number;
  /** The runtime's function containers now, idle and busy, by function. */
  containers(): Promise<RuntimeStats>;
  /** Milliseconds of CPU the runtime's containers have used so far, by function. */
  functionCpu(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * The child's messages: one once the cloud is up (or failed to start), then answers to `containers`
 * and to `{ cpuTime: id }`.
 */
export type HostReport =
  | { ready: true; endpoints: LocalCloud['endpoints']; keyDir: string }
  | { ready: false; error: string }
  | { containers: RuntimeStats }
  | { cpuTime: Record<string, number>; id: number };

/**
 * `profileDir`: a V8 CPU profile of the local cloud's main thread, written there when it stops
 * (open it in Chrome's DevTools).
 */
export async function startCloudProcess(
  options: BenchCloudOptions & { profileDir?: string } = {},
): Promise<CloudProcess> {
  const { profileDir, ...cloudOptions } = options;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child: ChildProcess = fork(
    join(import.meta.dirname, 'cloud-host.ts'),
    [JSON.stringify(cloudOptions)],
    {
      execArgv: [...profile, '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // This process ending for any reason takes the cloud with it.
  const kill = () => child.kill('SIGTERM');
  process.once('exit', kill);
  const report = await new Promise<HostReport>((resolve) => {
    child.once('message', (message) => resolve(message as HostReport));
    child.once('exit', (code, signal) =>
      resolve({
        ready: false,
        error: `the local cloud's process exited (${code ?? signal}) before it was up`,
      }),
    );
  });
  if (!('ready' in report) || !report.ready) {
    kill();
    throw new Error('error' in report ? report.error : 'the local cloud did not say it was up');
  }
  // Answers come in the order asked (one IPC channel, one event loop on each side).
  const asked: Array<(stats: RuntimeStats) => void> = [];
  const cpuAsked = new Map<number, (cpuTime: Record<string, number>) => void>();
  let nextCpuQuestion = 0;
  child.on('message', (message: HostReport) => {
    if ('containers' in message) asked.shift()?.(message.containers);
    if ('cpuTime' in message) {
      cpuAsked.get(message.id)?.(message.cpuTime);
      cpuAsked.delete(message.id);
    }
  });
  return {
    endpoints: report.endpoints,
    identity: { keyDir: report.keyDir },
    pid: child.pid!,
    containers() {
      // Gone (stopped, or died): nothing to count.
      if (!child.connected) return Promise.resolve({});
      return new Promise((resolve) => {
        asked.push(resolve);
        child.send('containers');
      });
    },
    functionCpu() {
      if (!child.connected) return Promise.resolve({});
      const id = nextCpuQuestion++;
      return new Promise((resolve) => {
        cpuAsked.set(id, resolve);
        child.send({ cpuTime: id });
      });
    },
    async stop() {
      process.off('exit', kill);
      if (child.exitCode === null && child.signalCode === null) child.send('stop');
      await exited;
    },
  };
}
