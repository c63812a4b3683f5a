import { afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import type { HttpHandlerFn } from '../../src/entry/http';
import { httpHandler } from '../../src/entry/http-exact-numbers';
import {
  authFixture,
  captureLogs,
  expectProblem,
  httpEvent,
  lambdaContext,
  type AuthFixture,
  type EventOptions,
} from '../../src/testing/http';

let fixture: AuthFixture;
let logs: ReturnType<typeof captureLogs>;
beforeAll(async () => {
  fixture = await authFixture();
});
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

async function send(options: EventOptions, exactNumbers: boolean) {
  const inner = jest.fn<HttpHandlerFn<unknown>>(async (event) => ({ statusCode: 200, body: event.body }));
  const handler = httpHandler(inner, {
    scopes: ['events:write'],
    auth: { config: fixture.config },
    exactNumbers,
  });
  const headers = { ...(await fixture.headers()), ...options.headers };
  return { response: await handler(httpEvent({ ...options, headers }), lambdaContext()), inner };
}

describe('exactNumbers: numbers a double cannot hold are refused on the raw body', () => {
  test('422 naming each number by pointer, saying to send it as a string; the handler never runs', async () => {
    const body = '{"events":[{"data":{"id":12345678901234567890}},{"data":[1,1e400]}]}';
    const { response, inner } = await send({ body }, true);
    const problem = expectProblem(response, 422);
    expect(problem).toMatchObject({
      type: 'https://herald.dev/problems/validation-failed',
      detail: expect.stringContaining('RFC 7493'),
      errors: [
        { pointer: '/body/events/0/data/id', message: expect.stringContaining('send it as a string') },
        { pointer: '/body/events/1/data/1', message: expect.stringContaining('too large for a double') },
      ],
    });
    expect(inner).not.toHaveBeenCalled();
  });

  test('a base64-encoded body is read as sent', async () => {
    const body = Buffer.from('{"n":-9007199254740992}').toString('base64');
    const problem = expectProblem((await send({ body, isBase64Encoded: true }, true)).response, 422);
    expect(problem.errors).toEqual([{ pointer: '/body/n', message: expect.any(String) }]);
  });

  test('exact numbers pass, as do long digit strings; malformed JSON is still 400', async () => {
    const body = '{"a":9007199254740991,"b":1.5e-300,"c":"12345678901234567890","d":0.1}';
    const { response, inner } = await send({ body }, true);
    expect(response.statusCode).toBe(200);
    expect(inner.mock.calls[0]![0].body).toEqual(JSON.parse(body));
    expectProblem((await send({ body: '{"a":12345678901234567890' }, true)).response, 400);
  });

  test('JSON nested too deep for the parser is 422, not "malformed" (400)', async () => {
    const body = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const problem = expectProblem((await send({ body }, false)).response, 422);
    expect(problem.errors).toEqual([{ pointer: '/body', message: expect.stringContaining('too deeply') }]);
  });

  test('without the option a body is parsed as before', async () => {
    const { response } = await send({ body: '{"a":12345678901234567890}' }, false);
    expect(response.statusCode).toBe(200);
  });
});

describe('exactNumbers belongs to entry/http-exact-numbers', () => {
  test("entry/http's httpHandler refuses the option rather than dropping the check", async () => {
    const { httpHandler: plainHandler } = await import('../../src/entry/http');
    const options = { scopes: [], auth: { config: fixture.config }, exactNumbers: true };
    expect(() => plainHandler(async () => ({ statusCode: 204 }), options)).toThrow(
      /@herald\/shared\/entry\/http-exact-numbers/,
    );
  });
});
