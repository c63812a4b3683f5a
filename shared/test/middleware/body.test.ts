import { afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { httpHandler } from '../../src/entry/http';
import type { HttpHandlerFn } from '../../src/entry/http';
import { DEFAULT_MAX_BODY_BYTES, rawBodyBytes } from '../../src/middleware/body';
import { authFixture, captureLogs, expectProblem, httpEvent, lambdaContext } from '../../src/testing/http';
import type { AuthFixture, EventOptions } from '../../src/testing/http';

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

async function send(options: EventOptions, maxBodyBytes?: number) {
  const inner = jest.fn<HttpHandlerFn<unknown>>(async (event) => ({
    statusCode: 200,
    body: { received: event.body },
  }));
  const handler = httpHandler(inner, {
    scopes: ['events:write'],
    auth: { config: fixture.config },
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
  });
  const headers = { ...(await fixture.headers()), ...options.headers };
  const response = await handler(httpEvent({ ...options, headers }), lambdaContext());
  return { response, inner };
}

describe('JSON body parsing', () => {
  test('a JSON body reaches the handler parsed', async () => {
    const { response, inner } = await send({ body: '{"events":[{"type":"a"}]}' });
    expect(response.statusCode).toBe(200);
    expect(inner.mock.calls[0]![0].body).toEqual({ events: [{ type: 'a' }] });
    expect(JSON.parse(response.body!)).toEqual({ received: { events: [{ type: 'a' }] } });
  });

  test('a base64-encoded JSON body is decoded first', async () => {
    const body = Buffer.from('{"a":1}').toString('base64');
    const { response, inner } = await send({ body, isBase64Encoded: true });
    expect(response.statusCode).toBe(200);
    expect(inner.mock.calls[0]![0].body).toEqual({ a: 1 });
  });

  test.each(['application/json; charset=utf-8', 'application/vnd.herald.events+json', 'Application/JSON'])(
    'content type %s is accepted',
    async (contentType) => {
      const { response } = await send({ body: '{}', headers: { 'Content-Type': contentType } });
      expect(response.statusCode).toBe(200);
    },
  );

  test('a request without a body needs no content type', async () => {
    const { response, inner } = await send({ method: 'GET', headers: { 'content-type': '' } });
    expect(response.statusCode).toBe(200);
    expect(inner.mock.calls[0]![0].body).toBeUndefined();
  });

  test.each([
    ['truncated', '{"secretField": ['],
    ['trailing garbage', '{"a":1} zzgarbagezz'],
    ['single quotes', "{'password':'hunter2'}"],
    ['empty base64 payload', ''],
  ])('malformed JSON (%s): 400 without echoing the body', async (_case, body) => {
    const options: EventOptions =
      body === '' ? { body: Buffer.from(' ').toString('base64'), isBase64Encoded: true } : { body };
    const { response, inner } = await send(options);
    const problem = expectProblem(response, 400);
    expect(problem).toMatchObject({
      type: 'https://herald.dev/problems/malformed-json',
      title: 'Bad Request',
      detail: 'The request body is not valid JSON',
    });
    expect(response.body).not.toMatch(/hunter2|secretField|zzgarbagezz|Unexpected|position/);
    expect(inner).not.toHaveBeenCalled();
  });

  test.each([
    ['__proto__', '{"__proto__":{"admin":true}}'],
    ['nested __proto__', '{"a":[{"b":{"__proto__":{"admin":true}}}]}'],
    ['constructor.prototype', '{"constructor":{"prototype":{"admin":true}}}'],
  ])('a %s key is refused as malformed', async (_case, body) => {
    const { response, inner } = await send({ body });
    expect(expectProblem(response, 400).type).toBe('https://herald.dev/problems/malformed-json');
    expect(inner).not.toHaveBeenCalled();
  });

  test('a constructor member without a prototype is an ordinary member', async () => {
    const { response, inner } = await send({ body: '{"constructor":{"name":"x"},"b":"constructor"}' });
    expect(response.statusCode).toBe(200);
    expect(inner.mock.calls[0]![0].body).toEqual({ constructor: { name: 'x' }, b: 'constructor' });
  });

  test('header names reach the handler in lower case', async () => {
    const handler = httpHandler(async (event) => ({ statusCode: 200, body: event.headers }), {
      scopes: ['events:write'],
      auth: { config: fixture.config },
    });
    const headers = {
      ...(await fixture.headers()),
      'X-Custom-Header': 'v',
      'Content-Type': 'application/json',
    };
    const response = await handler(httpEvent({ body: '{}', headers }), lambdaContext());
    expect(response.statusCode).toBe(200);
    const seen = JSON.parse(response.body!) as Record<string, string>;
    expect(seen['x-custom-header']).toBe('v');
    expect(seen['content-type']).toBe('application/json');
    expect(Object.keys(seen).every((name) => name === name.toLowerCase())).toBe(true);
  });

  test.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form data', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['a json look-alike', { 'content-type': 'application/jsonp' }],
    ['no content type', { 'content-type': '' }],
  ])('a body sent as %s: 415', async (_case, headers) => {
    const { response, inner } = await send({ body: '{"a":1}', headers });
    const problem = expectProblem(response, 415);
    expect(problem.type).toBe('https://herald.dev/problems/unsupported-media-type');
    expect(inner).not.toHaveBeenCalled();
  });
});

describe('body size limit', () => {
  const json = (bytes: number): string => `"${'a'.repeat(bytes - 2)}"`;

  test('the default limit is 256 KiB', async () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(262_144);
    expect((await send({ body: json(DEFAULT_MAX_BODY_BYTES) })).response.statusCode).toBe(200);
    const { response, inner } = await send({ body: json(DEFAULT_MAX_BODY_BYTES + 1) });
    expectProblem(response, 413);
    expect(inner).not.toHaveBeenCalled();
  });

  test('a route may set its own limit; bytes, not characters, are counted', async () => {
    expect((await send({ body: json(100) }, 100)).response.statusCode).toBe(200);
    const { response, inner } = await send({ body: `"${'é'.repeat(50)}"` }, 100);
    const problem = expectProblem(response, 413);
    expect(problem).toMatchObject({
      type: 'https://herald.dev/problems/payload-too-large',
      detail: 'The request body must not exceed 100 bytes',
    });
    expect(inner).not.toHaveBeenCalled();
  });

  test('a base64 body is measured decoded: its encoded length may exceed the limit', async () => {
    const body = Buffer.from(json(100)).toString('base64');
    expect(body.length).toBeGreaterThan(100);
    expect((await send({ body, isBase64Encoded: true }, 100)).response.statusCode).toBe(200);
  });

  test('an oversized base64 body is 413 before it is parsed', async () => {
    const body = Buffer.from('{ not even json'.repeat(10)).toString('base64');
    const { response, inner } = await send({ body, isBase64Encoded: true }, 100);
    expectProblem(response, 413);
    expect(inner).not.toHaveBeenCalled();
  });

  test('an oversized body with the wrong content type is 413, decided before parsing', async () => {
    const { response } = await send(
      { body: 'x'.repeat(101), headers: { 'content-type': 'text/plain' } },
      100,
    );
    expectProblem(response, 413);
  });

  test('rawBodyBytes measures what the client sent', () => {
    expect(rawBodyBytes({ body: 'é', isBase64Encoded: false })).toBe(2);
    expect(rawBodyBytes({ body: Buffer.from('hello').toString('base64'), isBase64Encoded: true })).toBe(5);
    expect(rawBodyBytes({ body: undefined, isBase64Encoded: false })).toBe(0);
  });
});
