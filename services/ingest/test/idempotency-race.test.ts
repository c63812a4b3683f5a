/**
 * Two requests with one Idempotency-Key in flight at once, the second claiming the key while the
 * first has not yet queued anything: with the same body both answer the same ids and send the same
 * envelopes (processing stores each once); with another body the second is refused and sends nothing.
 */
import { describe, expect, test } from '@jest/globals';
import { createEnvelopeSigner, generateSigningKeyPair } from '@herald/shared/signing';
import type { Envelope } from '@herald/shared/contracts';
import { acceptEvents, type AcceptEventsOutcome } from '../src/accept-events';
import { MemoryIdempotencyStore, MemoryQueue } from './support/memory';

const signer = createEnvelopeSigner(generateSigningKeyPair('ingest-test-race').privateJwk);
const caller = { tenantId: 'acme', correlationId: 'corr-1' };
const batch = (who: string) => ({
  events: [1, 2, 3].map((n) => ({ type: 'order.created', data: { who, n } })),
});

/** A queue that takes nothing until opened: requests reaching it wait there, still pending. */
class HeldQueue extends MemoryQueue {
  waiting = 0;
  private opened!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.opened = resolve));
  open() {
    this.opened();
  }
  override async send(envelopes: readonly Envelope[]) {
    this.waiting += 1;
    await this.gate;
    return super.send(envelopes);
  }
}

function deps(queue: MemoryQueue) {
  let n = 0;
  return {
    queue,
    signer,
    idempotency: new MemoryIdempotencyStore(),
    idempotencyTtlSeconds: 3600,
    now: () => new Date('2026-11-28T10:00:00.000Z'),
    newId: () => `01J0000000000000000000${String(++n).padStart(4, '0')}`,
  };
}

const idsOf = (outcome: AcceptEventsOutcome) => {
  if (outcome.kind === 'replayed') return outcome.ids;
  if (outcome.kind !== 'queued') throw new Error(`expected queued or replayed, got ${outcome.kind}`);
  return outcome.items.map((item) => item.id);
};

describe('two requests racing on one Idempotency-Key', () => {
  test('with one body: the second sends the first one’s envelopes again; both answer the same ids', async () => {
    const queue = new HeldQueue();
    const d = deps(queue);
    const first = acceptEvents(batch('a'), caller, d, { idempotencyKey: 'k' });
    const second = acceptEvents(batch('a'), { ...caller, correlationId: 'corr-2' }, d, {
      idempotencyKey: 'k',
    });
    // Both have claimed the key and reached the queue before either sent anything.
    while (queue.waiting < 2) await new Promise((resolve) => setImmediate(resolve));
    queue.open();

    const [a, b] = await Promise.all([first, second]);
    // The second found the key claimed: a retry, its events all queued, so a replay.
    expect([a.kind, b.kind]).toEqual(['queued', 'replayed']);
    expect(idsOf(b)).toEqual(idsOf(a));
    // Byte-identical envelopes (ids, times, correlation id, signatures): processing keeps one each.
    expect(queue.sent.slice(3)).toEqual(queue.sent.slice(0, 3));
    expect([...queue.stored().keys()]).toEqual(idsOf(a));
    expect(queue.sent.every((envelope) => envelope.correlationid === 'corr-1')).toBe(true);
  });

  test('with another body: one is queued, the other refused as a reuse, and nothing of it sent', async () => {
    const queue = new HeldQueue();
    const d = deps(queue);
    const first = acceptEvents(batch('a'), caller, d, { idempotencyKey: 'k' });
    const second = acceptEvents(batch('b'), caller, d, { idempotencyKey: 'k' });
    expect(await second).toEqual({ kind: 'key-reused' });
    queue.open();

    const ids = idsOf(await first);
    expect(queue.waiting).toBe(1);
    expect([...queue.stored().keys()]).toEqual(ids);
    expect(queue.sent.every((envelope) => (envelope.data as { who: string }).who === 'a')).toBe(true);
  });
});
