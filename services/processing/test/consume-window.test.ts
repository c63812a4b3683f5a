/**
 * An envelope taken from the inbound queue and sent again must not be stored a second time once its
 * first copy's dedupe record has expired: consume refuses envelopes older than the dedupe window,
 * measured from the `ingesttime` ingest signs into each; and the window never refuses a genuine
 * envelope, however long it waited in the queue, its DLQ and one redrive.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { Envelope } from '@herald/shared/contracts';
import { captureLogs, lambdaContext } from '@herald/shared/testing/http';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { consumeEnvelope, RejectedEnvelope, type ConsumeDeps } from '../src/consume-envelope';
import {
  CLOCK_SKEW_SECONDS,
  INBOUND_DLQ_RETENTION_SECONDS,
  INBOUND_RETENTION_SECONDS,
  judgeAge,
  LONGEST_GENUINE_AGE_SECONDS,
  windowSeconds,
} from '../src/consume-window';
import { createHandler } from '../src/handlers/consume';
import { createProcessingMetrics } from '../src/processing-metrics';
import { signer, verifier } from './support/envelopes';
import { MemoryEventsTable } from './support/memory-events-table';

const DAY = 86_400_000;
const ingestTime = new Date('2026-11-28T10:00:00.000Z');
const stamped = (id: string, ingesttime = ingestTime.toISOString()): Envelope =>
  signer.sign({
    specversion: '1.0',
    id,
    source: '/herald/ingest',
    type: 'order.created',
    time: '2026-11-28T10:00:00.000Z',
    datacontenttype: 'application/json',
    data: { id },
    tenantid: 'acme',
    correlationid: 'corr-1',
    ingesttime,
  });
const unstamped = (id: string): Envelope => {
  const { ingesttime: _i, signature: _s, signaturekeyid: _k, ...fields } = stamped(id);
  return signer.sign(fields);
};
const later = (ms: number) => new Date(ingestTime.getTime() + ms);

describe('judgeAge', () => {
  const settings = { retentionDays: 30, requireIngestTime: false };

  test('an envelope as old as the window is taken; a second older is refused, saying by how much', () => {
    const window = windowSeconds(30);
    expect(window).toBe(30 * 86_400 - CLOCK_SKEW_SECONDS);
    expect(judgeAge(stamped('e1'), later(window * 1000), settings)).toEqual({ ok: true });
    expect(judgeAge(stamped('e1'), later((window + 1) * 1000), settings)).toEqual({
      ok: false,
      reason: 'too-old',
      ageSeconds: window + 1,
      windowSeconds: window,
    });
  });

  test('an envelope stamped ahead of this clock is taken', () => {
    expect(judgeAge(stamped('e1'), later(-60_000), settings)).toEqual({ ok: true });
  });

  test('during the transition an envelope without ingesttime is taken; once required, refused', () => {
    expect(judgeAge(unstamped('e1'), later(365 * DAY), settings)).toEqual({ ok: true });
    expect(judgeAge(unstamped('e1'), later(0), { ...settings, requireIngestTime: true })).toEqual({
      ok: false,
      reason: 'no-ingest-time',
    });
  });
});

describe('consumeEnvelope', () => {
  let store: MemoryEventsTable;
  let now: Date;
  const deps = (extra: Partial<ConsumeDeps> = {}): ConsumeDeps => ({
    verifier,
    store,
    retentionDays: 30,
    now: () => now,
    ...extra,
  });
  beforeEach(() => {
    store = new MemoryEventsTable();
    now = later(1000);
  });
  const consume = (envelope: Envelope, extra: Partial<ConsumeDeps> = {}) =>
    consumeEnvelope({ body: JSON.stringify(envelope), receivedAt: now }, deps(extra));

  test('a copy sent again within the window meets its record: a duplicate, stored once', async () => {
    const envelope = stamped('e1');
    expect((await consume(envelope)).outcome).toBe('stored');
    now = later(29 * DAY);
    expect((await consume(envelope)).outcome).toBe('duplicate');
    expect(store.items.size).toBe(1);
  });

  test('a copy sent again after the window is refused, never stored, whatever the table holds', async () => {
    const envelope = stamped('e1');
    now = later(30 * DAY);
    const error = await consume(envelope).catch((rejected: unknown) => rejected);
    expect(error).toBeInstanceOf(RejectedEnvelope);
    expect(error).toMatchObject({
      reason: 'too-old',
      details: { ageSeconds: 30 * 86_400, windowSeconds: windowSeconds(30), eventId: 'e1' },
    });
    expect(store.items.size).toBe(0);
  });

  test('the window is the retention the table keeps the record for', async () => {
    now = later(8 * DAY);
    await expect(consume(stamped('e1'), { retentionDays: 7 })).rejects.toBeInstanceOf(RejectedEnvelope);
    expect((await consume(stamped('e1'), { retentionDays: 90 })).outcome).toBe('stored');
  });

  test('a genuine envelope at the oldest it can be is stored', async () => {
    now = later(LONGEST_GENUINE_AGE_SECONDS * 1000);
    expect((await consume(stamped('e1'))).outcome).toBe('stored');
  });
});

describe('consume handler', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  test('a stale envelope fails its record (so it reaches the DLQ) and is logged with the reason', async () => {
    const store = new MemoryEventsTable();
    const handler = createHandler(
      () => ({ store, verifier, retentionDays: 30, now: () => later(31 * DAY) }),
      createProcessingMetrics(),
    );
    const record = {
      messageId: 'm1',
      receiptHandle: 'rh',
      body: JSON.stringify(stamped('e1')),
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(later(31 * DAY).getTime()) },
      messageAttributes: {},
      eventSource: 'aws:sqs',
    } as unknown as SQSRecord;
    expect(await handler({ Records: [record] } as SQSEvent, lambdaContext())).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm1' }],
    });
    expect(logs.lines().find((line) => line.message === 'Envelope rejected')).toMatchObject({
      securityEvent: 'envelope.rejected',
      reason: 'too-old',
      ageSeconds: 31 * 86_400,
      eventId: 'e1',
      messageId: 'm1',
    });
    expect(store.items.size).toBe(0);
  });
});

describe('the window’s arithmetic against the templates', () => {
  const root = join(import.meta.dirname, '..', '..', '..');
  const yml = readFileSync(join(root, 'services', 'processing', 'serverless.yml'), 'utf8');

  /** `eventRetentionDays` of each stage in the params block. */
  const retentionByStage = () => {
    const params = yml.slice(yml.indexOf('\nparams:'), yml.indexOf('\nprovider:'));
    const stages = [...params.matchAll(/^ {2}(\w+):$/gm)];
    return Object.fromEntries(
      stages.map((stage, i) => {
        const block = params.slice(stage.index, stages[i + 1]?.index ?? params.length);
        return [stage[1], Number(/eventRetentionDays: (\d+)/.exec(block)?.[1] ?? Number.NaN)];
      }),
    );
  };

  test('the retentions it counts are those the templates set', () => {
    const inbound = yml.slice(yml.indexOf('      InboundQueue:'));
    const declared = /MessageRetentionPeriod: (\d+)/.exec(inbound)?.[1];
    expect(Number(declared)).toBe(INBOUND_RETENTION_SECONDS);
    // The inbound DLQ sets none of its own: it takes the plugin's default.
    expect(
      inbound.slice(inbound.indexOf('deadLetterQueue:'), inbound.indexOf('deadLetterQueues:')),
    ).not.toMatch(/MessageRetentionPeriod/);
    const plugin = readFileSync(join(root, 'packages', 'serverless-plugin', 'src', 'queues.ts'), 'utf8');
    const fourteenDays = /const FOURTEEN_DAYS = ([\d_]+)/.exec(plugin)?.[1]?.replaceAll('_', '');
    expect(Number(fourteenDays)).toBe(INBOUND_DLQ_RETENTION_SECONDS);
  });

  /** The sample prod stage's own retention (stages/prod.yml, its processing section), if it sets one. */
  const sampleProdRetention = () => {
    const file = readFileSync(join(root, 'stages', 'prod.yml'), 'utf8');
    const section = /^processing:\n((?: {2}.*\n)*)/m.exec(file)?.[1] ?? '';
    const days = /^ {2}eventRetentionDays: (\d+)$/m.exec(section)?.[1];
    return days === undefined ? undefined : Number(days);
  };

  test('every deployed stage’s window exceeds the oldest a genuine envelope can be', () => {
    const stages = retentionByStage();
    expect(stages.default).toBe(30);
    // A stage's own settings live in stages/<stage>.yml; one that sets no retention takes the default.
    const prod = sampleProdRetention();
    expect(prod).toBe(90);
    for (const [stage, days] of [
      ['default', stages.default!],
      ['prod', prod ?? stages.default!],
    ] as const) {
      expect([stage, windowSeconds(days) > LONGEST_GENUINE_AGE_SECONDS]).toEqual([stage, true]);
    }
  });
});
