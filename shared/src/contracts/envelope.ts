import type { Envelope as EnvelopeSchema, JsonValue } from './envelope.types.generated';
import validateEnvelope from './envelope.validator.generated';
import { ContractError, describeViolations, validateWith } from './violations';

export type { JsonValue };

export const SPEC_VERSION = '1.0';
export const DATA_CONTENT_TYPE = 'application/json';

/** `source` values of the Herald services; the schema accepts any URI-reference so tools can publish too. */
export const EnvelopeSource = {
  ingest: '/herald/ingest',
  processing: '/herald/processing',
  notifications: '/herald/notifications',
} as const;

// Mirrors envelope.schema.json so callers can check a value before building an envelope;
// a contract test keeps the two in step.
export const EnvelopePattern = {
  id: /^[A-Za-z0-9._:-]{1,128}$/,
  type: /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/,
  time: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/,
  ingesttime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/,
  tenantid: /^[A-Za-z0-9_-]{1,64}$/,
  correlationid: /^[A-Za-z0-9._:-]{1,128}$/,
  signaturekeyid: /^[A-Za-z0-9._:-]{1,128}$/,
  signature: /^[A-Za-z0-9_-]{85}[AQgw]$/,
} as const;

export const EnvelopeMaxLength = {
  source: 256,
  type: 128,
  subject: 256,
} as const;

/**
 * A CloudEvents 1.0 event in structured JSON mode, as it travels between Herald services: the type
 * generated from envelope.schema.json, whose `data` (any JSON value there) a producer or consumer
 * may name more precisely with TData.
 */
export type Envelope<TData = JsonValue> = Omit<EnvelopeSchema, 'data'> & { data: TData };

/** What a producer builds; the signer adds the key id and the signature. */
export type UnsignedEnvelope<TData = JsonValue> = Omit<Envelope<TData>, 'signaturekeyid' | 'signature'>;

export type EnvelopeErrorReason = 'malformed-json' | 'schema' | 'unserialisable';

export class EnvelopeError extends ContractError<EnvelopeErrorReason> {
  override readonly name = 'EnvelopeError';
}

/**
 * Throws EnvelopeError('schema') listing every violation unless `value` is a complete, signed
 * envelope with no attribute the schema does not name: what a producer (the signer) may send.
 */
export function assertEnvelope(value: unknown): asserts value is Envelope {
  checkEnvelope(value, 'refuse');
}

/**
 * The same check as a consumer makes it (the verifier): an attribute this release's schema does not
 * name is let through, so an envelope from a producer one release ahead is read, not refused. The
 * signature covers every attribute but itself (the verifier canonicalizes the whole object), so an
 * attribute added after signing fails verification; a known attribute is held to the schema as before.
 */
export function assertReceivedEnvelope(value: unknown): asserts value is Envelope {
  checkEnvelope(value, 'ignore');
}

function checkEnvelope(value: unknown, unknownProperties: 'refuse' | 'ignore'): asserts value is Envelope {
  const result = validateWith(validateEnvelope, value, { unknownProperties });
  if (!result.ok) {
    throw new EnvelopeError(
      'schema',
      `Invalid envelope: ${describeViolations(result.violations)}`,
      result.violations,
    );
  }
}

/**
 * Parses and schema-checks an envelope received as JSON text (as a consumer does: unknown attributes
 * let through). It does not check the signature:
 * that is the verifier's job, which needs the stage's public keys.
 */
export function parseEnvelope(json: string): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // JSON.parse's message quotes the input, which may carry personal data into the logs.
    throw new EnvelopeError('malformed-json', 'Envelope is not valid JSON', [
      { path: '/', message: 'is not valid JSON' },
    ]);
  }
  assertReceivedEnvelope(value);
  return value;
}
