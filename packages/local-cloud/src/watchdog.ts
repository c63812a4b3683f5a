/**
 * The local cloud watches the serverless-offline processes it started. One that exits while the
 * cloud is not stopping is reported at once (which service, exit code or signal, a hint when its log
 * says the heap ran out, where the log is), its HTTP front answers 503 meanwhile, and it is started
 * again with the same options, its log appended to. A process that keeps dying soon after starting
 * is started again after longer and longer pauses (1 s, 2 s, 4 s ... 30 s), and each is reported.
 * A reload (new code packaged while the local cloud runs) starts a second process beside the first and
 * moves the front over once it is ready, so no request meets a service that is down.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports';
import { startOffline, type OfflineExit, type OfflineOptions, type OfflineService } from './functions';
import type { HttpFront } from './http-front';
import type { FunctionManifest } from './runtime/manifest';

export type ServiceState = 'starting' | 'running' | 'restarting' | 'stopped';

/** What a test (or a person) can read of one supervised process; a copy. */
export interface ServiceStatus {
  state: ServiceState;
  /** The serverless-offline process (its process group has the same id); undefined while none runs. */
  pid: number | undefined;
  /** Restarts that succeeded. */
  restarts: number;
  /** Where serverless-offline's HTTP server listens now, behind the front (changes on restart). */
  httpPort: number | undefined;
  /** serverless-offline's Lambda API port: the planned one, unless another process took it first. */
  lambdaPort: number;
  logFile: string;
  lastExit?: OfflineExit & { at: string };
}

export interface SupervisedService {
  /** The service's functions, as its first start resolved them (a restart runs the same build). */
  manifest: FunctionManifest;
  status(): ServiceStatus;
  /**
   * Starts the service again beside the running process (the package was built again), moves the front
   * to the new one once it listens, then stops the old one. Rejects, leaving the old one serving, when
   * the new one cannot start.
   */
  reload(reason: string): Promise<void>;
  stop(): Promise<void>;
}

export interface Backoff {
  /** Pause before the first restart (default 1 s); each crash soon after a start doubles it. */
  initialMs: number;
  maxMs: number;
  /** Up this long, a process is no longer in a crash loop: the next pause is the first again. */
  stableMs: number;
}

/** Starts tried when a port was taken by someone else meanwhile. */
const PORT_ATTEMPTS = 3;

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 30_000, stableMs: 60_000 };

export interface SuperviseOptions {
  /** How to start it; `httpPort` is chosen here (a free internal port, new on each start). */
  offline: Omit<OfflineOptions, 'httpPort' | 'restartNote' | 'signal'>;
  front: HttpFront;
  log: (line: string) => void;
  backoff?: Backoff;
  /** startOffline, or a stand-in in tests. */
  start?: (options: OfflineOptions) => Promise<OfflineService>;
}

