/**
 * The cost of authenticating a request, in process: the tenants service's authorizer handler (what
 * API Gateway invokes before every route, services/tenants/src/handlers/authorize.ts) and the auth
 * middleware of the function behind the route (shared/src/middleware/auth.ts), for
 *
 * - a JWT: the authorizer verifies it and reads its tenant (cached), the middleware verifies it again;
 * - an API key at steady state: the authorizer's key and tenant records cached (30 s per container);
 * - an API key on a cold cache: a container's first request with the key (its record, its tenant's
 *   and its last-use write, against DynamoDB Local);
 * - the middleware alone, reading the verdict API Gateway hands it (what every request pays on top
 *   of the authorizer, whose answer API Gateway caches per Authorization header).
 *
 * AWS calls per request are counted from the SDK's middleware stack (shared/src/aws/call-counter.ts),
 * by operation. DynamoDB Local is not DynamoDB: read the calls and the in-process figures, not the
 * cold cache's milliseconds, as AWS's.
 *
 *   npm run bench -- auth [--requests 2000] [--cold 200]
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { freePort, startDynamoDb } from '@herald/local-cloud';
import { figure } from './lib/figures';
import { percentile } from './lib/stats';

// Set before the modules that read them load: the functions' log level in production.
process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
process.env.POWERTOOLS_SERVICE_NAME = 'bench';
process.env.POWERTOOLS_METRICS_NAMESPACE = 'Bench';

const { createCallCounter } = await import('@herald/shared/aws/call-counter');
const { auth } = await import('@herald/shared/middleware/auth');
const { CLOCK_TOLERANCE_SECONDS, REQUIRED_CLAIMS, verifyJwt } = await import('@herald/shared/middleware/jwt');
const { localKeySet } = await import('@herald/shared/middleware/jwks');
const { DEFAULT_ALGORITHMS } = await import('@herald/shared/middleware/auth');
const { DynamoApiKeyStore } = await import('../../services/tenants/src/adapters/dynamo-api-key-store');
const { DynamoTenantStore } = await import('../../services/tenants/src/adapters/dynamo-tenant-store');
const { createAuthorizer } = await import('../../services/tenants/src/authorizer/authorize');
const { createHandler } = await import('../../services/tenants/src/handlers/authorize');
const { mintKey, newKeyId } = await import('../../services/tenants/src/model/api-key');

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '2000' }, cold: { type: 'string', default: '200' } },
});
const REQUESTS = Number(values.requests);
const COLD = Number(values.cold);
const ISSUER = 'https://auth.bench.example';
const AUDIENCE = 'herald';
const TENANT = 'bench-tenant';
const SCOPES = ['events:write', 'events:read'];
const TENANTS_TABLE = 'bench-tenants';
const KEYS_TABLE = 'bench-api-keys';

/** An Ed25519 key pair and its public JWK, as an identity provider's. */
function signingKey(): { privateKey: KeyObject; jwk: Record<string, unknown> } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey,
    jwk: { ...publicKey.export({ format: 'jwk' }), kid: 'bench', alg: 'EdDSA', use: 'sig' },
  };
}

