/**
 * A deployed stage's settings: one file per stage, `stages/<stage>.yml` at the repository's root,
 * read by every service (`custom.herald.stages` names the folder), and the check that stops a package
 * or deploy whose settings are missing or malformed, naming each setting and where to set it.
 *
 * Where a service's `${param:<name>}` comes from, first that has it:
 *   1. `--param <name>=<value>` (serverless-compose passes processing's outputs this way);
 *   2. the stage file: its top-level settings (for every service that has the param), then the
 *      service's own section (`ingest:`, `processing:`...), and, for `serverless package` only, its
 *      `offline:` section (below);
 *   3. the service's `params.default`, where a value another service publishes is
 *      `${heraldPublished:<owner>/<name>}`: the SSM parameter `/herald/<stage>/<owner>/<name>` the
 *      owner writes when it deploys (plugin.ts reads it).
 * The `local` stage is the local cloud's: its settings are the `params.local` blocks, literal, and no
 * stage file or AWS is involved.
 *
 * `offline:` holds published values keyed `<owner>/<name>`, for packaging without AWS (CI packages
 * the sample prod stage this way). A deploy ignores it and reads SSM, so stand-ins never reach a stack.
 *
 * Plain functions over plain data: plugin.ts reads the files, SSM and osls's configuration.
 */
