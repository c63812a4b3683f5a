// The operator routes through the shared HTTP entry helper: real tokens, the routes' schemas, the
// in-memory SQS stand-in (held to SQS's behaviour by contract.ts).
import { afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HttpLambdaHandler } from '../../src/entry/http';
import { resolveCatalog, type DeadLetterQueueSpec } from '../../src/dead-letters/catalog';
import { inspectDeadLettersHandler, redriveDeadLettersHandler } from '../../src/dead-letters/handlers';
import { OPERATOR_SCOPE, type DeadLetterDeps } from '../../src/dead-letters/routes';
import {
  authEnvironment,
  captureLogs,
  expectProblem,
  httpEvent,
  lambdaContext,
  type AuthFixture,
} from '../../src/testing/http';
import { MemoryQueues } from './memory-queues';

let auth: AuthFixture;
let memory: MemoryQueues;
let logs: ReturnType<typeof captureLogs>;
let inspect: HttpLambdaHandler;
let redriveHandler: HttpLambdaHandler;

const specs: DeadLetterQueueSpec[] = [
  { id: 'main', queue: 'main-dlq', holds: 'what main failed', redrive: { kind: 'move', source: 'main' } },
  { id: 'rule', queue: 'rule-dlq', holds: 'what the rule failed', redrive: { kind: 'forward', to: 'main' } },
];

beforeAll(async () => {
  auth = await authEnvironment();
  const deps = (): DeadLetterDeps => ({
    service: 'test',
    queues: memory,
    catalog: () => resolveCatalog(specs, memory),
    now: () => new Date(),
  });
  inspect = inspectDeadLettersHandler(deps);
  redriveHandler = redriveDeadLettersHandler(deps);
});
beforeEach(() => {
  memory = new MemoryQueues();
  memory.create('main-dlq');
  memory.create('main', { deadLetterTargetArn: memory.address('main-dlq').arn, maxReceiveCount: 5 });
  memory.create('rule-dlq');
  logs = captureLogs();
});
afterEach(() => logs.restore());

const PREFIX = '/v1/operator/dead-letters';

