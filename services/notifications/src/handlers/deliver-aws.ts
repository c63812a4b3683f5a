import { sqsBatchHandler } from '@herald/shared/entry/sqs';
import { takeCallCounts } from '@herald/shared/aws/call-counter';
import { deliverTask } from '../delivery/pipeline';
import type { DeliverDeps } from '../delivery/ports';
import { parseTask, taskFields } from '../model/delivery-task';
import { awsDestinations, deliverDeps, deliveryMetrics } from '../wiring';

/** AWS destinations' tasks: its own queue and function, so only it bundles STS, SNS and the rest. */
export function createHandler(
  deps: () => Omit<DeliverDeps, 'log'>,
  metrics: ReturnType<typeof deliveryMetrics>,
) {
  return sqsBatchHandler(
    async (record, context) => {
      const task = parseTask(record.body);
      const outcome = await deliverTask(task, record.messageId, {
        ...deps(),
        log: context.log,
      });
      context.log.debug('Task done', { outcome, ...taskFields(task) });
    },
    { parallel: true, summary: () => ({ awsCalls: takeCallCounts() }), metrics },
  );
}

export const handler = createHandler(() => deliverDeps('aws', awsDestinations()), deliveryMetrics());
