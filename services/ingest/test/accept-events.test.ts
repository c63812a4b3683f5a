import { describe, expect, test } from '@jest/globals';
import { createEnvelopeSigner, createEnvelopeVerifier, generateSigningKeyPair } from '@herald/shared/signing';
import { DEFAULT_MAX_MESSAGE_BYTES, messageBytes } from '@herald/shared/aws/sqs-send';
import {
  acceptEvents,
  MAX_ENVELOPE_BYTES,
  type AcceptEventsOutcome,
  type EventInput,
} from '../src/accept-events';
import { MemoryIdempotencyStore, MemoryQueue } from './support/memory';

const keys = generateSigningKeyPair('ingest-test-1');
const signer = createEnvelopeSigner(keys.privateJwk);
const verifier = createEnvelopeVerifier([keys.publicJwk]);
const caller = { tenantId: 'acme', correlationId: 'corr-1' };

function deps(queue = new MemoryQueue(), idempotency = new MemoryIdempotencyStore()) {
  let n = 0;
  let clock = Date.parse('2026-11-28T10:00:00.000Z');
  return {
    queue,
    signer,
    idempotency,
    idempotencyTtlSeconds: 3600,
    now: () => new Date(clock),
    tick: (ms: number) => void (clock += ms),
    newId: () => `01J0000000000000000000${String(++n).padStart(4, '0')}`,
  };
}

function queued(outcome: AcceptEventsOutcome) {
  if (outcome.kind !== 'queued') throw new Error(`expected queued, got ${outcome.kind}`);
  return outcome;
}

const event = (extra: Partial<EventInput> = {}): EventInput => ({
  type: 'order.created',
  data: {},
  ...extra,
});

describe('acceptEvents', () => {
  test('signs one event into a verifiable envelope for the caller’s tenant', async () => {
    const d = deps();
    const result = await acceptEvents({ type: 'order.created', data: { total: 5 } }, caller, d);

    expect(result).toEqual({
      kind: 'queued',
      items: [{ id: '01J00000000000000000000001', status: 'accepted' }],
      accepted: 1,
      failed: 0,
    });
    expect(verifier.verify(d.queue.sent[0])).toMatchObject({
      specversion: '1.0',
      id: '01J00000000000000000000001',
      type: 'order.created',
      source: '/tenants/acme',
      time: '2026-11-28T10:00:00.000Z',
      data: { total: 5 },
      tenantid: 'acme',
      correlationid: 'corr-1',
      signaturekeyid: 'ingest-test-1',
    });
  });

  test('keeps producer ids, subject, source and normalises time to UTC', async () => {
    const d = deps();
    await acceptEvents(
      {
        id: 'ord-42',
        type: 'order.paid',
        data: null,
        subject: 'orders/42',
        source: 'https://shop.example/orders',
        time: '2026-11-28T12:30:00+02:00',
      },
      caller,
      d,
    );
    expect(d.queue.sent[0]).toMatchObject({
      id: 'ord-42',
      subject: 'orders/42',
      source: 'https://shop.example/orders',
      time: '2026-11-28T10:30:00.000Z',
    });
  });

  test('answers a batch in order and names exactly the events that could not be queued', async () => {
    const d = deps();
    d.queue.refuse = (e) => e.id === 'b';
    const result = queued(
      await acceptEvents({ events: ['a', 'b', 'c'].map((id) => event({ id })) }, caller, d),
    );

    expect(result.items).toEqual([
      { id: 'a', status: 'accepted' },
      { id: 'b', status: 'failed', retryable: true },
      { id: 'c', status: 'accepted' },
    ]);
    expect(result).toMatchObject({ accepted: 2, failed: 1 });
    expect(d.queue.sent.map((e) => e.id)).toEqual(['a', 'c']);
  });

  test('a batch mixing producer and server ids keeps their order', async () => {
    const d = deps();
    const result = queued(
      await acceptEvents({ events: [event(), event({ id: 'mine' }), event()] }, caller, d),
    );
    expect(result.items.map((item) => item.id)).toEqual([
      '01J00000000000000000000001',
      'mine',
      '01J00000000000000000000002',
    ]);
  });

  test('tenant always comes from the caller, never from the event', async () => {
    const d = deps();
    const sneaky = { type: 'order.created', data: {}, tenantid: 'other' } as never;
    await acceptEvents(sneaky, caller, d);
    expect(d.queue.sent[0]?.tenantid).toBe('acme');
  });

  test('an event too large to queue once signed: the whole request is refused, nothing sent', async () => {
    const d = deps();
    const big = event({ data: 'x'.repeat(MAX_ENVELOPE_BYTES) });
    const result = await acceptEvents({ events: [event(), big, event()] }, caller, d, {
      idempotencyKey: 'k1',
    });
    expect(result).toEqual({ kind: 'too-large', indexes: [1] });
    expect(d.queue.calls).toBe(0);
    // Not remembered under its key: the same key may still carry a request that fits.
    expect(d.idempotency.records.size).toBe(0);
  });
});