export const LOCAL_STAGE = 'local';
/** The stage file's section of published values for packaging without AWS. */
export const OFFLINE_SECTION = 'offline';
/** The stage file's services (each its own section). */
export const SERVICES = ['ingest', 'processing', 'notifications', 'tenants', 'console'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The variable source of published values: `${heraldPublished:<owner>/<name>}`. */
export const PUBLISHED_SOURCE = 'heraldPublished';
const PUBLISHED_VARIABLE = new RegExp(`^\\$\\{${PUBLISHED_SOURCE}:([a-z]+/[A-Za-z]+)\\}$`);

/** The SSM parameter a published value lives in. */
export const publishedParameter = (stage: string, published: string) => `/herald/${stage}/${published}`;

/** `<owner>/<name>` of a param whose default is `${heraldPublished:<owner>/<name>}`, if it is one. */
export function publishedName(rawDefault: unknown): string | undefined {
  return typeof rawDefault === 'string' ? PUBLISHED_VARIABLE.exec(rawDefault)?.[1] : undefined;
}

/**
 * Settings a stage file may give at its top level, for every service that has the param: the identity
 * provider, who hears of alarms, which pages may call the APIs, how long logs stay, whether tables
 * and buckets may be deleted. Anything else belongs to a service's section.
 */
export const SHARED_SETTINGS = [
  'authIssuer',
  'authAudience',
  'authJwksUrl',
  'alarmSubscribers',
  'allowedOrigins',
  'logRetentionDays',
  'logLevel',
  'deletionProtection',
] as const;

type Rule = {
  /** A deployed stage must set it in its stage file (the default, if any, is a stand-in). */
  required?: boolean;
  /** What is wrong with a value, or undefined if it is fine. */
  malformed?: (value: unknown) => string | undefined;
};

const text = (value: unknown) => (typeof value === 'string' ? value : String(value ?? ''));
const isEmpty = (value: unknown) => value === undefined || value === null || text(value).trim() === '';
const list = (value: unknown) =>
  text(value)
    .split(/[\s,]+/)
    .filter(Boolean);

function httpsUrl(value: unknown): string | undefined {
  try {
    const url = new URL(text(value));
    return url.protocol === 'https:' ? undefined : 'is not an https URL';
  } catch {
    return 'is not an https URL';
  }
}
function httpsOrigin(value: unknown): string | undefined {
  if (httpsUrl(value)) return 'is not an https origin (https://host, no path or trailing slash)';
  return new URL(text(value)).origin === text(value)
    ? undefined
    : 'is not an https origin (https://host, no path or trailing slash)';
}
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const arn = (service: string, resource: RegExp, what: string) => (value: unknown) =>
  new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:\\d{12}:${resource.source}$`).test(text(value))
    ? undefined
    : `is not ${what}`;

function jwks(value: unknown): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text(value));
  } catch {
    return 'is not JSON (a JWKS: {"keys":[...]})';
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return 'is not a JWKS ({"keys":[...]})';
  if (keys.length === 0) return 'has no key: every envelope would be refused';
  const bad = keys.find((key: { kty?: unknown; crv?: unknown; kid?: unknown; x?: unknown; d?: unknown }) => {
    return (
      key?.kty !== 'OKP' || key.crv !== 'Ed25519' || typeof key.kid !== 'string' || typeof key.x !== 'string'
    );
  });
  if (bad !== undefined) return 'holds a key that is not an Ed25519 public key with a kid';
  if (keys.some((key: { d?: unknown }) => key.d !== undefined))
    return 'holds a private key (d): publish public keys only';
  return undefined;
}

/** What each setting must be, by param name (a param not listed need only keep its default's type). */
export const RULES: Record<string, Rule> = {
  authIssuer: { required: true, malformed: httpsUrl },
  authJwksUrl: { required: true, malformed: httpsUrl },
  alarmSubscribers: {
    malformed: (value) => {
      const bad = list(value).find((entry) => !EMAIL.test(entry) && httpsUrl(entry) !== undefined);
      return bad === undefined ? undefined : `holds '${bad}', neither an e-mail address nor an https URL`;
    },
  },
  // allowedOrigins is checked where it is read, serverless.cors.cjs, which refuses a wildcard.
  ingestPublicKeys: { malformed: jwks },
  inboundQueueUrl: {
    malformed: (value) =>
      /^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/\d{12}\/[\w-]+$/.test(text(value))
        ? undefined
        : 'is not an SQS queue URL',
  },
  inboundQueueArn: { malformed: arn('sqs', /[\w-]+/, 'an SQS queue ARN') },
  processingKeyArn: { malformed: arn('kms', /key\/[0-9a-f-]{36}/, 'a KMS key ARN') },
  eventBusName: {
    malformed: (value) => (/^[\w.-]{1,256}$/.test(text(value)) ? undefined : 'is not an event bus name'),
  },
  eventBusArn: { malformed: arn('events', /event-bus\/[\w.-]+/, 'an EventBridge event bus ARN') },
  ingestUrl: { malformed: httpsOrigin },
  processingUrl: { malformed: httpsOrigin },
  notificationsUrl: { malformed: httpsOrigin },
  emailFrom: {
    required: true,
    malformed: (value) => (EMAIL.test(text(value)) ? undefined : 'is not an e-mail address'),
  },
  emailIdentity: {
    required: true,
    malformed: (value) =>
      EMAIL.test(text(value)) || DOMAIN.test(text(value))
        ? undefined
        : 'is neither a domain nor an e-mail address',
  },
  domainName: {
    required: true,
    malformed: (value) => (DOMAIN.test(text(value)) ? undefined : 'is not a host name'),
  },
  // CloudFront takes certificates from us-east-1 only.
  certificateArn: {
    required: true,
    malformed: (value) =>
      /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/.test(text(value))
        ? undefined
        : 'is not an ACM certificate ARN in us-east-1 (CloudFront takes no other region)',
  },
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export interface StageFile {
  /** As the message shows it, e.g. stages/prod.yml. */
  path: string;
  /** Its parsed content; undefined when there is no such file. */
  content: unknown;
}

export interface StageParams {
  /** What goes into the service's `params.<stage>`: the stage file's values for this service. */
  params: Record<string, unknown>;
  /** Which of them came from the offline section (the rest from the file's settings). */
  offline: string[];
  /** What is wrong with the file's shape, one message each. */
  problems: string[];
}

/**
 * The stage file's values for one service, by param name, and what is wrong with the file's shape:
 * no file, a key no service knows, a value whose type differs from the param's default.
 */
export function stageParams(
  service: ServiceName,
  stage: string,
  file: StageFile,
  /** The service's `params.default`, as written (published values as `${heraldPublished:...}`). */
  defaults: Record<string, unknown>,
  /** `serverless package`: the offline section stands in for SSM. */
  offline: boolean,
): StageParams {
  if (file.content === undefined)
    return {
      params: {},
      offline: [],
      problems: [
        `No settings for stage '${stage}': create ${file.path} (stages/prod.yml is a sample; stages/README.md lists every setting)`,
      ],
    };
  if (!isRecord(file.content))
    return { params: {}, offline: [], problems: [`${file.path} is not a map of settings`] };
  const problems: string[] = [];
  const params: Record<string, unknown> = {};
  const take = (name: string, value: unknown, where: string) => {
    const problem = typeProblem(value, defaults[name]);
    if (problem) problems.push(`Setting '${where}' for stage '${stage}' ${problem}: fix it in ${file.path}`);
    else params[name] = value;
  };
  for (const [key, value] of Object.entries(file.content)) {
    if ((SHARED_SETTINGS as readonly string[]).includes(key)) {
      if (key in defaults) take(key, value, key);
    } else if (!(SERVICES as readonly string[]).includes(key) && key !== OFFLINE_SECTION) {
      problems.push(
        `Unknown setting '${key}' in ${file.path}: the top level takes ${SHARED_SETTINGS.join(', ')}; ` +
          `a service's own settings go under ${SERVICES.join(':, ')}:`,
      );
    } else if (value !== null && !isRecord(value)) {
      problems.push(`'${key}' in ${file.path} is not a map of settings`);
    }
  }
  const own = file.content[service];
  if (isRecord(own)) {
    for (const [key, value] of Object.entries(own)) {
      // A published value may be set here too (the console's API URLs, for custom domains): it wins.
      if (!(key in defaults))
        problems.push(
          `Unknown setting '${service}.${key}' in ${file.path}: ${service} has no such param (its serverless.yml's params.default lists them)`,
        );
      else take(key, value, `${service}.${key}`);
    }
  }
  const given = file.content[OFFLINE_SECTION];
  const fromOffline: string[] = [];
  if (offline && isRecord(given)) {
    for (const [name, raw] of Object.entries(defaults)) {
      const published = publishedName(raw);
      if (published === undefined || !(published in given) || name in params) continue;
      params[name] = given[published];
      fromOffline.push(name);
    }
  }
  return { params, offline: fromOffline, problems };
}

