/**
 * The OpenAPI 3.1 document of each service, from its serverless.yml routes, the JSON Schemas its
 * handlers validate with, the response schemas and operations.ts; and the merged document of the
 * three, for users.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { problemType, statusTitle } from '@herald/shared/problem';
import { Components, requestParts, type Parameter, type Schema } from './json-schema';
import { OPERATIONS, TAGS, type OperationSpec, type ResponseHeader, type ResponseSpec } from './operations';
import { handlerSource } from './request-schema';
import type { Route, ServiceDefinition } from './serverless-routes';
import { webhooks } from './webhooks';

export type Document = Record<string, unknown> & {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Schema> } & Record<string, unknown>;
};

export const PROBLEM_SCHEMA = 'shared/src/contracts/problem.schema.json';
export const GATEWAY_MESSAGE_SCHEMA = 'shared/src/contracts/gateway-message.schema.json';
// The one Authorization scheme every operation takes: a JWT or a tenant's API key, both as bearer
// tokens, both judged by the tenants service's authorizer.
export const SECURITY_SCHEME = 'heraldJwtOrApiKey';
const CORRELATION_HEADER = 'X-Correlation-Id';

// Required: sent on every response that names it. Idempotent-Replayed is only on a replayed answer;
// WWW-Authenticate and X-Correlation-Id are on every answer of a function, not on API Gateway's own.
const HEADERS: Record<
  ResponseHeader | typeof CORRELATION_HEADER,
  { description: string; required: boolean; schema: Schema }
> = {
  Location: {
    required: true,
    description: 'Where the created resource (or the task started) is read.',
    schema: { type: 'string' },
  },
  'Retry-After': {
    required: true,
    description: 'Seconds to wait before trying again.',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  'Idempotent-Replayed': {
    required: false,
    description:
      '`true` when the request retried an earlier one with this Idempotency-Key: its events, sent again exactly as before (processing stores each once), are all queued, under the ids the earlier request answered.',
    schema: { type: 'string', enum: ['true'] },
  },
  RateLimit: {
    required: false,
    description:
      'What is left of each of the tenant\'s rate policies in the current window, and the seconds until it starts again (IETF httpapi draft "RateLimit header fields for HTTP", a Structured Field list): `"requests";r=<left>;t=<seconds>, "events";r=<left>;t=<seconds>`.',
    schema: { type: 'string' },
  },
  'RateLimit-Policy': {
    required: false,
    description:
      'The tenant\'s rate policies (same draft): `"requests";q=<quota>;w=<window seconds>, "events";q=<quota>;w=<window seconds>`, a quota per window of the tenant\'s rate times the window.',
    schema: { type: 'string' },
  },
  'WWW-Authenticate': {
    required: false,
    description: 'The RFC 6750 Bearer challenge, saying what is wrong with the token.',
    schema: { type: 'string' },
  },
  [CORRELATION_HEADER]: {
    required: false,
    description:
      "The request's correlation id (the one sent, else the W3C traceparent's trace id, else a new one); every log line of the work the request causes carries it.",
    schema: { type: 'string' },
  },
};

/** The first paragraph of a service's README, which says what it is. */
function readmeSummary(root: string, directory: string): string {
  const text = readFileSync(join(root, directory, 'README.md'), 'utf8');
  const paragraph = text.split(/\n\s*\n/).find((block) => !block.startsWith('#'));
  return (paragraph ?? '').replace(/\s*\n\s*/g, ' ').trim();
}

const examplesOf = (examples: Record<string, unknown> | undefined) =>
  examples === undefined
    ? {}
    : { examples: Object.fromEntries(Object.entries(examples).map(([name, value]) => [name, { value }])) };

function problemExample(status: number, slug: string) {
  return {
    type: slug === 'about:blank' ? slug : problemType(slug),
    title: status === 422 ? 'Unprocessable Content' : statusTitle(status),
    status,
  };
}

function mergeResponses(a: ResponseSpec | undefined, b: ResponseSpec): ResponseSpec {
  if (a === undefined) return b;
  return {
    ...a,
    description: `${a.description} ${b.description}`,
    problems: [...new Set([...(a.problems ?? []), ...(b.problems ?? [])])],
    headers: [...new Set([...(a.headers ?? []), ...(b.headers ?? [])])],
    ...((a.gatewayMessage ?? b.gatewayMessage)
      ? { gatewayMessage: (a.gatewayMessage ?? b.gatewayMessage)! }
      : {}),
  };
}

/**
 * What the shared HTTP stack (shared/src/entry/http.ts) answers on any route it serves, besides the
 * route's own: the token (auth), the body (size, JSON), the schema (validation), and failures.
 */
