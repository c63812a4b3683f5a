// API Gateway's Lambda REQUEST authorizers as the local cloud's HTTP front emulates them, from a
// fixture shaped as `serverless package` writes a service's template: routes matched to their route
// keys, the authorizer invoked (a fake runtime here) with the payload 2.0 event, its answers cached per
// Authorization header for the TTL, API Gateway's own 401/403/500 bodies, and the context handed to
// serverless-offline in its override header, which no client can forge.
import { createServer, type Server } from 'node:http';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { Template } from '../src/cfn/template';
import {
  apiAuthorization,
  authorizerGate,
  matchRoute,
  type ApiAuthorization,
  type GateRequest,
} from '../src/http-authorizers';
import { startHttpFront, type HttpFront } from '../src/http-front';

const AUTHORIZER_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:herald-tenants-local-authorize:live';

const route = (key: string, authorized = true) => ({
  Type: 'AWS::ApiGatewayV2::Route',
  Properties: {
    ApiId: { Ref: 'HttpApi' },
    RouteKey: key,
    Target: 'integrations/x',
    ...(authorized
      ? { AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'HttpApiAuthorizerHeraldTenants' } }
      : {}),
  },
});

const template: Template = {
  Resources: {
    HttpApi: {
      Type: 'AWS::ApiGatewayV2::Api',
      Properties: { Name: 'local-herald-ingest', ProtocolType: 'HTTP' },
    },
    HttpApiAuthorizerHeraldTenants: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: {
        ApiId: { Ref: 'HttpApi' },
        Name: 'heraldTenants',
        IdentitySource: ['$request.header.Authorization'],
        AuthorizerType: 'REQUEST',
        EnableSimpleResponses: true,
        AuthorizerResultTtlInSeconds: 60,
        AuthorizerPayloadFormatVersion: '2.0',
        AuthorizerUri: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':apigateway:',
              { Ref: 'AWS::Region' },
              ':lambda:path/2015-03-31/functions/',
              AUTHORIZER_ARN,
              '/invocations',
            ],
          ],
        },
      },
    },
    HttpApiRoutePostV1Events: route('POST /v1/events'),
    HttpApiRouteGetV1EventsIdVar: route('GET /v1/events/{id}'),
    HttpApiRouteGetV1EventsLatest: route('GET /v1/events/latest'),
    HttpApiRouteGetV1TenantsTenantVarWebhookKeysJson: route(
      'GET /v1/tenants/{tenant}/webhook-keys.json',
      false,
    ),
  },
};

const resources = {
  HttpApi: { ref: 'a1b2c3d4e5', attributes: {} },
  HttpApiAuthorizerHeraldTenants: { ref: 'auth123', attributes: {} },
};

let api: ApiAuthorization;

beforeAll(() => {
  api = apiAuthorization(template, resources, { stackName: 'herald-ingest-local' })!;
});

