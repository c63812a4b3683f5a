/**
 * The client errors every route documents, asked of every route of the four services' OpenAPI
 * documents on the shared local cloud: no Authorization header (API Gateway's 401, before the
 * authorizer), a token or an API key the authorizer refuses (401), a token without the route's scope (403), and
 * with the scope, a body that is not JSON (400), one of another media type (415), one over the size
 * limit (413), a path parameter of the wrong form (422) and ids of the right form naming nothing (404). Each answer also passes the local cloud's contract check (HERALD_CONTRACT):
 * one the document does not describe would come back as a 500 naming what is wrong.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { localCloud, tokenFor, type Service } from '../setup/local-cloud';

type Json = Record<string, unknown>;
interface Operation {
  service: Service;
  id: string;
  method: string;
  template: string;
  scopes: string[];
  jsonBody: boolean;
  pathParams: Array<{ name: string; pattern: string }>;
  statuses: string[];
}

const SERVICES: Service[] = ['ingest', 'processing', 'notifications', 'tenants'];
const tenant = `documented-errors-${Date.now().toString(36)}`;

function operationsOf(service: Service): Operation[] {
  const document = JSON.parse(
    readFileSync(join(process.cwd(), 'openapi', `${service}.openapi.json`), 'utf8'),
  ) as Json;
  const resolve = (value: Json): Json =>
    typeof value.$ref === 'string'
      ? (value.$ref
          .slice(2)
          .split('/')
          .reduce<Json>((node, key) => node[key] as Json, document) as Json)
      : value;
  return Object.entries(document.paths as Record<string, Record<string, Json>>).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([, operation]) => typeof operation === 'object' && 'responses' in operation)
      .map(([method, operation]) => ({
        service,
        id: operation.operationId as string,
        method: method.toUpperCase(),
        template,
        scopes: ((operation.security as Array<Record<string, string[]>> | undefined) ?? []).flatMap(
          (requirement) => requirement.heraldJwtOrApiKey ?? [],
        ),
        jsonBody: Boolean(
          (operation.requestBody as { content?: Json } | undefined)?.content?.['application/json'],
        ),
        pathParams: ((operation.parameters as Json[] | undefined) ?? [])
          .map(resolve)
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => ({
            name: parameter.name as string,
            pattern: (parameter.schema as { pattern: string }).pattern,
          })),
        statuses: Object.keys(operation.responses as Json),
      })),
  );
}

/** A value of a path parameter's form that names nothing (`sub_000...`, `000...`, `nothing.here`). */
function validValue(pattern: string): string {
  const id = /^\^([a-z_]*)\[0-9A-HJKMNP-TV-Z\]\{26\}\$$/.exec(pattern);
  // An id of Crockford base32, else a plain name, else a dotted one (an event type).
  const candidates = id ? [`${id[1]}${'0'.repeat(26)}`] : ['nothing-here', 'nothing.here'];
  const value = candidates.find((candidate) => new RegExp(pattern).test(candidate));
  if (value === undefined) throw new Error(`No value for the pattern ${pattern}`);
  return value;
}

const pathOf = (operation: Operation, invalid?: string) =>
  operation.pathParams.reduce(
    (path, parameter) =>
      path.replace(
        `{${parameter.name}}`,
        parameter.name === invalid ? '%21bad%21' : validValue(parameter.pattern),
      ),
    operation.template,
  );

const operations = SERVICES.flatMap(operationsOf).filter((operation) => operation.scopes.length > 0);

const noScope = tokenFor({ tenant, scopes: [] });

/** One request; what is wrong with its answer, if anything (undefined when the status is not documented). */
async function ask(
  operation: Operation,
  expected: number,
  request: { path?: string; token?: string; contentType?: string; body?: string; gateway?: true },
): Promise<string | undefined> {
  if (!operation.statuses.includes(String(expected))) return undefined;
  const base = localCloud().endpoints.services[operation.service];
  const response = await fetch(`${base}${request.path ?? pathOf(operation)}`, {
    method: operation.method,
    headers: {
      ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
      ...(request.contentType ? { 'content-type': request.contentType } : {}),
    },
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  // API Gateway's own answer (no Authorization header, before the authorizer): its fixed JSON body.
  const answered = request.gateway
    ? type === 'application/json' && JSON.parse(text).message !== undefined
    : /^application\/problem\+json/.test(type);
  return response.status === expected && answered ? '' : `${response.status} ${type}: ${text.slice(0, 300)}`;
}

describe('documented client errors, on every route', () => {
  test('the documents have the routes', () => expect(operations.length).toBeGreaterThan(20));

  test.each(operations.map((operation) => [`${operation.service} ${operation.id}`, operation] as const))(
    '%s: no token, no scope, a body of another type, not JSON or too large, an id of the wrong form or naming nothing',
    async (_name, operation) => {
      const scoped = await tokenFor({ tenant, scopes: operation.scopes });
      const answers: Record<string, string | undefined> = {
        'no Authorization header → API Gateway’s 401': await ask(operation, 401, { gateway: true }),
        'a token the authorizer refuses → 401': await ask(operation, 401, { token: 'not-a-token' }),
        'an API key nobody issued → 401': await ask(operation, 401, { token: `hk_test_${'0'.repeat(32)}` }),
        'no scope → 403': await ask(operation, 403, { token: await noScope }),
      };
      // Every route that takes a body reads it through the same stack, whether it wants one or not.
      if (['POST', 'PATCH', 'PUT', 'DELETE'].includes(operation.method)) {
        answers['text/plain → 415'] = await ask(operation, 415, {
          token: scoped,
          contentType: 'text/plain',
          body: 'hello',
        });
        answers['not JSON → 400'] = await ask(operation, 400, {
          token: scoped,
          contentType: 'application/json',
          body: '{',
        });
        answers['over the route’s limit → 413'] = await ask(operation, 413, {
          token: scoped,
          contentType: 'application/json',
          body: JSON.stringify({ padding: 'x'.repeat(1100 * 1024) }),
        });
      }
      // Ids of the right form that name nothing (a body the route would want is not needed to tell).
      if (operation.pathParams.length > 0 && !operation.jsonBody)
        answers['names nothing → 404'] = await ask(operation, 404, { token: scoped });
      for (const parameter of operation.pathParams)
        answers[`${parameter.name} of the wrong form → 422`] = await ask(operation, 422, {
          token: scoped,
          path: pathOf(operation, parameter.name),
          ...(operation.jsonBody ? { contentType: 'application/json', body: '{}' } : {}),
        });
      const asked = Object.entries(answers).filter(([, answer]) => answer !== undefined);
      expect(asked.length).toBeGreaterThan(0);
      // Each asked request's problem, '' when it got the documented status as problem+json.
      expect(Object.fromEntries(asked)).toEqual(Object.fromEntries(asked.map(([what]) => [what, ''])));
    },
    30_000,
  );
});
