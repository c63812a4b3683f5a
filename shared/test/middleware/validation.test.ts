import { afterEach, beforeAll, beforeEach, describe, expect, jest, test } from '@jest/globals';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { httpHandler } from '../../src/entry/http';
import type { HttpHandlerFn } from '../../src/entry/http';
import { MAX_VIOLATIONS } from '../../src/middleware/validation';
import {
  authFixture,
  captureLogs,
  expectProblem,
  header,
  httpEvent,
  lambdaContext,
} from '../../src/testing/http';
import type { AuthFixture, EventOptions } from '../../src/testing/http';

const schema = {
  type: 'object',
  required: ['body', 'pathParameters'],
  properties: {
    body: {
      type: 'object',
      required: ['events'],
      additionalProperties: false,
      properties: {
        events: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['type', 'id'],
            additionalProperties: false,
            properties: {
              type: { enum: ['order.created', 'order.paid'] },
              id: { type: 'string', pattern: '^evt_[a-z0-9]+$' },
              occurredAt: { type: 'string', format: 'date-time' },
              priority: { type: 'integer', default: 0 },
            },
          },
        },
      },
    },
    pathParameters: {
      type: 'object',
      required: ['stream'],
      properties: { stream: { type: 'string', pattern: '^[a-z-]{1,32}$' } },
    },
    queryStringParameters: {
      type: 'object',
      additionalProperties: false,
      properties: { dryRun: { enum: ['true', 'false'] } },
    },
  },
};

function compile(options: { useDefaults?: boolean } = {}): ValidateFunction<Input> {
  const ajv = new Ajv({ allErrors: true, ...options });
  addFormats.default(ajv);
  return ajv.compile<Input>(schema);
}

let fixture: AuthFixture;
let logs: ReturnType<typeof captureLogs>;
const validator = compile();

beforeAll(async () => {
  fixture = await authFixture();
});
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => {
  logs.restore();
});

const valid = { events: [{ type: 'order.created', id: 'evt_1', occurredAt: '2026-01-01T00:00:00Z' }] };
/** What the schema describes, as the type generated from it would say. */
type Input = { body: typeof valid };

async function send(
  body: unknown,
  options: Partial<EventOptions> = {},
  validate: ValidateFunction<Input> = validator,
) {
  const inner = jest.fn<HttpHandlerFn<typeof valid>>(async () => ({ statusCode: 202 }));
  const handler = httpHandler(inner, {
    scopes: ['events:write'],
    validator: validate,
    auth: { config: fixture.config },
  });
  const event = httpEvent({
    path: '/v1/streams/orders/events',
    headers: await fixture.headers(),
    pathParameters: { stream: 'orders' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    ...options,
  });
  const response = await handler(event, lambdaContext());
  return { response, inner };
}

function violations(problem: Record<string, unknown>): Array<{ pointer: string; message: string }> {
  return problem.errors as Array<{ pointer: string; message: string }>;
}

describe('validation', () => {
  test('a valid request reaches the handler with its parsed body', async () => {
    const { response, inner } = await send(valid, { queryStringParameters: { dryRun: 'true' } });
    expect(response.statusCode).toBe(202);
    expect(inner.mock.calls[0]![0].body).toEqual(valid);
  });

  test('schema violations are 422 listing a pointer and a message for each', async () => {
    const { response, inner } = await send({
      events: [{ type: 'order.shipped', id: 'evt_1' }, { type: 'order.paid' }],
    });
    const problem = expectProblem(response, 422, '/v1/streams/orders/events');
    expect(problem).toMatchObject({
      type: 'https://herald.dev/problems/validation-failed',
      title: 'Unprocessable Content',
    });
    expect(violations(problem)).toEqual([
      { pointer: '/body/events/0/type', message: 'must be equal to one of the allowed values' },
      { pointer: '/body/events/1/id', message: "must have required property 'id'" },
    ]);
    expect(inner).not.toHaveBeenCalled();
  });

  test('path and query parameters are validated too', async () => {
    const { response, inner } = await send(valid, {
      pathParameters: { stream: 'Not A Stream' },
      queryStringParameters: { dryRun: 'maybe' },
    });
    const problem = expectProblem(response, 422, '/v1/streams/orders/events');
    expect(violations(problem).map((violation) => violation.pointer)).toEqual([
      '/pathParameters/stream',
      '/queryStringParameters/dryRun',
    ]);
    expect(inner).not.toHaveBeenCalled();
  });

  test('a missing body is a violation of the body itself', async () => {
    const { response } = await send(undefined, { method: 'POST' });
    const problem = expectProblem(response, 422, '/v1/streams/orders/events');
    expect(violations(problem)).toEqual([
      { pointer: '/body', message: "must have required property 'body'" },
    ]);
  });

  test('input values, and property names the client invented, are never echoed', async () => {
    const marker = 'EVIL-VALUE-<script>123';
    const { response } = await send({
      events: [{ type: marker, id: marker, occurredAt: marker, [marker]: marker }],
      [`${marker}-key`]: 1,
    });
    const problem = expectProblem(response, 422, '/v1/streams/orders/events');
    expect(response.body).not.toContain('EVIL-VALUE');
    expect(violations(problem).map((violation) => violation.pointer)).toEqual(
      expect.arrayContaining([
        '/body',
        '/body/events/0',
        '/body/events/0/type',
        '/body/events/0/id',
        '/body/events/0/occurredAt',
      ]),
    );
  });

  test(`at most ${MAX_VIOLATIONS} violations are listed`, async () => {
    const events = Array.from({ length: 30 }, () => ({ type: 'nope', id: 'nope' }));
    const { response } = await send({ events });
    const problem = expectProblem(response, 422, '/v1/streams/orders/events');
    expect(violations(problem)).toHaveLength(MAX_VIOLATIONS);
    expect(problem.detail).toBe('The request breaks the schema in 60 place(s)');
  });

  test('pointer tokens with / and ~ are escaped', async () => {
    const ajvSchema = {
      type: 'object',
      required: ['body'],
      properties: { body: { type: 'object', required: ['a/b~c'] } },
    };
    const ajv = new Ajv({ allErrors: true });
    const { response } = await send({}, {}, ajv.compile(ajvSchema));
    expect(violations(expectProblem(response, 422, '/v1/streams/orders/events'))).toEqual([
      { pointer: '/body/a~1b~0c', message: "must have required property 'a/b~c'" },
    ]);
  });

  test('defaults filled in by a useDefaults validator reach the handler', async () => {
    const { inner } = await send(valid, {}, compile({ useDefaults: true }));
    expect(inner.mock.calls[0]![0].body.events[0]).toMatchObject({ priority: 0 });
  });

  test('unauthenticated callers learn nothing about the schema: 401 comes first', async () => {
    const { response, inner } = await send(
      { events: 'wrong' },
      { headers: { 'content-type': 'application/json' } },
    );
    const problem = expectProblem(response, 401, '/v1/streams/orders/events');
    expect(problem.errors).toBeUndefined();
    expect(header(response, 'www-authenticate')).toBe('Bearer realm="herald"');
    expect(inner).not.toHaveBeenCalled();
  });

  test('malformed JSON is 400, not 422', async () => {
    const { response, inner } = await send('{"events": [');
    expectProblem(response, 400, '/v1/streams/orders/events');
    expect(inner).not.toHaveBeenCalled();
  });
});
