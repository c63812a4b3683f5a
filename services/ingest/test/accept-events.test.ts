import { describe, expect, test } from '@jest/globals';
import type { Envelope } from '@herald/shared/contracts';
import { createEnvelopeSigner, createEnvelopeVerifier, generateSigningKeyPair } from '@herald/shared/signing';
import { acceptEvents, type EnvelopeQueue } from '../src/accept-events';
import { toBatches } from '../src/batches';

const keys = generateSigningKeyPair('ingest-test-1');
const signer = createEnvelopeSigner(keys.privateJwk);
const verifier = createEnvelopeVerifier([keys.publicJwk]);
const caller = { tenantId: 'acme', correlationId: 'corr-1' };
const now = () => new Date('2026-11-28T10:00:00.000Z');

/** An in-memory inbound queue that refuses the ids it is told to. */
class MemoryQueue implements EnvelopeQueue {
  readonly sent: Envelope[] = [];
  constructor(private readonly refuse: ReadonlySet<string> = new Set()) {}
  async send(envelopes: readonly Envelope[]) {
    this.sent.push(...envelopes.filter((e) => !this.refuse.has(e.id)));
    return new Set(envelopes.map((e) => e.id).filter((id) => this.refuse.has(id)));
  }
}

const deps = (queue: EnvelopeQueue, ids = ['01J0000000000000000000000A', '01J0000000000000000000000B']) => {
  let n = 0;
  return {
    queue,
    signer,
    now,
    newId: () => ids[n++] ?? `01J00000000000000000000${String(n).padStart(3, '0')}`,
  };
};

describe('acceptEvents', () => {
  test('signs one event into a verifiable envelope for the caller’s tenant', async () => {
    const queue = new MemoryQueue();
    const result = await acceptEvents({ type: 'order.created', data: { total: 5 } }, caller, deps(queue));

    expect(result).toEqual({
      items: [{ id: '01J0000000000000000000000A', status: 'accepted' }],
      accepted: 1,
      failed: 0,
    });
    const [envelope] = queue.sent;
    expect(verifier.verify(envelope)).toMatchObject({
      specversion: '1.0',
      id: '01J0000000000000000000000A',
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
    const queue = new MemoryQueue();
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
      deps(queue),
    );
    expect(queue.sent[0]).toMatchObject({
      id: 'ord-42',
      subject: 'orders/42',
      source: 'https://shop.example/orders',
      time: '2026-11-28T10:30:00.000Z',
    });
  });

  test('answers a batch in order and names exactly the events that could not be queued', async () => {
    const queue = new MemoryQueue(new Set(['b']));
    const events = ['a', 'b', 'c'].map((id) => ({ id, type: 'order.created', data: {} }));
    const result = await acceptEvents({ events }, caller, deps(queue));

    expect(result.items).toEqual([
      { id: 'a', status: 'accepted' },
      { id: 'b', status: 'failed', retryable: true },
      { id: 'c', status: 'accepted' },
    ]);
    expect(result).toMatchObject({ accepted: 2, failed: 1 });
    expect(queue.sent.map((e) => e.id)).toEqual(['a', 'c']);
  });

  test('tenant always comes from the caller, never from the event', async () => {
    const queue = new MemoryQueue();
    const sneaky = { type: 'order.created', data: {}, tenantid: 'other' } as never;
    await acceptEvents(sneaky, caller, deps(queue));
    expect(queue.sent[0]?.tenantid).toBe('acme');
  });
});

describe('toBatches', () => {
  test('at most 10 entries per call, order kept', () => {
    const batches = toBatches(
      Array.from({ length: 25 }, (_, i) => i),
      () => 1,
    );
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(batches.flat()).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  test('starts a new call before 256 KiB of bodies, and sends an oversized single message alone', () => {
    const kib = 1024;
    const sizes = [100 * kib, 100 * kib, 100 * kib, 300 * kib, 1 * kib];
    expect(toBatches(sizes, (s) => s)).toEqual([[100 * kib, 100 * kib], [100 * kib], [300 * kib], [1 * kib]]);
  });
});
