import { describe, expect, test } from '@jest/globals';
import { createEnvelopeSigner, generateSigningKeyPair } from '@herald/shared/signing';
import { consumeEnvelope, RejectedEnvelope } from '../src/consume-envelope';
import { eventKey } from '../src/events-table';
import { signedEnvelope, signer, verifier } from './support/envelopes';
import { MemoryEventsTable } from './support/memory-events-table';

const setup = () => {
  const store = new MemoryEventsTable();
  const deps = { verifier, store, retentionDays: 30, now: () => new Date('2026-11-28T10:00:02.000Z') };
  return { store, deps };
};
const receivedAt = new Date('2026-11-28T10:00:01.000Z');
const stored = (store: MemoryEventsTable, tenant: string, id: string) => {
  const key = eventKey(tenant, id);
  return store.items.get(`${key.pk}|${key.sk}`);
};

describe('consumeEnvelope: store', () => {
  test('stores a verified envelope under its tenant, with times, correlation id, TTL and the envelope text', async () => {
    const { store, deps } = setup();
    const signed = signedEnvelope();
    const result = await consumeEnvelope({ body: JSON.stringify(signed), receivedAt }, deps);

    expect(result).toEqual({ outcome: 'stored', tenantId: 'acme', eventId: signed.id });
    expect(stored(store, 'acme', signed.id)).toEqual({
      pk: 'TENANT#acme',
      sk: `EVENT#${signed.id}`,
      gsi1pk: 'TENANT#acme',
      gsi1sk: `2026-11-28T10:00:01.000Z#${signed.id}`,
      gsi2pk: 'TENANT#acme#TYPE#order.created',
      tenantId: 'acme',
      eventId: signed.id,
      type: 'order.created',
      correlationId: 'corr-1',
      receivedAt: '2026-11-28T10:00:01.000Z',
      storedAt: '2026-11-28T10:00:02.000Z',
      expiresAt: Date.parse('2026-11-28T10:00:02.000Z') / 1000 + 30 * 86_400,
      envelope: JSON.stringify(signed),
    });
  });

  test('the stored text is the verified envelope and still verifies downstream', async () => {
    const { store, deps } = setup();
    const signed = signedEnvelope({ data: { nested: { list: [1, 'two', null, true] } } });
    // Whitespace and key order in the message do not matter: what was verified is what is kept.
    const body = JSON.stringify(Object.fromEntries(Object.entries(signed).reverse()), null, 2);
    await consumeEnvelope({ body, receivedAt }, deps);
    const text = stored(store, 'acme', signed.id)!.envelope;
    expect(JSON.parse(text)).toEqual(signed);
    expect(verifier.verify(text)).toEqual(signed);
  });

  test('JSON a DynamoDB map could not hold is kept exactly: big numbers, deep nesting', async () => {
    const { store, deps } = setup();
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 40; level++) deep = { level: deep };
    const signed = signedEnvelope({ data: { big: 12345678901234567000, tiny: 1e-300, deep } as never });
    const result = await consumeEnvelope({ body: JSON.stringify(signed), receivedAt }, deps);
    expect(result.outcome).toBe('stored');
    expect(JSON.parse(stored(store, 'acme', signed.id)!.envelope)).toEqual(signed);
  });

  test('a message without a usable SentTimestamp is stamped with the time it is stored', async () => {
    const { store, deps } = setup();
    const signed = signedEnvelope();
    await consumeEnvelope({ body: JSON.stringify(signed), receivedAt: new Date(Number.NaN) }, deps);
    expect(stored(store, 'acme', signed.id)!.receivedAt).toBe('2026-11-28T10:00:02.000Z');
  });

  test('the retention setting decides the TTL', async () => {
    const { store, deps } = setup();
    const signed = signedEnvelope();
    await consumeEnvelope({ body: JSON.stringify(signed), receivedAt }, { ...deps, retentionDays: 7 });
    expect(stored(store, 'acme', signed.id)!.expiresAt).toBe(
      Date.parse('2026-11-28T10:00:02.000Z') / 1000 + 7 * 86_400,
    );
  });
});

describe('consumeEnvelope: dedupe', () => {
  test('a redelivered envelope is stored once and reported as a duplicate', async () => {
    const { store, deps } = setup();
    const body = JSON.stringify(signedEnvelope());
    expect((await consumeEnvelope({ body, receivedAt }, deps)).outcome).toBe('stored');
    expect((await consumeEnvelope({ body, receivedAt }, deps)).outcome).toBe('duplicate');
    expect(store.items.size).toBe(1);
  });

  test('a resubmitted event (same tenant and id, signed again later) is a duplicate; the first stays', async () => {
    const { store, deps } = setup();
    const first = signedEnvelope({ data: { total: 5 } });
    const again = signedEnvelope({ data: { total: 6 }, correlationid: 'corr-2' });
    await consumeEnvelope({ body: JSON.stringify(first), receivedAt }, deps);
    const result = await consumeEnvelope(
      { body: JSON.stringify(again), receivedAt: new Date('2026-11-28T11:00:00.000Z') },
      deps,
    );
    expect(result).toEqual({ outcome: 'duplicate', tenantId: 'acme', eventId: first.id });
    expect(JSON.parse(stored(store, 'acme', first.id)!.envelope)).toEqual(first);
  });

  test('the same event id in two tenants is two events', async () => {
    const { store, deps } = setup();
    await consumeEnvelope({ body: JSON.stringify(signedEnvelope()), receivedAt }, deps);
    await consumeEnvelope({ body: JSON.stringify(signedEnvelope({ tenantid: 'globex' })), receivedAt }, deps);
    expect(store.items.size).toBe(2);
  });
});

