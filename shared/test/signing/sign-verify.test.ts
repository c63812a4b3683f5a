import { sign } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { EnvelopeError } from '../../src/contracts';
import type { Envelope, JsonValue } from '../../src/contracts';
import {
  SignatureError,
  createEnvelopeSigner,
  createEnvelopeVerifier,
  generateSigningKeyPair,
  signingInput,
} from '../../src/signing';
import { importPrivateKey } from '../../src/signing/keys';
import type { SignatureErrorReason } from '../../src/signing';
import { unsignedEnvelope } from '../contracts/fixtures';

const current = generateSigningKeyPair('herald-2025-06');
const previous = generateSigningKeyPair('herald-2025-01');
const signer = createEnvelopeSigner(current.privateJwk);
const verifier = createEnvelopeVerifier([current.publicJwk]);

function rejection(verify: () => unknown): SignatureError {
  try {
    verify();
  } catch (error) {
    if (error instanceof SignatureError) return error;
    throw error;
  }
  throw new Error('expected a SignatureError');
}

function reasonFor(envelope: unknown, using = verifier): SignatureErrorReason {
  return rejection(() => using.verify(envelope)).reason;
}

function clone(envelope: Envelope): Envelope {
  return structuredClone(envelope);
}

describe('round trip', () => {
  test('a signed envelope verifies, as an object and as JSON text', () => {
    const envelope = signer.sign(unsignedEnvelope());
    expect(envelope.signaturekeyid).toBe('herald-2025-06');
    expect(envelope.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(verifier.verify(envelope)).toEqual(envelope);
    expect(verifier.verify(JSON.stringify(envelope))).toEqual(envelope);
    expect(verifier.verify(JSON.parse(JSON.stringify(envelope)))).toEqual(envelope);
  });

  test('the signer leaves its input alone and returns all of it plus key id and signature', () => {
    const unsigned = unsignedEnvelope();
    const before = structuredClone(unsigned);
    const envelope = signer.sign(unsigned);
    expect(unsigned).toEqual(before);
    expect(envelope).toEqual({ ...before, signaturekeyid: signer.keyId, signature: envelope.signature });
  });

  test('an envelope without subject signs and verifies', () => {
    const { subject: _subject, ...withoutSubject } = unsignedEnvelope();
    expect(() => verifier.verify(signer.sign(withoutSubject))).not.toThrow();
  });

  test('re-signing replaces an earlier key id and signature', () => {
    const old = createEnvelopeSigner(previous.privateJwk).sign(unsignedEnvelope());
    const resigned = signer.sign(old);
    expect(resigned.signaturekeyid).toBe('herald-2025-06');
    expect(verifier.verify(resigned)).toEqual(resigned);
  });

  test('the signer accepts the private JWK as JSON text', () => {
    const fromText = createEnvelopeSigner(JSON.stringify(current.privateJwk));
    expect(fromText.publicJwk).toEqual(current.publicJwk);
    expect(() => verifier.verify(fromText.sign(unsignedEnvelope()))).not.toThrow();
  });

  test('the signer refuses to sign an envelope that breaks the schema', () => {
    const error = catchEnvelopeError(() => signer.sign(unsignedEnvelope({ type: 'OrderCreated' })));
    expect(error.reason).toBe('schema');
    expect(error.violations).toEqual([expect.objectContaining({ path: '/type' })]);
  });

  test.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a lone surrogate', '\ud800'],
  ])('the signer refuses data with %s, which has no canonical JSON form', (_case, value) => {
    const error = catchEnvelopeError(() =>
      signer.sign(unsignedEnvelope({ data: { value } as unknown as JsonValue })),
    );
    expect(error.reason).toBe('unserialisable');
  });
});