function stackResponses(route: Route, validated: boolean): Record<number, ResponseSpec> {
  const responses: Record<number, ResponseSpec> = {};
  if (route.scopes !== undefined) {
    responses[401] = {
      description:
        "A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict).",
      problems: ['unauthorized'],
      headers: ['WWW-Authenticate'],
    };
    responses[403] = {
      description: `The credential lacks a scope the route needs (${route.scopes.join(', ')}), or its tenant is suspended or unknown (\`forbidden\`).`,
      problems: ['insufficient-scope', 'forbidden'],
      headers: ['WWW-Authenticate'],
    };
    responses[503] = {
      description: 'Authentication is unavailable for a moment (the key set cannot be read).',
      problems: ['about:blank'],
      headers: ['Retry-After'],
    };
  }
  // The stack reads a body on any route that is sent one, DELETE included (API Gateway passes it on).
  if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method)) {
    responses[400] = { description: 'The body is not JSON.', problems: ['malformed-json'] };
    responses[413] = {
      description: 'The body is larger than the route takes.',
      problems: ['payload-too-large'],
    };
    responses[415] = {
      description: 'The body is not application/json.',
      problems: ['unsupported-media-type'],
    };
  }
  if (validated) {
    responses[422] = {
      description: 'The request breaks its schema (`errors` name each value by JSON pointer).',
      problems: ['validation-failed'],
    };
  }
  responses[500] = {
    description: 'An unexpected failure (nothing about it is shown).',
    problems: ['about:blank'],
  };
  return responses;
}

/**
 * What API Gateway answers itself, whatever the function, with its own JSON body: before the tenants
 * service's Lambda authorizer, a request without an Authorization header (401); the authorizer
 * failing or not answering within 10 s (500), or refusing outright (403, which it does not do today:
 * its refusals are the function's problem+json); the local cloud's fronts run the authorizer and
 * answer these as API Gateway does. Its stage throttling (throttleRate, throttleBurst) refuses
 * requests over the rate on a deployed stage only.
 */
function gatewayResponses(route: Route): Record<number, ResponseSpec> {
  const responses: Record<number, ResponseSpec> = {
    429: {
      description: "Over the stage's request rate (API Gateway's throttling, on a deployed stage).",
      gatewayMessage: 'Too Many Requests',
    },
  };
  if (route.scopes !== undefined) {
    responses[401] = {
      description:
        'No Authorization header: API Gateway answers before any function, with its own JSON body.',
      gatewayMessage: 'Unauthorized',
    };
    responses[403] = {
      description: 'API Gateway answers with its own JSON body if the authorizer refuses outright.',
      gatewayMessage: 'Forbidden',
    };
    responses[500] = {
      description: "The authorizer failed or did not answer in time (API Gateway's own JSON body).",
      gatewayMessage: 'Internal Server Error',
    };
  }
  return responses;
}

