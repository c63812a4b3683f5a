/**
 * HTTP API Lambda REQUEST authorizers, as API Gateway runs them, for the local cloud's HTTP fronts:
 * read from the packaged template (each AWS::ApiGatewayV2::Authorizer, each Route's AuthorizationType
 * and AuthorizerId), the request matched to its route key, the authorizer function invoked in the
 * local runtime with the payload 2.0 event, its simple response cached per identity-source value for
 * the authorizer's TTL (concurrent misses of one identity sharing one invocation). What the client
 * sees when API Gateway answers itself follows AWS's documented behaviour: an identity source
 * missing or empty is 401 `{"message":"Unauthorized"}` without invoking the function,
 * `isAuthorized: false` is 403 `{"message":"Forbidden"}`, a function that fails, times out (10 s, the
 * HTTP API quota) or answers something else is 500 `{"message":"Internal Server Error"}`. An allow
 * passes the response's context on to the function (the front hands it to serverless-offline, which
 * builds `requestContext.authorizer.lambda` from it).
 *
 * The reason: serverless-offline's own authorizer support cannot call a function of another service
 * (the tenants service's authorizer serves every API), so it ran with --noAuth and an API key passed
 * every local test that AWS would have refused.
 */
import { randomUUID } from 'node:crypto';
import { ACCOUNT_ID, functionNameFromArn, REGION } from './aws';
import { createResolver, type ResolvedResource } from './cfn/intrinsics';
import { isRecord, type Template } from './cfn/template';

/** An authorizer of the API, as its template declares it. */
export interface HttpAuthorizer {
  /** The AuthorizerId API Gateway gives it. */
  id: string;
  name: string;
  /** The function's ARN from AuthorizerUri (an alias's, as deployed), and its name. */
  functionArn: string;
  functionName: string;
  /** `$request.header.<name>` or `$request.querystring.<name>` expressions. */
  identitySource: string[];
  /** 0: no cache. */
  ttlSeconds: number;
}

export interface RouteAuthorization {
  /** `GET /v1/events/{id}`, `ANY /{proxy+}` or `$default`. */
  routeKey: string;
  authorizer?: HttpAuthorizer;
}

export interface ApiAuthorization {
  apiId: string;
  routes: RouteAuthorization[];
  /**
   * JWT authorizers, which are not emulated: their routes pass as if they had none (the functions
   * verify the token themselves). The template test (test/templates) keeps every service's routes on
   * the tenants service's Lambda authorizer, so this is for templates of older releases.
   */
  notEmulated: string[];
}

