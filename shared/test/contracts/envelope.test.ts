import { describe, expect, test } from '@jest/globals';
import { EnvelopeError, assertEnvelope, parseEnvelope } from '../../src/contracts';
import { assertReceivedEnvelope } from '../../src/contracts/envelope';
import type { Violation } from '../../src/contracts';
import { envelopeWithDummySignature } from './fixtures';

function violationsOf(value: unknown): Violation[] {
  try {
    assertEnvelope(value);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvelopeError);
    expect((error as EnvelopeError).reason).toBe('schema');
    return [...(error as EnvelopeError).violations];
  }
  throw new Error('expected the envelope to be rejected');
}

function paths(value: unknown): string[] {
  return violationsOf(value).map((v) => v.path);
}

describe('parseEnvelope', () => {
  test('returns a valid envelope', () => {
    const envelope = envelopeWithDummySignature();
    expect(parseEnvelope(JSON.stringify(envelope))).toEqual(envelope);
  });

  test('accepts an envelope without subject and with any JSON data', () => {
    const { subject: _subject, ...withoutSubject } = envelopeWithDummySignature();
    for (const data of [null, 0, 'text', [1, 'two'], { nested: { deep: [true] } }]) {
      expect(parseEnvelope(JSON.stringify({ ...withoutSubject, data })).data).toEqual(data);
    }
  });

  test('malformed JSON is a malformed-json error that does not quote the input', () => {
    const error = catchError(() => parseEnvelope('{"tenantid": "secret-tenant", '));
    expect(error).toBeInstanceOf(EnvelopeError);
    expect(error.reason).toBe('malformed-json');
    expect(error.message).not.toContain('secret-tenant');
    expect(error.violations).toEqual([{ path: '/', message: 'is not valid JSON' }]);
  });

  test('valid JSON that is not an envelope is a schema error', () => {
    for (const json of ['null', '[]', '"envelope"', '42']) {
      const error = catchError(() => parseEnvelope(json));
      expect(error.reason).toBe('schema');
      expect(error.violations).toContainEqual({ path: '/', message: 'must be object' });
    }
  });
});

