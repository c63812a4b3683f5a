import { describe, expect, test } from '@jest/globals';
import { createEnvelopeSigner, createEnvelopeVerifier, generateSigningKeyPair } from '@herald/shared/signing';
import { consumeEnvelope, RejectedEnvelope, type EventStore } from '../src/consume-envelope';
import { eventKey, type StoredEvent } from '../src/events-table';

const ingestKey = generateSigningKeyPair('ingest-1');
const signer = createEnvelopeSigner(ingestKey.privateJwk);
const verifier = createEnvelopeVerifier([ingestKey.publicJwk]);

/** The events table in memory, with the same conditional-write semantics. */
class MemoryEventStore implements EventStore {
  readonly items = new Map<string, StoredEvent>();
  async putIfAbsent(event: StoredEvent) {
    const key = `${event.pk}|${event.sk}`;
    if (this.items.has(key)) return 'duplicate' as const;
    this.items.set(key, event);
    return 'stored' as const;
  }
}

const envelope = (overrides: Record<string, unknown> = {}) =>
  signer.sign({
    specversion: '1.0',
    id: '01JDZ0000000000000000000AA',
    source: '/tenants/acme',
    type: 'order.created',
    time: '2026-11-28T10:00:00.000Z',
    datacontenttype: 'application/json',
    data: { total: 5 },
    tenantid: 'acme',
    correlationid: 'corr-1',
    ...overrides,
  });

const setup = () => {
  const store = new MemoryEventStore();
  const deps = { verifier, store, retentionDays: 30, now: () => new Date('2026-11-28T10:00:02.000Z') };
  return { store, deps };
};
const receivedAt = new Date('2026-11-28T10:00:01.000Z');

describe('consumeEnvelope', () => {
  test('stores a verified envelope under its tenant, with times, correlation id and TTL', async () => {
    const { store, deps } = setup();
    const signed = envelope();
    const result = await consumeEnvelope({ body: JSON.stringify(signed), receivedAt }, deps);

    expect(result).toEqual({ outcome: 'stored', tenantId: 'acme', eventId: signed.id });
    const key = eventKey('acme', signed.id);
    expect(store.items.get(`${key.pk}|${key.sk}`)).toEqual({
      ...key,
      gsi1pk: 'TENANT#acme',
      gsi1sk: `2026-11-28T10:00:01.000Z#${signed.id}`,
      tenantId: 'acme',
      eventId: signed.id,
      type: 'order.created',
      correlationId: 'corr-1',
      receivedAt: '2026-11-28T10:00:01.000Z',
      storedAt: '2026-11-28T10:00:02.000Z',
      expiresAt: Date.parse('2026-11-28T10:00:02.000Z') / 1000 + 30 * 86_400,
      envelope: signed,
    });
  });

  test('a redelivered envelope is stored once and reported as a duplicate', async () => {
    const { store, deps } = setup();
    const body = JSON.stringify(envelope());
    await consumeEnvelope({ body, receivedAt }, deps);
    const again = await consumeEnvelope({ body, receivedAt }, deps);
    expect(again.outcome).toBe('duplicate');
    expect(store.items.size).toBe(1);
  });

  test('the same event id in two tenants is two events', async () => {
    const { store, deps } = setup();
    await consumeEnvelope({ body: JSON.stringify(envelope()), receivedAt }, deps);
    await consumeEnvelope({ body: JSON.stringify(envelope({ tenantid: 'globex' })), receivedAt }, deps);
    expect(store.items.size).toBe(2);
  });

  test.each([
    ['a tampered tenant', (e: Record<string, unknown>) => ({ ...e, tenantid: 'globex' }), 'bad-signature'],
    ['tampered data', (e: Record<string, unknown>) => ({ ...e, data: { total: 500 } }), 'bad-signature'],
    ['no signature', ({ signature: _s, ...e }: Record<string, unknown>) => e, 'missing-signature'],
    [
      'an unknown key',
      (e: Record<string, unknown>) => ({ ...e, signaturekeyid: 'someone-else' }),
      'unknown-key',
    ],
  ])('rejects %s and stores nothing', async (_name, tamper, reason) => {
    const { store, deps } = setup();
    const body = JSON.stringify(tamper(envelope() as unknown as Record<string, unknown>));
    const attempt = consumeEnvelope({ body, receivedAt }, deps);
    await expect(attempt).rejects.toBeInstanceOf(RejectedEnvelope);
    await expect(attempt).rejects.toMatchObject({ reason });
    expect(store.items.size).toBe(0);
  });

  test('rejects a message that is not JSON', async () => {
    const { store, deps } = setup();
    await expect(consumeEnvelope({ body: '{not json', receivedAt }, deps)).rejects.toBeInstanceOf(
      RejectedEnvelope,
    );
    expect(store.items.size).toBe(0);
  });

  test('an envelope signed by a key the verifier does not trust is rejected', async () => {
    const { store, deps } = setup();
    const forger = createEnvelopeSigner(generateSigningKeyPair('ingest-1').privateJwk);
    const forged = forger.sign({ ...envelope(), signature: undefined, signaturekeyid: undefined } as never);
    await expect(consumeEnvelope({ body: JSON.stringify(forged), receivedAt }, deps)).rejects.toMatchObject({
      reason: 'bad-signature',
    });
    expect(store.items.size).toBe(0);
  });
});
