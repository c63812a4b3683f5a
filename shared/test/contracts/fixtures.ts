import type { Envelope, UnsignedEnvelope } from '../../src/contracts';

export const EVENT_ID = '01J9Z3K8QY7N4M2W5X6V0B1C2D';

export function unsignedEnvelope(overrides: Partial<UnsignedEnvelope> = {}): UnsignedEnvelope {
  return {
    specversion: '1.0',
    id: EVENT_ID,
    source: '/herald/ingest',
    type: 'order.created',
    time: '2025-06-01T12:34:56.789Z',
    subject: 'orders/1234',
    datacontenttype: 'application/json',
    data: { orderId: 1234, items: [{ sku: 'A-1', qty: 2 }], note: 'Grüße 😀', paid: true, coupon: null },
    tenantid: 'tenant_42',
    correlationid: 'req-7f3a:1',
    ...overrides,
  };
}

/** A schema-valid envelope whose signature is well-formed but signs nothing. */
export function envelopeWithDummySignature(overrides: Partial<Envelope> = {}): Envelope {
  return {
    ...unsignedEnvelope(),
    signaturekeyid: 'herald-2025-06',
    signature: `${'A'.repeat(85)}A`,
    ...overrides,
  };
}