describe('tampering with any attribute breaks the signature', () => {
  const signed = signer.sign(unsignedEnvelope());
  const tampers: Array<[string, (e: Envelope) => void]> = [
    ['specversion', (e) => Object.assign(e, { specversion: '1.0 ' })],
    ['id', (e) => (e.id = '01J9Z3K8QY7N4M2W5X6V0B1C2E')],
    ['source', (e) => (e.source = '/herald/processing')],
    ['type', (e) => (e.type = 'order.cancelled')],
    ['time', (e) => (e.time = '2025-06-01T12:34:56.790Z')],
    ['time (same instant, other spelling)', (e) => (e.time = '2025-06-01T12:34:56.7890Z')],
    ['subject (changed)', (e) => (e.subject = 'orders/1235')],
    ['subject (removed)', (e) => delete e.subject],
    ['datacontenttype', (e) => Object.assign(e, { datacontenttype: 'application/cloudevents+json' })],
    ['data (nested value)', (e) => ((e.data as { items: Array<{ qty: number }> }).items[0]!.qty = 3)],
    ['data (added key)', (e) => ((e.data as Record<string, JsonValue>).refund = false)],
    ['data (removed key)', (e) => delete (e.data as Record<string, JsonValue>).coupon],
    ['data (null to false)', (e) => ((e.data as Record<string, JsonValue>).coupon = false)],
    ['data (number to string)', (e) => ((e.data as Record<string, JsonValue>).orderId = '1234')],
    ['data (array order)', (e) => (e.data as { items: JsonValue[] }).items.unshift({ sku: 'B-2', qty: 1 })],
    ['data (replaced)', (e) => (e.data = null)],
    ['tenantid', (e) => (e.tenantid = 'tenant_43')],
    ['correlationid', (e) => (e.correlationid = 'req-7f3a:2')],
  ];

  test.each(tampers)('%s', (_field, tamper) => {
    const envelope = clone(signed);
    tamper(envelope);
    expect(envelope).not.toEqual(signed);
    // Only `specversion` and `datacontenttype` tampering is caught by the schema instead.
    const expected = ['specversion', 'datacontenttype'].includes(_field) ? 'malformed' : 'bad-signature';
    expect(reasonFor(envelope)).toBe(expected);
  });

  test('specversion and datacontenttype are covered by the signature too', () => {
    const { signature: _signature, ...covered } = signed;
    const original = signingInput(covered).toString('utf8');
    expect(signingInput({ ...covered, specversion: '2.0' as '1.0' }).toString('utf8')).not.toBe(original);
    expect(
      signingInput({ ...covered, datacontenttype: 'text/json' as 'application/json' }).toString('utf8'),
    ).not.toBe(original);
  });

  test('subject (added) on an envelope signed without one', () => {
    const { subject: _subject, ...withoutSubject } = unsignedEnvelope();
    const envelope = signer.sign(withoutSubject);
    expect(reasonFor({ ...envelope, subject: 'orders/1234' })).toBe('bad-signature');
  });

  test('signaturekeyid: swapping to another trusted key id fails', () => {
    const both = createEnvelopeVerifier([current.publicJwk, previous.publicJwk]);
    const swapped = { ...clone(signed), signaturekeyid: previous.publicJwk.kid };
    const error = rejection(() => both.verify(swapped));
    expect(error.reason).toBe('bad-signature');
    expect(error.keyId).toBe('herald-2025-01');
  });

  test('signaturekeyid: swapping to an unknown key id fails', () => {
    expect(reasonFor({ ...clone(signed), signaturekeyid: 'herald-2099-01' })).toBe('unknown-key');
  });

  test('signature: a different valid-looking signature fails', () => {
    const other = signer.sign(unsignedEnvelope({ subject: 'orders/9999' }));
    expect(reasonFor({ ...clone(signed), signature: other.signature })).toBe('bad-signature');
  });

  test('signature: flipping one bit fails', () => {
    const bytes = Buffer.from(signed.signature, 'base64url');
    bytes[10]! ^= 0x01;
    expect(reasonFor({ ...clone(signed), signature: bytes.toString('base64url') })).toBe('bad-signature');
  });
});

