/**
 * TaskQueue: a delivery task sent on a lane reaches that lane's queue and no other, as it was sent,
 * with its correlation id as the message attribute; a task sent with a delay is held back.
 */
import { expect, test } from '@jest/globals';
import { describePort } from '../../../../test/setup/contract';
import type { Lane } from '../../src/model/lanes';
import { continueTask, startTask } from './examples';
import { freshEach, queueImplementations } from './implementations';

const LANES: readonly Lane[] = ['fast', 'slow', 'email'];

describePort('TaskQueue', queueImplementations, (make) => {
  const port = freshEach(make);

  test.each(LANES)(
    'a task sent on the %s lane reaches that lane only, body and correlation id intact',
    async (lane) => {
      const task = {
        ...continueTask(2, 3, { forwardedFrom: 'm1' }),
        notBefore: '2026-11-28T10:05:00.000Z',
        hops: 1,
      };
      await port().queues.send(task, { lane });
      for (const other of LANES) {
        const received = await port().receive(other);
        expect(received).toEqual(other === lane ? [{ body: task, correlationId: task.correlationId }] : []);
      }
    },
  );

  test('a task sent with a delay is held back; one sent without is there at once', async () => {
    await port().queues.send(startTask('dispatch', 'bus-1', { eventId: 'evt-later' }), {
      lane: 'fast',
      delaySeconds: 900,
    });
    const now = startTask('dispatch', 'bus-2', { eventId: 'evt-now' });
    await port().queues.send(now, { lane: 'fast', delaySeconds: 0 });
    expect(await port().receive('fast')).toEqual([{ body: now, correlationId: now.correlationId }]);
    expect(await port().delayed('fast')).toBe(1);
  });
});
