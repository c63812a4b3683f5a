/**
 * The `herald` binary run as a user runs it (node_modules/.bin/herald, a child process), pointed at
 * the shared local cloud through the environment variables it reads.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { localCloud } from '../../../test/setup/local-cloud';

// Jest runs from the repository's root (as the local-cloud test setup assumes).
export const repositoryRoot = process.cwd();
export const heraldBin = join(repositoryRoot, 'node_modules', '.bin', 'herald');

/** HERALD_*_URL for the shared local cloud, the token, and HERALD_LISTEN_PORT as global setup set it. */
export function heraldEnv(token: string): NodeJS.ProcessEnv {
  const { services } = localCloud().endpoints;
  return {
    ...process.env,
    HERALD_INGEST_URL: services.ingest,
    HERALD_PROCESSING_URL: services.processing,
    HERALD_NOTIFICATIONS_URL: services.notifications,
    HERALD_TENANTS_URL: services.tenants,
    HERALD_TOKEN: token,
    // No profile file of the machine's may change what the tests ask.
    HERALD_CONFIG: join(repositoryRoot, '.local-cloud', 'no-herald-config.json'),
  };
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export function herald(args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = execFile(heraldBin, [...args], { env, cwd: repositoryRoot }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
    });
    child.stdin!.end(input ?? '');
  });
}

/**
 * A long-running command (herald listen): its output so far, a wait for a line matching, and Ctrl-C
 * as a terminal sends it, to the command's whole process group (npx and what it runs).
 */
export function start(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd = repositoryRoot,
) {
  const child: ChildProcess = spawn(command, [...args], {
    env,
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is gone already.
    }
  };
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = async (pattern: RegExp, stream: 'stdout' | 'stderr', timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(output[stream]);
      if (match) return match;
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`no ${pattern} on ${stream}; stdout: ${output.stdout}\nstderr: ${output.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return {
    child,
    output,
    exited,
    waitFor,
    interrupt: () => signalGroup('SIGINT'),
    kill: () => signalGroup('SIGKILL'),
  };
}
