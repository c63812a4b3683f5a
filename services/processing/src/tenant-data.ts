/**
 * What processing holds of a tenant, for its export and erasure (the runner is
 * @herald/shared/tenant-data/job): the events table's partition TENANT#<tenant>, which holds the
 * tenant's stored events (and, with them, both indexes' entries: byTime and byType project from the
 * same items, so deleting an item removes its index entries) and the per-subject sequence counters.
 *
 * A subject erasure removes each event whose envelope names the subject, and the subject's sequence
 * counter (its sort key is the subject). The table's stream sees the deletions as REMOVE records,
 * which publish's filter (INSERT only) never reads, so an erasure publishes nothing.
 */
import type { ErasureRequestedDetail } from '@herald/shared/contracts/tenant-data';
import type { ErasureStep, ExportStep } from '@herald/shared/tenant-data/job';

type Item = Record<string, unknown>;

/** The envelope's `subject`, or undefined for an item that is not a readable event. */
export function envelopeSubject(item: Item): string | undefined {
  if (typeof item.envelope !== 'string') return undefined;
  try {
    const subject = (JSON.parse(item.envelope) as { subject?: unknown }).subject;
    return typeof subject === 'string' ? subject : undefined;
  } catch {
    return undefined;
  }
}

/** Whether an item of the tenant's partition goes with the request. */
export function erasesEventItem(item: Item, request: ErasureRequestedDetail): boolean {
  if (request.scope === 'tenant') return true;
  if (item.sk === `SUBJECTSEQ#${request.subject}`) return true;
  return envelopeSubject(item) === request.subject;
}

/** One NDJSON line per stored event: the envelope as stored, with when Herald received and stored it. */
export function eventExportLine(item: Item): string | undefined {
  if (typeof item.envelope !== 'string' || typeof item.sk !== 'string' || !item.sk.startsWith('EVENT#')) {
    return undefined;
  }
  return JSON.stringify({
    receivedAt: item.receivedAt,
    storedAt: item.storedAt,
    envelope: JSON.parse(item.envelope) as unknown,
  });
}

export interface EventsTableSteps {
  eraser: (name: string, matches: typeof erasesEventItem) => ErasureStep;
  exporter: (name: string, toLine: typeof eventExportLine) => ExportStep;
}

/** Processing's steps, in order; their names are the completion's counts and the export's files. */
export function processingSteps(table: EventsTableSteps) {
  return {
    erasureSteps: [table.eraser('events', erasesEventItem)],
    exportSteps: [table.exporter('events', eventExportLine)],
  };
}