/** The template's HTTP API, its authorizers and routes; undefined for a template without one. */
export function apiAuthorization(
  template: Template,
  resources: Record<string, ResolvedResource>,
  context: { stackName: string; accountId?: string; region?: string },
): ApiAuthorization | undefined {
  const entries = Object.entries(template.Resources);
  const api = entries.find(([, resource]) => resource.Type === 'AWS::ApiGatewayV2::Api');
  if (!api) return undefined;
  const resolver = createResolver(template, {
    accountId: context.accountId ?? ACCOUNT_ID,
    region: context.region ?? REGION,
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
    stackName: context.stackName,
    resources,
  });
  const properties = (logicalId: string) =>
    (resolver.resolve(template.Resources[logicalId]!.Properties ?? {}, `Resources.${logicalId}.Properties`) ??
      {}) as Record<string, unknown>;

  const authorizers = new Map<string, HttpAuthorizer>();
  const jwtAuthorizers = new Set<string>();
  for (const [logicalId, resource] of entries) {
    if (resource.Type !== 'AWS::ApiGatewayV2::Authorizer') continue;
    const where = `Resources.${logicalId}`;
    const props = properties(logicalId);
    const id = resources[logicalId]?.ref;
    if (!id) throw new Error(`${where}: the authorizer was not provisioned`);
    if (props.AuthorizerType === 'JWT') {
      jwtAuthorizers.add(logicalId);
      continue;
    }
    if (props.AuthorizerType !== 'REQUEST')
      throw new Error(
        `${where}: only Lambda REQUEST authorizers are emulated, not ${String(props.AuthorizerType)}`,
      );
    if (props.AuthorizerPayloadFormatVersion !== '2.0' || props.EnableSimpleResponses !== true)
      throw new Error(`${where}: only payload 2.0 with simple responses is emulated`);
    const uri = String(props.AuthorizerUri);
    const functionArn = /\/functions\/(arn:[^/]+)\/invocations$/.exec(uri)?.[1];
    if (!functionArn) throw new Error(`${where}: AuthorizerUri ${uri} names no Lambda function`);
    const identitySource = (Array.isArray(props.IdentitySource) ? props.IdentitySource : []).map(String);
    for (const source of identitySource)
      if (!/^\$request\.(header|querystring)\.[^.\s]+$/.test(source))
        throw new Error(
          `${where}: identity source ${source} is not emulated (headers and query strings are)`,
        );
    authorizers.set(logicalId, {
      id,
      name: String(props.Name ?? logicalId),
      functionArn,
      functionName: functionNameFromArn(functionArn),
      identitySource,
      ttlSeconds: Number(props.AuthorizerResultTtlInSeconds ?? 0),
    });
  }

  const routes: RouteAuthorization[] = [];
  for (const [logicalId, resource] of entries) {
    if (resource.Type !== 'AWS::ApiGatewayV2::Route') continue;
    const raw = resource.Properties ?? {};
    const props = properties(logicalId);
    const routeKey = String(props.RouteKey);
    const type = props.AuthorizationType ?? 'NONE';
    if (type === 'NONE') {
      routes.push({ routeKey });
      continue;
    }
    const reference = isRecord(raw.AuthorizerId) ? raw.AuthorizerId.Ref : undefined;
    if (type === 'JWT' && typeof reference === 'string' && jwtAuthorizers.has(reference)) {
      routes.push({ routeKey });
      continue;
    }
    const authorizer = typeof reference === 'string' ? authorizers.get(reference) : undefined;
    if (type !== 'CUSTOM' || !authorizer)
      throw new Error(
        `Resources.${logicalId}: route ${routeKey} is authorized by ${String(type)}, which is not emulated ` +
          '(Lambda REQUEST authorizers of the same template are)',
      );
    routes.push({ routeKey, authorizer });
  }
  return { apiId: resources[api[0]]?.ref ?? 'local', routes, notEmulated: [...jwtAuthorizers] };
}

interface CompiledRoute extends RouteAuthorization {
  method: string;
  pattern: RegExp;
  names: string[];
  /** Sorts the most specific first: literal segments, then fewer variables, greedy last, ANY after a method. */
  rank: number[];
}

function compile(route: RouteAuthorization): CompiledRoute | undefined {
  if (route.routeKey === '$default') return undefined;
  const [method, path] = route.routeKey.split(' ') as [string, string];
  const names: string[] = [];
  let literal = 0;
  let greedy = 0;
  const source = path
    .split('/')
    .map((segment) => {
      const variable = /^\{([^}+]+)(\+)?\}$/.exec(segment);
      if (!variable) {
        literal += 1;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      names.push(variable[1]!);
      if (variable[2]) {
        greedy += 1;
        return '(.+)';
      }
      return '([^/]+)';
    })
    .join('/');
  return {
    ...route,
    method,
    pattern: new RegExp(`^${source}$`),
    names,
    rank: [greedy, -literal, names.length, method === 'ANY' ? 1 : 0],
  };
}

const byRank = (a: CompiledRoute, b: CompiledRoute) => {
  for (let i = 0; i < a.rank.length; i += 1) if (a.rank[i] !== b.rank[i]) return a.rank[i]! - b.rank[i]!;
  return 0;
};

/** A path segment decoded; one that is not valid percent-encoded UTF-8 is kept as it came. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export interface MatchedRoute {
  route: RouteAuthorization;
  pathParameters: Record<string, string>;
}

/** The route API Gateway would pick for the request: the most specific match, else `$default`. */
export function matchRoute(
  routes: readonly RouteAuthorization[],
  method: string,
  path: string,
): MatchedRoute | undefined {
  const compiled = routes.map(compile).filter((route) => route !== undefined);
  compiled.sort(byRank);
  for (const route of compiled) {
    if (route.method !== method && route.method !== 'ANY') continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const pathParameters: Record<string, string> = {};
    route.names.forEach((name, i) => (pathParameters[name] = decoded(match[i + 1]!)));
    return { route, pathParameters };
  }
  const fallback = routes.find((route) => route.routeKey === '$default');
  return fallback ? { route: fallback, pathParameters: {} } : undefined;
}

