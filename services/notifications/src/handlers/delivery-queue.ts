import { sqsBatchHandler } from '@herald/shared/entry/sqs';
import type { SQSRecord } from 'aws-lambda';
import { takeCallCounts } from '@herald/shared/aws/call-counter';
import { deliverTask } from '../delivery/pipeline';
import type { DeliverDeps } from '../delivery/ports';
import { parseTask, taskFields } from '../model/delivery-task';
import type { Lane } from '../model/lanes';
import type { deliveryMetrics } from '../wiring';

/**
 * The queue handler of every delivery function (the webhook lanes, e-mail, AWS destinations): each
 * record is one task through the delivery pipeline, with the deps of the lane it came from. A
 * batch's records run side by side, so a slow receiver costs the batch its own time only.
 */
export function deliveryQueueHandler(
  deps: (lane: Lane) => Omit<DeliverDeps, 'log'>,
  laneOf: (record: SQSRecord) => Lane,
  metrics: ReturnType<typeof deliveryMetrics>,
) {
  return sqsBatchHandler(
    async (record, context) => {
      const lane = laneOf(record);
      const task = parseTask(record.body);
      const outcome = await deliverTask(task, record.messageId, {
        ...deps(lane),
        log: context.log,
      });
      context.log.debug('Task done', { outcome, lane, ...taskFields(task) });
    },
    { parallel: true, summary: () => ({ awsCalls: takeCallCounts() }), metrics },
  );
}
