/**
 * A container: one function's execution environment, a worker thread with the function's own
 * environment variables and heap limit that imports the handler once (container-main.mjs) and runs
 * one invocation at a time. The host side enforces the timeout (the thread is terminated, as Lambda
 * ends a timed-out sandbox) and turns a thread that dies mid-invocation into that invocation's
 * failure; a dead container is never used again.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { FunctionError } from '../types';

export interface ContainerSpec {
  functionName: string;
  functionArn: string;
  /** Absolute path of the handler's module. */
  modulePath: string;
  exportName: string;
  /** The whole environment the function sees (process.env inside the container is this and nothing else). */
  env: Record<string, string>;
  memorySize: number;
  timeoutSeconds: number;
  /** Where each line the function writes (stdout and stderr) goes, and the container's own notices. */
  output: (line: string) => void;
  /** The function's lines appended to this file by the container's thread instead (see RuntimeFunction). */
  logFile?: string;
  /** Longest wait for the handler's module to load (Lambda's init phase). */
  initTimeoutMs?: number;
}

interface Pending {
  id: number;
  requestId: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; json?: string }
  | {
      type: 'error' | 'init-error' | 'crash';
      id?: number;
      errorType: string;
      errorMessage: string;
      trace?: string[];
    };

const CONTAINER_SCRIPT = new URL('./container-main.mjs', import.meta.url);
const DEFAULT_INIT_TIMEOUT_MS = 120_000;
/**
 * Each container's young generation, at most. With an old-generation limit given, V8 sizes it at
 * 48 MB (three 16 MB semi-spaces) whatever the function's memory; a busy container grows into it,
 * and the local cloud runs up to its concurrency cap of containers per function (about twenty under
 * load). serverless-offline's processes get the same (functions.ts), which at rest saved 92 MiB
 * across the four; under the capacity bench's load the saving is inside its run-to-run spread (the
 * local cloud's peak: 956 MiB without, 719 and 861 with), and `npm run bench -- cpu` showed no CPU
 * cost (README, Memory).
 */
export const YOUNG_GENERATION_MB = 12;

export class Container {
  /** When the container last finished an invocation (or started), for the idle reaper. */
  lastUsed = Date.now();
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private pending: Pending | undefined;
  /** Handed out, waiting for the module to load: not to be handed out again. */
  private claimed = false;
  private nextId = 0;
  private dead = false;
  /** Why the thread is ending, when it told us (an unhandled rejection, an import failure). */
  private lastWords: { errorType: string; errorMessage: string; trace?: string[] } | undefined;
  private readonly exited: Promise<void>;
  /** CPU time the thread had used at its last reading, in microseconds (what is known once it has ended). */
  private cpuRead = 0;

