import { takeCallCounts } from '@herald/shared/aws/call-counter';
import type { BusEventLike } from '@herald/shared/contracts';
import { sqsBatchHandler } from '@herald/shared/entry/sqs';
import { orchestrate, type OrchestrateDeps } from '../tenant-data/orchestrate';
import { orchestrateDeps } from '../wiring';

/**
 * The tenant-data queue: tenant.deleted (a whole tenant's erasure to ask for) and the services'
 * answers to export and erasure requests.
 */
export function createHandler(deps: () => OrchestrateDeps) {
  return sqsBatchHandler(
    async (record, context) => {
      const result = await orchestrate(JSON.parse(record.body) as BusEventLike, deps());
      context.log.info('Tenant data message handled', { ...result });
    },
    { summary: () => ({ awsCalls: takeCallCounts() }) },
  );
}

export const handler = createHandler(orchestrateDeps);