describe('acceptEvents with an idempotency key', () => {
  const batch = { events: [event({ data: { n: 1 } }), event({ data: { n: 2 } })] };

  test('a retry after success re-sends the same envelopes, answered as a replay: each is stored once', async () => {
    const d = deps();
    const first = queued(await acceptEvents(batch, caller, d, { idempotencyKey: 'k1' }));
    d.tick(60_000);
    const again = await acceptEvents(batch, { ...caller, correlationId: 'corr-2' }, d, {
      idempotencyKey: 'k1',
    });

    expect(again).toEqual({ kind: 'replayed', ids: first.items.map((item) => item.id) });
    // Byte-identical (same id, time, correlation id and signature), so processing keeps one of each.
    expect(d.queue.sent.slice(2)).toEqual(d.queue.sent.slice(0, 2));
    expect(d.queue.stored().size).toBe(2);
    // One write per keyed request: the record is never marked afterwards.
    expect([...d.idempotency.records.values()].map((record) => record.status)).toEqual(['pending']);
  });

  test('a retry of a key an earlier release marked completed is answered from the record alone', async () => {
    const d = deps();
    const first = queued(await acceptEvents(batch, caller, d, { idempotencyKey: 'k1' }));
    for (const record of d.idempotency.records.values()) record.status = 'completed';
    const again = await acceptEvents(batch, caller, d, { idempotencyKey: 'k1' });
    expect(again).toEqual({ kind: 'replayed', ids: first.items.map((item) => item.id) });
    expect(d.queue.sent).toHaveLength(2);
  });

  test('a retry whose resend is refused in part says which events failed, not that it replayed', async () => {
    const d = deps();
    const first = queued(await acceptEvents(batch, caller, d, { idempotencyKey: 'k1' }));
    d.queue.refuse = (e) => e.data !== null && (e.data as { n: number }).n === 2;
    const again = queued(await acceptEvents(batch, caller, d, { idempotencyKey: 'k1' }));
    expect(again).toMatchObject({ accepted: 1, failed: 1 });
    expect(again.items.map((item) => item.id)).toEqual(first.items.map((item) => item.id));
  });

  test('the same body with members reordered is the same request', async () => {
    const d = deps();
    await acceptEvents({ type: 'a.b', data: { x: 1, y: 2 } }, caller, d, { idempotencyKey: 'k1' });
    const again = await acceptEvents({ data: { y: 2, x: 1 }, type: 'a.b' }, caller, d, {
      idempotencyKey: 'k1',
    });
    expect(again.kind).toBe('replayed');
  });

  test('the same key with a different body is refused and sends nothing', async () => {
    const d = deps();
    await acceptEvents(batch, caller, d, { idempotencyKey: 'k1' });
    const other = { events: [event({ data: { n: 1 } }), event({ data: { n: 3 } })] };
    expect(await acceptEvents(other, caller, d, { idempotencyKey: 'k1' })).toEqual({ kind: 'key-reused' });
    expect(d.queue.sent).toHaveLength(2);
  });

  test('keys are per tenant: another tenant’s identical key is a new request', async () => {
    const d = deps();
    await acceptEvents(batch, caller, d, { idempotencyKey: 'k1' });
    const other = await acceptEvents(batch, { tenantId: 'globex', correlationId: 'c' }, d, {
      idempotencyKey: 'k1',
    });
    expect(other.kind).toBe('queued');
  });

  test('after a partial failure a retry re-sends byte-identical envelopes: processing stores each once', async () => {
    const d = deps();
    d.queue.refuse = (e, call) => call === 1 && e.data !== null && (e.data as { n: number }).n === 2;
    const first = queued(await acceptEvents(batch, caller, d, { idempotencyKey: 'k1' }));
    expect(first).toMatchObject({ accepted: 1, failed: 1 });

    d.tick(60_000);
    const retry = await acceptEvents(batch, { ...caller, correlationId: 'corr-retry' }, d, {
      idempotencyKey: 'k1',
    });
    expect(retry).toEqual({ kind: 'replayed', ids: first.items.map(({ id }) => id) });
    // The first event went twice, identically (same id, time, correlation id and signature).
    const [a1, a2] = d.queue.sent.filter((e) => e.id === first.items[0]!.id);
    expect(a2).toEqual(a1);
    expect(a1?.correlationid).toBe('corr-1');
    expect(d.queue.stored().size).toBe(2);
  });

  test('a key is forgotten after its time to live', async () => {
    const d = deps();
    await acceptEvents(batch, caller, d, { idempotencyKey: 'k1' });
    d.tick(3601_000);
    expect((await acceptEvents(batch, caller, d, { idempotencyKey: 'k1' })).kind).toBe('queued');
  });

  test('a single event’s own id acts as its key when no header is given', async () => {
    const d = deps();
    const one = event({ id: 'evt-1', data: { v: 1 } });
    expect((await acceptEvents(one, caller, d)).kind).toBe('queued');
    expect(await acceptEvents(one, caller, d)).toEqual({ kind: 'replayed', ids: ['evt-1'] });
    expect(await acceptEvents({ ...one, data: { v: 2 } }, caller, d)).toEqual({ kind: 'key-reused' });
    expect(d.queue.sent).toHaveLength(2);
    expect(d.queue.stored().size).toBe(1);
  });

  test('without a key or ids, every request is new', async () => {
    const d = deps();
    await acceptEvents(batch, caller, d);
    await acceptEvents(batch, caller, d);
    expect(d.queue.stored().size).toBe(4);
    expect(d.idempotency.records.size).toBe(0);
  });
});

describe('MAX_ENVELOPE_BYTES', () => {
  test('is 255 KiB', () => {
    expect(MAX_ENVELOPE_BYTES).toBe(261_120);
  });

  test('the largest envelope still fits processing’s queue with the longest correlation id', () => {
    const largest = { body: 'x'.repeat(MAX_ENVELOPE_BYTES), correlationId: 'c'.repeat(128) };
    expect(messageBytes(largest)).toBeLessThanOrEqual(DEFAULT_MAX_MESSAGE_BYTES);
  });
});
