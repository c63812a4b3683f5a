import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { buildDocuments, documentPath, SERVICES, writeDocuments } from '../openapi/build';
import { SECURITY_SCHEME, type Document } from '../openapi/document';
import { handlerSource } from '../openapi/request-schema';
import { parseServerless, readService } from '../openapi/serverless-routes';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Operation = {
  operationId: string;
  security: Array<Record<string, string[]>>;
  parameters?: Array<{ name?: string; in?: string; $ref?: string }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<
    string,
    { content?: Record<string, { schema?: unknown; examples?: Record<string, { value: { type: string } }> }> }
  >;
  servers?: Array<{ url: string }>;
};

const operations = (document: Document): Array<[string, string, Operation]> =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]): [string, string, Operation] => [
      method.toUpperCase(),
      path,
      operation as Operation,
    ]),
  );

let documents: Map<string, Document>;
beforeAll(async () => {
  documents = await buildDocuments(root);
});

describe('routes from serverless.yml', () => {
  test('each httpApi event, with its scopes or none, through anchors and CloudFormation tags', () => {
    const yaml = `
params:
  default: { httpPort: 4999 }
functions:
  readThings:
    handler: src/handlers/read-things.handler
    environment: &shared
      TABLE: !GetAtt Table.Arn
    events:
      - httpApi:
          method: get
          path: /v1/things/{id}
          authorizer: { name: heraldTenants, scopes: [things:read, audit] }
      - sqs: { arn: !Sub '\${Queue.Arn}' }
  publicPage:
    handler: src/handlers/page.handler
    environment:
      <<: *shared
    events:
      - httpApi: { method: POST, path: /v1/page }
  onQueue:
    handler: src/handlers/on-queue.handler
    events:
      - sqs: { arn: !GetAtt Queue.Arn }
`;
    expect(parseServerless(yaml, 'things', 'services/things')).toEqual({
      name: 'things',
      directory: 'services/things',
      localPort: 4999,
      routes: [
        {
          service: 'things',
          functionName: 'readThings',
          method: 'GET',
          path: '/v1/things/{id}',
          scopes: ['things:read', 'audit'],
          handlerFile: 'src/handlers/read-things.ts',
        },
        {
          service: 'things',
          functionName: 'publicPage',
          method: 'POST',
          path: '/v1/page',
          scopes: undefined,
          handlerFile: 'src/handlers/page.ts',
        },
      ],
    });
  });

  // Read here another way than the generator does (line by line), so a route its YAML reading
  // missed, or scopes it lost, show.
  test.each(SERVICES)(
    'every httpApi route of %s is an operation of its document and of the merged one, with its scopes',
    async (service) => {
      const text = await readFile(join(root, 'services', service, 'serverless.yml'), 'utf8');
      const declared = [
        ...text.matchAll(
          /- httpApi:\s*\n\s*method: (\w+)\s*\n\s*path: (\S+)(\s*\n\s*authorizer: \{ name: \w+(?:, scopes: \[([^\]]*)\])? \})?/g,
        ),
      ].map(([, method, path, authorizer, scopes]) => ({
        method: method!.toUpperCase(),
        path: path!,
        // An authorizer without scopes: any credential it takes, no scope asked.
        scopes:
          authorizer === undefined
            ? undefined
            : (scopes?.split(',').map((scope) => scope.trim().replace(/^'|'$/g, '')) ?? []),
      }));
      expect(declared.length).toBeGreaterThan(2);
      for (const name of [service, 'herald']) {
        const document = documents.get(name)!;
        for (const route of declared) {
          const operation = document.paths[route.path]?.[route.method.toLowerCase()] as Operation | undefined;
          expect({ route, operation: operation !== undefined }).toEqual({ route, operation: true });
          expect(operation!.security).toEqual(
            route.scopes === undefined ? [] : [{ [SECURITY_SCHEME]: route.scopes }],
          );
        }
      }
      expect(operations(documents.get(service)!)).toHaveLength(declared.length);
    },
  );
});

