import { afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { Ajv } from 'ajv';
import { httpHandler } from '../../src/entry/http';
import type { HttpHandlerFn } from '../../src/entry/http';
import { createMetrics } from '../../src/metrics';
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

  test('the body takes its type from the validator’s generated input type', async () => {
    const validate = new Ajv().compile<{ body: NewEvents; pathParameters?: Record<string, string> }>({
      type: 'object',
      required: ['body'],
      properties: {
        body: {
          type: 'object',
          required: ['events'],
          properties: { events: { type: 'array', items: { type: 'object', required: ['type'] } } },
        },
      },
    });
    const handler = httpHandler(
      async (event) => {
        const types: string[] = event.body.events.map((item) => item.type);
        // @ts-expect-error the body's type is the schema's, not anything the handler claims
        void event.body.other;
        return { statusCode: 200, body: { types } };
      },
      { scopes: ['events:write'], auth: { config: fixture.config }, validator: validate },
    );
    const response = await handler(
      httpEvent({ headers: await fixture.headers(), body: JSON.stringify({ events: [{ type: 'a' }] }) }),
      lambdaContext(),
    );
    expect(JSON.parse(response.body!)).toEqual({ types: ['a'] });
    // @ts-expect-error a handler cannot claim a body type the validator does not check
    httpHandler(async (_event: { body: { other: number } }) => ({ statusCode: 200 }), {
      scopes: [],
      auth: { config: fixture.config },
      validator: validate,
    });
  });

  test('metrics counted by a request are flushed after it, answered or failed', async () => {
    const metrics = createMetrics({ namespace: 'Herald/Test', dimensions: 'none' });
    const handler = httpHandler(
      async (event) => {
        metrics.addMetric('Requests', 'Count', 1);
        if (event.rawPath === '/fail') throw new Error('boom');
        return { statusCode: 204 };
      },
      { scopes: ['events:write'], auth: { config: fixture.config }, metrics },
    );
    const headers = await fixture.headers();
    expect((await handler(httpEvent({ headers }), lambdaContext())).statusCode).toBe(204);
    expect((await handler(httpEvent({ headers, path: '/fail' }), lambdaContext())).statusCode).toBe(500);
    expect(await handler(httpEvent({}), lambdaContext())).toMatchObject({ statusCode: 401 });
    const emf = logs.lines().filter((line) => line._aws !== undefined);
    expect(emf.map((line) => line.Requests)).toEqual([1, 1]);
  });
});
