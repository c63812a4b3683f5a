import { beforeEach, describe, expect, test } from '@jest/globals';
import type { DeliveryFailedDetail } from '@herald/shared/contracts';
import { createEnvelopeSigner, createEnvelopeVerifier, generateSigningKeyPair } from '@herald/shared/signing';
import { acceptEvents, type AcceptEventsDeps } from '../src/accept-events';
import { putEventType } from '../src/event-types';
import { parseLine } from '../src/ndjson';
import {
  fromBus,
  fromUpload,
  NotQueued,
  OPERATIONAL_SOURCE,
  operationalEventId,
  raiseFromBus,
  RejectedCause,
  type OperationalCause,
} from '../src/operational-events';
import { processUpload } from '../src/process-upload';
import validateLine from '../src/schemas/upload-line.validator.generated';
import { uploadObjectKey } from '../src/uploads';
import {
  MemoryEventTypeStore,
  MemoryFiles,
  MemoryIdempotencyStore,
  MemoryQueue,
  MemoryUploadStore,
} from './support/memory';

const keys = generateSigningKeyPair('ingest-test');
const signer = createEnvelopeSigner(keys.privateJwk);
const verifier = createEnvelopeVerifier([keys.publicJwk]);
const now = new Date('2026-12-01T10:00:05.000Z');

const failed: DeliveryFailedDetail = {
  subscriptionId: 'sub_01',
  tenantid: 'acme',
  eventId: 'order-1',
  eventType: 'order.created',
  reason: 'the receiver answered 500',
  time: '2026-12-01T10:00:00.000Z',
};
const busEvent = (detailType: string, detail: unknown, source = 'herald.notifications') =>
  JSON.stringify({ version: '0', id: 'eb-1', source, 'detail-type': detailType, detail });

let queue: MemoryQueue;
beforeEach(() => {
  queue = new MemoryQueue();
});
const deps = () => ({ queue, signer, now: () => now });

describe('operational events from the bus', () => {
  test('delivery.failed becomes the tenant’s herald.delivery.failed: subject the subscription, data ids and reason', () => {
    const mapping = fromBus({ detailType: 'delivery.failed', detail: failed }, now);
    expect(mapping).toEqual({
      raise: {
        specversion: '1.0',
        id: operationalEventId('acme', 'herald.delivery.failed', ['sub_01', 'order-1', failed.time]),
        source: OPERATIONAL_SOURCE,
        type: 'herald.delivery.failed',
        time: failed.time,
        subject: 'sub_01',
        datacontenttype: 'application/json',
        data: {
          subscriptionId: 'sub_01',
          eventId: 'order-1',
          eventType: 'order.created',
          reason: 'the receiver answered 500',
        },
        tenantid: 'acme',
        correlationid: expect.stringMatching(/^herald_[0-9a-f]{32}$/),
        ingesttime: now.toISOString(),
      },
    });
  });

  test('subscription.disabled by hand (no event) and subscription.recovered map likewise', () => {
    const disabled = fromBus(
      {
        detailType: 'subscription.disabled',
        detail: { subscriptionId: 'sub_01', tenantid: 'acme', reason: 'by hand', time: failed.time },
      },
      now,
    );
    expect(disabled).toMatchObject({
      raise: {
        type: 'herald.subscription.disabled',
        subject: 'sub_01',
        data: { subscriptionId: 'sub_01', reason: 'by hand' },
      },
    });
    const recovered = fromBus(
      {
        detailType: 'subscription.recovered',
        detail: {
          subscriptionId: 'sub_01',
          tenantid: 'acme',
          eventId: 'order-2',
          eventType: 'order.created',
          failures: 3,
          failingSince: '2026-12-01T09:00:00.000Z',
          time: failed.time,
        },
      },
      now,
    );
    expect(recovered).toMatchObject({
      raise: {
        type: 'herald.subscription.recovered',
        subject: 'sub_01',
        data: {
          subscriptionId: 'sub_01',
          eventId: 'order-2',
          eventType: 'order.created',
          failures: 3,
          failingSince: '2026-12-01T09:00:00.000Z',
        },
      },
    });
  });

  test('the data never carries the payload of the event whose delivery failed', () => {
    const mapping = fromBus({ detailType: 'delivery.failed', detail: failed }, now);
    expect(Object.keys('raise' in mapping ? (mapping.raise.data as object) : {}).sort()).toEqual([
      'eventId',
      'eventType',
      'reason',
      'subscriptionId',
    ]);
  });

  test.each([
    ['delivery.failed', { ...failed, eventType: 'herald.subscription.disabled' }],
    ['subscription.disabled', { ...failed, eventType: 'herald.delivery.failed' }],
    [
      'subscription.recovered',
      { ...failed, eventType: 'herald.upload.completed', failures: 1, reason: undefined },
    ],
  ])('no operational event about the delivery of an operational event (%s)', (detailType, detail) => {
    const { reason: _unused, ...rest } = detail as typeof failed;
    const cause = {
      detailType,
      detail: detailType === 'subscription.recovered' ? rest : detail,
    } as OperationalCause;
    expect(fromBus(cause, now)).toEqual({
      drop: expect.stringContaining('about the delivery of an operational event'),
    });
  });
});