describe('consumeEnvelope: signature and schema rejection', () => {
  type Tamper = (envelope: Record<string, unknown>) => unknown;
  test.each<[string, Tamper, string]>([
    ['a tampered tenant', (e) => ({ ...e, tenantid: 'globex' }), 'bad-signature'],
    ['tampered data', (e) => ({ ...e, data: { total: 500 } }), 'bad-signature'],
    ['a tampered type', (e) => ({ ...e, type: 'order.refunded' }), 'bad-signature'],
    ['a tampered key id', (e) => ({ ...e, signaturekeyid: 'someone-else' }), 'unknown-key'],
    [
      'another envelope’s signature',
      (e) => ({ ...e, signature: signedEnvelope({ id: 'x' }).signature }),
      'bad-signature',
    ],
    ['no signature', ({ signature: _s, ...e }) => e, 'missing-signature'],
    // Unknown attributes are a newer ingest's to add, signed; one added after signing breaks the signature.
    ['an extra attribute added after signing', (e) => ({ ...e, admin: true }), 'bad-signature'],
    ['a missing required attribute', ({ correlationid: _c, ...e }) => e, 'malformed'],
    ['a tenant id with a key separator', (e) => ({ ...e, tenantid: 'acme#TYPE' }), 'malformed'],
    ['an event id with a key separator', (e) => ({ ...e, id: 'a#b' }), 'malformed'],
    ['an array', (e) => [e], 'malformed'],
    ['a string', () => 'envelope', 'malformed'],
  ])('rejects %s and stores nothing', async (_name, tamper, reason) => {
    const { store, deps } = setup();
    const body = JSON.stringify(tamper(signedEnvelope() as unknown as Record<string, unknown>));
    const attempt = consumeEnvelope({ body, receivedAt }, deps);
    await expect(attempt).rejects.toBeInstanceOf(RejectedEnvelope);
    await expect(attempt).rejects.toMatchObject({ reason });
    expect(store.items.size).toBe(0);
  });

  test.each([
    ['not JSON', '{not json'],
    ['empty', ''],
    ['JSON null', 'null'],
  ])('rejects a message that is %s', async (_name, body) => {
    const { store, deps } = setup();
    await expect(consumeEnvelope({ body, receivedAt }, deps)).rejects.toMatchObject({ reason: 'malformed' });
    expect(store.items.size).toBe(0);
  });

  test('an envelope signed by a key the verifier does not trust is rejected', async () => {
    const { store, deps } = setup();
    const forger = createEnvelopeSigner(generateSigningKeyPair(signer.keyId).privateJwk);
    const { signature: _s, signaturekeyid: _k, ...unsigned } = signedEnvelope();
    const forged = forger.sign(unsigned);
    await expect(consumeEnvelope({ body: JSON.stringify(forged), receivedAt }, deps)).rejects.toMatchObject({
      reason: 'bad-signature',
    });
    expect(store.items.size).toBe(0);
  });

  test('an envelope too large for the bus is refused before it is stored, so none is stored unpublished', async () => {
    const { store, deps } = setup();
    const signed = signedEnvelope({ data: { blob: 'x'.repeat(256 * 1024) } });
    await expect(consumeEnvelope({ body: JSON.stringify(signed), receivedAt }, deps)).rejects.toMatchObject({
      reason: 'too-large-to-publish',
    });
    expect(store.items.size).toBe(0);
  });

  test.each([
    ['U+FFFE', '\uFFFE'],
    ['U+FFFF', '\uFFFF'],
  ])(
    'an envelope holding %s (which no queue carries, so it would never reach notifications) is refused before it is stored',
    async (_name, character) => {
      const { store, deps } = setup();
      const signed = signedEnvelope({ data: { [`key${character}`]: `value${character}` } });
      await expect(consumeEnvelope({ body: JSON.stringify(signed), receivedAt }, deps)).rejects.toMatchObject(
        {
          reason: 'noncharacter',
        },
      );
      expect(store.items.size).toBe(0);
    },
  );

  test('a store failure is not a rejection: the message is retried, not dead-lettered as bad', async () => {
    const { store, deps } = setup();
    const signed = signedEnvelope();
    store.failOn = signed.id;
    const attempt = consumeEnvelope({ body: JSON.stringify(signed), receivedAt }, deps);
    await expect(attempt).rejects.toThrow('ProvisionedThroughputExceededException');
    await expect(attempt).rejects.not.toBeInstanceOf(RejectedEnvelope);
  });
});
