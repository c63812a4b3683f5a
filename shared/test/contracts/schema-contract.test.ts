import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import {
  DATA_CONTENT_TYPE,
  DetailType,
  EnvelopeMaxLength,
  EnvelopePattern,
  SPEC_VERSION,
  deliveryFailedValidator,
  envelopeValidator,
  subscriptionDisabledValidator,
  subscriptionRecoveredValidator,
} from '../../src/contracts';
import type {
  DeliveryFailedDetail,
  Envelope,
  SubscriptionDisabledDetail,
  SubscriptionRecoveredDetail,
} from '../../src/contracts';
import { EVENT_ID, envelopeWithDummySignature } from './fixtures';

interface ObjectSchema {
  title: string;
  required: string[];
  additionalProperties: boolean;
  properties: Record<string, { const?: string; pattern?: string; maxLength?: number }>;
}

function loadSchema(name: string): ObjectSchema {
  return JSON.parse(
    readFileSync(new URL(`../../src/contracts/${name}.schema.json`, import.meta.url), 'utf8'),
  );
}

const envelopeSchema = loadSchema('envelope');

// `satisfies Required<…>` makes the compiler list every property of the TypeScript type here,
// so a field added to a type but not to its schema (or the reverse) fails this test.
const fullEnvelope = {
  ...envelopeWithDummySignature(),
  subject: 'orders/1234',
  ingesttime: '2025-06-01T12:34:57.000Z',
} satisfies Required<Envelope>;
const fullDeliveryFailed = {
  subscriptionId: 'sub_01',
  tenantid: 'tenant_42',
  eventId: EVENT_ID,
  eventType: 'order.created',
  reason: 'HTTP 410',
  time: '2025-06-01T12:35:00Z',
} satisfies Required<DeliveryFailedDetail>;
const fullSubscriptionDisabled = {
  subscriptionId: 'sub_01',
  tenantid: 'tenant_42',
  eventId: EVENT_ID,
  eventType: 'order.created',
  reason: 'too many failures',
  time: '2025-06-01T12:36:00Z',
} satisfies Required<SubscriptionDisabledDetail>;
const fullSubscriptionRecovered = {
  subscriptionId: 'sub_01',
  tenantid: 'tenant_42',
  eventId: EVENT_ID,
  eventType: 'order.created',
  failures: 3,
  failingSince: '2025-06-01T12:30:00Z',
  time: '2025-06-01T12:37:00Z',
} satisfies Required<SubscriptionRecoveredDetail>;

type OptionalKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? K : never }[keyof T];

// The compiler checks the list holds every optional property of T and nothing else.
function optionalKeys<T>() {
  return <const K extends readonly OptionalKeys<T>[]>(
    keys: K & (OptionalKeys<T> extends K[number] ? unknown : never),
  ): readonly string[] => keys as readonly string[];
}

const optionalEnvelope = optionalKeys<Envelope>()(['subject', 'ingesttime']);
const optionalDeliveryFailed = optionalKeys<DeliveryFailedDetail>()(['eventType']);
const optionalSubscriptionDisabled = optionalKeys<SubscriptionDisabledDetail>()(['eventId', 'eventType']);
const optionalSubscriptionRecovered = optionalKeys<SubscriptionRecoveredDetail>()(['failingSince']);

describe.each([
  ['envelope', envelopeValidator, fullEnvelope, optionalEnvelope, undefined],
  [
    'delivery-failed',
    deliveryFailedValidator,
    fullDeliveryFailed,
    optionalDeliveryFailed,
    DetailType.deliveryFailed,
  ],
  [
    'subscription-disabled',
    subscriptionDisabledValidator,
    fullSubscriptionDisabled,
    optionalSubscriptionDisabled,
    DetailType.subscriptionDisabled,
  ],
  [
    'subscription-recovered',
    subscriptionRecoveredValidator,
    fullSubscriptionRecovered,
    optionalSubscriptionRecovered,
    DetailType.subscriptionRecovered,
  ],
] as const)('%s schema and its TypeScript type', (name, validate, sample, optional, detailType) => {
  const schema = loadSchema(name);

  test('a sample with every property passes the generated validator', () => {
    expect(validate(sample)).toBe(true);
  });

  test('the sample without its optional properties still passes', () => {
    const minimal = Object.fromEntries(Object.entries(sample).filter(([key]) => !optional.includes(key)));
    expect(validate(minimal)).toBe(true);
  });

  test('schema properties are exactly the type properties, and closed', () => {
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(sample).sort());
    expect(schema.additionalProperties).toBe(false);
  });

  test('schema required list is the type properties minus the optional ones', () => {
    const required = Object.keys(sample).filter((key) => !optional.includes(key));
    expect([...schema.required].sort()).toEqual(required.sort());
  });

  if (detailType !== undefined) {
    test('schema title is the detail type constant it is registered under', () => {
      expect(schema.title).toBe(detailType);
    });
  }
});

describe('envelope constants match envelope.schema.json', () => {
  test('specversion and datacontenttype', () => {
    expect(envelopeSchema.properties.specversion?.const).toBe(SPEC_VERSION);
    expect(envelopeSchema.properties.datacontenttype?.const).toBe(DATA_CONTENT_TYPE);
  });

  test.each(Object.entries(EnvelopePattern))('pattern of %s', (property, pattern) => {
    expect(envelopeSchema.properties[property]?.pattern).toBe(pattern.source);
  });

  test.each(Object.entries(EnvelopeMaxLength))('maxLength of %s', (property, maxLength) => {
    expect(envelopeSchema.properties[property]?.maxLength).toBe(maxLength);
  });

  test('notification details reuse the envelope patterns for shared fields', () => {
    for (const name of ['delivery-failed', 'subscription-disabled', 'subscription-recovered']) {
      const properties = loadSchema(name).properties;
      expect(properties.tenantid?.pattern).toBe(EnvelopePattern.tenantid.source);
      expect(properties.eventId?.pattern).toBe(EnvelopePattern.id.source);
      expect(properties.eventType?.pattern).toBe(EnvelopePattern.type.source);
      expect(properties.time?.pattern).toBe(EnvelopePattern.time.source);
    }
  });

  test('the TypeScript patterns agree with the validator on sample values', () => {
    const samples = {
      id: [EVENT_ID, 'not an id'],
      type: ['order.created', 'Order'],
      time: ['2025-06-01T12:34:56Z', '2025-06-01T12:34:56+01:00'],
      ingesttime: ['2025-06-01T12:34:56.789Z', '2025-06-01 12:34:56Z'],
      tenantid: ['tenant_42', 'tenant 42'],
      correlationid: ['req:1', 'req/1'],
      signaturekeyid: ['herald-2025-06', ''],
      signature: [`${'A'.repeat(85)}w`, `${'A'.repeat(85)}B`],
    } satisfies Record<keyof typeof EnvelopePattern, [string, string]>;
    for (const [property, values] of Object.entries(samples)) {
      for (const value of values) {
        const viaPattern = EnvelopePattern[property as keyof typeof EnvelopePattern].test(value);
        const viaSchema = envelopeValidator({ ...fullEnvelope, [property]: value });
        expect({ property, value, valid: viaPattern }).toEqual({ property, value, valid: viaSchema });
      }
    }
  });
});