describe('operational event ids', () => {
  test('the same cause gives the same id, whenever it is raised; another cause another id', () => {
    const first = fromBus({ detailType: 'delivery.failed', detail: failed }, now);
    const again = fromBus(
      { detailType: 'delivery.failed', detail: failed },
      new Date('2026-12-02T00:00:00Z'),
    );
    const later = fromBus(
      { detailType: 'delivery.failed', detail: { ...failed, time: '2026-12-01T10:05:00.000Z' } },
      now,
    );
    const other = fromBus(
      { detailType: 'delivery.failed', detail: { ...failed, subscriptionId: 'sub_02' } },
      now,
    );
    const otherTenant = fromBus(
      { detailType: 'delivery.failed', detail: { ...failed, tenantid: 'globex' } },
      now,
    );
    const id = (m: ReturnType<typeof fromBus>) => ('raise' in m ? m.raise.id : undefined);
    expect(id(first)).toMatch(/^herald_[0-9a-f]{32}$/);
    expect(id(again)).toBe(id(first));
    expect(new Set([id(first), id(later), id(other), id(otherTenant)]).size).toBe(4);
  });

  test('a run of failures recovers once: two successes that saw the same run raise one id', () => {
    const recovered = (eventId: string, time: string) =>
      fromBus(
        {
          detailType: 'subscription.recovered',
          detail: {
            subscriptionId: 'sub_01',
            tenantid: 'acme',
            eventId,
            eventType: 'order.created',
            failures: 2,
            failingSince: '2026-12-01T09:00:00.000Z',
            time,
          },
        },
        now,
      );
    const a = recovered('order-1', '2026-12-01T10:00:00.000Z');
    const b = recovered('order-2', '2026-12-01T10:00:01.000Z');
    expect('raise' in a && 'raise' in b && a.raise.id === b.raise.id).toBe(true);
  });

  test('an upload’s completion has one id, whatever attempt finished it', () => {
    const upload = {
      tenantId: 'acme',
      uploadId: 'up-1',
      status: 'completed' as const,
      summary: { lines: 2, accepted: 2, rejected: 0, blank: 0 },
      correlationId: 'corr-1',
      time: '2026-12-01T10:00:00.000Z',
    };
    const first = fromUpload(upload, now);
    const second = fromUpload({ ...upload, time: '2026-12-01T10:01:00.000Z' }, now);
    expect(second.id).toBe(first.id);
    expect(fromUpload({ ...upload, uploadId: 'up-2' }, now).id).not.toBe(first.id);
    expect(first).toMatchObject({
      type: 'herald.upload.completed',
      subject: 'up-1',
      correlationid: 'corr-1',
      data: { uploadId: 'up-1', status: 'completed', lines: 2, accepted: 2, rejected: 0, blank: 0 },
    });
  });
});

describe('raiseFromBus', () => {
  test('signs and queues the event to processing; a redelivered bus event is stored once', async () => {
    const body = busEvent('delivery.failed', failed);
    const result = await raiseFromBus(body, deps());
    await raiseFromBus(body, deps());
    expect(result).toMatchObject({ outcome: 'raised', type: 'herald.delivery.failed', tenantId: 'acme' });
    expect(queue.sent).toHaveLength(2);
    const stored = [...queue.stored().values()];
    expect(stored).toHaveLength(1);
    expect(verifier.verify(stored[0]!)).toMatchObject({ type: 'herald.delivery.failed', subject: 'sub_01' });
  });

  test('drops an event about an operational event’s delivery, queueing nothing', async () => {
    const result = await raiseFromBus(
      busEvent('delivery.failed', { ...failed, eventType: 'herald.delivery.failed' }),
      deps(),
    );
    expect(result).toMatchObject({ outcome: 'dropped', cause: 'delivery.failed' });
    expect(queue.calls).toBe(0);
  });

  test.each([
    ['not JSON', '{', 'malformed'],
    // Not one of its causes: its detail is not even read (nor its validator bundled).
    ['a stored event', busEvent('event.stored', {}, 'herald.processing'), 'unknown-detail-type'],
    ['the wrong source', busEvent('delivery.failed', failed, 'herald.processing'), 'wrong-source'],
    ['an unknown detail type', busEvent('delivery.retried', failed), 'unknown-detail-type'],
    ['a detail its schema refuses', busEvent('delivery.failed', { ...failed, eventId: 'a b' }), 'schema'],
  ])('refuses %s', async (_name, body, reason) => {
    await expect(raiseFromBus(body, deps())).rejects.toThrow(RejectedCause);
    await expect(raiseFromBus(body, deps())).rejects.toMatchObject({ reason });
    expect(queue.calls).toBe(0);
  });

  test('a queue that does not take the event fails the message, to be tried again', async () => {
    queue.refuse = () => true;
    await expect(raiseFromBus(busEvent('delivery.failed', failed), deps())).rejects.toThrow(NotQueued);
  });
});

