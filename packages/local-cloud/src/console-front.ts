/**
 * The web console as CloudFront serves it, on loopback: services/console/dist with the response
 * headers of the template's ResponseHeadersPolicy, the SPA routing of its CloudFront Function (a path
 * whose last segment has no dot is index.html), the deploy step's Content-Type and Cache-Control, and
 * `/config.json` written from the same declaration the deploy step writes it from
 * (`custom.herald.site.config`), with this local cloud's issuer and service URLs.
 *
 * Headers and config are read from services/console/serverless.yml, with `${param:...}` taken from the
 * values the local cloud passes (its real ports), then the local stage's params, then the defaults:
 * a header changed in the template changes here too.
 *
 * The build (vite, `npm run build -w @herald/console`) runs when dist/ is missing or older than any
 * source; until it is done, and if it fails, the front answers 503 saying why.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, normalize, sep } from 'node:path';
import yaml from 'js-yaml';
import { cacheControl, contentType } from '@herald/serverless-plugin/site';
import { listenOnLoopback, type PortUse } from './ports';
import { repositoryRoot } from './repository';

export const CONSOLE_DIR = join(repositoryRoot, 'services', 'console');

// serverless.yml's CloudFormation tags, read as the plain objects osls makes of them.
const TAGS = ['Ref', 'GetAtt', 'Sub', 'Join', 'If', 'Equals', 'Not', 'Select', 'Split', 'FindInMap'];
const SCHEMA = yaml.DEFAULT_SCHEMA.extend(
  TAGS.flatMap((tag) => {
    const name = tag === 'Ref' ? 'Ref' : `Fn::${tag}`;
    return (['scalar', 'sequence', 'mapping'] as const).map(
      (kind) => new yaml.Type(`!${tag}`, { kind, construct: (data: unknown) => ({ [name]: data }) }),
    );
  }),
);

interface ServerlessYml {
  params?: Record<string, Record<string, unknown>>;
  custom?: Record<string, unknown>;
  resources?: { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
}

/** `${param:x}`, `${self:a.b}` and `${sls:stage}` of the local stage, with `params` first. */
function resolver(doc: ServerlessYml, params: Record<string, string>) {
  const param = (name: string): unknown =>
    params[name] ?? doc.params?.local?.[name] ?? doc.params?.default?.[name];
  const self = (path: string): unknown =>
    path.split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], doc);
  const resolve = (value: unknown, depth = 0): unknown => {
    if (depth > 10) throw new Error('serverless.yml: variables nested too deep');
    if (typeof value === 'string') {
      const whole = /^\$\{(param|self):([^}]+)\}$/.exec(value);
      if (whole) return resolve(whole[1] === 'param' ? param(whole[2]!) : self(whole[2]!), depth + 1);
      return value.replace(/\$\{(param|self|sls):([^}]+)\}/g, (_, source: string, name: string) => {
        const found =
          source === 'sls'
            ? name === 'stage'
              ? 'local'
              : ''
            : source === 'param'
              ? param(name)
              : self(name);
        if (found === undefined) throw new Error(`serverless.yml: \${${source}:${name}} has no value`);
        return String(resolve(found, depth + 1));
      });
    }
    if (Array.isArray(value)) return value.map((item) => resolve(item, depth + 1));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, depth + 1)]));
    return value;
  };
  return resolve;
}

interface HeadersPolicy {
  SecurityHeadersConfig?: {
    ContentSecurityPolicy?: { ContentSecurityPolicy: string };
    StrictTransportSecurity?: {
      AccessControlMaxAgeSec: number;
      IncludeSubdomains?: boolean;
      Preload?: boolean;
    };
    ContentTypeOptions?: unknown;
    ReferrerPolicy?: { ReferrerPolicy: string };
    FrameOptions?: { FrameOption: string };
  };
  CustomHeadersConfig?: { Items?: Array<{ Header: string; Value: string }> };
}

