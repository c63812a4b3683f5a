/**
 * The function manifest: what the local cloud needs to run a service's functions itself (in its own
 * containers) rather than through serverless-offline's Lambda Invoke API. Written while
 * `serverless offline start` runs, when HERALD_FUNCTION_MANIFEST names a file, so every value is the
 * one serverless-offline itself resolved: params (with `--param` overrides), the stage, the directory
 * serverless-esbuild built the code into.
 */
import { isAbsolute, resolve } from 'node:path';

/** One function, as the local cloud's runtime starts it. */
export interface ManifestFunction {
  /** The key in serverless.yml (e.g. `deliver`). */
  key: string;
  /** The deployed name, as the packaged template names it (e.g. `herald-notifications-local-deliver`). */
  name: string;
  /** `<module path without extension>.<export>`, relative to `codeDir` (e.g. `src/handlers/deliver.handler`). */
  handler: string;
  /** Absolute directory the handler's module path is relative to (serverless-esbuild's build). */
  codeDir: string;
  /** Seconds. */
  timeout: number;
  /** MB. */
  memorySize: number;
  /** provider.environment and then the function's own, as strings, exactly as serverless-offline passes them. */
  environment: Record<string, string>;
}

export interface FunctionManifest {
  service: string;
  region: string;
  functions: ManifestFunction[];
}

/** The parts of osls's resolved configuration the manifest is made of. */
export interface ManifestInput {
  serviceDir: string;
  service: string;
  provider: {
    region?: string;
    timeout?: number;
    memorySize?: number;
    environment?: Record<string, unknown>;
  };
  /** `custom['serverless-offline'].location` merged with the CLI's `--location`: where the code runs from. */
  location?: string;
  functions: Array<{
    key: string;
    name: string;
    handler?: string;
    timeout?: number;
    memorySize?: number;
    environment?: Record<string, unknown>;
  }>;
}

// osls's (and serverless-offline's) defaults when neither the function nor the provider sets them.
const DEFAULT_TIMEOUT_SECONDS = 6;
const DEFAULT_MEMORY_MB = 1024;
const DEFAULT_REGION = 'us-east-1';

export function functionManifest(input: ManifestInput): FunctionManifest {
  const location = input.location ?? '';
  const codeDir = isAbsolute(location) ? location : resolve(input.serviceDir, location);
  return {
    service: input.service,
    region: input.provider.region ?? DEFAULT_REGION,
    functions: input.functions
      // Functions without a handler (container images) are not run locally.
      .filter((fn) => typeof fn.handler === 'string')
      .map((fn) => ({
        key: fn.key,
        name: fn.name,
        handler: fn.handler!,
        codeDir,
        timeout: Number(fn.timeout ?? input.provider.timeout ?? DEFAULT_TIMEOUT_SECONDS),
        memorySize: Number(fn.memorySize ?? input.provider.memorySize ?? DEFAULT_MEMORY_MB),
        environment: {
          ...environmentStrings(input.provider.environment),
          ...environmentStrings(fn.environment),
        },
      })),
  };
}

/**
 * serverless-offline renders `Fn::Join` and `Fn::Sub` (without looking anything up) and assigns the
 * rest to process.env, which turns any other intrinsic into "[object Object]": the same here, so a
 * function sees the same value in the local cloud's containers as in serverless-offline.
 */
function environmentStrings(environment: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment ?? {})
      .filter(([, value]) => value !== undefined && value !== null)
      .map(([name, value]) => [name, String(renderIntrinsic(value))]),
  );
}

function renderIntrinsic(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renderIntrinsic);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  for (const [key, argument] of entries) {
    if (key === 'Fn::Join' && Array.isArray(argument)) {
      const [delimiter, list] = argument as [string, unknown[]];
      return list.map(renderIntrinsic).join(delimiter);
    }
    if (key === 'Fn::Sub' && Array.isArray(argument)) {
      const [template, variables] = argument as [string, Record<string, unknown>];
      return template.replaceAll(/\${(.*?)}/g, (match, name: string) =>
        name in variables ? String(variables[name]) : match,
      );
    }
  }
  return value;
}
