/**
 * What a run through the pipeline came to: each accepted event stored once under the id it was
 * accepted with, delivered at least once, and how many webhooks arrived more than once.
 */
import type { FaultCounts } from '@herald/local-cloud';
import type { ProducerReport } from './producer';
import type { Receipt } from './receiver';
import type { UploadReport } from './uploader';

export interface PipelineReport {
  tenant: string;
  events: number;
  producer: Omit<ProducerReport, 'accepted'> & { accepted: number; uploads: UploadReport['uploads'] };
  stored: {
    /** Accepted events stored once, under the id they were accepted with. */
    once: number;
    /** Events (by seq) stored under more than one id. */
    twice: number[];
    /** Accepted events stored, but under another id. */
    otherId: number[];
    /** Accepted events not stored. */
    missing: number[];
  };
  delivered: {
    /** Accepted events whose webhook was answered 200 at least once. */
    events: number;
    missing: number[];
    /** Webhooks answered 200, copies included. */
    deliveries: number;
    /** Webhooks answered 200 beyond the first of their webhook-id. */
    duplicates: number;
    duplicateRate: number;
    /** Webhooks the subscriber answered 503 (Herald retries them). */
    refusedByReceiver: number;
    unverified: number;
  };
  /** Messages left in dead-letter queues, by queue name. */
  deadLetters: Record<string, number>;
  /**
   * For each event not delivered: what notifications holds of it (its stored envelope, its delivery's
   * status and attempts) and what the subscriber answered, so a failed run says where it stopped.
   */
  undelivered: UndeliveredTrace[];
  /** Whether the queues `settle` names drained before the report. */
  settled: boolean;
  timingsMs: { accept: number; stored: number; delivered: number; total: number };
  faults: FaultCounts | undefined;
}

/** Where one undelivered event stopped. */
export interface UndeliveredTrace {
  seq: number;
  eventIds: string[];
  /** Whether notifications' deliveries table holds the event's envelope (dispatch reached it). */
  envelopeStored: boolean;
  /** Its delivery as stored, or undefined when there is none. */
  delivery:
    { status: string; run: number; attemptCount: number; reason?: string; attempts: unknown[] } | undefined;
  /** The statuses the subscriber answered for it, in order. */
  answered: number[];
}

/** Receipts the subscriber answered 200: deliveries, copies included. */
export const delivered = (receipts: readonly Receipt[]) => receipts.filter((r) => r.status === 200);

/** Compares what the producer was told was accepted with what was stored and what arrived. */
export function check(
  tenant: string,
  events: number,
  producer: ProducerReport,
  stored: ReadonlyMap<number, string[]>,
  receipts: readonly Receipt[],
): Omit<PipelineReport, 'deadLetters' | 'settled' | 'timingsMs' | 'faults' | 'producer' | 'undelivered'> & {
  producer: Omit<ProducerReport, 'accepted'> & { accepted: number };
} {
  const twice = [...stored].filter(([, ids]) => ids.length > 1).map(([seq]) => seq);
  const missing: number[] = [];
  const otherId: number[] = [];
  let once = 0;
  for (const [seq, id] of producer.accepted) {
    const ids = stored.get(seq);
    if (!ids) missing.push(seq);
    else if (!ids.includes(id)) otherId.push(seq);
    else if (ids.length === 1) once += 1;
  }
  const ok = delivered(receipts);
  const arrived = new Set(ok.map((r) => r.seq));
  const webhookIds = new Set(ok.map((r) => r.webhookId));
  const duplicates = ok.length - webhookIds.size;
  const { accepted, ...rest } = producer;
  return {
    tenant,
    events,
    producer: { ...rest, accepted: accepted.size },
    stored: { once, twice, otherId, missing },
    delivered: {
      events: [...accepted.keys()].filter((seq) => arrived.has(seq)).length,
      missing: [...accepted.keys()].filter((seq) => !arrived.has(seq)),
      deliveries: ok.length,
      duplicates,
      duplicateRate: webhookIds.size === 0 ? 0 : duplicates / webhookIds.size,
      refusedByReceiver: receipts.length - ok.length,
      unverified: receipts.filter((r) => !r.verified).length,
    },
  };
}

const list = (seqs: readonly number[]) =>
  seqs.length === 0
    ? '0'
    : `${seqs.length} (${seqs.slice(0, 10).join(', ')}${seqs.length > 10 ? ', …' : ''})`;

export function formatPipelineReport(report: PipelineReport): string {
  const { producer, stored, delivered: d, timingsMs: t } = report;
  return [
    `events ${report.events}: accepted ${producer.accepted}, abandoned by the producer ${producer.abandoned.length}, ` +
      `${producer.requests} requests (${Object.entries(producer.statuses)
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ')})` +
      producer.uploads
        .map(
          (u) =>
            `; upload ${u.id} ${u.status}, ${u.accepted} lines accepted, PUT tried ${u.putAttempts} time(s)`,
        )
        .join(''),
    `stored once ${stored.once}; missing ${list(stored.missing)}; stored twice ${list(stored.twice)}; under another id ${list(stored.otherId)}; ids changed between answers ${producer.idChanges.length}`,
    `delivered ${d.events}; missing ${list(d.missing)}; webhooks answered 200: ${d.deliveries}, duplicates ${d.duplicates} ` +
      `(duplicate-delivery rate ${(100 * d.duplicateRate).toFixed(2)}%); answered 503 by the subscriber ${d.refusedByReceiver}; unverified ${d.unverified}`,
    `dead-letter queues: ${Object.keys(report.deadLetters).length === 0 ? 'empty' : JSON.stringify(report.deadLetters)}; queues drained before counting: ${report.settled}`,
    ...report.undelivered.map(
      (u) =>
        `undelivered seq ${u.seq} (event ${u.eventIds.join(', ') || 'not stored'}): envelope in notifications ${u.envelopeStored}; ` +
        `delivery ${u.delivery ? JSON.stringify(u.delivery) : 'none'}; subscriber answered [${u.answered.join(', ')}]`,
    ),
    `time: accepted in ${(t.accept / 1000).toFixed(1)} s, all stored at ${(t.stored / 1000).toFixed(1)} s, all delivered at ${(t.delivered / 1000).toFixed(1)} s, report at ${(t.total / 1000).toFixed(1)} s`,
  ].join('\n');
}