/** Lower-case names; each header's values, as many as were sent (node's `headersDistinct`). */
export type GateHeaders = Record<string, string | string[] | undefined>;

export interface GateRequest {
  method: string;
  /** Path and query, as the request line has them. */
  url: string;
  headers: GateHeaders;
  sourceIp: string;
}

/** What API Gateway does with the request: pass it on (with the authorizer's context), or answer. */
export type GateAnswer =
  { pass: true; context?: Record<string, unknown> } | { pass: false; status: 401 | 403 | 500; body: string };

export interface AuthorizerGateOptions {
  /** Invokes a function of the local runtime (RequestResponse). */
  invoke(functionName: string, payload: unknown): Promise<unknown>;
  log(line: string): void;
  now?: () => number;
  /** Longest wait for the authorizer (default 10 s, the HTTP API quota). */
  timeoutMs?: number;
  /** Cached answers kept at most, the oldest dropped first (default 10,000). */
  maxCached?: number;
}

export const AUTHORIZER_TIMEOUT_MS = 10_000;

const answer = (status: 401 | 403 | 500, message: string): GateAnswer => ({
  pass: false,
  status,
  body: JSON.stringify({ message }),
});
const UNAUTHORIZED = answer(401, 'Unauthorized');
const FORBIDDEN = answer(403, 'Forbidden');
const SERVER_ERROR = answer(500, 'Internal Server Error');

/** Headers as payload 2.0 gives them: lower-case names, repeats joined with commas (as API Gateway
 * joins them, an identity source too), cookies apart. */
