import { afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { httpHandler } from '../../src/entry/http';
import type { HttpHandlerFn } from '../../src/entry/http';
import { logger, redact, REDACTED } from '../../src/logger';
import { resolveCorrelationId, traceIdFromTraceparent } from '../../src/correlation';
import {
  authFixture,
  captureLogs,
  expectProblem,
  header,
  httpEvent,
  lambdaContext,
} from '../../src/testing/http';
import type { AuthFixture } from '../../src/testing/http';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

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
  logger.setLogLevel('INFO');
});

const ok: HttpHandlerFn<unknown> = async () => ({ statusCode: 200, body: { ok: true } });

async function invoke(headers: Record<string, string>, fn: HttpHandlerFn<unknown> = ok) {
  const inner = jest.fn(fn);
  const handler = httpHandler(inner, { scopes: ['events:write'], auth: { config: fixture.config } });
  const response = await handler(httpEvent({ method: 'GET', headers }), lambdaContext());
  return { response, inner };
}

function summaries(): Array<Record<string, unknown>> {
  return logs.lines().filter((line) => line.message === 'Request completed');
}

describe('correlation id', () => {
  test('a valid x-correlation-id is used, echoed and put on every log line', async () => {
    const { response, inner } = await invoke({
      ...(await fixture.headers()),
      'X-Correlation-Id': 'client-req:42.a_b',
    });
    expect(header(response, 'x-correlation-id')).toBe('client-req:42.a_b');
    expect(inner.mock.calls[0]![1].correlationId).toBe('client-req:42.a_b');
    const lines = logs.lines();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.correlation_id).toBe('client-req:42.a_b');
  });

  test.each([
    ['spaces', 'abc def'],
    ['a log-injection attempt', 'abc\n{"level":"ERROR"}'],
    ['129 characters', 'a'.repeat(129)],
    ['an empty value', ''],
  ])('an x-correlation-id with %s is ignored', async (_case, value) => {
    const { response } = await invoke({ ...(await fixture.headers()), 'x-correlation-id': value });
    expect(header(response, 'x-correlation-id')).toMatch(ULID);
  });

  test('without x-correlation-id the W3C traceparent trace id is used', async () => {
    const { response, inner } = await invoke({ ...(await fixture.headers()), traceparent: TRACEPARENT });
    expect(header(response, 'x-correlation-id')).toBe(TRACE_ID);
    expect(inner.mock.calls[0]![1].correlationId).toBe(TRACE_ID);
  });

  test('x-correlation-id wins over traceparent', async () => {
    const { response } = await invoke({
      ...(await fixture.headers()),
      traceparent: TRACEPARENT,
      'x-correlation-id': 'mine',
    });
    expect(header(response, 'x-correlation-id')).toBe('mine');
  });

  test('otherwise a ULID is generated, a new one per invocation', async () => {
    const first = header((await invoke(await fixture.headers())).response, 'x-correlation-id');
    const second = header((await invoke(await fixture.headers())).response, 'x-correlation-id');
    expect(first).toMatch(ULID);
    expect(second).toMatch(ULID);
    expect(first).not.toBe(second);
  });

  test('error responses carry it too', async () => {
    const { response } = await invoke({ 'x-correlation-id': 'failing-call' });
    expectProblem(response, 401);
    expect(header(response, 'x-correlation-id')).toBe('failing-call');
  });

  test.each([
    ['an all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['version ff', `ff-${TRACE_ID}-00f067aa0ba902b7-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-00f067aa0ba902b7-01`],
    ['a short trace id', `00-${TRACE_ID.slice(1)}-00f067aa0ba902b7-01`],
    ['version 00 with extra fields', `${TRACEPARENT}-extra`],
  ])('a traceparent with %s is ignored', (_case, value) => {
    expect(traceIdFromTraceparent(value)).toBeUndefined();
    expect(resolveCorrelationId(undefined, value)).toMatch(ULID);
  });
});

