/**
 * Asymmetric webhook signatures (`v1a`) as the Standard Webhooks specification defines them
 * (spec/standard-webhooks.md, "Signature scheme": an Ed25519 signature of `<msg id>.<timestamp>.<body>`
 * in standard base64, `whpk_` + base64 of the raw public key, `whsk_` + base64 of the 32-byte seed),
 * judged as its reference Go library (libraries/go, webhook_asymmetric.go) judges them, by a verifier
 * written here from the specification alone: it parses the `whpk_` key into a node:crypto public key
 * and verifies each `v1a` signature of the header, the others skipped. The npm `standardwebhooks`
 * package has no v1a, so the Go library's test vectors (webhook_asymmetric_test.go) pin the bytes.
 */
import { createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import type { Envelope } from '@herald/shared/contracts';
import { Webhook } from 'standardwebhooks';
import {
  asymmetricSignatureHeader,
  signatureHeader,
  webhookBody,
  webhookHeaders,
} from '../../src/delivery/webhook-message';
import { generateSigningKeyPair, privateKeyFromSeed } from '../../src/subscriptions/signing-keys';
import { formatSecret, generateSecret } from '../../src/subscriptions/signing-secrets';

const TOLERANCE_SECONDS = 5 * 60;

/** The receiver's side, from the specification: true when one `v1a` signature verifies. */
function verifiesV1a(
  publicKey: string,
  headers: Record<string, string | undefined>,
  body: string,
  now = new Date(),
): boolean {
  const [id, timestamp, signatures] = [
    headers['webhook-id'],
    headers['webhook-timestamp'],
    headers['webhook-signature'],
  ];
  if (!id || !timestamp || !signatures || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  if (!publicKey.startsWith('whpk_')) return false;
  const raw = Buffer.from(publicKey.slice('whpk_'.length), 'base64');
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
  const signed = Buffer.from(`${id}.${timestamp}.${body}`, 'utf8');
  return signatures.split(' ').some((versioned) => {
    const [version, signature] = versioned.split(',');
    if (version !== 'v1a' || !signature) return false;
    return verify(null, signed, key, Buffer.from(signature, 'base64'));
  });
}

/** The public key of a seed, made by node:crypto from the seed alone (not by the code under test). */
function publicKeyOfSeed(seed: Buffer): string {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const jwk = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({
    format: 'jwk',
  });
  return `whpk_${Buffer.from(jwk.x!, 'base64url').toString('base64')}`;
}

// The Go library's signing vector (TestAsymmetricWebhookSign).
const VECTOR = {
  seed: 'VEVTVFNJR05JTkdLRVlET05PVFVTRVRISVNGT1JBTlk=',
  msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: new Date(1614265330 * 1000),
  payload: '{"test": 2432232314}',
  signature: 'v1a,tQ9V2XOqn7jL/DQenEFpqIugdBVtiMmER5mhSkXBNwM0mkATuDe6KYYUuxqtaiHeYGb7KaaBRdM5WqyeFiL8Ag==',
};
// The seed the library's verification cases sign with (newAsymmetricTestPayload).
const VERIFY_SEED = 'V0VCSE9PS0FTWU1NRVRSSUNURVNUUFJJVkFURUtFWTE=';

const envelope: Envelope = {
  specversion: '1.0',
  id: 'evt-1',
  source: '/herald/ingest',
  type: 'order.created',
  time: '2026-11-28T10:00:00.000Z',
  subject: 'order/42',
  datacontenttype: 'application/json',
  data: { total: 42, note: 'caf\u00e9 \u2713' },
  tenantid: 'acme',
  correlationid: 'corr-1',
  signaturekeyid: 'ingest-1',
  signature: 'A'.repeat(86),
};

describe('v1a signatures against the reference library', () => {
  test('the signing vector: the same signature, byte for byte, from the same seed', () => {
    const key = privateKeyFromSeed(Buffer.from(VECTOR.seed, 'base64'));
    expect(asymmetricSignatureHeader(VECTOR.msgId, VECTOR.timestamp, VECTOR.payload, [key])).toBe(
      VECTOR.signature,
    );
  });

  test('the vector verifies with its public key (whpk_), and not with a changed payload, id or time', () => {
    const publicKey = publicKeyOfSeed(Buffer.from(VECTOR.seed, 'base64'));
    const headers = {
      'webhook-id': VECTOR.msgId,
      'webhook-timestamp': String(VECTOR.timestamp.getTime() / 1000),
      'webhook-signature': VECTOR.signature,
    };
    expect(verifiesV1a(publicKey, headers, VECTOR.payload, VECTOR.timestamp)).toBe(true);
    expect(verifiesV1a(publicKey, headers, '{"test": 2432232315}', VECTOR.timestamp)).toBe(false);
    expect(
      verifiesV1a(publicKey, { ...headers, 'webhook-id': 'msg_other' }, VECTOR.payload, VECTOR.timestamp),
    ).toBe(false);
    expect(
      verifiesV1a(
        publicKey,
        { ...headers, 'webhook-timestamp': String(VECTOR.timestamp.getTime() / 1000 + 1) },
        VECTOR.payload,
        VECTOR.timestamp,
      ),
    ).toBe(false);
  });

  describe('the library’s verification cases, signed by Herald with its test seed', () => {
    const seed = Buffer.from(VERIFY_SEED, 'base64');
    const publicKey = publicKeyOfSeed(seed);
    const payload = '{"test": 2432232314}';
    const signed = (at: Date) => ({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': asymmetricSignatureHeader('msg_p5jXN8AQM9LWM0D4loKWxJek', at, payload, [
        privateKeyFromSeed(seed),
      ]),
    });
    const now = new Date();

    test('a valid signature is valid', () => {
      expect(verifiesV1a(publicKey, signed(now), payload, now)).toBe(true);
    });
    test.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('without %s: refused', (name) => {
      expect(verifiesV1a(publicKey, { ...signed(now), [name]: undefined }, payload, now)).toBe(false);
    });
    test.each([
      ['an invalid signature', 'v1a,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc='],
      ['a partial signature', 'v1a,'],
    ])('%s is invalid', (_name, signature) => {
      expect(verifiesV1a(publicKey, { ...signed(now), 'webhook-signature': signature }, payload, now)).toBe(
        false,
      );
    });
    test('an old or new timestamp fails', () => {
      const old = new Date(now.getTime() - (TOLERANCE_SECONDS + 1) * 1000);
      const future = new Date(now.getTime() + (TOLERANCE_SECONDS + 1) * 1000);
      expect(verifiesV1a(publicKey, signed(old), payload, now)).toBe(false);
      expect(verifiesV1a(publicKey, signed(future), payload, now)).toBe(false);
    });
    test('a valid signature among v1 and v2 ones is valid', () => {
      const headers = signed(now);
      headers['webhook-signature'] = [
        'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
        'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
        headers['webhook-signature'],
        'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=',
      ].join(' ');
      expect(verifiesV1a(publicKey, headers, payload, now)).toBe(true);
    });
  });
});

