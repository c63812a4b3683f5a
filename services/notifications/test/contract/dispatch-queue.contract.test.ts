/**
 * DispatchQueue: fan-out's tasks, each on its lane, however many (SQS takes ten a call), and the
 * replay and release jobs on the dispatch queue, a job sent with a delay held back.
 */
import { expect, test } from '@jest/globals';
import { describePort } from '../../../../test/setup/contract';
import type { DeliveryTask, DispatchJob } from '../../src/model/delivery-task';
import type { Lane } from '../../src/model/lanes';
import { startTask } from './examples';
import { freshEach, queueImplementations } from './implementations';

const byEvent = (a: { body: unknown }, b: { body: unknown }) =>
  (a.body as DeliveryTask).eventId < (b.body as DeliveryTask).eventId ? -1 : 1;

describePort('DispatchQueue', queueImplementations, (make) => {
  const port = freshEach(make);

  test('every task reaches its own lane, in batches beyond ten', async () => {
    const lanes: Lane[] = ['fast', 'slow', 'email'];
    const sent = Array.from({ length: 25 }, (_, i) => ({
      task: startTask('dispatch', `bus-${i}`, { eventId: `evt-${String(i).padStart(2, '0')}` }),
      lane: lanes[i % 3]!,
    }));
    await port().queues.sendTasks(sent);
    for (const lane of lanes) {
      const expected = sent
        .filter((entry) => entry.lane === lane)
        .map(({ task }) => ({ body: task, correlationId: task.correlationId }));
      expect((await port().receive(lane)).sort(byEvent)).toEqual(expected);
    }
    expect(await port().receive('dispatch')).toEqual([]);
  });

  test('no tasks, no messages', async () => {
    await port().queues.sendTasks([]);
    for (const queue of ['fast', 'slow', 'email', 'dispatch'] as const) {
      expect(await port().receive(queue)).toEqual([]);
    }
  });

  test('a job reaches the dispatch queue with its cursor and correlation id; a delayed one is held back', async () => {
    const release: DispatchJob = {
      v: 1,
      job: 'release',
      id: 'rl-1',
      tenantId: 'acme',
      subscriptionId: 'sub_1',
      correlationId: 'corr-rl',
      cursor: { pk: 'TENANT#acme', sk: 'DLV#msg_1' },
    };
    const replay: DispatchJob = {
      v: 1,
      job: 'replay',
      id: 'rp-1',
      tenantId: 'acme',
      subscriptionId: 'sub_1',
      since: '2026-11-28T00:00:00.000Z',
      until: '2026-11-29T00:00:00.000Z',
      correlationId: 'corr-rp',
    };
    await port().queues.sendJob(release);
    await port().queues.sendJob(replay, 900);
    expect(await port().receive('dispatch')).toEqual([{ body: release, correlationId: 'corr-rl' }]);
    expect(await port().delayed('dispatch')).toBe(1);
    for (const lane of ['fast', 'slow', 'email'] as const) expect(await port().receive(lane)).toEqual([]);
  });
});
