/**
 * publishAudit as a Lambda handler on the stream entry helper: every service whose table holds an
 * audit outbox (ingest's event types, notifications' subscriptions) runs this same function, its
 * handler module passing in the wiring's bus put. Beside audit-outbox.ts rather than in it, so a module
 * that needs only the put (the wiring) does not load the stream entry helper and middy.
 */
import { carryAuditOutbox, type PutAuditEntries } from './audit-outbox';
import { takeCallCounts } from './aws/call-counter';
import { streamBatchHandler, type StreamLambdaHandler } from './entry/stream';

export function publishAuditHandler(put: () => PutAuditEntries): StreamLambdaHandler {
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