function responseObject(status: number, spec: ResponseSpec, components: Components, stack: boolean) {
  const problems = spec.problems ?? [];
  // API Gateway's own answer (a 429) never reached the function, which echoes the correlation id.
  const fromFunction = spec.gatewayMessage === undefined || spec.body || problems.length > 0 || spec.html;
  const headerNames = [...(spec.headers ?? []), ...(stack && fromFunction ? [CORRELATION_HEADER] : [])];
  const headers = Object.fromEntries(
    headerNames.map((name) => [name, { $ref: `#/components/headers/${name}` }]),
  );
  const content: Record<string, unknown> = {};
  if (spec.body)
    content['application/json'] = { schema: components.definition(spec.body.file, spec.body.definition) };
  if (problems.length > 0)
    content['application/problem+json'] = {
      schema: components.file(PROBLEM_SCHEMA, 'Problem'),
      examples: Object.fromEntries(problems.map((slug) => [slug, { value: problemExample(status, slug) }])),
    };
  if (spec.html) content['text/html'] = { schema: { type: 'string' } };
  if (spec.gatewayMessage !== undefined) {
    if (spec.body) throw new Error(`A ${status} with a JSON body and API Gateway's message`);
    content['application/json'] = {
      schema: components.file(GATEWAY_MESSAGE_SCHEMA, 'GatewayMessage'),
      example: { message: spec.gatewayMessage },
    };
  }
  const label = problems.length === 1 ? 'Problem type' : 'Problem types';
  const types = problems.length > 0 ? ` ${label}: ${problems.map((slug) => `\`${slug}\``).join(', ')}.` : '';
  return {
    description: spec.description + types,
    ...(headerNames.length > 0 ? { headers } : {}),
    ...(Object.keys(content).length > 0 ? { content } : {}),
  };
}

async function operation(root: string, route: Route, spec: OperationSpec, components: Components) {
  const { schemaFile, httpHandler } = await handlerSource(
    root,
    `services/${route.service}/${route.handlerFile}`,
  );
  const request = schemaFile === undefined ? undefined : requestParts(components, schemaFile);
  const inPath = [...route.path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name!);
  // One schema may serve several routes (the operator's GETs): only this route's path parameters.
  const parameters: Parameter[] = [...(request?.parameters ?? []), ...(spec.parameters ?? [])].filter(
    (parameter) => parameter.in !== 'path' || inPath.includes(parameter.name),
  );
  // A path parameter the schema does not describe is still in the route.
  for (const name of inPath) {
    if (!parameters.some((p) => p.in === 'path' && p.name === name))
      parameters.unshift({ name: name!, in: 'path', required: true, schema: { type: 'string' } });
  }
  let responses: Record<number, ResponseSpec> = { ...spec.responses };
  for (const [status, added] of [
    ...Object.entries(httpHandler ? stackResponses(route, schemaFile !== undefined) : {}),
    ...Object.entries(gatewayResponses(route)),
  ])
    responses[Number(status)] = mergeResponses(responses[Number(status)], added);
  responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    security: route.scopes === undefined ? [] : [{ [SECURITY_SCHEME]: route.scopes }],
    ...(parameters.length > 0 || httpHandler
      ? {
          parameters: [
            ...parameters,
            ...(httpHandler ? [{ $ref: '#/components/parameters/CorrelationId' }] : []),
          ],
        }
      : {}),
    ...(request?.body
      ? {
          requestBody: {
            ...(request.comment ? { description: request.comment } : {}),
            required: request.bodyRequired,
            content: { 'application/json': { schema: request.body, ...examplesOf(spec.requestExamples) } },
          },
        }
      : {}),
    ...(spec.requestBody
      ? {
          requestBody: {
            required: true,
            content: { [spec.requestBody.contentType]: { schema: spec.requestBody.schema } },
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(responses).map(([status, response]) => [
        status,
        responseObject(Number(status), response, components, httpHandler),
      ]),
    ),
  };
}

/** The bearer scheme (a JWT or an API key), naming the scopes the document's operations ask for. */
function securityScheme(paths: Document['paths']) {
  const scopes = new Set<string>();
  for (const item of Object.values(paths))
    for (const op of Object.values(item))
      for (const requirement of (op as { security?: Array<Record<string, string[]>> }).security ?? [])
        for (const scope of requirement[SECURITY_SCHEME] ?? []) scopes.add(scope);
  return {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT or API key (hk_live_..., hk_test_...)',
    description: [
      `\`Authorization: Bearer <credential>\`, one of two credentials, each granting the scopes each operation lists (${[...scopes].sort().join(', ')}):`,
      `- **A JWT** from the stage's identity provider (OIDC): signed with an asymmetric algorithm, with the stage's issuer and audience, \`sub\`, \`exp\`, the tenant claim, and its scopes in \`scope\` or \`scp\`. The local cloud's banner prints one with every scope; \`npm run -s token\` makes others.`,
      `- **A tenant's API key** (\`hk_live_...\`, \`hk_test_...\`), for machine producers and consumers: a tenant makes one with the tenants API (\`POST /v1/api-keys\`, scope \`keys:write\`), choosing its scopes among the tenant's own and an optional expiry; the key is shown once, in that answer, and stored only as a hash; \`DELETE /v1/api-keys/{keyId}\` revokes it.`,
      `The tenants service's authorizer judges either before every route (API Gateway keeps its answer a minute per Authorization header on a deployed stage, and the authorizer its key and tenant records 30 s: a revoked key or a suspended tenant may be taken that long), then the function again. A request without the header is refused by API Gateway itself (401).`,
    ].join('\n\n'),
  };
}

function info(title: string, description: string, version: string) {
  return { title, version, description, license: { name: 'Apache-2.0', identifier: 'Apache-2.0' } };
}

function servers(service: ServiceDefinition) {
  return [
    ...(service.localPort === undefined
      ? []
      : [
          {
            url: `http://localhost:${service.localPort}`,
            description: `${service.name} on the local cloud (npm start)`,
          },
        ]),
    {
      url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
      description: `${service.name} on a deployed stage (its HttpApiUrl output)`,
      variables: { apiId: { default: 'api-id' }, region: { default: 'eu-west-1' } },
    },
  ];
}

