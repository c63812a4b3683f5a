// The running totals fair queues keep per queue: each tenant's messages in flight and its consumer
// time within the last PROCESSING_WINDOW_MS, handled messages falling out of the window as it moves,
// and the noisy neighbours they make, against policy.ts's noisyTenants over the same usage.
import { describe, expect, test } from '@jest/globals';
import { noisyTenants, NOISY_MIN_IN_FLIGHT, PROCESSING_WINDOW_MS } from '../src/sqs-fair-queues';
import { QueueUsage } from '../src/sqs-fair-queues/queue-usage';

const queueHolding = (...handles: string[]) => ({ inflightMessages: new Set(handles) });

describe('fair queue usage', () => {
  test('messages in flight count for their tenant, with their time so far', () => {
    const usage = new QueueUsage();
    usage.received('h1', 'a', 1_000);
    usage.received('h2', 'a', 1_500);
    usage.received('h3', 'b', 2_000);
    usage.settle(queueHolding('h1', 'h2', 'h3'), 3_000);
    const now = usage.snapshot(3_000);
    expect(Object.fromEntries(now.inFlight)).toEqual({ a: 2, b: 1 });
    expect(Object.fromEntries(now.processingMs)).toEqual({ a: 2_000 + 1_500, b: 1_000 });
    expect(usage.noisy(3_000)).toEqual(new Set(['a', 'b'])); // a: 78% of the time, b: 22%
  });

  test('a handled message counts its whole time until it leaves the window', () => {
    const usage = new QueueUsage();
    usage.received('h1', 'a', 0);
    usage.finished('h1', 400);
    usage.received('h2', 'b', 500);
    usage.finished('h2', 600);
    usage.settle(queueHolding(), 1_000);
    expect(Object.fromEntries(usage.snapshot(1_000).processingMs)).toEqual({ a: 400, b: 100 });
    expect(usage.snapshot(1_000).inFlight.size).toBe(0);
    // a's message was handled at 400: it is out once the window no longer reaches back to it.
    usage.settle(queueHolding(), 400 + PROCESSING_WINDOW_MS + 1);
    expect(Object.fromEntries(usage.snapshot(0).processingMs)).toEqual({ b: 100 });
    usage.settle(queueHolding(), 600 + PROCESSING_WINDOW_MS + 1);
    expect(usage.snapshot(0).processingMs.size).toBe(0);
    expect(usage.noisy(600 + PROCESSING_WINDOW_MS + 1)).toEqual(new Set());
  });

  test('a message the queue no longer holds in flight (its visibility timeout ran out) is finished', () => {
    const usage = new QueueUsage();
    usage.received('h1', 'a', 0);
    usage.received('h2', 'a', 0);
    usage.settle(queueHolding('h2'), 700);
    const now = usage.snapshot(700);
    expect(Object.fromEntries(now.inFlight)).toEqual({ a: 1 });
    expect(Object.fromEntries(now.processingMs)).toEqual({ a: 1_400 });
    usage.finished('h1', 900); // deleted after all: already counted, not counted again
    expect(Object.fromEntries(usage.snapshot(700).processingMs)).toEqual({ a: 1_400 });
  });

  test('a crowded tenant is noisy on the very receive its share passes the threshold', () => {
    const usage = new QueueUsage();
    for (let i = 0; i < 100; i++) usage.received(`q${i}`, `quiet-${i}`, 0);
    for (let i = 0; i < NOISY_MIN_IN_FLIGHT - 1; i++) usage.received(`c${i}`, 'crowd', 0);
    // Processing time is shared by 101 tenants: nobody has 10% of it, and 29 in flight is not enough.
    expect(usage.noisy(0)).toEqual(new Set());
    usage.received('c-last', 'crowd', 0);
    expect(usage.noisy(0)).toEqual(new Set(['crowd']));
    usage.finished('c-last', 0);
    expect(usage.noisy(0)).toEqual(new Set());
  });

  test('a second after the last look, noisy() is exactly noisyTenants() over the same usage', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const usage = new QueueUsage();
    const inFlight: string[] = [];
    let now = 0;
    for (let step = 0; step < 500; step++) {
      now += 1_000 + Math.floor(random() * 200);
      if (inFlight.length > 0 && random() < 0.5) {
        const [handle] = inFlight.splice(Math.floor(random() * inFlight.length), 1);
        usage.finished(handle!, now);
      } else {
        const handle = `h${step}`;
        inFlight.push(handle);
        usage.received(handle, ['a', 'b', 'c', `lone-${step}`][Math.floor(random() * 4)]!, now);
      }
      usage.settle(queueHolding(...inFlight), now);
      expect(usage.noisy(now)).toEqual(noisyTenants(usage.snapshot(now)));
    }
  });

  test('tens of thousands of handled messages leave the window in order, totals exact', () => {
    const usage = new QueueUsage();
    for (let i = 0; i < 20_000; i++) {
      usage.received(`h${i}`, i % 2 === 0 ? 'even' : 'odd', i * 10);
      usage.finished(`h${i}`, i * 10 + 5);
      usage.settle(queueHolding(), i * 10 + 5);
    }
    const end = 19_999 * 10 + 5;
    const kept = Array.from({ length: 20_000 }, (_, i) => i).filter(
      (i) => i * 10 + 5 > end - PROCESSING_WINDOW_MS,
    );
    const expected = { even: 0, odd: 0 };
    for (const i of kept) expected[i % 2 === 0 ? 'even' : 'odd'] += 5;
    expect(Object.fromEntries(usage.snapshot(end).processingMs)).toEqual(expected);
    expect(usage.noisy(end)).toEqual(new Set(['even', 'odd']));
  });
});