describe("the template's authorizers and routes", () => {
  test('each route with its authorizer, the function named by the ARN in AuthorizerUri', () => {
    const authorizer = {
      id: 'auth123',
      name: 'heraldTenants',
      functionArn: AUTHORIZER_ARN,
      functionName: 'herald-tenants-local-authorize',
      identitySource: ['$request.header.Authorization'],
      ttlSeconds: 60,
    };
    expect(api).toEqual({
      apiId: 'a1b2c3d4e5',
      routes: [
        { routeKey: 'POST /v1/events', authorizer },
        { routeKey: 'GET /v1/events/{id}', authorizer },
        { routeKey: 'GET /v1/events/latest', authorizer },
        { routeKey: 'GET /v1/tenants/{tenant}/webhook-keys.json' },
      ],
      notEmulated: [],
    });
  });

  test("a JWT authorizer is not emulated (its routes pass); an IAM or another template's is refused", () => {
    const jwt: Template = JSON.parse(JSON.stringify(template)) as Template;
    Object.assign(jwt.Resources.HttpApiAuthorizerHeraldTenants!.Properties!, { AuthorizerType: 'JWT' });
    for (const resource of Object.values(jwt.Resources))
      if (resource.Properties?.AuthorizationType === 'CUSTOM') resource.Properties.AuthorizationType = 'JWT';
    const read = apiAuthorization(jwt, resources, { stackName: 's' })!;
    expect(read.notEmulated).toEqual(['HttpApiAuthorizerHeraldTenants']);
    expect(read.routes.every((route) => route.authorizer === undefined)).toBe(true);
    const iam: Template = JSON.parse(JSON.stringify(template)) as Template;
    Object.assign(iam.Resources.HttpApiRoutePostV1Events!.Properties!, { AuthorizationType: 'AWS_IAM' });
    expect(() => apiAuthorization(iam, resources, { stackName: 's' })).toThrow(
      /AWS_IAM, which is not emulated/,
    );
    const external: Template = JSON.parse(JSON.stringify(template)) as Template;
    Object.assign(external.Resources.HttpApiRoutePostV1Events!.Properties!, { AuthorizerId: 'abc' });
    expect(() => apiAuthorization(external, resources, { stackName: 's' })).toThrow(/not emulated/);
  });

  test('a request is matched to the most specific route key, with its path parameters', () => {
    expect(matchRoute(api.routes, 'GET', '/v1/events/latest')?.route.routeKey).toBe('GET /v1/events/latest');
    expect(matchRoute(api.routes, 'GET', '/v1/events/ev%201')).toMatchObject({
      route: { routeKey: 'GET /v1/events/{id}' },
      pathParameters: { id: 'ev 1' },
    });
    // Not valid percent-encoding (a stray %, a lone surrogate): matched all the same, kept as it came.
    for (const id of ['ev%', '%ED%B0%80'])
      expect(matchRoute(api.routes, 'GET', `/v1/events/${id}`)?.pathParameters).toEqual({ id });
    expect(matchRoute(api.routes, 'DELETE', '/v1/events/1')).toBeUndefined();
    expect(matchRoute(api.routes, 'GET', '/v1/events/1/2')).toBeUndefined();
  });
});

/** A runtime with the authorizer alone, answering what the test says, counting its invocations. */
function fakeRuntime() {
  const calls: Array<{ name: string; payload: Record<string, unknown> }> = [];
  let behaviour: (payload: Record<string, unknown>) => Promise<unknown> = async () => ({
    isAuthorized: true,
    context: { v: 1, outcome: 'allow', tenantId: 'acme' },
  });
  return {
    calls,
    answer(next: typeof behaviour) {
      behaviour = next;
    },
    invoke: async (name: string, payload: unknown) => {
      calls.push({ name, payload: payload as Record<string, unknown> });
      if (name !== 'herald-tenants-local-authorize') throw new Error(`No local function named ${name}`);
      return behaviour(payload as Record<string, unknown>);
    },
  };
}

const request = (over: Partial<GateRequest> = {}): GateRequest => ({
  method: 'POST',
  url: '/v1/events?dry=1',
  headers: { host: 'localhost:4000', authorization: 'Bearer hk_test_abc', 'user-agent': 'jest' },
  sourceIp: '127.0.0.1',
  ...over,
});