describe('envelope schema', () => {
  test.each([
    ['OrderCreated'],
    ['order'],
    ['Order.created'],
    ['1order.created'],
    ['order.'],
    ['order..created'],
    ['.order.created'],
    ['order.created '],
    ['order created.x'],
    ['order.Created'],
    [`a.${'b'.repeat(127)}`],
  ])('rejects the type name %j', (type) => {
    expect(paths(envelopeWithDummySignature({ type }))).toEqual(expect.arrayContaining(['/type']));
  });

  test.each([['order.created'], ['a.b'], ['order_v2.line-item.added'], [`a.${'b'.repeat(126)}`]])(
    'accepts the type name %j',
    (type) => {
      expect(() => assertEnvelope(envelopeWithDummySignature({ type }))).not.toThrow();
    },
  );

  test.each([
    ['2025-06-01T14:34:56+02:00'],
    ['2025-06-01T12:34:56+00:00'],
    ['2025-06-01T12:34:56'],
    ['2025-06-01T12:34:56z'],
    ['2025-06-01t12:34:56Z'],
    ['2025-06-01 12:34:56Z'],
    ['2025-02-30T12:34:56Z'],
    ['2025-06-01T25:00:00Z'],
    ['2025-06-01'],
    ['1748781296'],
  ])('rejects the time %j', (time) => {
    expect(paths(envelopeWithDummySignature({ time }))).toContain('/time');
  });

  test.each([['2025-06-01T12:34:56Z'], ['2025-06-01T12:34:56.1Z'], ['2025-06-01T12:34:56.123456789Z']])(
    'accepts the UTC time %j',
    (time) => {
      expect(() => assertEnvelope(envelopeWithDummySignature({ time }))).not.toThrow();
    },
  );

  test('rejects extra attributes, naming each one', () => {
    const value = { ...envelopeWithDummySignature(), dataschema: 'https://x/y', 'Tenant/Id': 'x' };
    expect(violationsOf(value)).toEqual(
      expect.arrayContaining([
        { path: '/dataschema', message: 'is not allowed' },
        { path: '/Tenant~1Id', message: 'is not allowed' },
      ]),
    );
  });

  test('lists every missing required attribute', () => {
    expect(paths({})).toEqual(
      expect.arrayContaining([
        '/specversion',
        '/id',
        '/source',
        '/type',
        '/time',
        '/datacontenttype',
        '/data',
        '/tenantid',
        '/correlationid',
        '/signaturekeyid',
        '/signature',
      ]),
    );
  });

  test('rejects oversized values', () => {
    const value = envelopeWithDummySignature({
      source: `/${'s'.repeat(256)}`,
      subject: 'x'.repeat(257),
      tenantid: 't'.repeat(65),
      correlationid: 'c'.repeat(129),
      signaturekeyid: 'k'.repeat(129),
      type: `a.${'b'.repeat(127)}`,
    });
    expect(paths(value)).toEqual(
      expect.arrayContaining([
        '/source',
        '/subject',
        '/tenantid',
        '/correlationid',
        '/signaturekeyid',
        '/type',
      ]),
    );
  });

  test('accepts values at their maximum length', () => {
    const value = envelopeWithDummySignature({
      source: `/${'s'.repeat(255)}`,
      subject: 'x'.repeat(256),
      tenantid: 't'.repeat(64),
      correlationid: 'c'.repeat(128),
      signaturekeyid: 'k'.repeat(128),
    });
    expect(() => assertEnvelope(value)).not.toThrow();
  });

  test('reports every violation at once, with a readable message', () => {
    const value = envelopeWithDummySignature({
      // @ts-expect-error the schema has to catch what the type system cannot see at runtime
      specversion: '0.3',
      id: 'order 42',
      source: 'has space',
      // @ts-expect-error see above
      datacontenttype: 'text/plain',
      tenantid: 'tenant 42',
      correlationid: '',
      subject: '',
    });
    const error = catchError(() => assertEnvelope(value));
    expect(error.violations.map((v) => v.path)).toEqual(
      expect.arrayContaining([
        '/specversion',
        '/id',
        '/source',
        '/datacontenttype',
        '/tenantid',
        '/correlationid',
        '/subject',
      ]),
    );
    expect(error.message).toMatch(/^Invalid envelope: /);
    expect(error.message).toContain('/specversion must be equal to constant');
  });

  test.each([
    ['empty', ''],
    ['a space', 'order 42'],
    ['a slash', 'orders/42'],
    ['non-ASCII', 'commande-é'],
    ['too long', 'x'.repeat(129)],
  ])('rejects an id outside the id alphabet (%s)', (_case, id) => {
    expect(paths(envelopeWithDummySignature({ id }))).toContain('/id');
  });

  test.each([
    ['wrong length', 'A'.repeat(85)],
    ['padding', `${'A'.repeat(86)}==`],
    ['standard base64 alphabet', `${'+'.repeat(85)}A`],
    ['non-canonical last character', `${'A'.repeat(85)}B`],
  ])('rejects a signature that is not 64 bytes of base64url (%s)', (_case, signature) => {
    expect(paths(envelopeWithDummySignature({ signature }))).toContain('/signature');
  });
});

function catchError(fn: () => unknown): EnvelopeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof EnvelopeError) return error;
    throw error;
  }
  throw new Error('expected an EnvelopeError');
}

describe('an attribute the schema does not name', () => {
  const ahead = { ...envelopeWithDummySignature(), region: 'eu-west-1', priority: 3 };

  test('a consumer lets it through: assertReceivedEnvelope and parseEnvelope', () => {
    expect(() => assertReceivedEnvelope(ahead)).not.toThrow();
    expect(parseEnvelope(JSON.stringify(ahead))).toEqual(ahead);
  });

  test('a consumer still lists every violation of the attributes it knows, and only those', () => {
    const error = catchError(() => assertReceivedEnvelope({ ...ahead, tenantid: 'tenant 42' }));
    expect(error.violations.map((v) => v.path)).toEqual(['/tenantid']);
  });

  test('a producer may not send it: assertEnvelope, the check of the signer, refuses it', () => {
    const error = catchError(() => assertEnvelope(ahead));
    expect(error.violations).toEqual([
      { path: '/region', message: 'is not allowed' },
      { path: '/priority', message: 'is not allowed' },
    ]);
  });
});