describe('summary line', () => {
  test('exactly one per invocation, with method, route, status, duration, tenant and correlation id', async () => {
    await invoke({ ...(await fixture.headers()), 'x-correlation-id': 'sum-1' });
    const [summary, ...others] = summaries();
    expect(others).toEqual([]);
    expect(summary).toMatchObject({
      level: 'INFO',
      method: 'GET',
      route: 'GET /v1/events',
      status: 200,
      tenantId: 'acme',
      correlationId: 'sum-1',
      correlation_id: 'sum-1',
    });
    expect(typeof summary!.durationMs).toBe('number');
  });

  test('a rejected request has its final status and no tenant', async () => {
    await invoke({});
    const [summary, ...others] = summaries();
    expect(others).toEqual([]);
    expect(summary).toMatchObject({ level: 'INFO', status: 401 });
    expect(summary!.tenantId).toBeUndefined();
  });

  test('a failed request is summarised at ERROR level with status 500', async () => {
    await invoke(await fixture.headers(), async () => {
      throw new Error('boom');
    });
    expect(summaries()).toEqual([expect.objectContaining({ level: 'ERROR', status: 500, tenantId: 'acme' })]);
  });

  test('keys a handler appends do not leak into the next invocation', async () => {
    await invoke(await fixture.headers(), async () => {
      logger.appendKeys({ orderId: 'o-1' });
      return { statusCode: 204 };
    });
    expect(summaries()[0]).toMatchObject({ orderId: 'o-1' });
    await invoke({});
    expect(summaries()[1]!.orderId).toBeUndefined();
    expect(summaries()[1]!.tenant_id).toBeUndefined();
  });
});

describe('redaction', () => {
  test('redact replaces sensitive values at any depth, case-insensitively, without touching the input', () => {
    const input = {
      Authorization: 'Bearer abc',
      headers: {
        Cookie: 'session=1',
        'X-Api-Key': 'k',
        'x-amz-security-token': 't',
        accept: 'application/json',
      },
      user: {
        name: 'Ann',
        PASSWORD: 'hunter2',
        profile: { clientSecret: 's', private_key: 'pk', 'Private Key': 'pk2' },
      },
      list: [{ refreshToken: 'r' }, { signature: 'sig', id: 1 }],
      count: 3,
    };
    const copy = JSON.parse(JSON.stringify(input)) as typeof input;
    expect(redact(input)).toEqual({
      Authorization: REDACTED,
      headers: {
        Cookie: REDACTED,
        'X-Api-Key': REDACTED,
        'x-amz-security-token': REDACTED,
        accept: 'application/json',
      },
      user: {
        name: 'Ann',
        PASSWORD: REDACTED,
        profile: { clientSecret: REDACTED, private_key: REDACTED, 'Private Key': REDACTED },
      },
      list: [{ refreshToken: REDACTED }, { signature: REDACTED, id: 1 }],
      count: 3,
    });
    expect(input).toEqual(copy);
  });

  test('redact survives cycles and primitives', () => {
    const cyclic: Record<string, unknown> = { password: 'x' };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ password: REDACTED, self: '[Circular]' });
    expect(redact('plain')).toBe('plain');
    expect(redact(null)).toBeNull();
  });

  test('an Authorization header and secrets never reach the log output', async () => {
    logger.setLogLevel('DEBUG');
    const headers: Record<string, string> = {
      ...(await fixture.headers()),
      Cookie: 'session=SESSION-VALUE-123',
      'x-api-key': 'API-KEY-VALUE-123',
    };
    const { response } = await invoke(headers, async () => {
      logger.info('Calling partner', {
        partner: { url: 'https://partner.test', clientSecret: 'CLIENT-SECRET-123' },
      });
      logger.debug('Event', {
        event: { body: { password: 'PASSWORD-123', items: [{ accessToken: 'ACCESS-TOKEN-123' }] } },
      });
      return { statusCode: 200 };
    });
    expect(response.statusCode).toBe(200);
    const text = logs.text();
    expect(logs.lines().some((line) => line.message === 'Request received')).toBe(true);
    expect(text).toContain('https://partner.test');
    expect(text).toContain(REDACTED);
    const bearer = headers.authorization!.slice('Bearer '.length);
    for (const secret of [
      bearer,
      ...bearer.split('.'),
      'SESSION-VALUE-123',
      'API-KEY-VALUE-123',
      'CLIENT-SECRET-123',
      'PASSWORD-123',
      'ACCESS-TOKEN-123',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('summary fields', () => {
  test('the handler’s own fields (its AWS calls) are on the summary line, asked for after the answer', async () => {
    let answered = false;
    const handler = httpHandler(
      async () => {
        answered = true;
        return { statusCode: 202 };
      },
      {
        scopes: ['events:write'],
        auth: { config: fixture.config },
        summary: () => ({ awsCalls: { 'SQS.SendMessageBatch': answered ? 1 : 0 } }),
      },
    );
    await handler(httpEvent({ method: 'POST', headers: await fixture.headers() }), lambdaContext());
    expect(summaries()).toEqual([
      expect.objectContaining({ status: 202, awsCalls: { 'SQS.SendMessageBatch': 1 } }),
    ]);
  });
});
