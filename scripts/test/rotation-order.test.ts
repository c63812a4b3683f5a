/**
 * The signing-key rotation's order of steps (docs/releases.md), walked through with what the services
 * build from their settings: processing and notifications each verify with
 * createEnvelopeVerifier(parsePublicKeys(ENVELOPE_PUBLIC_KEYS)) (their wiring), from the
 * `ingestPublicKeys` JWKS, and ingest signs with the private JWK of its secret. The local cloud
 * publishes one key pair, so the overlap is shown here, with the same code and settings' format.
 */
import { describe, expect, test } from '@jest/globals';
import type { UnsignedEnvelope } from '@herald/shared/contracts';
import {
  createEnvelopeSigner,
  createEnvelopeVerifier,
  generateSigningKeyPair,
  parsePublicKeys,
  SignatureError,
  type Ed25519PublicJwk,
} from '@herald/shared/signing';

const old = generateSigningKeyPair('ingest-2026-05');
const next = generateSigningKeyPair('ingest-2026-11');

/** A consumer (processing's consume, notifications' dispatch and deliver) deployed with these public keys. */
const consumer = (...keys: Ed25519PublicJwk[]) =>
  createEnvelopeVerifier(parsePublicKeys(JSON.stringify({ keys })));

let sequence = 0;
const envelope = (): UnsignedEnvelope => ({
  specversion: '1.0',
  id: `evt_${++sequence}`,
  source: '/herald/ingest',
  type: 'order.created',
  time: '2026-11-01T10:00:00.000Z',
  datacontenttype: 'application/json',
  data: { total: 42 },
  tenantid: 'acme',
  correlationid: `req-${sequence}`,
});
const signedWith = (key: typeof old) => createEnvelopeSigner(key.privateJwk).sign(envelope());

function refusal(verify: () => unknown): string | undefined {
  try {
    verify();
    return undefined;
  } catch (error) {
    if (error instanceof SignatureError) return error.reason;
    throw error;
  }
}

describe('signing key rotation, in order', () => {
  // Signed before the rotation: in the inbound queue, its DLQ, or kept for replay.
  const inFlight = signedWith(old);

  test('1. consumers first: with [old, new] they accept what ingest signs now and what it will sign', () => {
    const overlap = consumer(old.publicJwk, next.publicJwk);
    expect(refusal(() => overlap.verify(inFlight))).toBeUndefined();
    expect(refusal(() => overlap.verify(signedWith(next)))).toBeUndefined();
  });

  test('out of order, ingest signing with the new key before the consumers know it is refused', () => {
    const notYet = consumer(old.publicJwk);
    expect(refusal(() => notYet.verify(signedWith(next)))).toBe('unknown-key');
  });

  test('2. ingest switches: new envelopes and those still in flight, signed with the old key, both verify', () => {
    const overlap = consumer(old.publicJwk, next.publicJwk);
    for (const signed of [signedWith(next), inFlight])
      expect(refusal(() => overlap.verify(signed))).toBeUndefined();
  });

  test('3. the old key goes last: after it, what it signed is refused, so it waits out every retention', () => {
    const after = consumer(next.publicJwk);
    expect(refusal(() => after.verify(signedWith(next)))).toBeUndefined();
    // A replay, redelivery or DLQ redrive of an event signed before the switch would fail here.
    expect(refusal(() => after.verify(inFlight))).toBe('unknown-key');
  });
});