describe('request schemas', () => {
  test.each(SERVICES)(
    "each %s route's request is the schema file its handler validates with",
    async (service) => {
      const { routes } = await readService(root, service);
      for (const route of routes) {
        const handlerFile = `services/${service}/${route.handlerFile}`;
        const source = await readFile(join(root, handlerFile), 'utf8');
        const imported = /from '\.\.\/schemas\/([\w-]+)\.validator\.generated'/.exec(source)?.[1];
        const { schemaFile } = await handlerSource(root, handlerFile);
        if (imported !== undefined) {
          expect({ handlerFile, schemaFile }).toEqual({
            handlerFile,
            schemaFile: `services/${service}/src/schemas/${imported}.schema.json`,
          });
        } else if (source.includes('@herald/shared/dead-letters/handlers')) {
          // The operator routes validate with the shared schemas, one per handler factory.
          const expected = route.method === 'POST' ? 'redrive-dead-letters' : 'inspect-dead-letters';
          expect(schemaFile).toBe(`shared/src/dead-letters/${expected}.schema.json`);
        } else {
          expect({ handlerFile, schemaFile }).toEqual({ handlerFile, schemaFile: undefined });
        }
      }
    },
  );

  test("the request body and parameters are the schema's, its references pointing at components", async () => {
    const schema = JSON.parse(
      await readFile(join(root, 'services/ingest/src/schemas/accept-events.schema.json'), 'utf8'),
    ) as { properties: { body: unknown }; definitions: { eventInput: unknown } };
    const document = documents.get('ingest')!;
    const operation = document.paths['/v1/events']!.post as Operation;
    const expected = JSON.parse(
      JSON.stringify(schema.properties.body).replaceAll(
        '#/definitions/eventInput',
        '#/components/schemas/EventInput',
      ),
    ) as unknown;
    expect(operation.requestBody!.content['application/json']!.schema).toEqual(expected);
    expect(document.components.schemas.EventInput).toEqual(schema.definitions.eventInput);
    const getUpload = document.paths['/v1/uploads/{id}']!.get as Operation;
    expect(getUpload.parameters!.filter((p) => p.in !== undefined).map((p) => [p.in, p.name])).toEqual([
      ['path', 'id'],
      ['query', 'cursor'],
    ]);
  });

  describe('a handler that hands its route to a shared factory', () => {
    let fixture: string;
    beforeAll(async () => {
      fixture = await mkdtemp(join(tmpdir(), 'openapi-'));
      await mkdir(join(fixture, 'shared/src/things'), { recursive: true });
      await mkdir(join(fixture, 'services/s/src/handlers'), { recursive: true });
      await writeFile(
        join(fixture, 'shared/src/things/handlers.ts'),
        `import validateRead from './read-things.validator.generated';
import validateWrite from './write-things.validator.generated';
export function readThingsHandler(deps) {
  return httpHandler(readRoute(deps), { scopes: [], validator: validateRead });
}
export function writeThingsHandler(deps) {
  return httpHandler(writeRoute(deps), { scopes: [], validator: validateWrite });
}
`,
      );
      await writeFile(
        join(fixture, 'services/s/src/handlers/write.ts'),
        `import { writeThingsHandler } from '@herald/shared/things/handlers';
export const createHandler = writeThingsHandler;
export const handler = createHandler(deps);
`,
      );
    });
    afterAll(() => rm(fixture, { recursive: true, force: true }));

    test("is given the schema of that factory's validator, not another's of the same module", async () => {
      expect(await handlerSource(fixture, 'services/s/src/handlers/write.ts')).toEqual({
        schemaFile: 'shared/src/things/write-things.schema.json',
        httpHandler: true,
      });
    });
  });
});

