/**
 * Runs each service in serverless-offline (its HTTP API on one port, the Lambda Invoke API on
 * another), with the AWS SDK pointed at the emulators through the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables: the application code has no local branches. serverless-offline
 * also writes the service's function manifest (see @herald/serverless-plugin), from which the local
 * runtime runs every function invoked by an event source or the bus; its output and theirs share the
 * service's log. serverless-offline runs the code the service's package built (the local cloud packages
 * before it starts anything), not a build of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForPort } from './ports';
import { YOUNG_GENERATION_MB } from './runtime/container';
import { readFunctionManifest, type FunctionManifest } from './runtime/manifest';

export interface OfflineService {
  name: string;
  httpPort: number;
  lambdaPort: number;
  logFile: string;
  pid: number;
  /** Settles when the process exits, whoever ended it. */
  exited: Promise<OfflineExit>;
  /** The last 16 KB of its output, to tell why it exited (e.g. "JavaScript heap out of memory"). */
  outputTail(): string;
  /** The service's functions as serverless-offline resolved them (see ./runtime). */
  manifest: FunctionManifest;
  stop(): Promise<void>;
}

export interface OfflineExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface OfflineOptions {
  root: string;
  service: string;
  /** The service's folder, when not `<root>/services/<service>` (another release's checkout). */
  dir?: string;
  httpPort: number;
  lambdaPort: number;
  /** `--param name=value` overrides of the service's `local` stage params. */
  params: Record<string, string>;
  /** Extra environment for the functions (endpoints, credentials). */
  env: Record<string, string>;
  logDir: string;
  /** The service has HTTP routes: ready only once its HTTP server listens, not when its Lambda API does. */
  http: boolean;
  startTimeoutMs?: number;
  /** A start after the first: the log is appended to, after this line, instead of truncated. */
  restartNote?: string;
  /** Ends a start that is under way (the local cloud stopping while a service restarts). */
  signal?: AbortSignal;
}