const usedTags = (paths: Document['paths'], extra: string[] = []) => {
  const used = new Set(extra);
  for (const item of Object.values(paths))
    for (const op of Object.values(item))
      for (const tag of (op as { tags?: string[] }).tags ?? []) used.add(tag);
  return Object.entries({ ...TAGS, Webhooks: WEBHOOKS_TAG })
    .filter(([name]) => used.has(name))
    .map(([name, description]) => ({ name, description }));
};
const WEBHOOKS_TAG = "What Herald sends to a webhook subscription's URL.";

function componentsOf(components: Components, paths: Document['paths'], used: string) {
  return {
    securitySchemes: { [SECURITY_SCHEME]: securityScheme(paths) },
    parameters: {
      CorrelationId: {
        name: CORRELATION_HEADER,
        in: 'header',
        required: false,
        description:
          "A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one).",
        schema: { type: 'string', maxLength: 128 },
      },
    },
    headers: Object.fromEntries(
      Object.entries(HEADERS).filter(([name]) => used.includes(`"#/components/headers/${name}"`)),
    ),
    schemas: Object.fromEntries(Object.entries(components.schemas).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** One service's document. */
export async function serviceDocument(
  root: string,
  service: ServiceDefinition,
  version: string,
): Promise<Document> {
  const specs = OPERATIONS[service.name] ?? {};
  const components = new Components(root);
  const paths: Document['paths'] = {};
  const keys = new Set<string>();
  for (const route of service.routes) {
    const key = `${route.method} ${route.path}`;
    const spec = specs[key];
    if (!spec)
      throw new Error(
        `${service.directory}/serverless.yml: ${key} (${route.functionName}) has no entry in scripts/openapi/operations.ts`,
      );
    keys.add(key);
    (paths[route.path] ??= {})[route.method.toLowerCase()] = await operation(root, route, spec, components);
  }
  const stale = Object.keys(specs).filter((key) => !keys.has(key));
  if (stale.length > 0)
    throw new Error(`scripts/openapi/operations.ts: ${service.name} has no route ${stale.join(', ')}`);
  const hooks = service.name === 'notifications' ? webhooks(components) : undefined;
  return {
    openapi: '3.1.0',
    info: info(`Herald ${service.name} API`, readmeSummary(root, service.directory), version),
    servers: servers(service),
    tags: usedTags(paths, hooks ? ['Webhooks'] : []),
    paths,
    ...(hooks ? { webhooks: hooks } : {}),
    components: componentsOf(components, paths, JSON.stringify({ paths, hooks })),
  };
}

/**
 * The three in one, for users: each operation carries its service's servers (POST /v1/events is
 * ingest's, GET processing's); an operation two services serve (the operator routes) must be the
 * same in both, and carries both services' servers.
 */
export function mergedDocument(documents: Document[], description: string, version: string): Document {
  const paths: Document['paths'] = {};
  const schemas: Record<string, Schema> = {};
  let hooks: unknown;
  for (const document of documents) {
    const servers = document.servers as unknown[];
    for (const [path, item] of Object.entries(document.paths)) {
      const merged = (paths[path] ??= {});
      for (const [method, op] of Object.entries(item)) {
        const known = merged[method] as { servers: unknown[] } | undefined;
        if (known === undefined) {
          merged[method] = { ...(op as object), servers };
          continue;
        }
        const { servers: knownServers, ...knownOperation } = known;
        if (!isDeepStrictEqual(knownOperation, op))
          throw new Error(`${method.toUpperCase()} ${path} differs between two services`);
        merged[method] = { ...knownOperation, servers: [...knownServers, ...servers] };
      }
    }
    for (const [name, schema] of Object.entries(document.components.schemas)) {
      if (name in schemas && !isDeepStrictEqual(schemas[name], schema))
        throw new Error(`Schema ${name} differs between services`);
      schemas[name] = schema;
    }
    hooks ??= document.webhooks;
  }
  const [first] = documents;
  return {
    openapi: '3.1.0',
    info: info('Herald API', description, version),
    servers: documents.flatMap((document) => (document.servers as unknown[]).slice(0, 1)),
    tags: usedTags(paths, hooks ? ['Webhooks'] : []),
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    ...(hooks ? { webhooks: hooks } : {}),
    components: {
      ...first!.components,
      securitySchemes: { [SECURITY_SCHEME]: securityScheme(paths) },
      headers: Object.fromEntries(
        Object.entries(HEADERS).filter(([name]) =>
          documents.some((d) => name in (d.components.headers as object)),
        ),
      ),
      schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}
