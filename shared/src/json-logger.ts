/**
 * JSON log lines as Powertools Logger wrote them (same keys, same order, same levels and variables),
 * without Powertools: its logger and commons were 21 KB of every function's bundle, most of it
 * log buffering, debug sampling per invocation, correlation-id search and Lambda Managed
 * Instances' per-invocation stores, none of which Herald uses. Kept: the levels and
 * POWERTOOLS_LOG_LEVEL / LOG_LEVEL / AWS_LAMBDA_LOG_LEVEL, POWERTOOLS_LOGGER_SAMPLE_RATE, the Lambda
 * context fields, the X-Ray trace id, persistent and temporary keys, child loggers, reserved keys,
 * errors as objects, a JSON replacer, and lines to stdout (errors and warnings to stderr).
 */
import { randomInt } from 'node:crypto';
import type { Context } from 'aws-lambda';

const LEVELS = { TRACE: 6, DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
export type LogLevel = keyof typeof LEVELS;

const RESERVED_KEYS = new Set(['level', 'message', 'sampling_rate', 'service', 'timestamp']);

type Attributes = Record<string, unknown>;
export type JsonReplacer = (key: string, value: unknown) => unknown;

export interface LoggerOptions {
  serviceName?: string;
  jsonReplacerFn?: JsonReplacer;
  logLevel?: LogLevel;
  persistentKeys?: Attributes;
}

interface LambdaFields {
  cold_start: boolean;
  function_arn: string;
  function_memory_size: string;
  function_name: string;
  function_request_id: string;
  tenant_id?: string;
}

const isLevel = (value: unknown): value is LogLevel => typeof value === 'string' && value in LEVELS;

/** The Root of _X_AMZN_TRACE_ID (`Root=1-…;Parent=…;Sampled=1`), or the whole value when it has no fields. */
function traceId(): string | undefined {
  const awslambda = (globalThis as { awslambda?: { InvokeStore?: { getXRayTraceId(): string | undefined } } })
    .awslambda;
  const value = awslambda?.InvokeStore?.getXRayTraceId() ?? process.env._X_AMZN_TRACE_ID ?? '';
  if (value === '') return undefined;
  if (!value.includes('=')) return value;
  for (const field of value.split(';')) {
    const [key, fieldValue] = field.split('=');
    if (key === 'Root') return fieldValue;
  }
  return undefined;
}

/** The first `(file:line:column)` of a stack, as `file:line`. */
function location(stack: string | undefined): string {
  for (const line of stack?.split('\n') ?? []) {
    const match = /\(([^()]*?):(\d+?):(\d+?)\)\\?$/.exec(line);
    if (match) return `${match[1]}:${Number(match[2])}`;
  }
  return '';
}

function formatError(error: Error): Attributes {
  const { name, message, stack, cause } = error;
  const formatted: Attributes = {
    name,
    location: location(stack),
    message,
    stack,
    cause: cause instanceof Error ? formatError(cause) : cause,
  };
  for (const key in error) {
    if (!['name', 'message', 'stack', 'cause'].includes(key))
      formatted[key] = (error as unknown as Attributes)[key];
  }
  return formatted;
}

export class JsonLogger {
  readonly #service: string;
  readonly #replacer: JsonReplacer | undefined;
  readonly #samplingRate: number;
  /** AWS_LAMBDA_LOG_LEVEL (Lambda's advanced logging controls) wins over everything else. */
  readonly #lambdaLevel: LogLevel | undefined;
  #level: number;
  #persistent: Attributes;
  #temporary: Attributes = {};
  #lambda: LambdaFields | undefined;
  // As Powertools: only an on-demand container has a cold start (not provisioned concurrency).
  #coldStart = process.env.AWS_LAMBDA_INITIALIZATION_TYPE?.trim() === 'on-demand';

  constructor(options: LoggerOptions = {}) {
    this.#service = options.serviceName || process.env.POWERTOOLS_SERVICE_NAME || 'service_undefined';
    this.#replacer = options.jsonReplacerFn;
    this.#persistent = { ...options.persistentKeys };
    const lambdaLevel =
      process.env.AWS_LAMBDA_LOG_LEVEL === 'FATAL' ? 'CRITICAL' : process.env.AWS_LAMBDA_LOG_LEVEL;
    this.#lambdaLevel = isLevel(lambdaLevel) ? lambdaLevel : undefined;
    const variable = process.env.POWERTOOLS_LOG_LEVEL || process.env.LOG_LEVEL;
    const level =
      this.#lambdaLevel ??
      (isLevel(options.logLevel) ? options.logLevel : isLevel(variable) ? variable : 'INFO');
    this.#level = LEVELS[level];
    const rate = Number(process.env.POWERTOOLS_LOGGER_SAMPLE_RATE ?? 0);
    this.#samplingRate = Number.isFinite(rate) && rate >= 0 && rate <= 1 ? rate : 0;
    if (this.#samplingRate && randomInt(0, 100) / 100 <= this.#samplingRate && this.#level > LEVELS.TRACE) {
      this.setLogLevel('DEBUG');
      this.debug('Setting log level to DEBUG due to sampling rate');
    }
  }

  setLogLevel(level: LogLevel): void {
    if (this.#lambdaLevel !== undefined) return;
    if (!isLevel(level)) throw new Error(`Invalid log level: ${String(level)}`);
    this.#level = LEVELS[level];
  }

  getLevelName(): LogLevel {
    return (Object.keys(LEVELS) as LogLevel[]).find((name) => LEVELS[name] === this.#level)!;
  }

  /** The invocation's context: its fields go on every line, cold_start true for an on-demand container's first. */
  addContext(
    context: Pick<Context, 'invokedFunctionArn' | 'awsRequestId' | 'memoryLimitInMB' | 'functionName'> & {
      tenantId?: string;
    },
  ): void {
    this.#lambda = {
      cold_start: this.#coldStart,
      function_arn: context.invokedFunctionArn,
      function_memory_size: context.memoryLimitInMB,
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
      tenant_id: context.tenantId,
    };
    this.#coldStart = false;
  }

  /** Keys on every line until resetKeys. */
  appendKeys(attributes: Attributes): void {
    Object.assign(this.#temporary, this.#allowed(attributes));
  }

  /** Keys on every line of this logger. */
  appendPersistentKeys(attributes: Attributes): void {
    Object.assign(this.#persistent, this.#allowed(attributes));
  }

  resetKeys(): void {
    this.#temporary = {};
  }

  /** A logger with this one's settings, context and keys, and `persistentKeys` besides. */
  createChild(options: { persistentKeys?: Attributes } = {}): JsonLogger {
    const child = new JsonLogger({
      serviceName: this.#service,
      jsonReplacerFn: this.#replacer,
      logLevel: this.getLevelName(),
      persistentKeys: { ...this.#persistent, ...options.persistentKeys },
    });
    child.#lambda = this.#lambda;
    child.#temporary = { ...this.#temporary };
    return child;
  }

  trace(message: string | Attributes, ...extra: unknown[]): void {
    this.#log('TRACE', message, extra);
  }
  debug(message: string | Attributes, ...extra: unknown[]): void {
    this.#log('DEBUG', message, extra);
  }
  info(message: string | Attributes, ...extra: unknown[]): void {
    this.#log('INFO', message, extra);
  }
  warn(message: string | Attributes, ...extra: unknown[]): void {
    this.#log('WARN', message, extra);
  }
  error(message: string | Attributes, ...extra: unknown[]): void {
    this.#log('ERROR', message, extra);
  }
  critical(message: string | Attributes, ...extra: unknown[]): void {
    this.#log('CRITICAL', message, extra);
  }

  #allowed(attributes: Attributes): Attributes {
    const allowed: Attributes = {};
    for (const [key, value] of Object.entries(attributes)) {
      if (RESERVED_KEYS.has(key)) this.warn(`The key "${key}" is a reserved key and will be dropped.`);
      else allowed[key] = value;
    }
    return allowed;
  }

  #log(level: LogLevel, input: string | Attributes, extra: readonly unknown[]): void {
    if (LEVELS[level] < this.#level) return;
    const attributes: Attributes = { ...this.#persistent, ...this.#temporary };
    let message: unknown = input;
    if (typeof input !== 'string') {
      const { message: inputMessage, ...rest } = input;
      message = inputMessage;
      Object.assign(attributes, this.#allowed(rest));
    }
    for (const item of extra) {
      if (item === null || item === undefined) continue;
      if (item instanceof Error) attributes.error = item;
      else if (typeof item === 'string') attributes.extra = item;
      else Object.assign(attributes, this.#allowed(item as Attributes));
    }
    const line: Attributes = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.#service,
      cold_start: this.#lambda?.cold_start,
      function_arn: this.#lambda?.function_arn,
      function_memory_size: this.#lambda?.function_memory_size,
      function_name: this.#lambda?.function_name,
      function_request_id: this.#lambda?.function_request_id,
      sampling_rate: this.#samplingRate,
      xray_trace_id: traceId(),
      tenant_id: this.#lambda?.tenant_id,
      ...attributes,
    };
    for (const key of Object.keys(line)) {
      if (line[key] === undefined || line[key] === '' || line[key] === null) delete line[key];
    }
    const text = `${JSON.stringify(line, this.#jsonReplacer())}\n`;
    if (LEVELS[level] >= LEVELS.WARN) process.stderr.write(text);
    else process.stdout.write(text);
  }

  /** The replacer given, then errors as objects, bigints as strings and circular references left out. */
  #jsonReplacer(): (this: unknown, key: string, value: unknown) => unknown {
    const ancestors: unknown[] = [];
    const replacer = this.#replacer;
    return function (this: unknown, key, value) {
      let replaced = replacer ? replacer(key, value) : value;
      if (replaced instanceof Error) replaced = formatError(replaced);
      if (typeof replaced === 'bigint') return replaced.toString();
      if (typeof replaced === 'object' && replaced !== null) {
        while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
        if (ancestors.includes(replaced)) return undefined;
        ancestors.push(replaced);
      }
      return replaced;
    };
  }
}
