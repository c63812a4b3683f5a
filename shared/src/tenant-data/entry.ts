/**
 * The SQS entry of each service's tenant-data function: a request from the bus, or a follow-up of
 * one, per record. A request that breaks its contract fails until the queue's DLQ takes it (its
 * alarm says so); what the runner throws is retried by SQS from the record's last follow-up.
 */
import { takeCallCounts } from '../aws/call-counter';
import { BusDetailError } from '../contracts/bus';
import { sqsBatchHandler } from '../entry/sqs';
import { readTenantDataMessage, runTenantDataJob, type TenantDataDeps } from './job';

export function tenantDataHandler(deps: () => TenantDataDeps) {
  return sqsBatchHandler(
    async (record, context) => {
      let read;
      try {
        read = readTenantDataMessage(record.body);
      } catch (error) {
        // Only what identifies the message: a request names a tenant, never its data.
        context.log.warn('Tenant data request refused', {
          reason: error instanceof BusDetailError ? error.reason : 'unreadable',
          messageId: record.messageId,
          receiveCount: record.attributes.ApproximateReceiveCount,
        });
        throw error;
      }
      const { job, progress } = read;
      const id = job.kind === 'erasure' ? job.request.requestId : job.request.exportId;
      const result = await runTenantDataJob(job, progress, deps());
      context.log.info(`Tenant ${job.kind} ${result.outcome}`, {
        tenantId: job.request.tenantId,
        id,
        ...(job.kind === 'erasure' ? { scope: job.request.scope } : {}),
        ...result,
      });
    },
    { summary: () => ({ awsCalls: takeCallCounts() }) },
  );
}
