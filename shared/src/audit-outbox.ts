/**
 * Carrying a service's audit outbox to the bus: the table's stream (INSERTs of `AUDIT#` items, by
 * the mapping's filter) drives a function that puts each entry on processing's bus as
 * `audit.recorded`, ten to a PutEvents. An entry the bus did not take is handed back to the stream
 * (by sequence number) and put again; the recorder keeps one entry per id, so a repeat is harmless.
 * Every producing service (notifications, ingest, tenants) carries its outbox with this.
 */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBRecord } from 'aws-lambda';
import {
  AUDIT_OUTBOX_PREFIX,
  auditBusEntry,
  AuditEntryError,
  parseAuditEntry,
  type AuditBusEntry,
} from './audit';

/** PutEvents takes at most ten entries. */
const PUT_BATCH = 10;

/** Puts the entries; for each, whether the bus took it. */
export type PutAuditEntries = (entries: readonly AuditBusEntry[]) => Promise<boolean[]>;

export interface CarryReport {
  /** Sequence numbers of the records to hand back to the stream. */
  failed: string[];
  carried: number;
  /** Outbox items that are no entry (never written so: the producer checks each); logged, not retried. */
  unreadable: Array<{ sequenceNumber: string; reason: string }>;
  putCalls: number;
}

const isOutboxInsert = (record: DynamoDBRecord): boolean =>
  record.eventName === 'INSERT' && (record.dynamodb?.Keys?.sk?.S?.startsWith(AUDIT_OUTBOX_PREFIX) ?? false);

export async function carryAuditOutbox(
  records: readonly DynamoDBRecord[],
  put: PutAuditEntries,
): Promise<CarryReport> {
  const report: CarryReport = { failed: [], carried: 0, unreadable: [], putCalls: 0 };
  const ready: Array<{ sequenceNumber: string; entry: AuditBusEntry }> = [];
  for (const record of records.filter(isOutboxInsert)) {
    const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
    try {
      const text = record.dynamodb?.NewImage?.auditEntry?.S;
      if (text === undefined) throw new AuditEntryError('the item has no auditEntry');
      ready.push({ sequenceNumber, entry: auditBusEntry(parseAuditEntry(JSON.parse(text))) });
    } catch (error) {
      if (!(error instanceof AuditEntryError || error instanceof SyntaxError)) throw error;
      report.unreadable.push({ sequenceNumber, reason: error.message });
    }
  }
  for (let start = 0; start < ready.length; start += PUT_BATCH) {
    const batch = ready.slice(start, start + PUT_BATCH);
    report.putCalls += 1;
    let taken: boolean[];
    try {
      taken = await put(batch.map((item) => item.entry));
    } catch {
      // The bus is unreachable: this batch and every later one go back to the stream.
      report.failed.push(...ready.slice(start).map((item) => item.sequenceNumber));
      return report;
    }
    batch.forEach((item, i) => {
      if (taken[i]) report.carried += 1;
      else report.failed.push(item.sequenceNumber);
    });
  }
  return report;
}

/** PutEvents on the named bus: for each entry, whether the bus took it. */
export function eventBridgeAuditPut(events: EventBridgeClient, busName: string): PutAuditEntries {
  return async (entries) => {
    const out = await events.send(
      new PutEventsCommand({ Entries: entries.map((entry) => ({ ...entry, EventBusName: busName })) }),
    );
    return entries.map((_, i) => !out.Entries?.[i]?.ErrorCode);
  };
}