export async function startOffline(options: OfflineOptions): Promise<OfflineService> {
  const cwd = options.dir ?? join(options.root, 'services', options.service);
  const bin = join(options.root, 'node_modules', '.bin', 'serverless');
  const params = Object.entries({ ...options.params, lambdaPort: String(options.lambdaPort) }).flatMap(
    ([name, value]) => ['--param', `${name}=${value}`],
  );
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `${options.service}.log`);
  // Append mode, the file emptied first on a first start: the local runtime writes the functions'
  // lines to the same file through a stream of its own, and neither may write over the other.
  if (options.restartNote === undefined) writeFileSync(logFile, '');
  const log = createWriteStream(logFile, { flags: 'a' });
  if (options.restartNote !== undefined) log.write(`\n${options.restartNote}\n`);
  const manifestFile = join(
    tmpdir(),
    `herald-functions-${process.pid}-${options.service}-${options.httpPort}.json`,
  );

  // --noAuth: serverless-offline's own authorizers cannot invoke a function of another service (the
  // tenants service's authorizer serves every API) and answer in their own format; the local cloud's
  // front runs API Gateway's Lambda authorizers itself and hands serverless-offline their context
  // (http-authorizers.ts), and every function judges the credential again, as in AWS.
  //
  // The HTTP port is serverless-offline's own option, not a param: it is chosen anew at each start,
  // and as a param it would change the service's configuration each time, and with it the key under
  // which osls's validation of that configuration is kept (@herald/serverless-plugin's
  // config-validation.ts).
  const args = ['offline', 'start', '--stage', 'local', '--noAuth', '--httpPort', String(options.httpPort)];
  const child = spawn(bin, [...args, ...params], {
    cwd,
    env: {
      ...process.env,
      ...options.env,
      FORCE_COLOR: '0',
      SLS_TELEMETRY_DISABLED: '1',
      HERALD_FUNCTION_MANIFEST: manifestFile,
      // The front adds the authorizer's context as a header the client did not send: a request at
      // API Gateway's limit (10 KiB of request line and headers) must still fit in what
      // serverless-offline's server reads (node's 16 KiB by default).
      //
      // The local runtime's young generation (runtime/container.ts) for its main thread and for the
      // worker thread each function runs in, rather than V8's 48 MB on this machine: V8 makes the
      // young generation three semi-spaces.
      NODE_OPTIONS: [
        process.env.NODE_OPTIONS,
        options.env.NODE_OPTIONS,
        '--max-http-header-size=65536',
        `--max-semi-space-size=${YOUNG_GENERATION_MB / 3}`,
      ]
        .filter(Boolean)
        .join(' '),
      // Run what `serverless package` built, with no bundler loaded (each service's `plugins` names
      // its bundler by this variable): see @herald/serverless-plugin's prebuilt-code.ts.
      HERALD_BUNDLER: '@herald/serverless-plugin/prebuilt',
      // The same for a checkout of an earlier release (test/releases), whose plugin reads this.
      HERALD_PREBUILT_CODE: '1',
      // tsx compiles Herald's plugin with esbuild's synchronous API, which otherwise keeps a worker
      // thread and an esbuild process up, idle, for as long as serverless-offline runs (about 24 MiB
      // each). With this, each compile is one short-lived esbuild process, and with tsx's cache
      // (@herald/serverless-plugin's typescript.cjs) a start whose plugin has not changed runs none.
      ESBUILD_WORKER_THREADS: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so stop() can end it and anything it started.
    detached: true,
  });
  let output = '';
  let tail = '';
  const exited = new Promise<OfflineExit>((resolve) =>
    child.once('exit', (code, signal) => {
      // Its last words (a fatal error) may still be in the pipes: wait a moment for them.
      const timer = setTimeout(() => resolve({ code, signal }), 1_000);
      child.once('close', () => {
        clearTimeout(timer);
        resolve({ code, signal });
      });
    }),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      tail = (tail + chunk.toString()).slice(-16 * 1024);
      if (output.length < 64 * 1024) output += chunk.toString();
      if ((options.http ? /Server ready/ : /Function names exposed/).test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(
        new Error(
          `serverless-offline for ${options.service} exited (code ${code}). Its output:\n${output.slice(-4000)}`,
        ),
      ),
    );
  });
  const stop = () => stopProcessGroup(child).finally(() => log.end());
  let cancel: (() => void) | undefined;
  let manifest: FunctionManifest;
  try {
    // Notifications bundles 18 functions; on a loaded 2-core machine it has taken over 75 s to listen.
    const timeout = options.startTimeoutMs ?? 240_000;
    await Promise.race([
      ready,
      new Promise((_, reject) => {
        cancel = () => reject(new Error(`start of ${options.service} cancelled`));
        if (options.signal?.aborted) cancel();
        else options.signal?.addEventListener('abort', cancel, { once: true });
      }),
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`serverless-offline for ${options.service} not ready after ${timeout} ms`)),
          timeout,
        ).unref(),
      ),
    ]);
    await waitForPort(options.lambdaPort, `${options.service} Lambda API`);
    if (options.http) await waitForPort(options.httpPort, `${options.service} HTTP API`);
    // Written before serverless-offline starts its servers (offline:start:init), so there by now.
    manifest = await readFunctionManifest(manifestFile);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    // The signal outlives this start (it is the watchdog's for all of them).
    if (cancel) options.signal?.removeEventListener('abort', cancel);
    await rm(manifestFile, { force: true });
  }
  return {
    name: options.service,
    httpPort: options.httpPort,
    lambdaPort: options.lambdaPort,
    logFile,
    pid: child.pid!,
    exited,
    outputTail: () => tail,
    manifest,
    stop,
  };
}

/** SIGTERM to the whole group, SIGKILL after a grace period; resolves when the leader exited. */
export function stopProcessGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.pid === undefined) return resolve();
    const pid = child.pid;
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // Already gone.
      }
    };
    if (child.exitCode !== null || child.signalCode !== null) {
      // The leader died on its own (a crash): what it started may still hold ports.
      kill('SIGKILL');
      return resolve();
    }
    const timer = setTimeout(() => kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      kill('SIGKILL'); // anything the leader left behind in its group
      resolve();
    });
    kill('SIGTERM');
  });
}
