import { describe, expect, test } from '@jest/globals';
import { createEnvelopeSigner, createEnvelopeVerifier, generateSigningKeyPair } from '../../src/signing';
import { unsignedEnvelope } from '../contracts/fixtures';

const keys = generateSigningKeyPair('herald-2026-11');
const signer = createEnvelopeSigner(keys.privateJwk);
const verifier = createEnvelopeVerifier([keys.publicJwk]);

describe('ingesttime: when ingest signed, covered by the signature', () => {
  test('an envelope with it verifies; one without it (signed before it existed) still does', () => {
    const stamped = signer.sign(unsignedEnvelope({ ingesttime: '2026-11-28T10:00:00.000Z' }));
    expect(verifier.verify(JSON.stringify(stamped))).toEqual(stamped);
    const unstamped = signer.sign(unsignedEnvelope());
    expect(verifier.verify(unstamped).ingesttime).toBeUndefined();
  });

  test('changing it, adding it or dropping it breaks the signature', () => {
    const stamped = signer.sign(unsignedEnvelope({ ingesttime: '2026-11-28T10:00:00.000Z' }));
    expect(() => verifier.verify({ ...stamped, ingesttime: '2026-12-28T10:00:00.000Z' })).toThrow(
      expect.objectContaining({ reason: 'bad-signature' }),
    );
    const { ingesttime: _dropped, ...dropped } = stamped;
    expect(() => verifier.verify(dropped)).toThrow(expect.objectContaining({ reason: 'bad-signature' }));
    const unstamped = signer.sign(unsignedEnvelope());
    expect(() => verifier.verify({ ...unstamped, ingesttime: '2026-11-28T10:00:00.000Z' })).toThrow(
      expect.objectContaining({ reason: 'bad-signature' }),
    );
  });

  test('it must be RFC 3339 in UTC, like time', () => {
    expect(() => signer.sign(unsignedEnvelope({ ingesttime: '2026-11-28T11:00:00+01:00' }))).toThrow(
      /ingesttime/,
    );
  });
});
