/**
 * The local cloud's function runtime, Lambda's model on one machine: each function has a pool of
 * containers (worker threads, container.ts), started on demand, each running ONE invocation at a
 * time with its own environment, reused while warm and reaped after an idle time. There is no cap
 * on a pool: whoever invokes bounds the concurrency (each event source mapping, the event bus), as
 * Lambda's event source mappings do against an account's concurrency.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { FunctionError, type FunctionInvoker } from '../types';
import { AsyncInvocations, type AsyncRetry } from './async-invocations';
import { Container } from './container';
import type { ManifestFunction } from './manifest';

/** A function as the manifest describes it (memorySize is the container's heap limit), and where its output goes. */
export interface RuntimeFunction extends Omit<ManifestFunction, 'key'> {
  /** Where the container's own notices go, and the function's output when there is no logFile. */
  output: (line: string) => void;
  /**
   * The file the function's own lines (stdout and stderr) are appended to, by its container's thread
   * itself: at a few JSON lines an event, passing them through this thread was a tenth of its work.
   */
  logFile?: string;
}

export interface RuntimeOptions {
  region: string;
  /** The AWS environment of the functions (endpoints, credentials), the same or per function. */
  awsEnv: Record<string, string> | ((functionName: string) => Record<string, string>);
  /** ARN of a function by name. */
  functionArn: (name: string) => string;
  log: (line: string) => void;
  /** An idle container is ended after this long (default 5 minutes). */
  idleMs?: number;
  retry?: AsyncRetry;
  /** Longest wait for a handler's module to load. */
  initTimeoutMs?: number;
}

/** How many containers run, per function. */
export type RuntimeStats = Record<string, { idle: number; busy: number }>;

const MODULE_EXTENSIONS = ['.mjs', '.js', '.cjs'];
/** How often a pool looks whether its function's code was rebuilt (serverless-esbuild watches the sources). */
const CODE_CHECK_MS = 1_000;

class FunctionPool {
  private readonly idle: Container[] = [];
  private readonly busy = new Set<Container>();
  private modulePath: string | undefined;
  private loadedMtime: number | undefined;
  private codeVersion = 0;
  private checkedAt = 0;
  private readonly generation = new WeakMap<Container, number>();
  /** Every container started and not yet counted as ended, for cpuMicros(). */
  private readonly started = new Set<Container>();
  private endedCpuMicros = 0;

  constructor(
    private readonly fn: RuntimeFunction,
    private readonly options: RuntimeOptions,
  ) {}

  get stats() {
    return { idle: this.idle.length, busy: this.busy.size };
  }

  async invoke(event: unknown): Promise<unknown> {
    this.retireStaleCode();
    // The most recently used first: its caches (connections, config) are the warmest.
    let container = this.idle.pop();
    while (container && !container.alive) container = this.idle.pop();
    container ??= this.start();
    this.busy.add(container);
    try {
      return await container.invoke(event);
    } finally {
      this.busy.delete(container);
      if (container.alive && this.generation.get(container) === this.codeVersion) this.idle.push(container);
      else if (container.alive) void container.retire();
    }
  }

  /** Ends containers idle for longer than `idleMs`. */
  reap(now: number, idleMs: number): void {
    for (const container of this.idle.filter((c) => !c.alive || now - c.lastUsed >= idleMs)) {
      this.idle.splice(this.idle.indexOf(container), 1);
      void container.retire();
    }
  }

  /** CPU time of all the function's containers since the runtime started, ended ones included. */
  async cpuMicros(): Promise<number> {
    const containers = [...this.started];
    const readings = await Promise.all(containers.map((container) => container.cpuMicros()));
    let live = 0;
    containers.forEach((container, i) => {
      if (container.alive) live += readings[i]!;
      else if (this.started.delete(container)) this.endedCpuMicros += readings[i]!;
    });
    return this.endedCpuMicros + live;
  }

  async stop(): Promise<void> {
    const all = [...this.idle.splice(0), ...this.busy];
    this.busy.clear();
    await Promise.all(all.map((container) => container.terminate()));
  }