describe('the gate', () => {
  let runtime: ReturnType<typeof fakeRuntime>;
  let clock: number;
  let lines: string[];
  let gate: ReturnType<typeof authorizerGate>;

  beforeEach(() => {
    runtime = fakeRuntime();
    clock = 1_767_225_600_000;
    lines = [];
    gate = authorizerGate(api, {
      invoke: runtime.invoke,
      log: (line) => lines.push(line),
      now: () => clock,
      timeoutMs: 200,
    });
  });

  test('an allow passes the request on with the context; the function got the payload 2.0 event', async () => {
    expect(await gate(request())).toEqual({
      pass: true,
      context: { v: 1, outcome: 'allow', tenantId: 'acme' },
    });
    expect(runtime.calls).toHaveLength(1);
    expect(runtime.calls[0]!.payload).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: 'arn:aws:execute-api:us-east-1:000000000000:a1b2c3d4e5/$default/POST/v1/events',
      identitySource: ['Bearer hk_test_abc'],
      routeKey: 'POST /v1/events',
      rawPath: '/v1/events',
      rawQueryString: 'dry=1',
      queryStringParameters: { dry: '1' },
      headers: { authorization: 'Bearer hk_test_abc', host: 'localhost:4000' },
      requestContext: {
        accountId: '000000000000',
        apiId: 'a1b2c3d4e5',
        http: { method: 'POST', path: '/v1/events', sourceIp: '127.0.0.1', userAgent: 'jest' },
        routeKey: 'POST /v1/events',
        stage: '$default',
        time: '01/Jan/2026:00:00:00 +0000',
        timeEpoch: 1_767_225_600_000,
      },
    });
  });

  test('answers are cached per Authorization header for the TTL, across routes', async () => {
    await gate(request());
    await gate(request({ method: 'GET', url: '/v1/events/e-1' }));
    expect(runtime.calls).toHaveLength(1);
    await gate(request({ headers: { authorization: 'Bearer other' } }));
    expect(runtime.calls).toHaveLength(2);
    clock += 59_000;
    await gate(request());
    expect(runtime.calls).toHaveLength(2);
    clock += 1_000;
    await gate(request());
    expect(runtime.calls).toHaveLength(3);
  });

  test('requests of one identity that miss the cache together share one invocation', async () => {
    const pending: Array<() => void> = [];
    runtime.answer(
      () =>
        new Promise((resolve) => {
          pending.push(() => resolve({ isAuthorized: true, context: { tenantId: 'acme' } }));
        }),
    );
    const together = [
      gate(request()),
      gate(request({ method: 'GET', url: '/v1/events/e-1' })),
      gate(request()),
    ];
    const other = gate(request({ headers: { authorization: 'Bearer other' } }));
    await new Promise((resolve) => setImmediate(resolve));
    // One for the shared identity, one for the other.
    expect(runtime.calls).toHaveLength(2);
    for (const answer of pending) answer();
    for (const result of await Promise.all([...together, other]))
      expect(result).toEqual({ pass: true, context: { tenantId: 'acme' } });
    expect(runtime.calls).toHaveLength(2);
  });

  test('without a cache (TTL 0) requests in flight together each invoke the authorizer', async () => {
    const uncached: typeof api = {
      ...api,
      routes: api.routes.map((route) =>
        route.authorizer ? { ...route, authorizer: { ...route.authorizer, ttlSeconds: 0 } } : route,
      ),
    };
    const each = authorizerGate(uncached, { invoke: runtime.invoke, log: () => undefined, timeoutMs: 200 });
    await Promise.all([each(request()), each(request()), each(request())]);
    expect(runtime.calls).toHaveLength(3);
  });

  test('a shared invocation that fails is no answer for the others: each asks again on its own', async () => {
    let fail!: () => void;
    runtime.answer(
      () =>
        new Promise((_resolve, reject) => {
          fail = () => reject(new Error('boom'));
        }),
    );
    const first = gate(request());
    const second = gate(request());
    await new Promise((resolve) => setImmediate(resolve));
    expect(runtime.calls).toHaveLength(1);
    runtime.answer(async () => ({ isAuthorized: true }));
    fail();
    expect(await first).toMatchObject({ pass: false, status: 500 });
    expect(await second).toEqual({ pass: true });
    expect(runtime.calls).toHaveLength(2);
  });

  test('a repeated Authorization header reaches the authorizer joined with a comma, as API Gateway joins it', async () => {
    await gate(request({ headers: { authorization: ['Bearer a', 'Bearer b'] } }));
    expect(runtime.calls[0]!.payload).toMatchObject({
      identitySource: ['Bearer a,Bearer b'],
      headers: { authorization: 'Bearer a,Bearer b' },
    });
  });

  test('no Authorization header, or an empty one: 401 Unauthorized, the function not invoked', async () => {
    for (const headers of [{}, { authorization: '' }, { authorization: '   ' }]) {
      expect(await gate(request({ headers }))).toEqual({
        pass: false,
        status: 401,
        body: '{"message":"Unauthorized"}',
      });
    }
    expect(runtime.calls).toHaveLength(0);
  });

  test('isAuthorized false: 403 Forbidden, cached like an allow', async () => {
    runtime.answer(async () => ({ isAuthorized: false }));
    for (let i = 0; i < 2; i += 1)
      expect(await gate(request())).toEqual({ pass: false, status: 403, body: '{"message":"Forbidden"}' });
    expect(runtime.calls).toHaveLength(1);
  });

  test.each([
    ['throws', async () => Promise.reject(new Error('boom'))],
    ['answers no simple response', async () => ({ principalId: 'x', policyDocument: {} })],
    ['answers a context that is not an object', async () => ({ isAuthorized: true, context: 'x' })],
    ['times out', () => new Promise(() => undefined)],
  ])('an authorizer that %s: 500, logged, not cached', async (_case, behaviour) => {
    runtime.answer(behaviour as () => Promise<unknown>);
    for (let i = 0; i < 2; i += 1)
      expect(await gate(request())).toEqual({
        pass: false,
        status: 500,
        body: '{"message":"Internal Server Error"}',
      });
    expect(runtime.calls).toHaveLength(2);
    expect(lines[0]).toMatch(/authorizer heraldTenants \(herald-tenants-local-authorize\)/);
  });

  test('a public route, an unknown path and a CORS preflight pass without the authorizer', async () => {
    expect(
      await gate(request({ method: 'GET', url: '/v1/tenants/acme/webhook-keys.json', headers: {} })),
    ).toEqual({
      pass: true,
    });
    expect(await gate(request({ method: 'GET', url: '/nowhere', headers: {} }))).toEqual({ pass: true });
    expect(runtime.calls).toHaveLength(0);
  });
});