async function call(
  handler: HttpLambdaHandler,
  route: string,
  options: { path: string; queue?: string; query?: Record<string, string>; body?: unknown; scope?: string },
) {
  const [method] = route.split(' ');
  const event = {
    ...httpEvent({
      method: method!,
      path: options.path,
      headers: await auth.headers({ claims: { scope: options.scope ?? OPERATOR_SCOPE } }),
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.queue ? { pathParameters: { queue: options.queue } } : {}),
      ...(options.query ? { queryStringParameters: options.query } : {}),
    }),
    routeKey: route,
  };
  const response = (await handler(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
  return { response, body: response.body ? (JSON.parse(response.body) as Record<string, any>) : {} }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('GET /v1/operator/dead-letters', () => {
  test('each dead-letter queue with its counts, source and redrive', async () => {
    memory.put('main-dlq', '{"a":1}', { sentAt: new Date(Date.now() - 60_000) });
    const { response, body } = await call(inspect, `GET ${PREFIX}`, { path: PREFIX });
    expect(response.statusCode).toBe(200);
    expect(body.service).toBe('test');
    expect(body.deadLetterQueues).toEqual([
      expect.objectContaining({
        queue: 'main',
        name: 'main-dlq',
        source: { name: 'main', arn: memory.address('main').arn, maxReceiveCount: 5 },
        redrive: { kind: 'move', does: expect.stringContaining('back to main') },
        approximateNumberOfMessages: 1,
        oldestSampledAgeSeconds: expect.any(Number),
      }),
      expect.objectContaining({
        queue: 'rule',
        redrive: { kind: 'forward', does: expect.stringContaining('to main again') },
        approximateNumberOfMessages: 0,
      }),
    ]);
    expect(body.deadLetterQueues[0].oldestSampledAgeSeconds).toBeGreaterThanOrEqual(60);
  });

  test('only for tokens with the operator scope', async () => {
    const denied = await call(inspect, `GET ${PREFIX}`, { path: PREFIX, scope: 'events:read' });
    expectProblem(denied.response, 403, PREFIX);
    const anonymous = await inspect(
      { ...httpEvent({ method: 'GET', path: PREFIX }), routeKey: `GET ${PREFIX}` },
      lambdaContext(),
    );
    expectProblem(anonymous as APIGatewayProxyStructuredResultV2, 401, PREFIX);
  });
});

describe('GET /v1/operator/dead-letters/{queue}', () => {
  test('a sample with reasons and redacted bodies; the messages stay', async () => {
    memory.put('main-dlq', '{"id":"e1","secret":"s3cr3t"}', { attributes: { correlationid: 'corr-1' } });
    memory.put('main-dlq', '{"id":"e2"}');
    const path = `${PREFIX}/main`;
    const { response, body } = await call(inspect, `GET ${PREFIX}/{queue}`, {
      path,
      queue: 'main',
      query: { sample: '10' },
    });
    expect(response.statusCode).toBe(200);
    expect(body.approximateNumberOfMessages).toBe(2);
    expect(body.messages).toHaveLength(2);
    expect(body.messages).toContainEqual(
      expect.objectContaining({
        reason: 'exceeded maxReceiveCount 5 on main',
        correlationId: 'corr-1',
        bodyPreview: '{"id":"e1","secret":"[redacted]"}',
        receiveCount: 1,
      }),
    );
    expect(response.body).not.toContain('s3cr3t');
    expect((await memory.counts(memory.address('main-dlq'))).visible).toBe(2);
  });

  test('an unknown queue is 404 naming the known ones; a bad sample 422', async () => {
    const missing = await call(inspect, `GET ${PREFIX}/{queue}`, { path: `${PREFIX}/nope`, queue: 'nope' });
    expect(expectProblem(missing.response, 404, `${PREFIX}/nope`).detail).toBe(
      'No such dead-letter queue in test; it has: main, rule',
    );
    for (const sample of ['0', '11', 'x']) {
      const bad = await call(inspect, `GET ${PREFIX}/{queue}`, {
        path: `${PREFIX}/main`,
        queue: 'main',
        query: { sample },
      });
      expectProblem(bad.response, 422, `${PREFIX}/main`);
    }
  });
});

describe('POST /v1/operator/dead-letters/{queue}/redrive', () => {
  test('a queue with a source: 202, a move task, and where to follow it', async () => {
    memory.put('main-dlq', 'x');
    const path = `${PREFIX}/main/redrive`;
    const { response, body } = await call(redriveHandler, `POST ${PREFIX}/{queue}/redrive`, {
      path,
      queue: 'main',
      body: { maxMessagesPerSecond: 10 },
    });
    expect(response.statusCode).toBe(202);
    expect(response.headers?.location).toBe(path);
    expect(body).toEqual({
      queue: 'main',
      kind: 'move',
      taskHandle: expect.any(String),
      sourceArn: memory.address('main-dlq').arn,
      destinationArn: memory.address('main').arn,
      maxMessagesPerSecond: 10,
    });

    const tasks = await call(inspect, `GET ${PREFIX}/{queue}/redrive`, { path, queue: 'main' });
    expect(tasks.body.tasks).toEqual([
      expect.objectContaining({
        status: 'COMPLETED',
        approximateNumberOfMessagesMoved: 1,
        maxMessagesPerSecond: 10,
      }),
    ]);
  });

  test('a move already running is 409', async () => {
    memory.refuseMove = 'already-running';
    const path = `${PREFIX}/main/redrive`;
    const { response, body } = await call(redriveHandler, `POST ${PREFIX}/{queue}/redrive`, {
      path,
      queue: 'main',
    });
    expectProblem(response, 409, path);
    expect(body.type).toBe('https://herald.dev/problems/redrive-running');
  });

  test('a queue without an SQS source: 200 with what was sent on', async () => {
    memory.put('rule-dlq', '{"event":1}');
    const path = `${PREFIX}/rule/redrive`;
    const { response, body } = await call(redriveHandler, `POST ${PREFIX}/{queue}/redrive`, {
      path,
      queue: 'rule',
    });
    expect(response.statusCode).toBe(200);
    expect(body).toEqual({
      queue: 'rule',
      kind: 'forward',
      resent: 1,
      kept: [],
      finished: true,
      approximateNumberOfMessagesRemaining: 0,
    });
    expect(memory.bodies('main')).toEqual(['{"event":1}']);
    const tasks = await call(inspect, `GET ${PREFIX}/{queue}/redrive`, { path, queue: 'rule' });
    expect(tasks.body).toMatchObject({
      queue: 'rule',
      tasks: [],
      note: expect.stringContaining('within the POST'),
    });
  });

  test('a rate outside 1..500 is 422', async () => {
    const path = `${PREFIX}/main/redrive`;
    for (const rate of [0, 501, 1.5]) {
      const { response } = await call(redriveHandler, `POST ${PREFIX}/{queue}/redrive`, {
        path,
        queue: 'main',
        body: { maxMessagesPerSecond: rate },
      });
      expectProblem(response, 422, path);
    }
  });
});