describe('a v1a webhook as deliver sends it', () => {
  const body = webhookBody(envelope);

  test('verifies with the subscription’s public key; a changed body or another key does not', () => {
    const pair = generateSigningKeyPair();
    expect(pair.publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(publicKeyOfSeed(Buffer.from(pair.seed))).toBe(pair.publicKey);
    const headers = webhookHeaders({
      messageId: 'msg_1',
      timestamp: new Date(),
      body,
      correlationId: 'corr-1',
      privateKeys: [privateKeyFromSeed(pair.seed)],
    });
    expect(headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(verifiesV1a(pair.publicKey, headers, body)).toBe(true);
    expect(verifiesV1a(pair.publicKey, headers, body.replace('42', '43'))).toBe(false);
    expect(verifiesV1a(generateSigningKeyPair().publicKey, headers, body)).toBe(false);
  });

  test('during a rotation: one v1a signature per key, newest first, each verifying with its own key', () => {
    const [next, previous] = [generateSigningKeyPair(), generateSigningKeyPair()];
    const headers = webhookHeaders({
      messageId: 'msg_1',
      timestamp: new Date(),
      body,
      correlationId: 'corr-1',
      privateKeys: [privateKeyFromSeed(next.seed), privateKeyFromSeed(previous.seed)],
    });
    const [first, second] = headers['webhook-signature']!.split(' ');
    expect(verifiesV1a(next.publicKey, { ...headers, 'webhook-signature': first }, body)).toBe(true);
    expect(verifiesV1a(previous.publicKey, { ...headers, 'webhook-signature': second }, body)).toBe(true);
  });

  test('a v1 webhook is unchanged: the HMAC header, which the standardwebhooks verifier accepts', () => {
    const secret = generateSecret();
    const at = new Date();
    const headers = webhookHeaders({
      messageId: 'msg_1',
      timestamp: at,
      body,
      secrets: [secret],
      correlationId: 'c',
    });
    expect(headers['webhook-signature']).toBe(signatureHeader('msg_1', at, body, [secret]));
    expect(headers['webhook-signature']).toMatch(/^v1,/);
    expect(() => new Webhook(formatSecret(secret)).verify(body, headers)).not.toThrow();
  });
});
