import { afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { createError } from '@middy/util';
import { httpHandler } from '../../src/entry/http';
import type { HttpHandlerFn } from '../../src/entry/http';
import { toHttpProblem } from '../../src/middleware/errors';
import { HttpProblem, problemType } from '../../src/problem';
import {
  authFixture,
  captureLogs,
  expectProblem,
  expectSecurityHeaders,
  header,
  httpEvent,
  lambdaContext,
} from '../../src/testing/http';
import type { AuthFixture } from '../../src/testing/http';

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

async function run(fn: HttpHandlerFn<unknown>) {
  const inner = jest.fn(fn);
  const handler = httpHandler(inner, { scopes: ['events:write'], auth: { config: fixture.config } });
  const response = await handler(
    httpEvent({ path: '/v1/events/abc', headers: await fixture.headers(), body: '{}' }),
    lambdaContext(),
  );
  expect(inner).toHaveBeenCalledTimes(1);
  return response;
}

describe('HttpProblem', () => {
  test('defaults to about:blank and the status phrase', () => {
    const problem = new HttpProblem(404);
    expect(problem.toProblem('/x')).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      instance: '/x',
    });
  });

  test('extension members cannot override the standard ones', () => {
    const problem = new HttpProblem(409, { extra: { status: 200, type: 'x', retryable: false } });
    expect(problem.toProblem()).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      retryable: false,
    });
  });

  test('only error statuses are allowed', () => {
    expect(() => new HttpProblem(200)).toThrow(RangeError);
    expect(() => new HttpProblem(600)).toThrow(RangeError);
  });
});

describe('errors middleware', () => {
  test('an HttpProblem passes through with its type, detail, extensions and headers', async () => {
    const response = await run(async () => {
      throw new HttpProblem(409, {
        type: problemType('duplicate-event'),
        title: 'Duplicate event',
        detail: 'An event with this id was already accepted',
        extra: { eventId: 'evt-1' },
        headers: { 'Retry-After': '30' },
      });
    });
    const body = expectProblem(response, 409, '/v1/events/abc');
    expect(body).toEqual({
      type: 'https://herald.dev/problems/duplicate-event',
      title: 'Duplicate event',
      status: 409,
      detail: 'An event with this id was already accepted',
      instance: '/v1/events/abc',
      eventId: 'evt-1',
    });
    expect(header(response, 'retry-after')).toBe('30');
  });

  test('a middy http error keeps its status and its exposed message', async () => {
    const response = await run(async () => {
      throw createError(404, 'No such subscription');
    });
    const body = expectProblem(response, 404, '/v1/events/abc');
    expect(body).toMatchObject({ type: 'about:blank', title: 'Not Found', detail: 'No such subscription' });
  });

  test('a middy http error that is not exposed keeps its status but not its message', async () => {
    const response = await run(async () => {
      throw createError(502, 'upstream at 10.0.0.12 said: password expired');
    });
    const body = expectProblem(response, 502, '/v1/events/abc');
    expect(body).toEqual({
      type: 'about:blank',
      title: 'Bad Gateway',
      status: 502,
      instance: '/v1/events/abc',
    });
  });

  test('headers carried by an http error are kept', async () => {
    const response = await run(async () => {
      throw Object.assign(createError(429, 'Slow down'), { headers: { 'retry-after': '7' } });
    });
    expectProblem(response, 429, '/v1/events/abc');
    expect(header(response, 'retry-after')).toBe('7');
  });

  test('an unexpected error is a bare 500: no message, no stack; the log has both', async () => {
    const response = await run(async () => {
      throw new TypeError('Cannot read db password from undefined');
    });
    const body = expectProblem(response, 500, '/v1/events/abc');
    expect(body).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      instance: '/v1/events/abc',
    });
    expect(response.body).not.toMatch(/password|TypeError|at |\.ts/);
    const logged = logs.lines().find((line) => line.message === 'Unhandled error');
    expect(logged).toMatchObject({ level: 'ERROR', error: { name: 'TypeError' } });
    expect(String((logged!.error as { stack?: string }).stack)).toContain('errors.test.ts');
  });

  test('a thrown non-error is a bare 500 too', async () => {
    const response = await run(async () => {
      throw 'secret string';
    });
    const body = expectProblem(response, 500, '/v1/events/abc');
    expect(JSON.stringify(body)).not.toContain('secret');
  });

  test('a handler failure still gets the security headers and correlation id', async () => {
    const response = await run(async () => {
      throw new Error('boom');
    });
    expectSecurityHeaders(response);
    expect(header(response, 'x-correlation-id')).toBeDefined();
  });

  test('successful responses carry the security headers, overriding the handler', async () => {
    const response = await run(async () => ({
      statusCode: 200,
      body: { ok: true },
      headers: { 'Cache-Control': 'public, max-age=600' },
    }));
    expect(response.statusCode).toBe(200);
    expectSecurityHeaders(response);
    expect(
      Object.keys(response.headers ?? {}).filter((key) => key.toLowerCase() === 'cache-control'),
    ).toEqual(['cache-control']);
  });
});

describe('problem serialisation', () => {
  test('a problem whose extension cannot be serialised becomes a bare 500', async () => {
    const response = await run(async () => {
      throw new HttpProblem(409, { extra: { count: 10n } });
    });
    expectProblem(response, 500, '/v1/events/abc');
  });
});

describe('toHttpProblem', () => {
  test('maps statuses outside 400-599 to 500', () => {
    expect(toHttpProblem(Object.assign(new Error('x'), { statusCode: 302 })).status).toBe(500);
    expect(toHttpProblem(null).status).toBe(500);
  });
});
