import { describe, expect, test } from '@jest/globals';
import { createHeraldClient, HeraldNetworkError, HeraldProblem, type EventInput } from '../src';
import { bodyOf, idsFor, json, memoryFetch, problem, type Handler } from './memory-fetch';

const events = (count: number): EventInput[] =>
  Array.from({ length: count }, (_, index) => ({ type: 'order.created', data: { index } }));

function clientWith(handler: Handler) {
  const api = memoryFetch(handler);
  const slept: number[] = [];
  const client = createHeraldClient({
    baseUrl: 'https://api.example.com/',
    token: 't0k3n',
    fetch: api.fetch,
  });
  const options = {
    sleep: async (ms: number) => void slept.push(ms),
    backoffMs: (attempt: number) => attempt * 10,
  };
  return { client, requests: api.requests, slept, options };
}

const accepted = (request: Parameters<Handler>[0]) => json(202, { ids: idsFor(request) });

describe('sendEvents', () => {
  test('sends batches of 100 at most, each with a key of its own, and answers per event in the input order', async () => {
    const { client, requests, options } = clientWith(accepted);
    const result = await client.sendEvents(events(250), options);

    expect(requests.map((request) => bodyOf(request).events.length)).toEqual([100, 100, 50]);
    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual(
      Array(3).fill('POST https://api.example.com/v1/events'),
    );
    expect(requests.every((request) => request.headers.get('authorization') === 'Bearer t0k3n')).toBe(true);
    const keys = requests.map((request) => request.headers.get('idempotency-key'));
    expect(new Set(keys).size).toBe(3);
    expect(bodyOf(requests[2]!).events[0]!.data).toEqual({ index: 200 });
    expect(result).toMatchObject({ accepted: 250, rejected: 0 });
    expect(result.results[249]).toEqual({ status: 'accepted', id: `${keys[2]}-49` });
  });

  test('a 207 is answered by the same body with the same key until the retryable ones are confirmed', async () => {
    const { client, requests, slept, options } = clientWith((request, index) => {
      const ids = idsFor(request);
      if (index > 0) return json(202, { ids });
      return json(207, {
        ids,
        accepted: 1,
        failed: 2,
        events: [
          { id: ids[0], status: 'failed', retryable: true },
          { id: ids[1], status: 'accepted' },
          { id: ids[2], status: 'failed', retryable: false },
        ],
      });
    });
    const result = await client.sendEvents(events(3), options);

    expect(requests).toHaveLength(2);
    expect(requests[1]!.body).toBe(requests[0]!.body);
    expect(requests[1]!.headers.get('idempotency-key')).toBe(requests[0]!.headers.get('idempotency-key'));
    expect(slept).toEqual([10]);
    const ids = idsFor(requests[0]!);
    expect(result.results.slice(0, 2)).toEqual([
      { status: 'accepted', id: ids[0] },
      { status: 'accepted', id: ids[1] },
    ]);
    // Refused for what it holds: the resend's answer does not make it accepted.
    expect(result.results[2]).toMatchObject({ status: 'rejected', id: ids[2], retryable: false });
    const { error } = result.results[2] as { error: HeraldProblem };
    expect(error).toBeInstanceOf(HeraldProblem);
    expect(error.slug).toBe('events-refused');
  });

  test('a 207 whose failures are all refused for good is not sent again', async () => {
    const { client, requests, options } = clientWith((request) => {
      const ids = idsFor(request);
      return json(207, {
        ids,
        accepted: 1,
        failed: 1,
        events: [
          { id: ids[0], status: 'accepted' },
          { id: ids[1], status: 'failed', retryable: false },
        ],
      });
    });
    const result = await client.sendEvents(events(2), options);
    expect(requests).toHaveLength(1);
    expect(result).toMatchObject({ accepted: 1, rejected: 1 });
  });

  test('429 and 503 wait as Retry-After says, or back off when it says nothing', async () => {
    const { client, requests, slept, options } = clientWith((request, index) => {
      if (index === 0) return json(429, { message: 'Too Many Requests' }, { 'retry-after': '3' });
      if (index === 1) return problem(503, 'unavailable');
      return accepted(request);
    });
    const result = await client.sendEvents(events(5), options);
    expect(slept).toEqual([3000, 20]);
    expect(new Set(requests.map((request) => request.headers.get('idempotency-key'))).size).toBe(1);
    expect(result).toMatchObject({ accepted: 5, rejected: 0 });
  });

  test('gives up after maxAttempts, rejecting what is unconfirmed as retryable, with the last problem', async () => {
    const { client, requests, options } = clientWith(() =>
      problem(503, 'unavailable', {}, { 'retry-after': '1' }),
    );
    const result = await client.sendEvents(events(2), { ...options, maxAttempts: 3 });
    expect(requests).toHaveLength(3);
    expect(result.results).toEqual([
      expect.objectContaining({ status: 'rejected', retryable: true }),
      expect.objectContaining({ status: 'rejected', retryable: true }),
    ]);
    expect((result.results[0] as { error: HeraldProblem }).error).toMatchObject({
      status: 503,
      retryAfterSeconds: 1,
    });
  });

  test('a batch the API refuses is rejected with its problem, and the other batches go on', async () => {
    const { client, requests, options } = clientWith((request, index) =>
      index === 0
        ? problem(422, 'validation-failed', {
            errors: [{ pointer: '/body/events/1/type', message: 'must match' }],
          })
        : accepted(request),
    );
    const result = await client.sendEvents([...events(2), { type: 'x', data: 1, id: 'mine' }], {
      ...options,
      batchSize: 2,
    });
    expect(requests).toHaveLength(2);
    expect(result.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'accepted']);
    const rejection = result.results[1] as { error: HeraldProblem; retryable: boolean };
    expect(rejection.retryable).toBe(false);
    expect(rejection.error.errors).toEqual([{ pointer: '/body/events/1/type', message: 'must match' }]);
  });

  test('no answer is tried again with the same key, and told apart from a problem when it lasts', async () => {
    let calls = 0;
    const { client, slept, options } = clientWith(() => {
      calls++;
      throw new TypeError('fetch failed');
    });
    const result = await client.sendEvents(events(1), { ...options, maxAttempts: 2 });
    expect(calls).toBe(2);
    expect(slept).toEqual([10]);
    expect(result.results[0]).toMatchObject({ status: 'rejected', retryable: true });
    expect((result.results[0] as { error: unknown }).error).toBeInstanceOf(HeraldNetworkError);
  });

  test('uses stable keys when given, one per batch', async () => {
    const { client, requests, options } = clientWith(accepted);
    await client.sendEvents(events(3), {
      ...options,
      batchSize: 2,
      idempotencyKey: (batch) => `import-7-${batch}`,
    });
    expect(requests.map((request) => request.headers.get('idempotency-key'))).toEqual([
      'import-7-0',
      'import-7-1',
    ]);
  });

  test('refuses a batch size the API would not take', async () => {
    const { client } = clientWith(accepted);
    await expect(client.sendEvents(events(1), { batchSize: 101 })).rejects.toThrow(RangeError);
  });
});