describe('keys', () => {
  test('a valid signature under another key with the same kid fails', () => {
    const impostor = generateSigningKeyPair('herald-2025-06');
    const forged = createEnvelopeSigner(impostor.privateJwk).sign(unsignedEnvelope());
    expect(forged.signaturekeyid).toBe('herald-2025-06');
    expect(reasonFor(forged)).toBe('bad-signature');
  });

  test('an unknown key id fails, naming the key id', () => {
    const envelope = createEnvelopeSigner(previous.privateJwk).sign(unsignedEnvelope());
    const error = rejection(() => verifier.verify(envelope));
    expect(error.reason).toBe('unknown-key');
    expect(error.keyId).toBe('herald-2025-01');
    expect(error.message).toContain('herald-2025-01');
  });

  test.each(['__proto__', 'constructor', 'toString'])(
    'a key id named like an Object member (%s) is unknown',
    (kid) => {
      const envelope = createEnvelopeSigner(generateSigningKeyPair(kid).privateJwk).sign(unsignedEnvelope());
      expect(reasonFor(envelope)).toBe('unknown-key');
    },
  );
});

describe('rotation', () => {
  const oldEnvelope = createEnvelopeSigner(previous.privateJwk).sign(unsignedEnvelope());
  const newEnvelope = signer.sign(unsignedEnvelope());

  test('a verifier with [old, new] accepts both', () => {
    const both = createEnvelopeVerifier([previous.publicJwk, current.publicJwk]);
    expect(both.keyIds).toEqual(['herald-2025-01', 'herald-2025-06']);
    expect(both.verify(oldEnvelope)).toEqual(oldEnvelope);
    expect(both.verify(newEnvelope)).toEqual(newEnvelope);
  });

  test('a verifier built from a JWKS object works the same', () => {
    const both = createEnvelopeVerifier({ keys: [previous.publicJwk, current.publicJwk] });
    expect(() => both.verify(oldEnvelope)).not.toThrow();
    expect(() => both.verify(newEnvelope)).not.toThrow();
  });

  test('a verifier with [new] rejects old', () => {
    const onlyNew = createEnvelopeVerifier([current.publicJwk]);
    expect(reasonFor(oldEnvelope, onlyNew)).toBe('unknown-key');
    expect(onlyNew.verify(newEnvelope)).toEqual(newEnvelope);
  });
});

describe('malformed input', () => {
  const signed = signer.sign(unsignedEnvelope());

  test('a missing signature fails as missing-signature', () => {
    const { signature: _signature, ...unsigned } = clone(signed);
    expect(reasonFor(unsigned)).toBe('missing-signature');
    expect(reasonFor({ ...unsigned, signature: undefined })).toBe('missing-signature');
  });

  test.each([
    ['too short', signed.signature.slice(0, 85)],
    ['too long', `${signed.signature}A`],
    ['empty', ''],
    ['base64 with padding', `${signed.signature}==`],
    ['standard base64 alphabet', Buffer.from(signed.signature, 'base64url').toString('base64')],
    ['not base64 at all', `${'!'.repeat(85)}A`],
    ['not a string', 42],
  ])('a signature that is %s fails as malformed, with the violation', (_case, signature) => {
    const error = rejection(() => verifier.verify({ ...clone(signed), signature }));
    expect(error.reason).toBe('malformed');
    expect(error.violations).toEqual([expect.objectContaining({ path: '/signature' })]);
  });

  test('the verifier checks the envelope schema, listing violations (an unknown attribute is none)', () => {
    const error = rejection(() => verifier.verify({ ...clone(signed), tenantid: 'a b', extra: 1 }));
    expect(error.reason).toBe('malformed');
    expect(error.violations).toEqual([expect.objectContaining({ path: '/tenantid' })]);
  });

  test.each([
    ['null', null],
    ['an array', [signed]],
    ['a number', 7],
    ['undefined', undefined],
    ['broken JSON text', '{"specversion":'],
  ])('%s is malformed', (_case, input) => {
    expect(reasonFor(input)).toBe('malformed');
  });

  test('data with a lone surrogate escape is malformed, not a crash', () => {
    const text = JSON.stringify(signed).replace('Grüße', '\\ud800');
    expect(reasonFor(text)).toBe('malformed');
  });
});

