import { describe, expect, test } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { run } from '../src/cli';
import { COMMANDS } from '../src/commands';
import { EXIT } from '../src/exit-codes';
import { json, memoryFetch } from '../../client/test/memory-fetch';

const attempt = (n: number, statusCode: number) => ({
  run: 1,
  attempt: n,
  at: `2026-12-01T00:00:0${n}.000Z`,
  durationMs: 12.4,
  outcome: statusCode < 300 ? 'succeeded' : 'retrying',
  statusCode,
});
const delivery = (attempts: unknown[]) => ({
  id: 'msg_01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC',
  subscriptionId: 'sub_1',
  eventId: 'evt_1',
  eventType: 'order.created',
  status: 'pending',
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  attempts,
});

describe('deliveries tail', () => {
  test('prints each attempt that appears after it started, once, and ends when stopped', async () => {
    let stop: (signal: string) => void = () => {};
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const pages = [[attempt(1, 503)], [attempt(1, 503), attempt(2, 204)], [attempt(1, 503), attempt(2, 204)]];
    const api = memoryFetch((_request, index) => {
      if (index === pages.length - 1) stop('SIGINT');
      return json(200, { items: [delivery(pages[Math.min(index, pages.length - 1)]!)] });
    });
    const stdout = new PassThrough();
    const code = await run(COMMANDS, ['deliveries', 'tail', '--subscription', 'sub_1', '--interval', '1'], {
      stdin: new PassThrough(),
      stdout,
      stderr: new PassThrough(),
      env: { HERALD_CONFIG: '/nonexistent/herald.json', HERALD_TOKEN: 't' },
      stopped: () => stopped,
      fetch: api.fetch,
    });
    expect(code).toBe(EXIT.ok);
    expect(api.requests[0]!.url).toBe('http://localhost:4020/v1/subscriptions/sub_1/deliveries?limit=50');
    // The first attempt was there before: history, not news. The second is printed once.
    expect(String(stdout.read())).toBe(
      '2026-12-01T00:00:02.000Z  order.created  msg_01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC  succeeded  204  12 ms\n',
    );
  });
});
