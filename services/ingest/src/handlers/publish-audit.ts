import { carryAuditOutbox, type PutAuditEntries } from '@herald/shared/audit-outbox';
import { takeCallCounts } from '@herald/shared/aws/call-counter';
import { streamBatchHandler } from '@herald/shared/entry/stream';
import { auditPut } from '../wiring';

/**
 * The event-types table's stream (INSERTs of audit outbox items): each change's audit entry, written
 * with the change, put on processing's bus for the tenants service's audit log.
 */
export function createHandler(put: () => PutAuditEntries) {
  return streamBatchHandler(
    async (records, { log }) => {
      const report = await carryAuditOutbox(records, put());
      for (const item of report.unreadable) log.error('Audit outbox item is no entry', { ...item });
      return {
        failed: report.failed,
        summary: { carried: report.carried, unreadable: report.unreadable.length, putCalls: report.putCalls },
      };
    },
    { summary: () => ({ awsCalls: takeCallCounts() }) },
  );
}

export const handler = createHandler(auditPut);