describe('canonical form', () => {
  const signed = signer.sign(unsignedEnvelope());

  test('re-ordered and re-formatted JSON still verifies', () => {
    const reversed = (value: JsonValue): JsonValue => {
      if (Array.isArray(value)) return value.map(reversed);
      if (value !== null && typeof value === 'object') {
        return Object.fromEntries(
          Object.entries(value)
            .reverse()
            .map(([k, v]) => [k, reversed(v)]),
        );
      }
      return value;
    };
    const reordered = reversed(signed as unknown as JsonValue);
    const text = JSON.stringify(reordered, null, 2);
    expect(text).not.toBe(JSON.stringify(signed, null, 2));
    expect(verifier.verify(text)).toEqual(signed);
  });

  test('equivalent spellings in the JSON text (escapes, number forms) still verify', () => {
    const text = JSON.stringify(signed)
      .replace('"orderId":1234', '"orderId":1.234E3')
      .replace('"note":"Grüße', '"note":"Gr\\u00fc\\u00dfe')
      .replace('"tenantid"', '"tenant\\u0069d"');
    expect(text).toContain('1.234E3');
    expect(verifier.verify(text)).toEqual(signed);
  });

  test('the signed bytes are the JCS form without the signature, key id included', () => {
    const { signature: _signature, ...covered } = signed;
    const text = signingInput(signed).toString('utf8');
    expect(text).toBe(signingInput(covered).toString('utf8'));
    expect(text).not.toContain('"signature"');
    expect(text).toContain('"signaturekeyid":"herald-2025-06"');
    expect(
      text.startsWith('{"correlationid":"req-7f3a:1","data":{"coupon":null,"items":[{"qty":2,"sku":"A-1"}]'),
    ).toBe(true);
  });
});

function catchEnvelopeError(fn: () => unknown): EnvelopeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof EnvelopeError) return error;
    throw error;
  }
  throw new Error('expected an EnvelopeError');
}

describe('an attribute this release does not know (a producer one release ahead)', () => {
  // What a newer signer would send: the attribute inside what the signature covers.
  const withRegion = (() => {
    const { signature: _signature, ...covered } = signer.sign(unsignedEnvelope());
    const fields = { ...covered, region: 'eu-west-1' };
    const signature = sign(null, signingInput(fields), importPrivateKey(current.privateJwk));
    return { ...fields, signature: signature.toString('base64url') };
  })();

  test('is let through when signed, and returned with the rest', () => {
    expect(verifier.verify(withRegion)).toEqual(withRegion);
    expect(verifier.verify(JSON.stringify(withRegion))).toEqual(withRegion);
  });

  test('is covered by the signature: added, changed or removed after signing, it fails', () => {
    const plain = signer.sign(unsignedEnvelope());
    expect(reasonFor({ ...clone(plain), region: 'eu-west-1' })).toBe('bad-signature');
    expect(reasonFor({ ...withRegion, region: 'us-east-1' })).toBe('bad-signature');
    const { region: _region, ...without } = withRegion;
    expect(reasonFor(without)).toBe('bad-signature');
  });

  test('a known attribute is still held to the schema beside it', () => {
    const error = rejection(() => verifier.verify({ ...withRegion, time: 'yesterday' }));
    expect(new Set(error.violations.map((v) => v.path))).toEqual(new Set(['/time']));
  });

  test('the signer of this release refuses to send one', () => {
    expect(() => signer.sign({ ...unsignedEnvelope(), region: 'eu-west-1' } as never)).toThrow(EnvelopeError);
  });
});