/** A stage file's value must be of its default's kind (a default that is no scalar takes any scalar). */
function typeProblem(value: unknown, fallback: unknown): string | undefined {
  if (value === null || value === undefined) return 'is empty';
  const kind = (v: unknown) => (Array.isArray(v) ? 'list' : typeof v);
  if (['number', 'boolean', 'string', 'list'].includes(kind(fallback))) {
    if (kind(value) !== kind(fallback))
      return `is ${kind(value) === 'object' ? 'a map' : `a ${kind(value)}`} (${JSON.stringify(value)}), where a ${kind(fallback)} is expected`;
    return undefined;
  }
  return isRecord(value) ? 'is a map, where a single value is expected' : undefined;
}

/** Where an effective value came from. */
export type Origin = 'cli' | 'stage file' | 'offline' | 'default' | 'published';

/** What reading a published value's SSM parameter gave. */
export type PublishedOutcome =
  | { read: 'found' }
  | { read: 'not found' }
  | { read: 'failed'; error: string }
  /** Not read: given with --param, in the offline section, or not needed. */
  | { read: 'skipped' };

export interface SettingsFacts {
  service: ServiceName;
  stage: string;
  /** The stage file's path as messages show it. */
  file: string;
  command: 'package' | 'deploy';
  /** Each param's effective value, and where it came from. */
  values: Record<string, { value: unknown; origin: Origin }>;
  /** The params whose default is a published value: param name to `<owner>/<name>`. */
  published: Record<string, string>;
  /** What reading each published param's SSM parameter gave, by param name. */
  outcomes: Record<string, PublishedOutcome>;
}

/**
 * Every missing or malformed setting of a service for a deployed stage, each message naming the
 * setting and where to set it.
 */
export function checkSettings(facts: SettingsFacts): string[] {
  const { stage, file } = facts;
  const problems: string[] = [];
  for (const [name, { value, origin }] of Object.entries(facts.values)) {
    const published = facts.published[name];
    const rule = RULES[name];
    // A required setting's default, where it has one, is a stand-in: the stage must give its own.
    if (rule?.required && published === undefined && (isEmpty(value) || origin === 'default')) {
      problems.push(`Missing setting '${name}' for stage '${stage}': set it in ${file}`);
      continue;
    }
    if (isEmpty(value)) {
      if (published !== undefined) problems.push(missingPublished(facts, name, published));
      continue;
    }
    const problem = rule?.malformed?.(value);
    if (problem === undefined) continue;
    const shown = text(value).length > 80 ? `${text(value).slice(0, 77)}...` : text(value);
    problems.push(
      `Setting '${name}' for stage '${stage}' ${problem} ('${shown}'): ${whereToFix(facts, name, origin)}`,
    );
  }
  return problems;
}

function whereToFix(facts: SettingsFacts, name: string, origin: Origin): string {
  const published = facts.published[name];
  switch (origin) {
    case 'cli':
      return `it was given with --param ${name}=...`;
    case 'offline':
      return `fix ${published} under ${OFFLINE_SECTION}: in ${facts.file}`;
    case 'published':
      return `SSM parameter ${publishedParameter(facts.stage, published!)} holds it (its owner, ${published!.split('/')[0]}, publishes it)`;
    case 'default':
      return `set it in ${facts.file} (the default does not fit a deployed stage)`;
    default:
      return `fix it in ${facts.file}`;
  }
}

function missingPublished(facts: SettingsFacts, name: string, published: string): string {
  const { stage, file } = facts;
  const owner = published.split('/')[0];
  const parameter = publishedParameter(stage, published);
  const offlineRoute = `to package without AWS, give ${published} under ${OFFLINE_SECTION}: in ${file}`;
  const outcome = facts.outcomes[name] ?? { read: 'skipped' };
  const head = `Missing '${name}' for stage '${stage}', which ${owner} publishes as SSM parameter ${parameter}`;
  if (outcome.read === 'not found') {
    const who =
      published === 'ingest/publicKeys'
        ? `run \`npm run bootstrap -- --stage ${stage}\`, which writes it`
        : `deploy ${owner} to stage '${stage}' first`;
    return `${head}: not found; ${who} (or ${offlineRoute})`;
  }
  if (outcome.read === 'failed') return `${head}: it could not be read (${outcome.error}); ${offlineRoute}`;
  if (facts.command === 'package')
    return `${head}: ${offlineRoute}, or package with AWS credentials to read it`;
  return `${head}: it is empty`;
}