function jwt(privateKey: KeyObject): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: 'EdDSA', kid: 'bench', typ: 'JWT' })}.${encode({
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'bench-user',
    tenant: TENANT,
    scope: SCOPES.join(' '),
    iat: now,
    exp: now + 3600,
  })}`;
  return `${body}.${sign(null, Buffer.from(body), privateKey).toString('base64url')}`;
}

/** The authorizer's event for a request with this Authorization header (payload 2.0). */
const authorizerEvent = (authorization: string) =>
  ({
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:us-east-1:000000000000:bench/$default/POST/v1/events',
    identitySource: [authorization],
    routeKey: 'POST /v1/events',
    rawPath: '/v1/events',
    rawQueryString: '',
    headers: { authorization, 'user-agent': 'bench' },
    requestContext: {
      http: {
        method: 'POST',
        path: '/v1/events',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'bench',
      },
      requestId: 'bench',
      routeKey: 'POST /v1/events',
    },
  }) as never;

/** The function's event, with the verdict API Gateway passes on. */
const functionEvent = (authorization: string, verdict: Record<string, unknown>) =>
  ({
    version: '2.0',
    routeKey: 'POST /v1/events',
    rawPath: '/v1/events',
    rawQueryString: '',
    headers: { authorization },
    requestContext: {
      http: {
        method: 'POST',
        path: '/v1/events',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'bench',
      },
      requestId: 'bench',
      routeKey: 'POST /v1/events',
      authorizer: { lambda: verdict },
    },
  }) as never;

interface Row {
  name: string;
  authorizerMs: number[];
  middlewareMs: number[];
  calls: Record<string, number>;
  requests: number;
}

const port = await freePort();
const java = await startDynamoDb(port);
try {
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  for (const TableName of [TENANTS_TABLE, KEYS_TABLE])
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
  const calls = createCallCounter();
  const db = calls.count(DynamoDBDocumentClient.from(client), 'DynamoDB');
  const keys = new DynamoApiKeyStore(db, KEYS_TABLE);
  const tenants = new DynamoTenantStore(db, TENANTS_TABLE);
  const at = new Date().toISOString();
  await tenants.create({ id: TENANT, status: 'active', settings: {}, createdAt: at, updatedAt: at });
  const minted = mintKey('live');
  await keys.create({
    id: newKeyId(),
    tenantId: TENANT,
    hash: minted.hash,
    name: 'bench',
    prefix: minted.prefix,
    environment: 'live',
    scopes: SCOPES,
    createdAt: at,
    createdBy: 'bench-user',
  });

  const { privateKey, jwk } = signingKey();
  const jwks = { keys: [jwk] } as never;
  const keySet = localKeySet(jwks);
  const verifyOptions = {
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: DEFAULT_ALGORITHMS,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    requiredClaims: REQUIRED_CLAIMS,
  };
  // As services/tenants/src/wiring.ts builds it, with these stores.
  const newAuthorizer = () =>
    createAuthorizer({
      keys,
      tenants,
      verifyJwt: (token) => verifyJwt(token, keySet, verifyOptions),
      tenantClaim: 'tenant',
      autoCreateTenants: false,
    });
  const warm = newAuthorizer();
  const warmHandler = createHandler(() => warm);
  const middleware = auth({
    scopes: ['events:write'],
    config: { issuer: ISSUER, audience: AUDIENCE, jwks: { keys: jwks }, tenantClaim: 'tenant' },
  });
  const checkRequest = async (event: never) => {
    const request = { event, context: {} as Record<string, unknown> };
    await middleware.before!(request as never);
    if (!(request.context.auth as { tenantId?: string } | undefined)?.tenantId)
      throw new Error('the middleware let a request through without its tenant');
  };

  const token = jwt(privateKey);
  const apiKey = minted.key;
  const verdicts = new Map<string, Record<string, unknown>>();

  async function measure(
    name: string,
    authorization: string,
    requests: number,
    options: { authorizer?: 'warm' | 'cold'; middleware: boolean },
  ): Promise<Row> {
    const row: Row = { name, authorizerMs: [], middlewareMs: [], calls: {}, requests };
    calls.take();
    for (let i = 0; i < requests; i++) {
      let verdict = verdicts.get(authorization);
      if (options.authorizer) {
        const handler = options.authorizer === 'warm' ? warmHandler : createHandler(newAuthorizer);
        const started = performance.now();
        const result = await handler(authorizerEvent(authorization));
        row.authorizerMs.push(performance.now() - started);
        if (result.context.outcome !== 'allow') throw new Error(`${name}: refused ${result.context.reason}`);
        verdict = result.context as unknown as Record<string, unknown>;
        verdicts.set(authorization, verdict);
      }
      if (options.middleware) {
        const started = performance.now();
        await checkRequest(functionEvent(authorization, verdict!));
        row.middlewareMs.push(performance.now() - started);
      }
    }
    row.calls = calls.take();
    return row;
  }

  // Warm-ups: the first of each pays its JIT and the first connection, which no steady state does.
  await measure('warm-up', `Bearer ${token}`, 50, { authorizer: 'warm', middleware: true });
  await measure('warm-up', `Bearer ${apiKey}`, 50, { authorizer: 'warm', middleware: true });
  await measure('warm-up', `Bearer ${apiKey}`, 5, { authorizer: 'cold', middleware: false });

  const rows = [
    await measure('JWT', `Bearer ${token}`, REQUESTS, { authorizer: 'warm', middleware: true }),
    await measure('API key, cached', `Bearer ${apiKey}`, REQUESTS, { authorizer: 'warm', middleware: true }),
    await measure('API key, cold cache', `Bearer ${apiKey}`, COLD, { authorizer: 'cold', middleware: true }),
    await measure('middleware alone (API key verdict)', `Bearer ${apiKey}`, REQUESTS, { middleware: true }),
    await measure('middleware alone (JWT verdict)', `Bearer ${token}`, REQUESTS, { middleware: true }),
  ];

  const ms = (values: number[], p: number) => (values.length === 0 ? '-' : percentile(values, p).toFixed(3));
  console.log(`Auth, in process (${REQUESTS} requests, ${COLD} on a cold cache; DynamoDB Local):`);
  console.log('| credential | authorizer p50 / p99 ms | middleware p50 / p99 ms | AWS calls / request |');
  console.log('| --- | --- | --- | --- |');
  for (const row of rows) {
    const total = Object.values(row.calls).reduce((sum, n) => sum + n, 0) / row.requests;
    const byOperation = Object.entries(row.calls)
      .map(([operation, n]) => `${operation} ${(n / row.requests).toFixed(3)}`)
      .join(', ');
    console.log(
      `| ${row.name} | ${ms(row.authorizerMs, 50)} / ${ms(row.authorizerMs, 99)} | ` +
        `${ms(row.middlewareMs, 50)} / ${ms(row.middlewareMs, 99)} | ${total.toFixed(3)}${byOperation ? ` (${byOperation})` : ''} |`,
    );
    if (row.authorizerMs.length > 0)
      figure({
        figure: `auth ${row.name}: authorizer p50`,
        value: percentile(row.authorizerMs, 50),
        unit: 'ms',
      });
    figure({
      figure: `auth ${row.name}: middleware p50`,
      value: percentile(row.middlewareMs, 50),
      unit: 'ms',
    });
    figure({ figure: `auth ${row.name}: AWS calls per request`, value: total, unit: 'calls/request' });
  }
  client.destroy();
} finally {
  java.kill('SIGKILL');
}
