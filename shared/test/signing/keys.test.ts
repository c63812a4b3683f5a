import { describe, expect, test } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import {
  KeyError,
  createEnvelopeSigner,
  createEnvelopeVerifier,
  generateSigningKeyPair,
  parsePrivateKey,
  parsePublicKeys,
} from '../../src/signing';
import type { Ed25519PrivateJwk, Ed25519PublicJwk, KeyErrorReason } from '../../src/signing';
import { unsignedEnvelope } from '../contracts/fixtures';

const pair = generateSigningKeyPair('herald-2025-06');
const other = generateSigningKeyPair('herald-2025-01');

function keyError(fn: () => unknown): KeyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KeyError) return error;
    throw error;
  }
  throw new Error('expected a KeyError');
}

function reasonOf(fn: () => unknown): KeyErrorReason {
  return keyError(fn).reason;
}

describe('generateSigningKeyPair', () => {
  test('returns matching Ed25519 JWKs carrying the kid', () => {
    expect(pair.publicJwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      kid: 'herald-2025-06',
      alg: 'Ed25519',
      use: 'sig',
    });
    expect(pair.privateJwk).toEqual({ ...pair.publicJwk, d: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect('d' in pair.publicJwk).toBe(false);
  });

  test('refuses a kid that could not travel as signaturekeyid', () => {
    for (const kid of ['', 'has space', 'k'.repeat(129), 'key/1']) {
      expect(reasonOf(() => generateSigningKeyPair(kid))).toBe('invalid-jwk');
    }
  });
});

describe('verifier key set', () => {
  test('refuses a private JWK, with a clear message that does not echo the key', () => {
    const error = keyError(() =>
      createEnvelopeVerifier([other.publicJwk, pair.privateJwk as unknown as Ed25519PublicJwk]),
    );
    expect(error.reason).toBe('private-key-material');
    expect(error.message).toContain('keys[1]');
    expect(error.message).toContain('herald-2025-06');
    expect(error.message).toContain('public keys only');
    expect(error.message).not.toContain(pair.privateJwk.d);
  });

  test('refuses a private JWK inside a JWKS object too', () => {
    const jwks = { keys: [pair.privateJwk as unknown as Ed25519PublicJwk] };
    expect(reasonOf(() => createEnvelopeVerifier(jwks))).toBe('private-key-material');
  });

  test('refuses something that is neither a key list nor a JWKS', () => {
    for (const value of [null, {}, { keys: 'herald-2025-06' }]) {
      expect(reasonOf(() => createEnvelopeVerifier(value as never))).toBe('invalid-jwk');
    }
  });

  test('refuses an empty key set and a kid given twice', () => {
    expect(reasonOf(() => createEnvelopeVerifier([]))).toBe('no-keys');
    const twin = generateSigningKeyPair('herald-2025-06').publicJwk;
    expect(reasonOf(() => createEnvelopeVerifier([pair.publicJwk, twin]))).toBe('duplicate-kid');
  });

  test.each([
    ['an RSA key', { kty: 'RSA', n: 'AQAB', e: 'AQAB', kid: 'r' }],
    ['an X25519 key', { ...pair.publicJwk, crv: 'X25519' }],
    ['no kid', { ...pair.publicJwk, kid: undefined }],
    ['a short x', { ...pair.publicJwk, x: pair.publicJwk.x.slice(1) }],
    ['a foreign alg', { ...pair.publicJwk, alg: 'ES256' }],
    ['an encryption use', { ...pair.publicJwk, use: 'enc' }],
    ['key_ops without verify', { ...pair.publicJwk, key_ops: ['sign'] }],
    ['a string', 'herald-2025-06'],
  ])('refuses %s', (_case, jwk) => {
    expect(reasonOf(() => createEnvelopeVerifier([jwk as unknown as Ed25519PublicJwk]))).toBe('invalid-jwk');
  });

  test('accepts the RFC 8037 alg EdDSA and key_ops with verify', () => {
    const jwk: Ed25519PublicJwk = { ...pair.publicJwk, alg: 'EdDSA', key_ops: ['verify'] };
    const envelope = createEnvelopeSigner(pair.privateJwk).sign(unsignedEnvelope());
    expect(createEnvelopeVerifier([jwk]).verify(envelope)).toEqual(envelope);
  });
});

describe('parsePublicKeys', () => {
  test('parses a JWKS stage parameter into a working key set', () => {
    const text = JSON.stringify({ keys: [other.publicJwk, pair.publicJwk] });
    const jwks = parsePublicKeys(text);
    expect(jwks).toEqual({ keys: [other.publicJwk, pair.publicJwk] });
    const envelope = createEnvelopeSigner(pair.privateJwk).sign(unsignedEnvelope());
    expect(createEnvelopeVerifier(jwks).verify(envelope)).toEqual(envelope);
  });

  test.each([
    ['not JSON', '{"keys": [', 'malformed-json', /not valid JSON/],
    ['a bare array', JSON.stringify([pair.publicJwk]), 'invalid-jwk', /JWKS object/],
    ['a single JWK', JSON.stringify(pair.publicJwk), 'invalid-jwk', /JWKS object/],
    ['null', 'null', 'invalid-jwk', /JWKS object/],
    ['no keys', '{"keys": []}', 'no-keys', /empty/],
    [
      'a private key',
      JSON.stringify({ keys: [pair.privateJwk] }),
      'private-key-material',
      /public keys only/,
    ],
    ['a bad member', JSON.stringify({ keys: [pair.publicJwk, { kty: 'OKP' }] }), 'invalid-jwk', /^keys\[1\]/],
  ] as const)('refuses %s with a clear error', (_case, text, reason, message) => {
    const error = keyError(() => parsePublicKeys(text));
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(message);
  });

  test('a parse error does not quote the text, which might hold a pasted private key', () => {
    const text = JSON.stringify({ keys: [pair.privateJwk] }).slice(0, -2);
    expect(keyError(() => parsePublicKeys(text)).message).not.toContain(pair.privateJwk.d);
  });
});

describe('parsePrivateKey and the signer', () => {
  test('parses the secret string of a private JWK', () => {
    expect(parsePrivateKey(JSON.stringify(pair.privateJwk))).toEqual(pair.privateJwk);
  });

  test('accepts a private JWK exported by node:crypto with a kid added', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'exported' } as Ed25519PrivateJwk;
    const signer = createEnvelopeSigner(jwk);
    expect(signer.keyId).toBe('exported');
    expect(signer.publicJwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: 'exported' });
  });

  test.each([
    ['not JSON', `{"d": "${pair.privateJwk.d}"`, 'malformed-json'],
    ['a public key', JSON.stringify(pair.publicJwk), 'not-private'],
    ['a short d', JSON.stringify({ ...pair.privateJwk, d: pair.privateJwk.d.slice(2) }), 'invalid-jwk'],
    ['no kid', JSON.stringify({ ...pair.privateJwk, kid: undefined }), 'invalid-jwk'],
    ['key_ops without sign', JSON.stringify({ ...pair.privateJwk, key_ops: ['verify'] }), 'invalid-jwk'],
  ] as const)('refuses %s without echoing the private key', (_case, text, reason) => {
    const error = keyError(() => parsePrivateKey(text));
    expect(error.reason).toBe(reason);
    expect(error.message).not.toContain(pair.privateJwk.d);
    expect(error.message).not.toContain(pair.privateJwk.d.slice(2));
  });

  test('the signer refuses a JWK whose x is not the public half of d', () => {
    const mismatched: Ed25519PrivateJwk = { ...pair.privateJwk, x: other.publicJwk.x };
    const error = keyError(() => createEnvelopeSigner(mismatched));
    expect(error.reason).toBe('key-mismatch');
    expect(error.message).not.toContain(pair.privateJwk.d);
  });

  test('the signer refuses a public key, as object or text', () => {
    expect(reasonOf(() => createEnvelopeSigner(pair.publicJwk as unknown as Ed25519PrivateJwk))).toBe(
      'not-private',
    );
    expect(reasonOf(() => createEnvelopeSigner(JSON.stringify(pair.publicJwk)))).toBe('not-private');
  });

  test('the signer publishes the public half its verifiers need', () => {
    const signer = createEnvelopeSigner(pair.privateJwk);
    expect(signer.publicJwk).toEqual(pair.publicJwk);
    expect(signer.keyId).toBe('herald-2025-06');
  });
});