/** The HTTP headers CloudFront adds for a ResponseHeadersPolicyConfig. */
export function policyHeaders(policy: HeadersPolicy): Record<string, string> {
  const security = policy.SecurityHeadersConfig ?? {};
  const headers: Record<string, string> = {};
  if (security.ContentSecurityPolicy)
    headers['content-security-policy'] = security.ContentSecurityPolicy.ContentSecurityPolicy;
  const hsts = security.StrictTransportSecurity;
  if (hsts)
    headers['strict-transport-security'] = [
      `max-age=${hsts.AccessControlMaxAgeSec}`,
      ...(hsts.IncludeSubdomains ? ['includeSubDomains'] : []),
      ...(hsts.Preload ? ['preload'] : []),
    ].join('; ');
  if (security.ContentTypeOptions) headers['x-content-type-options'] = 'nosniff';
  if (security.ReferrerPolicy) headers['referrer-policy'] = security.ReferrerPolicy.ReferrerPolicy;
  if (security.FrameOptions) headers['x-frame-options'] = security.FrameOptions.FrameOption;
  for (const item of policy.CustomHeadersConfig?.Items ?? []) headers[item.Header.toLowerCase()] = item.Value;
  return headers;
}

export interface ConsoleSettings {
  /** Response headers, as the distribution's ResponseHeadersPolicy adds them. */
  headers: Record<string, string>;
  /** `/config.json`'s body. */
  config: Record<string, unknown>;
}

/** Headers and config.json from the console's serverless.yml, its params overridden by `params`. */
export function consoleSettings(yamlText: string, params: Record<string, string>): ConsoleSettings {
  const doc = yaml.load(yamlText, { schema: SCHEMA }) as ServerlessYml;
  const resolve = resolver(doc, params);
  const policies = Object.values(doc.resources?.Resources ?? {}).filter(
    (resource) => resource.Type === 'AWS::CloudFront::ResponseHeadersPolicy',
  );
  if (policies.length !== 1)
    throw new Error('serverless.yml: expected one AWS::CloudFront::ResponseHeadersPolicy');
  const policy = resolve(policies[0]!.Properties?.ResponseHeadersPolicyConfig) as HeadersPolicy;
  const site = (doc.custom?.herald as { site?: { config?: unknown } } | undefined)?.site;
  return { headers: policyHeaders(policy), config: resolve(site?.config ?? {}) as Record<string, unknown> };
}

/** The newest modification time of the console's sources (what a build reads). */
async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  const visit = async (path: string): Promise<void> => {
    const info = await stat(path).catch(() => undefined);
    if (!info) return;
    if (!info.isDirectory()) {
      newest = Math.max(newest, info.mtimeMs);
      return;
    }
    for (const entry of await readdir(path)) await visit(join(path, entry));
  };
  const entries = await readdir(dir).catch(() => [] as string[]);
  const inputs = entries.filter(
    (name) =>
      ['src', 'public', 'index.html', 'package.json'].includes(name) ||
      /^(vite|tsconfig)\..*(js|ts|json)$/.test(name) ||
      name === 'tsconfig.json',
  );
  for (const name of inputs) await visit(join(dir, name));
  return newest;
}

/** True when dist/index.html is missing or older than a source. */
export async function consoleBuildStale(dir = CONSOLE_DIR): Promise<boolean> {
  const built = await stat(join(dir, 'dist', 'index.html')).catch(() => undefined);
  if (!built) return true;
  return (await newestSource(dir)) > built.mtimeMs;
}

/** `npm run build -w @herald/console`; rejects with the build's last lines. */
export function buildConsole(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build', '-w', '@herald/console'], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `console build failed (exit ${code}): ${output.trim().split('\n').slice(-5).join(' | ')}`,
            ),
          ),
    );
  });
}

export type ConsoleState = { available: true } | { available: false; reason: string };

export interface ConsoleFront {
  url: string;
  port: number;
  state(): ConsoleState;
  setState(state: ConsoleState): void;
  stop(): Promise<void>;
}

export interface ConsoleFrontOptions {
  port: number | 'auto';
  /** The built console (services/console/dist). */
  dist?: string;
  settings: ConsoleSettings;
  /** Until set otherwise: served only when the build is known to be there. */
  state?: ConsoleState;
  use: PortUse;
}

