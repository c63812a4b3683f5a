/**
 * Test support for HTTP handlers: real keys and tokens (jose), API Gateway v2 events, log capture
 * and assertions on problem responses. Used by the tests of every package; never by a handler.
 */
import { jest, expect } from '@jest/globals';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWTPayload } from 'jose';
import type { AuthConfig } from '../auth-config';

export const ISSUER = 'https://auth.herald.test/';
export const AUDIENCE = 'https://api.herald.test';

export interface SigningKey {
  alg: 'ES256' | 'RS256' | 'EdDSA';
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

export async function signingKey(alg: SigningKey['alg'], kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicKey };
}

export async function jwksOf(...keys: SigningKey[]): Promise<JSONWebKeySet> {
  return {
    keys: await Promise.all(
      keys.map(async (key) => ({
        ...(await exportJWK(key.publicKey)),
        kid: key.kid,
        alg: key.alg,
        use: 'sig',
      })),
    ),
  };
}

export function configFor(jwks: JSONWebKeySet, tenantClaim = 'tenant'): AuthConfig {
  return { issuer: ISSUER, audience: AUDIENCE, jwks: { keys: jwks }, tenantClaim };
}

export interface TokenOptions {
  claims?: JWTPayload;
  /** Claims to leave out of the defaults. */
  omit?: string[];
  issuer?: string;
  audience?: string;
  /** Seconds relative to now. */
  expiresIn?: number;
  notBeforeIn?: number;
  kid?: string | null;
}

const now = (): number => Math.floor(Date.now() / 1000);

export async function token(key: SigningKey, options: TokenOptions = {}): Promise<string> {
  const claims: JWTPayload = {
    iss: options.issuer ?? ISSUER,
    aud: options.audience ?? AUDIENCE,
    sub: 'user-42',
    tenant: 'acme',
    scope: 'events:write events:read',
    iat: now(),
    exp: now() + (options.expiresIn ?? 300),
    ...(options.notBeforeIn === undefined ? {} : { nbf: now() + options.notBeforeIn }),
    ...options.claims,
  };
  for (const name of options.omit ?? []) delete claims[name];
  const kid = options.kid === undefined ? key.kid : options.kid;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', ...(kid === null ? {} : { kid }) })
    .sign(key.privateKey);
}

export function base64url(value: string | Uint8Array): string {
  return Buffer.from(value).toString('base64url');
}

export interface EventOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  pathParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
}

export function httpEvent(options: EventOptions = {}): APIGatewayProxyEventV2 {
  const method = options.method ?? 'POST';
  const path = options.path ?? '/v1/events';
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.herald.test', ...options.headers },
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: options.isBase64Encoded ?? false,
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(options.queryStringParameters ? { queryStringParameters: options.queryStringParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api1234',
      domainName: 'api.herald.test',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'jest' },
      requestId: 'req-1',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 1767225600000,
    },
  };
}

export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'herald-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:herald-test',
    memoryLimitInMB: '256',
    awsRequestId: 'aws-req-1',
    logGroupName: '/aws/lambda/herald-test',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Collects what the Powertools logger writes (and keeps it off the test output). Its console sends
 * debug and info lines to stdout, warn and error lines to stderr.
 */
export function captureLogs(): {
  text: () => string;
  lines: () => Array<Record<string, unknown>>;
  restore: () => void;
} {
  const chunks: string[] = [];
  const record = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(record),
    jest.spyOn(process.stderr, 'write').mockImplementation(record),
  ];
  const text = (): string => chunks.join('');
  return {
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line.trim().startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

export function header(response: APIGatewayProxyStructuredResultV2, name: string): string | undefined {
  const entry = Object.entries(response.headers ?? {}).find(
    ([key]) => key.toLowerCase() === name.toLowerCase(),
  );
  return entry === undefined ? undefined : String(entry[1]);
}

export function expectSecurityHeaders(response: APIGatewayProxyStructuredResultV2): void {
  expect(header(response, 'strict-transport-security')).toMatch(/^max-age=\d+/);
  expect(header(response, 'x-content-type-options')).toBe('nosniff');
  expect(header(response, 'cache-control')).toBe('no-store');
  expect(header(response, 'content-security-policy')).toMatch(/^default-src 'none'/);
  expect(header(response, 'referrer-policy')).toBe('no-referrer');
  expect(header(response, 'x-frame-options')).toBe('DENY');
}

/** Asserts an RFC 9457 response with the usual headers and returns its parsed body. */
export function expectProblem(
  response: APIGatewayProxyStructuredResultV2,
  status: number,
  instance = '/v1/events',
): Record<string, unknown> {
  expect(response.statusCode).toBe(status);
  expect(header(response, 'content-type')).toBe('application/problem+json');
  expectSecurityHeaders(response);
  expect(header(response, 'x-correlation-id')).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
  const body = JSON.parse(response.body ?? '') as Record<string, unknown>;
  expect(body).toMatchObject({ status, instance });
  expect(typeof body.title).toBe('string');
  expect(body.type === 'about:blank' || String(body.type).startsWith('https://herald.dev/problems/')).toBe(
    true,
  );
  return body;
}

export interface AuthFixture {
  key: SigningKey;
  config: AuthConfig;
  /** Headers of an authenticated JSON request. */
  headers: (options?: TokenOptions) => Promise<Record<string, string>>;
}

export async function authFixture(): Promise<AuthFixture> {
  const key = await signingKey('ES256', 'es-1');
  const config = configFor(await jwksOf(key));
  return {
    key,
    config,
    headers: async (options) => ({
      authorization: `Bearer ${await token(key, options)}`,
      'content-type': 'application/json',
    }),
  };
}

/**
 * For handler tests: a signing key whose public JWKS is put in the AUTH_* environment, as a
 * deployed function would read it at cold start. Call before the handler's first invocation.
 */
export async function authEnvironment(): Promise<AuthFixture> {
  const fixture = await authFixture();
  process.env.AUTH_ISSUER = ISSUER;
  process.env.AUTH_AUDIENCE = AUDIENCE;
  process.env.AUTH_JWKS = JSON.stringify((fixture.config.jwks as { keys: unknown }).keys);
  delete process.env.AUTH_JWKS_URL;
  return fixture;
}