describe('herald. is reserved', () => {
  const acceptDeps = (): AcceptEventsDeps => ({
    queue,
    signer,
    idempotency: new MemoryIdempotencyStore(),
    newId: () => 'id-1',
    now: () => now,
    idempotencyTtlSeconds: 60,
  });
  const caller = { tenantId: 'acme', correlationId: 'corr-1' };

  test('a producer’s single event or batch under herald. is refused naming /type, nothing queued', async () => {
    const single = await acceptEvents({ type: 'herald.delivery.failed', data: {} }, caller, acceptDeps());
    expect(single).toMatchObject({
      kind: 'invalid',
      violations: [{ index: 0, path: '/type', message: expect.stringContaining('reserved') }],
    });
    const batch = await acceptEvents(
      {
        events: [
          { type: 'order.created', data: {} },
          { type: 'herald.x', data: {} },
        ],
      },
      caller,
      acceptDeps(),
    );
    expect(batch).toMatchObject({ kind: 'invalid', violations: [{ index: 1, path: '/type' }] });
    expect(queue.calls).toBe(0);
  });

  test('an upload line under herald. is rejected naming the field', () => {
    const bytes = Buffer.from(JSON.stringify({ type: 'herald.upload.completed', data: {} }));
    const parsed = parseLine({ number: 3, tooLong: false, bytes }, validateLine, 1024);
    expect(parsed).toMatchObject({ kind: 'rejected', line: 3, reason: expect.stringContaining('/type') });
  });

  test('the catalog refuses to register a type under herald.', async () => {
    const outcome = await putEventType(
      'acme',
      'herald.delivery.failed',
      { description: 'mine' },
      {
        store: new MemoryEventTypeStore(),
        now: () => now,
      },
    );
    expect(outcome).toEqual({
      kind: 'invalid',
      errors: [{ pointer: '/pathParameters/type', message: expect.stringContaining('reserved') }],
    });
  });
});

describe('herald.upload.completed', () => {
  test('an upload that finishes raises its completion once, after its lines, even when read again', async () => {
    const store = new MemoryUploadStore();
    const files = new MemoryFiles();
    const uploadId = '01JDZQ8B4WZ3T6V7X8Y9ZA0B1C';
    const key = uploadObjectKey('acme', uploadId);
    const content = Buffer.from(
      [JSON.stringify({ type: 'order.created', data: {} }), '{"type":"order.created"'].join('\n'),
    );
    await store.create({
      tenantId: 'acme',
      uploadId,
      status: 'pending',
      size: content.length,
      correlationId: 'corr-upload',
      createdAt: '2026-12-01T09:59:00.000Z',
      urlExpiresAt: '2026-12-01T10:05:00.000Z',
      expiresAt: 0,
    });
    files.put(key, content);
    const uploadDeps = {
      store,
      files,
      queue,
      signer,
      validateLine,
      now: () => now,
      maxAttempts: 3,
      raiseCompletion: true,
    };
    await processUpload({ key, time: '2026-12-01T10:00:00.000Z' }, uploadDeps);
    // A repeated notification of the same file.
    await processUpload({ key, time: '2026-12-01T10:00:00.000Z' }, uploadDeps);

    const completion = queue.sent.at(-1)!;
    expect(verifier.verify(completion)).toMatchObject({
      type: 'herald.upload.completed',
      subject: uploadId,
      correlationid: 'corr-upload',
      data: { uploadId, status: 'completed', lines: 2, accepted: 1, rejected: 1, blank: 0 },
    });
    expect(queue.sent.filter((e) => e.type === 'herald.upload.completed')).toHaveLength(1);
  });

  test('a completion the queue refuses is told, and the upload is still recorded as it ended', async () => {
    const store = new MemoryUploadStore();
    const files = new MemoryFiles();
    const uploadId = '01JDZQ8B4WZ3T6V7X8Y9ZA0B1D';
    const key = uploadObjectKey('acme', uploadId);
    const content = Buffer.from(JSON.stringify({ type: 'order.created', data: {} }));
    await store.create({
      tenantId: 'acme',
      uploadId,
      status: 'pending',
      size: content.length,
      correlationId: 'corr-upload',
      createdAt: '2026-12-01T09:59:00.000Z',
      urlExpiresAt: '2026-12-01T10:05:00.000Z',
      expiresAt: 0,
    });
    files.put(key, content);
    queue.refuse = (envelope) => envelope.type === 'herald.upload.completed';
    const warnings: string[] = [];
    const result = await processUpload(
      { key, time: '2026-12-01T10:00:00.000Z' },
      {
        store,
        files,
        queue,
        signer,
        validateLine,
        now: () => now,
        maxAttempts: 3,
        raiseCompletion: true,
        warn: (message) => void warnings.push(message),
      },
    );
    expect(result).toMatchObject({ outcome: 'processed', status: 'completed' });
    expect((await store.get('acme', uploadId))?.status).toBe('completed');
    expect(warnings).toEqual(['Could not raise herald.upload.completed']);
  });
});