describe('the front with the gate', () => {
  let upstream: Server;
  let front: HttpFront;
  let base: string;
  const runtime = fakeRuntime();

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      void buffer(req).then((body) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ headers: req.headers, body: body.toString() }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    front = await startHttpFront({
      service: 'ingest',
      port: 'auto',
      use: { purpose: 'test', setting: 'TEST' },
      authorize: authorizerGate(api, { invoke: runtime.invoke, log: () => undefined }),
    });
    front.up((upstream.address() as { port: number }).port);
    base = `http://127.0.0.1:${front.port}`;
  });

  afterAll(async () => {
    await front.stop();
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
  });

  const seen = async (response: Response) =>
    (await response.json()) as { headers: Record<string, string>; body: string };

  test('an allowed request reaches serverless-offline with the context in its override header, as {lambda}', async () => {
    runtime.answer(async () => ({ isAuthorized: true, context: { v: 1, outcome: 'allow', note: 'café' } }));
    const response = await fetch(`${base}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer one', 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(response.status).toBe(200);
    const { headers, body } = await seen(response);
    expect(JSON.parse(headers['sls-offline-authorizer-override']!)).toEqual({
      lambda: { v: 1, outcome: 'allow', note: 'café' },
    });
    expect(body).toBe('{"a":1}');
  });

  test('a forged override header never gets through: dropped on a public route, replaced on an authorized one', async () => {
    const forged = JSON.stringify({
      lambda: { v: 1, outcome: 'allow', tenantId: 'victim', scopes: 'tenants:admin' },
    });
    const open = await fetch(`${base}/v1/tenants/acme/webhook-keys.json`, {
      headers: { 'sls-offline-authorizer-override': forged },
    });
    expect((await seen(open)).headers).not.toHaveProperty('sls-offline-authorizer-override');

    runtime.answer(async () => ({
      isAuthorized: true,
      context: { v: 1, outcome: 'refuse', reason: 'unknown_key' },
    }));
    const authorized = await fetch(`${base}/v1/events/e-1`, {
      headers: [
        ['authorization', 'Bearer two'],
        ['sls-offline-authorizer-override', forged],
        ['SLS-Offline-Authorizer-Override', forged],
      ],
    });
    expect(JSON.parse((await seen(authorized)).headers['sls-offline-authorizer-override']!)).toEqual({
      lambda: { v: 1, outcome: 'refuse', reason: 'unknown_key' },
    });

    const refused = await fetch(`${base}/v1/events`, {
      method: 'POST',
      headers: { 'sls-offline-authorizer-override': forged },
      body: '{}',
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ message: 'Unauthorized' });
  });

  test("API Gateway's own answers: 403 and 500 bodies, the request never passed on", async () => {
    runtime.answer(async () => ({ isAuthorized: false }));
    const forbidden = await fetch(`${base}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer three' },
      body: '{}',
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toBe('application/json');
    expect(await forbidden.json()).toEqual({ message: 'Forbidden' });
    runtime.answer(async () => Promise.reject(new Error('boom')));
    const failed = await fetch(`${base}/v1/events/e-2`, { headers: { authorization: 'Bearer four' } });
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ message: 'Internal Server Error' });
  });
});