/** "exit code 134" / "signal SIGKILL". */
export function describeExit(exit: OfflineExit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

/** What to tell a person about an exit, from what the process printed last. */
export function exitHint(outputTail: string): string | undefined {
  if (/heap out of memory/i.test(outputTail))
    return (
      'its log says "JavaScript heap out of memory": the process outgrew its heap (a sustained load ' +
      'does this); give it more with NODE_OPTIONS=--max-old-space-size=<MiB>, or send less at once'
    );
  return undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

export async function superviseOffline(options: SuperviseOptions): Promise<SupervisedService> {
  const { front, log } = options;
  const name = options.offline.service;
  const start = options.start ?? startOffline;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const logFile = join(options.offline.logDir, `${name}.log`);
  const stopping = new AbortController();
  let current: OfflineService | undefined;
  let state: ServiceState = 'starting';
  let restarts = 0;
  let lastExit: ServiceStatus['lastExit'];
  // Crashes in a row, each before the process had been up `stableMs`.
  let crashesInARow = 0;
  // How long the last start took: with the pause, what Retry-After promises.
  let lastStartMs = 0;
  let loop: Promise<void> = Promise.resolve();
  // Processes replaced by a reload: their exit is expected, not a crash.
  const retired = new WeakSet<OfflineService>();

  // A free port is found before serverless-offline binds it, so another process (the local cloud of a
  // test running alongside) can take it in between. Such a start is tried again on fresh ports.
  let lambdaPort = options.offline.lambdaPort;
  const launch = async (restartNote?: string): Promise<OfflineService> => {
    const began = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const service = await start({
          ...options.offline,
          lambdaPort,
          httpPort: await freePort(),
          signal: stopping.signal,
          ...(restartNote === undefined ? {} : { restartNote }),
        });
        lastStartMs = Date.now() - began;
        return service;
      } catch (error) {
        const message = String(error);
        if (attempt >= PORT_ATTEMPTS || stopping.signal.aborted || !message.includes('EADDRINUSE'))
          throw error;
        if (message.includes(`:${lambdaPort}`)) lambdaPort = await freePort();
        options.log(
          `${name}: a port was taken while serverless-offline started; starting it again on others`,
        );
      }
    }
  };

  const watch = (service: OfflineService): void => {
    current = service;
    state = 'running';
    front.up(service.httpPort);
    const upSince = Date.now();
    loop = service.exited
      .then(async (exit) => {
        if (stopping.signal.aborted || retired.has(service)) return;
        crashesInARow = Date.now() - upSince < backoff.stableMs ? crashesInARow + 1 : 1;
        // Leftovers of its process group go too (they may hold its ports).
        await service.stop();
        current = undefined;
        onExit(service.pid, exit, service.outputTail());
        await restart();
      })
      .catch((error: unknown) => log(`${name}: the watchdog failed, nothing restarts it: ${String(error)}`));
  };

  const pause = () => Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, crashesInARow - 1));

  const onExit = (pid: number, exit: OfflineExit, tail: string): void => {
    state = 'restarting';
    lastExit = { ...exit, at: new Date().toISOString() };
    const why = describeExit(exit);
    const wait = pause();
    const hint = exitHint(tail);
    front.down({
      detail:
        `${name}'s serverless-offline process exited (${why}); the local cloud is restarting it. ` +
        `Its log: ${logFile}`,
      expectedBackAt: Date.now() + wait + lastStartMs,
      extra: { exitCode: exit.code, signal: exit.signal, restarting: true },
    });
    log(
      `${name}: serverless-offline (pid ${pid}) exited with ${why}` +
        (hint ? `; ${hint}` : '') +
        `. Log: ${logFile}. ` +
        (crashesInARow > 1
          ? `It crashed ${crashesInARow} times in a row within ${seconds(backoff.stableMs)} of starting: backing off, restarting in ${seconds(wait)}.`
          : `Restarting in ${seconds(wait)}; its HTTP API answers 503 meanwhile.`),
    );
  };

  const restart = async (): Promise<void> => {
    for (;;) {
      const wait = pause();
      await sleep(wait, undefined, { signal: stopping.signal }).catch(() => undefined);
      if (stopping.signal.aborted) return;
      const began = Date.now();
      try {
        const service = await launch(
          `--- ${new Date().toISOString()} restarted by the local cloud after ${lastExit ? describeExit(lastExit) : 'an exit'} ---`,
        );
        if (stopping.signal.aborted) return void (await service.stop());
        restarts += 1;
        log(
          `${name}: serverless-offline is back (pid ${service.pid}, started in ${seconds(Date.now() - began)}, restart ${restarts}).`,
        );
        watch(service);
        return;
      } catch (error) {
        if (stopping.signal.aborted) return;
        crashesInARow += 1;
        const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
        front.down({
          detail:
            `${name}'s serverless-offline process failed to start again (${message}); the local cloud ` +
            `keeps trying. Its log: ${logFile}`,
          expectedBackAt: Date.now() + pause() + lastStartMs,
          extra: { restarting: true },
        });
        log(
          `${name}: serverless-offline failed to start again (${message}). Log: ${logFile}. ` +
            `${crashesInARow} failures in a row: backing off, next try in ${seconds(pause())}.`,
        );
      }
    }
  };

  // The first start fails the local cloud's start, as before: nothing to restart yet.
  const first = await launch();
  watch(first);

  return {
    manifest: first.manifest,
    status: () => ({
      state,
      pid: current?.pid,
      restarts,
      httpPort: current?.httpPort,
      lambdaPort,
      logFile,
      ...(lastExit ? { lastExit: { ...lastExit } } : {}),
    }),
    async reload(reason) {
      if (state !== 'running' || !current) throw new Error(`${name} is ${state}: nothing to reload`);
      const began = Date.now();
      // The old process holds its Lambda API port until the new one is up.
      lambdaPort = await freePort();
      const next = await launch(`--- ${new Date().toISOString()} reloaded by the local cloud: ${reason} ---`);
      if (stopping.signal.aborted) return void (await next.stop());
      const previous = current;
      retired.add(previous);
      watch(next);
      // From here the front sends every new request to the new process.
      await previous.stop();
      log(
        `${name}: serverless-offline reloaded (${reason}; pid ${next.pid}, started in ${seconds(Date.now() - began)}).`,
      );
    },
    async stop() {
      stopping.abort();
      state = 'stopped';
      front.down({
        detail: `${name} is stopping with the local cloud.`,
        expectedBackAt: 0,
      });
      await current?.stop();
      current = undefined;
      await loop.catch(() => undefined);
    },
  };
}