  constructor(private readonly spec: ContainerSpec) {
    this.worker = new Worker(CONTAINER_SCRIPT, {
      env: spec.env,
      workerData: {
        modulePath: spec.modulePath,
        exportName: spec.exportName,
        functionName: spec.functionName,
        functionArn: spec.functionArn,
        memorySize: spec.memorySize,
        logFile: spec.logFile,
      },
      // Lambda's memory setting as the heap limit: a function that outgrows it dies as it would there.
      resourceLimits: {
        maxOldGenerationSizeMb: spec.memorySize,
        maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
      },
      // The bare runtime: no TypeScript loader or test-runner flags from the host's command line.
      execArgv: [],
      stdout: true,
      stderr: true,
    });
    pipeLines(this.worker.stdout, spec.output);
    pipeLines(this.worker.stderr, spec.output);
    this.ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new FunctionError(
            spec.functionName,
            'Runtime.InitTimeout',
            `the handler's module did not load within ${(spec.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS) / 1000} s`,
          ),
        );
        void this.terminate();
      }, spec.initTimeoutMs ?? DEFAULT_INIT_TIMEOUT_MS);
      this.worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve();
        } else if (message.type === 'init-error') {
          clearTimeout(timer);
          this.lastWords = message;
          spec.output(
            `${spec.functionName} INIT_REPORT Init failed: ${message.errorType}: ${message.errorMessage}`,
          );
          reject(new FunctionError(spec.functionName, message.errorType, message.errorMessage));
        } else this.onMessage(message);
      });
      this.worker.once('exit', () => {
        clearTimeout(timer);
        reject(
          new FunctionError(
            spec.functionName,
            this.lastWords?.errorType ?? 'Runtime.ExitError',
            this.lastWords?.errorMessage ?? 'the runtime exited before it was ready',
          ),
        );
      });
    });
    // Nobody may be waiting on `ready` when it fails (a container started and stopped at once).
    this.ready.catch(() => undefined);
    this.worker.on('error', (error) => {
      // An exception the container's own handlers could not report (e.g. the heap limit).
      this.lastWords ??= {
        errorType:
          (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? 'Runtime.OutOfMemory'
            : 'Runtime.ExitError',
        errorMessage: error.message,
      };
    });
    this.exited = new Promise((resolve) =>
      this.worker.once('exit', (code) => {
        this.dead = true;
        const pending = this.pending;
        this.pending = undefined;
        if (pending) {
          clearTimeout(pending.timer);
          const errorType = this.lastWords?.errorType ?? 'Runtime.ExitError';
          const errorMessage =
            this.lastWords?.errorMessage ??
            `RequestId: ${pending.requestId} Error: Runtime exited with error: exit status ${code}`;
          this.report(pending.requestId, errorType, errorMessage, this.lastWords?.trace);
          pending.reject(new FunctionError(spec.functionName, errorType, errorMessage));
        }
        resolve();
      }),
    );
  }

  /** False once the thread has exited or is being terminated: the pool drops it. */
  get alive(): boolean {
    return !this.dead;
  }

  get busy(): boolean {
    return this.claimed;
  }

  /** Runs one invocation; rejects with FunctionError when the function fails, times out or dies. */
  async invoke(event: unknown): Promise<unknown> {
    if (this.claimed) throw new Error(`container of ${this.spec.functionName} is busy`);
    if (this.dead) throw new Error(`container of ${this.spec.functionName} is gone`);
    this.claimed = true;
    try {
      return await this.run(event);
    } finally {
      this.claimed = false;
      this.lastUsed = Date.now();
    }
  }

  private async run(event: unknown): Promise<unknown> {
    await this.ready;
    if (this.dead) throw new FunctionError(this.spec.functionName, 'Runtime.ExitError', 'the runtime exited');
    const requestId = randomUUID();
    const id = this.nextId++;
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending?.id !== id) return;
        this.pending = undefined;
        const message = `Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`;
        this.spec.output(`${this.spec.functionName} RequestId: ${requestId} ${message}`);
        // The sandbox is ended with whatever it was doing, as Lambda does.
        void this.terminate();
        reject(new FunctionError(this.spec.functionName, 'Sandbox.Timedout', message));
      }, timeoutMs);
      this.pending = { id, requestId, resolve, reject, timer };
      this.worker.postMessage({ id, requestId, event, deadline: Date.now() + timeoutMs });
    });
  }

  /**
   * CPU time the container's thread has used (user and system, in microseconds): what the function
   * costs the machine, its garbage collection included. Once the thread has ended, its last reading.
   */
  async cpuMicros(): Promise<number> {
    if (this.dead) return this.cpuRead;
    try {
      const { user, system } = await this.worker.cpuUsage();
      this.cpuRead = user + system;
    } catch {
      // Ended between the check and the reading.
    }
    return this.cpuRead;
  }

  /** Ends an idle container, its CPU time read first (a busy or stuck one: terminate()). */
  async retire(): Promise<void> {
    await this.cpuMicros();
    await this.terminate();
  }

  /** Ends the thread (whatever it was doing); resolves once it exited. */
  async terminate(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
    await this.exited;
  }

  private onMessage(message: WorkerMessage): void {
    if (message.type === 'crash') {
      // The thread exits next; the exit handler fails the invocation with these words.
      this.lastWords = message;
      return;
    }
    const pending = this.pending;
    if (message.type === 'ready' || message.type === 'init-error' || !pending || pending.id !== message.id)
      return;
    clearTimeout(pending.timer);
    this.pending = undefined;
    if (message.type === 'result') {
      pending.resolve(message.json === undefined ? undefined : JSON.parse(message.json));
    } else {
      this.report(pending.requestId, message.errorType, message.errorMessage, message.trace);
      pending.reject(new FunctionError(this.spec.functionName, message.errorType, message.errorMessage));
    }
  }

  /**
   * A failed invocation in the function's log, as Lambda's runtime writes it: "Unhandled" marks a
   * failure the function did not handle itself (what the fuzz suite looks for in the logs).
   */
  private report(requestId: string, errorType: string, errorMessage: string, trace?: string[]): void {
    this.spec.output(
      `${this.spec.functionName} RequestId: ${requestId} Unhandled error: ${JSON.stringify({ errorType, errorMessage, trace })}`,
    );
  }
}

/** Whole lines only, so the lines of containers writing at the same time never interleave. */
function pipeLines(stream: Readable, output: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) output(line);
  });
  stream.on('end', () => {
    if (rest) output(rest);
    rest = '';
  });
}