  private start(): Container {
    const { fn, options } = this;
    const dot = fn.handler.lastIndexOf('.');
    if (dot <= 0) throw new FunctionError(fn.name, 'Runtime.HandlerNotFound', `bad handler ${fn.handler}`);
    if (!this.modulePath) {
      this.modulePath = resolveModule(join(fn.codeDir, fn.handler.slice(0, dot)), fn.name);
      this.loadedMtime = statSync(this.modulePath).mtimeMs;
      this.checkedAt = Date.now();
    }
    const awsEnv = typeof options.awsEnv === 'function' ? options.awsEnv(fn.name) : options.awsEnv;
    const container = new Container({
      functionName: fn.name,
      functionArn: options.functionArn(fn.name),
      modulePath: this.modulePath,
      exportName: fn.handler.slice(dot + 1),
      env: {
        ...fn.environment,
        ...awsEnv,
        // What Lambda sets in every execution environment (reserved: the function cannot change them).
        AWS_REGION: options.region,
        AWS_DEFAULT_REGION: options.region,
        AWS_LAMBDA_FUNCTION_NAME: fn.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
        AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${fn.name}`,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        LAMBDA_TASK_ROOT: fn.codeDir,
        _HANDLER: fn.handler,
        LANG: 'en_US.UTF-8',
        IS_OFFLINE: 'true',
      },
      memorySize: fn.memorySize,
      timeoutSeconds: fn.timeout,
      output: fn.output,
      ...(fn.logFile === undefined ? {} : { logFile: fn.logFile }),
      ...(options.initTimeoutMs === undefined ? {} : { initTimeoutMs: options.initTimeoutMs }),
    });
    this.generation.set(container, this.codeVersion);
    this.started.add(container);
    return container;
  }

  /** A rebuilt module: idle containers go, busy ones go when they finish, new ones load the new code. */
  private retireStaleCode(): void {
    const now = Date.now();
    if (!this.modulePath || now - this.checkedAt < CODE_CHECK_MS) return;
    this.checkedAt = now;
    let mtime: number;
    try {
      mtime = statSync(this.modulePath).mtimeMs;
    } catch {
      return; // being rewritten: look again next time
    }
    if (mtime === this.loadedMtime) return;
    this.loadedMtime = mtime;
    this.codeVersion += 1;
    for (const container of this.idle.splice(0)) void container.retire();
  }
}

function resolveModule(base: string, functionName: string): string {
  for (const extension of MODULE_EXTENSIONS) {
    try {
      if (statSync(base + extension).isFile()) return base + extension;
    } catch {
      // next extension
    }
  }
  throw new FunctionError(
    functionName,
    'Runtime.ImportModuleError',
    `no module ${base}{${MODULE_EXTENSIONS.join(',')}} (was the service built?)`,
  );
}

export class LocalRuntime implements FunctionInvoker {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly asyncInvocations: AsyncInvocations;
  private readonly reaper: NodeJS.Timeout;
  private stopped = false;

  constructor(
    functions: Iterable<RuntimeFunction>,
    private readonly options: RuntimeOptions,
  ) {
    for (const fn of functions) this.pools.set(fn.name, new FunctionPool(fn, options));
    this.asyncInvocations = new AsyncInvocations(
      (name, payload) => this.invoke(name, payload),
      options.log,
      options.retry,
    );
    const idleMs = options.idleMs ?? 5 * 60_000;
    this.reaper = setInterval(
      () => {
        const now = Date.now();
        for (const pool of this.pools.values()) pool.reap(now, idleMs);
      },
      Math.max(100, Math.min(idleMs / 4, 30_000)),
    ).unref();
  }

  async invoke(functionName: string, payload: unknown): Promise<unknown> {
    if (this.stopped) throw new Error('the local runtime is stopped');
    const pool = this.pools.get(functionName);
    if (!pool) throw new Error(`No local function named ${functionName}`);
    return pool.invoke(payload);
  }

  async invokeAsync(functionName: string, payload: unknown): Promise<void> {
    if (!this.pools.has(functionName)) throw new Error(`No local function named ${functionName}`);
    this.asyncInvocations.start(functionName, payload);
  }

  /** Resolves when no asynchronous invocation is pending. */
  drained(): Promise<void> {
    return this.asyncInvocations.drained();
  }

  /** Containers per function that has any. */
  stats(): RuntimeStats {
    const stats: RuntimeStats = {};
    for (const [name, pool] of this.pools) {
      const { idle, busy } = pool.stats;
      if (idle + busy > 0) stats[name] = { idle, busy };
    }
    return stats;
  }

  /**
   * Milliseconds of CPU each function's containers have used since the runtime started (their
   * threads' user and system time, garbage collection included; a container that ended while busy
   * counts up to its last reading): what the capacity bench divides by the events of a phase.
   */
  async cpuTime(): Promise<Record<string, number>> {
    const entries = await Promise.all(
      [...this.pools].map(async ([name, pool]) => [name, (await pool.cpuMicros()) / 1000] as const),
    );
    return Object.fromEntries(entries.filter(([, ms]) => ms > 0));
  }

  /** Ends every container (invocations running fail as their runtime exits). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.reaper);
    await Promise.all([...this.pools.values()].map((pool) => pool.stop()));
  }
}
