/**
 * The local runtime of the local cloud's functions: every function an event source or the event bus
 * invokes runs here, in warm worker-thread containers, rather than through serverless-offline (which
 * stays the HTTP front). See runtime.ts for the model, container.ts for one container.
 */
import { createWriteStream } from 'node:fs';
import { functionArn } from '../aws';
import type { FunctionManifest } from './manifest';
import { LocalRuntime, type RuntimeFunction } from './runtime';

export { LocalRuntime, type RuntimeFunction, type RuntimeOptions, type RuntimeStats } from './runtime';
export { readFunctionManifest, type FunctionManifest, type ManifestFunction } from './manifest';

export interface RuntimeService {
  manifest: FunctionManifest;
  /**
   * The service's log, where serverless-offline writes too: both append (whole lines each), so
   * neither writes over the other, and a restarted serverless-offline leaves this stream alone.
   */
  logFile: string;
}

/** One runtime for every function of the services, each function's output in its service's log. */
export function startRuntime(
  services: readonly RuntimeService[],
  options: {
    awsEnv: Record<string, string> | ((functionName: string) => Record<string, string>);
    region: string;
    log: (line: string) => void;
    idleMs?: number;
  },
): { runtime: LocalRuntime; stop(): Promise<void> } {
  const logs = services.map((service) => createWriteStream(service.logFile, { flags: 'a' }));
  const functions: RuntimeFunction[] = services.flatMap((service, i) =>
    service.manifest.functions.map((fn) => ({
      name: fn.name,
      handler: fn.handler,
      codeDir: fn.codeDir,
      timeout: fn.timeout,
      memorySize: fn.memorySize,
      environment: fn.environment,
      output: (line: string) => {
        if (!logs[i]!.writableEnded) logs[i]!.write(`${line}\n`);
      },
      logFile: service.logFile,
    })),
  );
  const runtime = new LocalRuntime(functions, { ...options, functionArn });
  return {
    runtime,
    async stop() {
      await runtime.stop();
      await Promise.all(logs.map((log) => new Promise<void>((resolve) => log.end(resolve))));
    },
  };
}
