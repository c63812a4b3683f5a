import { afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { httpHandler } from '../../src/http';
import type { HttpHandlerFn } from '../../src/http';
import {
  authFixture,
  captureLogs,
  expectProblem,
  expectSecurityHeaders,
  header,
  httpEvent,
  lambdaContext,
} from '../../src/testing/http';
import type { AuthFixture, EventOptions } from '../../src/testing/http';

interface NewEvents {
  events: Array<{ type: string }>;
}

let fixture: AuthFixture;
let logs: ReturnType<typeof captureLogs>;

beforeAll(async () => {
  fixture = await authFixture();
});
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
});

describe('httpHandler', () => {
  test('without auth settings in the environment it fails at cold start, naming the variable', () => {
    const saved = process.env.AUTH_ISSUER;
    delete process.env.AUTH_ISSUER;
    try {
      expect(() => httpHandler(async () => ({ statusCode: 200 }), { scopes: [] })).toThrow(/AUTH_ISSUER/);
    } finally {
      if (saved !== undefined) process.env.AUTH_ISSUER = saved;
    }
  });

  test('the handler gets the parsed body, auth and correlation id; its result is serialised as JSON', async () => {
    const inner = jest.fn<HttpHandlerFn<NewEvents>>(async (event, context) => ({
      statusCode: 202,
      body: { accepted: event.body.events.length, tenant: context.auth.tenantId },
      headers: { location: '/v1/events/batch-1' },
    }));
    const handler = httpHandler(inner, { scopes: ['events:write'], auth: { config: fixture.config } });
    const response = await handler(
      httpEvent({
        headers: { ...(await fixture.headers()), 'x-correlation-id': 'http-1' },
        body: JSON.stringify({ events: [{ type: 'a' }, { type: 'b' }] }),
      }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(202);
    expect(header(response, 'content-type')).toBe('application/json');
    expect(header(response, 'location')).toBe('/v1/events/batch-1');
    expect(header(response, 'x-correlation-id')).toBe('http-1');
    expectSecurityHeaders(response);
    expect(JSON.parse(response.body!)).toEqual({ accepted: 2, tenant: 'acme' });
    const [event, context] = inner.mock.calls[0]!;
    expect(event.body).toEqual({ events: [{ type: 'a' }, { type: 'b' }] });
    expect(context).toMatchObject({
      correlationId: 'http-1',
      auth: { tenantId: 'acme', subject: 'user-42' },
      awsRequestId: 'aws-req-1',
    });
  });

  test('a result without body has no body and no content type', async () => {
    const handler = httpHandler(async () => ({ statusCode: 204 }), {
      scopes: ['events:write'],
      auth: { config: fixture.config },
    });
    const response = await handler(
      httpEvent({ method: 'DELETE', headers: await fixture.headers() }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(204);
    expect(response.body).toBeUndefined();
    expect(header(response, 'content-type')).toBeUndefined();
    expectSecurityHeaders(response);
  });

  test.each([
    ['malformed JSON', { body: '{"a":' }],
    ['a wrong content type', { body: 'a=1', headers: { 'content-type': 'text/plain' } }],
    ['an oversized body', { body: `"${'a'.repeat(300_000)}"` }],
  ] as Array<[string, EventOptions]>)(
    'an unauthenticated request with %s is 401: auth runs before any body handling',
    async (_case, options) => {
      const inner = jest.fn<HttpHandlerFn<unknown>>(async () => ({ statusCode: 200 }));
      const handler = httpHandler(inner, { scopes: ['events:write'], auth: { config: fixture.config } });
      const headers = { 'content-type': 'application/json', ...options.headers };
      const response = await handler(httpEvent({ ...options, headers }), lambdaContext());
      expectProblem(response, 401);
      expect(inner).not.toHaveBeenCalled();
    },
  );

  test('a request without scope is 403 even with a malformed body', async () => {
    const inner = jest.fn<HttpHandlerFn<unknown>>(async () => ({ statusCode: 200 }));
    const handler = httpHandler(inner, { scopes: ['admin'], auth: { config: fixture.config } });
    const response = await handler(
      httpEvent({ headers: await fixture.headers(), body: '{' }),
      lambdaContext(),
    );
    expectProblem(response, 403);
    expect(inner).not.toHaveBeenCalled();
  });
});
