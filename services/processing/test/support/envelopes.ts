import type { Envelope, JsonValue } from '@herald/shared/contracts';
import { createEnvelopeSigner, createEnvelopeVerifier, generateSigningKeyPair } from '@herald/shared/signing';

/** Ingest's key pair for tests: envelopes signed here verify with `verifier`. */
export const ingestKey = generateSigningKeyPair('ingest-test-1');
export const signer = createEnvelopeSigner(ingestKey.privateJwk);
export const verifier = createEnvelopeVerifier([ingestKey.publicJwk]);

export interface EnvelopeFields {
  id?: string;
  tenantid?: string;
  type?: string;
  data?: JsonValue;
  time?: string;
  subject?: string;
  correlationid?: string;
}

export function signedEnvelope(fields: EnvelopeFields = {}): Envelope {
  return signer.sign({
    specversion: '1.0',
    id: fields.id ?? '01JDZ0000000000000000000AA',
    source: '/herald/ingest',
    type: fields.type ?? 'order.created',
    time: fields.time ?? '2026-11-28T10:00:00.000Z',
    datacontenttype: 'application/json',
    data: fields.data ?? { total: 5 },
    tenantid: fields.tenantid ?? 'acme',
    correlationid: fields.correlationid ?? 'corr-1',
    ...(fields.subject === undefined ? {} : { subject: fields.subject }),
  });
}