function payloadHeaders(headers: GateHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'cookie') continue;
    out[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

function identityValues(authorizer: HttpAuthorizer, headers: GateHeaders, query: URLSearchParams) {
  return authorizer.identitySource.map((source) => {
    const [, kind, name] = /^\$request\.(header|querystring)\.(.+)$/.exec(source)!;
    if (kind === 'querystring') return query.getAll(name!).join(',');
    const value = headers[name!.toLowerCase()];
    return Array.isArray(value) ? value.join(',') : (value ?? '');
  });
}

function clfTime(epochMs: number): string {
  const date = new Date(epochMs);
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${month}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

interface SimpleResponse {
  isAuthorized: boolean;
  context?: Record<string, unknown>;
}

function simpleResponse(value: unknown): SimpleResponse | undefined {
  if (!isRecord(value) || typeof value.isAuthorized !== 'boolean') return undefined;
  if (value.context !== undefined && !isRecord(value.context)) return undefined;
  return { isAuthorized: value.isAuthorized, ...(value.context ? { context: value.context } : {}) };
}

/** The gate one API's front puts before its routes. */
export function authorizerGate(
  api: ApiAuthorization,
  options: AuthorizerGateOptions,
): (request: GateRequest) => Promise<GateAnswer> {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? AUTHORIZER_TIMEOUT_MS;
  const maxCached = options.maxCached ?? 10_000;
  const cache = new Map<string, { until: number; response: SimpleResponse }>();

  const invoke = async (authorizer: HttpAuthorizer, event: unknown): Promise<SimpleResponse | undefined> => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const result = await Promise.race([options.invoke(authorizer.functionName, event), timedOut]);
      const response = simpleResponse(result);
      if (!response)
        options.log(`authorizer ${authorizer.name} (${authorizer.functionName}) answered no simple response`);
      return response;
    } catch (error) {
      options.log(
        `authorizer ${authorizer.name} (${authorizer.functionName}) failed: ${(error as Error).message}`,
      );
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };

  // Requests of one identity that miss the cache together share one invocation: its answer is the one
  // the cache would have given them a moment later. Without it, the first seconds of a busy API (and
  // every TTL's end) started a container for each request in flight: 13 of the authorizer's under
  // the capacity bench, about 25 MiB each, kept for the runtime's idle time. Without a cache (TTL 0)
  // each request asks on its own, as in AWS.
  const asking = new Map<string, Promise<SimpleResponse | undefined>>();
  const askShared = async (
    key: string,
    share: boolean,
    ask: () => Promise<SimpleResponse | undefined>,
  ): Promise<SimpleResponse | undefined> => {
    const shared = share ? asking.get(key) : undefined;
    // A failure is no answer for the others (failures are not cached): each then asks on its own.
    const answer = shared && (await shared);
    if (answer) return answer;
    const own = ask();
    if (share && !asking.has(key)) {
      asking.set(key, own);
      void own.then(() => asking.get(key) === own && asking.delete(key));
    }
    return own;
  };

  return async (request) => {
    const url = new URL(request.url, 'http://front.invalid');
    const method = request.method.toUpperCase();
    const matched = matchRoute(api.routes, method, url.pathname);
    const authorizer = matched?.route.authorizer;
    // No route (serverless-offline answers 404), a route without an authorizer, or a CORS preflight
    // API Gateway answers itself: nothing to authorize.
    if (!matched || !authorizer) return { pass: true };
    if (method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined)
      return { pass: true };

    const identity = identityValues(authorizer, request.headers, url.searchParams);
    if (identity.some((value) => value.trim() === '')) return UNAUTHORIZED;

    const key = `${authorizer.id}\n${identity.join('\n')}`;
    const cached = authorizer.ttlSeconds > 0 ? cache.get(key) : undefined;
    let response = cached && cached.until > now() ? cached.response : undefined;
    if (!response) {
      const epoch = now();
      const cookie = [request.headers.cookie ?? []].flat().join('; ');
      const { routeKey } = matched.route;
      response = await askShared(key, authorizer.ttlSeconds > 0, () =>
        invoke(authorizer, {
          version: '2.0',
          type: 'REQUEST',
          routeArn: `arn:aws:execute-api:${REGION}:${ACCOUNT_ID}:${api.apiId}/$default/${method}${url.pathname}`,
          identitySource: identity,
          routeKey,
          rawPath: url.pathname,
          rawQueryString: url.search.slice(1),
          ...(cookie ? { cookies: cookie.split(/;\s*/) } : {}),
          headers: payloadHeaders(request.headers),
          ...(url.search
            ? {
                queryStringParameters: Object.fromEntries(
                  [...new Set(url.searchParams.keys())].map((name) => [
                    name,
                    url.searchParams.getAll(name).join(','),
                  ]),
                ),
              }
            : {}),
          requestContext: {
            accountId: ACCOUNT_ID,
            apiId: api.apiId,
            domainName: String(request.headers.host ?? 'localhost'),
            domainPrefix: String(request.headers.host ?? 'localhost').split('.')[0],
            http: {
              method,
              path: url.pathname,
              protocol: 'HTTP/1.1',
              sourceIp: request.sourceIp,
              userAgent: String(request.headers['user-agent'] ?? ''),
            },
            requestId: randomUUID(),
            routeKey,
            stage: '$default',
            time: clfTime(epoch),
            timeEpoch: epoch,
          },
          ...(Object.keys(matched.pathParameters).length > 0
            ? { pathParameters: matched.pathParameters }
            : {}),
        }),
      );
      // Failures are not cached: the next request asks again.
      if (!response) return SERVER_ERROR;
      if (authorizer.ttlSeconds > 0) {
        cache.delete(key);
        cache.set(key, { until: now() + authorizer.ttlSeconds * 1000, response });
        if (cache.size > maxCached) cache.delete(cache.keys().next().value!);
      }
    }
    if (!response.isAuthorized) return FORBIDDEN;
    return { pass: true, ...(response.context ? { context: response.context } : {}) };
  };
}

/**
 * The context as serverless-offline takes it in its `sls-offline-authorizer-override` header (it
 * makes the header's JSON the event's `requestContext.authorizer`): `{"lambda": context}`, as API
 * Gateway puts it, with anything beyond ASCII escaped so the header stays a valid one.
 */
export function authorizerOverride(context: Record<string, unknown>): string {
  return JSON.stringify({ lambda: context }).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The header the front always strips from a client's request: only the front may set it. */
export const AUTHORIZER_OVERRIDE_HEADER = 'sls-offline-authorizer-override';