export async function startConsoleFront(options: ConsoleFrontOptions): Promise<ConsoleFront> {
  const dist = options.dist ?? join(CONSOLE_DIR, 'dist');
  let state: ConsoleState = options.state ?? { available: false, reason: 'the console is being built' };
  const { headers } = options.settings;
  const config = Buffer.from(`${JSON.stringify(options.settings.config, null, 2)}\n`);

  const send = (response: ServerResponse, status: number, type: string, body: Buffer, cache: string) => {
    response.writeHead(status, {
      ...headers,
      'content-type': type,
      'cache-control': cache,
      'content-length': body.length,
    });
    response.end(response.req.method === 'HEAD' ? undefined : body);
  };
  const plain = (response: ServerResponse, status: number, text: string) =>
    send(response, status, 'text/plain; charset=utf-8', Buffer.from(`${text}\n`), 'no-store');

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return plain(response, 405, 'Method Not Allowed');
    }
    if (!state.available) return plain(response, 503, `Console unavailable: ${state.reason}`);
    let path: string;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      return plain(response, 400, 'Bad Request');
    }
    if (path === '/config.json') return send(response, 200, 'application/json', config, 'no-cache');
    // The CloudFront Function's rule: no dot in the last segment, an app route.
    const last = path.slice(path.lastIndexOf('/') + 1);
    const key = last.includes('.') ? path.slice(1) : 'index.html';
    const file = normalize(join(dist, key));
    if (!file.startsWith(dist + sep)) return plain(response, 403, 'Forbidden');
    const body = await readFile(file).catch(() => undefined);
    // S3 answers 403 to a missing key when the reader may not list the bucket, and so does CloudFront.
    if (!body) return plain(response, 403, 'Forbidden');
    return send(response, 200, contentType(key), body, cacheControl(key));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) plain(response, 500, 'Internal Server Error');
    });
  });
  const port = await listenOnLoopback(server, options.port, options.use);
  return {
    url: `http://localhost:${port}`,
    port,
    state: () => state,
    setState: (next) => {
      state = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The console's serverless.yml as text (read once per start). */
export function consoleTemplateText(): string {
  return readFileSync(join(CONSOLE_DIR, 'serverless.yml'), 'utf8');
}

/**
 * Builds the console when its build is missing or stale (`build: false`: never), resolving with what
 * the front may serve. Started first thing, so the build runs beside the rest of the start-up; a
 * failed build is a reason shown, not a failed start.
 */
export async function prepareConsole(
  options: { build?: boolean; log?: (line: string) => void } = {},
): Promise<ConsoleState> {
  if (!(await consoleBuildStale())) return { available: true };
  if (options.build === false)
    return {
      available: false,
      reason: 'services/console/dist is missing or stale (npm run build -w @herald/console)',
    };
  options.log?.('building the web console (services/console/dist is missing or stale)');
  return buildConsole().then(
    (): ConsoleState => ({ available: true }),
    (error: unknown): ConsoleState => ({ available: false, reason: (error as Error).message }),
  );
}

export interface LocalConsole {
  front: ConsoleFront;
  /** Settles when the build (if one was needed) is done: available, or why not. */
  ready: Promise<ConsoleState>;
}

/** The console's front with this cloud's URLs, answering 503 until `prepared` says it may serve. */
export async function startLocalConsole(options: {
  port: number | 'auto';
  /** ingestUrl, processingUrl, notificationsUrl, tenantsUrl, authIssuer: this local cloud's. */
  params: Record<string, string>;
  prepared: Promise<ConsoleState>;
}): Promise<LocalConsole> {
  const front = await startConsoleFront({
    port: options.port,
    settings: consoleSettings(consoleTemplateText(), options.params),
    use: { purpose: 'web console', setting: 'HERALD_PORT_CONSOLE' },
  });
  const ready = options.prepared.then((state) => {
    front.setState(state);
    return state;
  });
  return { front, ready };
}
