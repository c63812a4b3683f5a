import { describe, expect, test } from '@jest/globals';
import { InvalidTask, parseTask, taskFields } from '../../src/model/delivery-task';
import { deliveryId, DELIVERY_ID } from '../../src/model/table-keys';

const task = {
  v: 1,
  tenantId: 'acme',
  subscriptionId: 'sub_01J',
  kind: 'webhook',
  deliveryId: 'msg_01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC',
  eventId: 'evt-1',
  eventType: 'order.created',
  eventKey: 'EVT#2026-11-28T10:00:00.000Z#evt-1',
  correlationId: 'corr-1',
  attempt: 1,
  start: { reason: 'dispatch', id: 'dispatch' },
};

describe('delivery tasks', () => {
  test('a log line names the delivery and the attempt, never the envelope', () => {
    const withEnvelope = parseTask(JSON.stringify(task));
    expect(taskFields(withEnvelope)).toEqual({ deliveryId: task.deliveryId, attempt: 1, start: 'dispatch' });
    const forwarded = { ...task, start: undefined, run: 2, attempt: 3, forwardedFrom: 'm-1' };
    expect(taskFields(parseTask(JSON.stringify(forwarded)))).toEqual({
      deliveryId: task.deliveryId,
      attempt: 3,
      run: 2,
      forwardedFrom: 'm-1',
    });
  });

  test('a well-formed task parses', () => {
    expect(parseTask(JSON.stringify(task))).toEqual(task);
    const continuing = {
      ...task,
      start: undefined,
      run: 2,
      attempt: 3,
      notBefore: '2026-11-28T10:05:00.000Z',
    };
    expect(parseTask(JSON.stringify(continuing))).toMatchObject({ run: 2, attempt: 3 });
  });

  test.each([
    ['not JSON', '{'],
    ['another version', JSON.stringify({ ...task, v: 2 })],
    ['a bad tenant', JSON.stringify({ ...task, tenantId: 'a/b' })],
    ['a delivery id of another form', JSON.stringify({ ...task, deliveryId: 'msg_X' })],
    ['attempt 0', JSON.stringify({ ...task, attempt: 0 })],
    ['both start and run', JSON.stringify({ ...task, run: 1 })],
    ['neither start nor run', JSON.stringify({ ...task, start: undefined })],
    ['an unknown start reason', JSON.stringify({ ...task, start: { reason: 'whim', id: 'x' } })],
    ['an unknown kind', JSON.stringify({ ...task, kind: 'sms' })],
    ['a bad notBefore', JSON.stringify({ ...task, notBefore: 'tomorrow' })],
  ])('%s is refused', (_label, body) => {
    expect(() => parseTask(body)).toThrow(InvalidTask);
  });
});

describe('delivery ids', () => {
  test('are stable per tenant, subscription and event, and differ otherwise', () => {
    const id = deliveryId('acme', 'sub_1', 'evt-1');
    expect(id).toMatch(DELIVERY_ID);
    expect(deliveryId('acme', 'sub_1', 'evt-1')).toBe(id);
    expect(
      new Set([
        id,
        deliveryId('acme', 'sub_2', 'evt-1'),
        deliveryId('globex', 'sub_1', 'evt-1'),
        deliveryId('acme', 'sub_1', 'evt-2'),
      ]).size,
    ).toBe(4);
  });
});