describe('responses', () => {
  /** Every status and problem type the code of a service's routes answers with, found in the sources. */
  async function answered(files: string[]): Promise<{ statuses: Set<number>; types: Set<string> }> {
    const statuses = new Set<number>();
    const types = new Set<string>();
    for (const file of files) {
      const source = await readFile(join(root, file), 'utf8');
      for (const [, status] of source.matchAll(/(?:HttpProblem\(|statusCode: |\[)(\d{3})\b/g))
        statuses.add(Number(status));
      for (const [, slug] of source.matchAll(/problemType\('([a-z-]+)'\)/g)) types.add(slug!);
      for (const [, slug] of source.matchAll(/new Conflict\(\s*'([a-z-]+)'/g)) types.add(slug!);
    }
    return { statuses, types };
  }
  const sources = async (directory: string) =>
    (await readdir(join(root, directory), { recursive: true }))
      .filter((file) => file.endsWith('.ts') && !file.includes('.generated.'))
      .map((file) => join(directory, file));
  const documented = (document: Document) => documentedBy(operations(document).map(([, , op]) => op));
  const documentedBy = (found: Operation[]) => {
    const statuses = new Set<number>();
    const types = new Set<string>();
    for (const operation of found) {
      for (const [status, response] of Object.entries(operation.responses)) {
        statuses.add(Number(status));
        for (const example of Object.values(response.content?.['application/problem+json']?.examples ?? {}))
          types.add(example.value.type.replace('https://herald.dev/problems/', ''));
      }
    }
    return { statuses, types };
  };

  test.each(SERVICES)(
    'every status and problem type the code of %s answers with is documented',
    async (service) => {
      // The routes, the logic whose refusals they answer, the shared HTTP stack, the operator's
      // dead-letter routes where the service serves them, and the shared refusals where it uses them.
      const { routes } = await readService(root, service);
      const deadLetters = routes.some((route) => route.path.startsWith('/v1/operator/dead-letters'));
      // The refusals its logic shares with other services' (@herald/shared/refusals), where its
      // problems module answers them.
      const problems = await readFile(join(root, `services/${service}/src/problems.ts`), 'utf8').catch(
        () => '',
      );
      const files = [
        ...(await sources(`services/${service}/src`)),
        ...(await sources('shared/src/middleware')),
        ...(deadLetters ? await sources('shared/src/dead-letters') : []),
        ...(problems.includes('@herald/shared/refusals') ? ['shared/src/refusals.ts'] : []),
      ];
      const code = await answered(files);
      const document = documented(documents.get(service)!);
      // emailLinks answers 405 to a method none of its three routes is declared with: API Gateway
      // never sends it one.
      const unreachable = service === 'notifications' ? [405] : [];
      const undocumented = [...code.statuses].filter(
        (status) => status >= 200 && !document.statuses.has(status) && !unreachable.includes(status),
      );
      expect(undocumented).toEqual([]);
      expect([...code.types].filter((slug) => !document.types.has(slug))).toEqual([]);
    },
  );

  test.each(SERVICES)(
    "what each %s handler answers itself is on that handler's operations",
    async (service) => {
      const { routes } = await readService(root, service);
      const document = documents.get(service)!;
      for (const route of routes) {
        const own = await answered([`services/${service}/${route.handlerFile}`]);
        const found = documentedBy([document.paths[route.path]![route.method.toLowerCase()] as Operation]);
        const where = `${route.method} ${route.path}`;
        expect({
          where,
          // 405: see above.
          statuses: [...own.statuses].filter(
            (status) => status >= 200 && status !== 405 && !found.statuses.has(status),
          ),
          types: [...own.types].filter((slug) => !found.types.has(slug)),
        }).toEqual({ where, statuses: [], types: [] });
      }
    },
  );

  test.each([...SERVICES, 'herald'])(
    "every error of %s is a problem+json with the Problem schema (the e-mail links' an HTML page), or API Gateway's own message",
    (name) => {
      for (const [method, path, operation] of operations(documents.get(name)!)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400) continue;
          const { 'application/json': gateway, ...fromFunction } = response.content ?? {};
          // API Gateway's throttling may answer alone (a 429 but resend-confirmation's own); its
          // authorizer beside the function's own 401/403.
          const own = path.startsWith('/v1/email/') ? 'text/html' : 'application/problem+json';
          const types = Object.keys(fromFunction);
          const expected = status === '429' && types.length === 0 ? [] : [own];
          const where = { method, path, status };
          expect({ ...where, types }).toEqual({ ...where, types: expected });
          if (expected[0] === 'application/problem+json')
            expect(fromFunction['application/problem+json']!.schema).toEqual({
              $ref: '#/components/schemas/Problem',
            });
          if (gateway !== undefined || status === '429')
            expect({ ...where, schema: gateway?.schema }).toEqual({
              ...where,
              schema: { $ref: '#/components/schemas/GatewayMessage' },
            });
        }
      }
    },
  );

  test('webhooks: the payload subscribers receive, with the Standard Webhooks headers', () => {
    for (const name of ['notifications', 'herald']) {
      const hook = (documents.get(name)!.webhooks as Record<string, { post: Operation }>).event!.post;
      expect(hook.parameters!.map((p) => [p.in, p.name])).toEqual(
        expect.arrayContaining([
          ['header', 'webhook-id'],
          ['header', 'webhook-timestamp'],
          ['header', 'webhook-signature'],
        ]),
      );
      expect(hook.requestBody!.content['application/json']!.schema).toEqual({
        $ref: '#/components/schemas/WebhookPayload',
      });
    }
  });
});

describe('documents', () => {
  test("the merged document has every operation of the services', each with its services' servers", () => {
    const merged = documents.get('herald')!;
    let count = 0;
    for (const service of SERVICES) {
      const document = documents.get(service)!;
      const [server] = document.servers as Array<{ url: string }>;
      for (const [method, path, operation] of operations(document)) {
        const found = merged.paths[path]?.[method.toLowerCase()] as Operation | undefined;
        expect({ method, path, operationId: found?.operationId }).toEqual({
          method,
          path,
          operationId: operation.operationId,
        });
        expect(found!.servers).toContainEqual(server);
        count += 1;
      }
    }
    // The operator routes are served by processing and notifications: one operation, both servers.
    expect(operations(merged).length).toBeLessThan(count);
    expect((merged.paths['/v1/operator/dead-letters']!.get as Operation).servers).toHaveLength(4);
  });

  test.each([...SERVICES, 'herald'])('every reference of %s resolves', (name) => {
    const document = documents.get(name)!;
    const references = [...JSON.stringify(document).matchAll(/"\$ref":"#\/([^"]+)"/g)].map(([, ref]) => ref!);
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) {
      const target = reference
        .split('/')
        .reduce<unknown>(
          (node, key) =>
            (node as Record<string, unknown> | undefined)?.[key.replaceAll('~1', '/').replaceAll('~0', '~')],
          document,
        );
      expect({ reference, found: target !== undefined }).toEqual({ reference, found: true });
    }
  });

  describe('the check', () => {
    let output: string;
    beforeAll(async () => {
      output = await mkdtemp(join(tmpdir(), 'openapi-out-'));
    });
    afterAll(() => rm(output, { recursive: true, force: true }));

    test('names missing documents, writes them, then names one that changed', async () => {
      const names = [...SERVICES, 'herald'].map((name) => `openapi/${name}.openapi.json`);
      expect((await writeDocuments(root, true, output)).sort()).toEqual([...names].sort());
      await writeDocuments(root, false, output);
      expect(await writeDocuments(root, true, output)).toEqual([]);
      const path = documentPath(output, 'processing');
      await writeFile(path, (await readFile(path, 'utf8')).replace('"getEvent"', '"readEvent"'));
      expect(await writeDocuments(root, true, output)).toEqual(['openapi/processing.openapi.json']);
    });
  });
});
