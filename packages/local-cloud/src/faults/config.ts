/**
 * What faults to inject, from HERALD_FAULTS or the `faults` option of startLocalCloud, checked in one
 * place so a typo fails the start with a sentence instead of silently testing nothing.
 *
 *   HERALD_FAULTS="aws=0.05,crash=0.01,stream=0.02,seed=42"
 *   HERALD_FAULTS="sqs=0.05,dynamodb=0.1,events=0.05,kms=0.05,s3=0.05"
 *   HERALD_FAULTS="aws=0.05,sticky=1"   every faulted call fails through the SDK's retries
 *
 * `aws` sets every AWS service at once; a service named on its own wins over it, wherever it stands.
 */

/** The AWS services whose calls from functions can fail (in the fault stage of their IAM gateway). */
export const FAULTY_SERVICES = ['sqs', 'dynamodb', 'events', 'kms', 's3'] as const;
export type FaultyService = (typeof FAULTY_SERVICES)[number];

export interface FaultRates {
  /** Per service: the share of HTTP requests (SDK attempts) that fail. */
  aws: Record<FaultyService, number>;
  /** The share of invocations by event sources that crash after running on part of their batch. */
  crash: number;
  /** The share of DynamoDB stream batches that fail before the function runs. */
  stream: number;
  /**
   * The share of faulted SDK calls whose retries fail too, so the fault reaches the calling code
   * (default 0: each attempt is drawn on its own, and the SDK's retries absorb most faults).
   */
  sticky: number;
}

export interface FaultConfig extends FaultRates {
  /** Seeds the random choices, so a run's rates (not its interleaving) repeat. */
  seed: number;
}

/** The `faults` option: the HERALD_FAULTS text, or the same settings as an object. */
export type FaultOptions =
  | string
  | (Partial<Record<FaultyService | 'aws' | 'crash' | 'stream' | 'sticky', number>> & { seed?: number });

export class FaultConfigError extends Error {
  override readonly name = 'FaultConfigError';
}

const ALIASES: Record<string, FaultyService> = { eventbridge: 'events' };
const RATE_NAMES = new Set<string>(['aws', ...FAULTY_SERVICES, 'crash', 'stream', 'sticky']);
const KNOWN = [...RATE_NAMES, 'seed'].join(', ');
const DEFAULT_SEED = 1;

function rate(name: string, value: unknown): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new FaultConfigError(
      `fault rate ${name}=${String(value)} must be a number from 0 to 1 (0.05 is 5%)`,
    );
  }
  return number;
}

function seed(value: unknown): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) {
    throw new FaultConfigError(`fault seed=${String(value)} must be a whole number`);
  }
  return number;
}

/** `name=value` pairs, comma separated; each name once. */
function pairsOf(text: string): Array<[string, string]> {
  const seen = new Set<string>();
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.indexOf('=');
      if (at <= 0) throw new FaultConfigError(`"${part}" is not name=value (known names: ${KNOWN})`);
      const name = part.slice(0, at).trim().toLowerCase();
      if (seen.has(name)) throw new FaultConfigError(`${name} is given twice`);
      seen.add(name);
      return [name, part.slice(at + 1).trim()];
    });
}

/** Settings by canonical name, each checked: rates from 0 to 1, a whole-number seed. */
function settingsOf(options: FaultOptions): Map<string, number> {
  const entries: Array<[string, unknown]> =
    typeof options === 'string' ? pairsOf(options) : Object.entries(options);
  const settings = new Map<string, number>();
  for (const [raw, value] of entries) {
    const name = ALIASES[raw] ?? raw;
    if (name !== 'seed' && !RATE_NAMES.has(name))
      throw new FaultConfigError(`unknown fault setting "${raw}" (known: ${KNOWN}; eventbridge = events)`);
    if (settings.has(name)) throw new FaultConfigError(`${name} is given twice`);
    if (value !== undefined) settings.set(name, name === 'seed' ? seed(value) : rate(name, value));
  }
  return settings;
}

/** `settings` laid over `base`: a service named alone wins over `aws`, whatever the order. */
function overlay(base: FaultRates, settings: ReadonlyMap<string, number>): FaultRates {
  const all = settings.get('aws');
  const aws = Object.fromEntries(
    FAULTY_SERVICES.map((service) => [service, settings.get(service) ?? all ?? base.aws[service]]),
  ) as Record<FaultyService, number>;
  return {
    aws,
    crash: settings.get('crash') ?? base.crash,
    stream: settings.get('stream') ?? base.stream,
    sticky: settings.get('sticky') ?? base.sticky,
  };
}

export const NO_FAULTS: FaultRates = {
  aws: { sqs: 0, dynamodb: 0, events: 0, kms: 0, s3: 0 },
  crash: 0,
  stream: 0,
  sticky: 0,
};

/** The configuration, or undefined when no fault is asked for (no proxies: nothing changes). */
export function parseFaults(options: FaultOptions | undefined): FaultConfig | undefined {
  if (options === undefined) return undefined;
  const settings = settingsOf(options);
  if (typeof options === 'string' && settings.size === 0) return undefined;
  return { ...overlay(NO_FAULTS, settings), seed: settings.get('seed') ?? DEFAULT_SEED };
}

/** The rates after a change at run time: only the settings named change (the seed stays). */
export function changeRates(current: FaultRates, change: FaultOptions): FaultRates {
  const settings = settingsOf(change);
  if (settings.has('seed')) throw new FaultConfigError('the seed is fixed when the local cloud starts');
  return overlay(current, settings);
}

/** The settings as HERALD_FAULTS would spell them, for log lines and reports. */
export function describeFaults(config: FaultRates & { seed?: number }): string {
  const services = FAULTY_SERVICES.map((service) => `${service}=${config.aws[service]}`);
  const seedPart = config.seed === undefined ? [] : [`seed=${config.seed}`];
  const sticky = config.sticky > 0 ? [`sticky=${config.sticky}`] : [];
  return [...services, `crash=${config.crash}`, `stream=${config.stream}`, ...sticky, ...seedPart].join(',');
}
