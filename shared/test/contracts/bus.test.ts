import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import {
  BUS_ENTRY_MAX_BYTES,
  BusDetailError,
  BusSource,
  DetailSource,
  DetailType,
  busEntry,
  deliveryFailedCodec,
  eventStoredCodec,
  isDetailType,
  parseBusDetail,
  parseBusEvent,
  storedEnvelope,
  subscriptionDisabledCodec,
  subscriptionRecoveredCodec,
} from '../../src/contracts';
import type {
  BusCodec,
  BusEventLike,
  DeliveryFailedDetail,
  EventStoredDetail,
  SubscriptionDisabledDetail,
} from '../../src/contracts';
import { EVENT_ID, envelopeWithDummySignature } from './fixtures';

const deliveryFailed: DeliveryFailedDetail = {
  subscriptionId: 'sub_01',
  tenantid: 'tenant_42',
  eventId: EVENT_ID,
  reason: 'HTTP 503 after 5 attempts',
  time: '2025-06-01T12:35:00Z',
};

const subscriptionDisabled: SubscriptionDisabledDetail = {
  subscriptionId: 'sub_01',
  tenantid: 'tenant_42',
  reason: 'disabled by operator',
  time: '2025-06-01T12:36:00Z',
};

/** A consumer of every detail type, as the contract was read before each function named its own. */
const allCodecs = [
  eventStoredCodec,
  deliveryFailedCodec,
  subscriptionDisabledCodec,
  subscriptionRecoveredCodec,
];

function busError(fn: () => unknown): BusDetailError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BusDetailError) return error;
    throw error;
  }
  throw new Error('expected a BusDetailError');
}

describe('bus constants', () => {
  test('event.stored comes from herald.processing, notification details from herald.notifications', () => {
    expect(DetailType).toEqual({
      eventStored: 'event.stored',
      deliveryFailed: 'delivery.failed',
      subscriptionDisabled: 'subscription.disabled',
      subscriptionRecovered: 'subscription.recovered',
    });
    expect(DetailSource).toEqual({
      'event.stored': 'herald.processing',
      'delivery.failed': 'herald.notifications',
      'subscription.disabled': 'herald.notifications',
      'subscription.recovered': 'herald.notifications',
    });
    expect(BusSource.processing).toBe('herald.processing');
  });

  test('each codec carries its detail type and its one source, as DetailSource says', () => {
    expect(allCodecs.map((c) => [c.detailType, c.source])).toEqual(Object.entries(DetailSource));
    expect(allCodecs.filter((c) => c.unknownOnWrite === 'ignore').map((c) => c.detailType)).toEqual([
      'event.stored',
    ]);
  });

  test('isDetailType names the four types, not an Object member', () => {
    expect(Object.values(DetailType).every(isDetailType)).toBe(true);
    for (const value of ['order.created', 'constructor', '__proto__', 'toString', undefined, 1])
      expect(isDetailType(value)).toBe(false);
  });
});

describe('busEntry', () => {
  test('event.stored carries the signed envelope as its detail', () => {
    const envelope = envelopeWithDummySignature();
    const entry = busEntry(eventStoredCodec, envelope);
    expect(entry).toEqual({
      Source: 'herald.processing',
      DetailType: 'event.stored',
      Detail: JSON.stringify(envelope),
    });
    expect(JSON.parse(entry.Detail)).toEqual(envelope);
  });

  test('notification details get their own source', () => {
    expect(busEntry(deliveryFailedCodec, deliveryFailed).Source).toBe('herald.notifications');
    expect(busEntry(subscriptionDisabledCodec, subscriptionDisabled)).toEqual({
      Source: 'herald.notifications',
      DetailType: 'subscription.disabled',
      Detail: JSON.stringify(subscriptionDisabled),
    });
  });

  test('refuses a detail that breaks its schema', () => {
    const error = busError(() => busEntry(deliveryFailedCodec, { ...deliveryFailed, time: 'yesterday' }));
    expect(error.reason).toBe('schema');
    expect(error.violations).toContainEqual(expect.objectContaining({ path: '/time' }));
  });

  test('refuses an unsigned envelope as event.stored detail', () => {
    const { signature: _signature, ...unsigned } = envelopeWithDummySignature();
    // @ts-expect-error the detail must be signed
    const error = busError(() => busEntry(eventStoredCodec, unsigned));
    expect(error.violations).toEqual([{ path: '/signature', message: 'is required' }]);
  });

  test('refuses an entry EventBridge would reject for size', () => {
    const envelope = envelopeWithDummySignature({ data: 'x'.repeat(BUS_ENTRY_MAX_BYTES) });
    expect(busError(() => busEntry(eventStoredCodec, envelope)).reason).toBe('too-large');
  });
});

describe('parseBusDetail', () => {
  test('lists every violation of a notification detail', () => {
    const error = busError(() =>
      parseBusDetail(subscriptionDisabledCodec, { subscriptionId: 'a b', eventId: 'no pe', extra: 1 }),
    );
    expect(error.violations).toEqual(
      expect.arrayContaining([
        { path: '/tenantid', message: 'is required' },
        { path: '/reason', message: 'is required' },
        { path: '/time', message: 'is required' },
        expect.objectContaining({ path: '/subscriptionId' }),
        expect.objectContaining({ path: '/eventId' }),
      ]),
    );
  });

  test('eventId is required for delivery.failed but optional for subscription.disabled', () => {
    const { eventId: _eventId, ...withoutEvent } = deliveryFailed;
    expect(busError(() => parseBusDetail(deliveryFailedCodec, withoutEvent)).violations).toEqual([
      { path: '/eventId', message: 'is required' },
    ]);
    expect(parseBusDetail(subscriptionDisabledCodec, { ...subscriptionDisabled, eventId: EVENT_ID })).toEqual(
      {
        ...subscriptionDisabled,
        eventId: EVENT_ID,
      },
    );
  });
});

describe('parseBusEvent', () => {
  test('returns a typed message for a known detail type from its source', () => {
    const message = parseBusEvent(
      { source: 'herald.notifications', 'detail-type': 'delivery.failed', detail: deliveryFailed },
      allCodecs,
    );
    expect(message).toEqual({ detailType: 'delivery.failed', detail: deliveryFailed });
    if (message.detailType === DetailType.deliveryFailed) expect(message.detail.eventId).toBe(EVENT_ID);
  });

  test('rejects a detail type from the wrong source', () => {
    const error = busError(() =>
      parseBusEvent(
        { source: 'herald.ingest', 'detail-type': 'event.stored', detail: envelopeWithDummySignature() },
        allCodecs,
      ),
    );
    expect(error.reason).toBe('wrong-source');
  });

  test('rejects an unknown detail type, even one named like an Object member', () => {
    for (const detailType of ['Scheduled Event', 'constructor', '__proto__']) {
      const error = busError(() =>
        parseBusEvent({ source: 'herald.processing', 'detail-type': detailType, detail: {} }, allCodecs),
      );
      expect(error.reason).toBe('unknown-detail-type');
    }
  });

  test('a consumer given only some codecs refuses a Herald detail type it was not given as unknown', () => {
    const failed = {
      source: 'herald.notifications',
      'detail-type': 'delivery.failed',
      detail: deliveryFailed,
    };
    const stored = {
      source: 'herald.processing',
      'detail-type': 'event.stored',
      detail: envelopeWithDummySignature(),
    };
    const causes = [deliveryFailedCodec, subscriptionDisabledCodec, subscriptionRecoveredCodec];
    expect(parseBusEvent(failed, causes)).toEqual({ detailType: 'delivery.failed', detail: deliveryFailed });
    expect(parseBusEvent(stored, [eventStoredCodec]).detailType).toBe('event.stored');
    const cases: Array<[BusEventLike, readonly BusCodec[]]> = [
      [stored, causes],
      [failed, [eventStoredCodec]],
      [failed, []],
    ];
    for (const [event, codecs] of cases) {
      const error = busError(() => parseBusEvent(event, codecs));
      expect(error.reason).toBe('unknown-detail-type');
      expect(error.message).toContain(event['detail-type']);
    }
  });

  test('the source is still checked first: a type forged from another source is wrong-source to anyone', () => {
    const forged = { source: 'herald.processing', 'detail-type': 'delivery.failed', detail: deliveryFailed };
    expect(busError(() => parseBusEvent(forged, [eventStoredCodec])).reason).toBe('wrong-source');
  });
});

describe('a property the schema does not name (a publisher one release ahead)', () => {
  const ahead = { ...deliveryFailed, attempts: 5, region: 'eu-west-1' };

  test('consumers let it through and keep it: parseBusDetail and parseBusEvent', () => {
    expect(parseBusDetail(deliveryFailedCodec, ahead)).toEqual(ahead);
    const event = { source: 'herald.notifications', 'detail-type': 'delivery.failed', detail: ahead };
    expect(parseBusEvent(event, allCodecs)).toEqual({ detailType: 'delivery.failed', detail: ahead });
    const envelope = { ...envelopeWithDummySignature(), region: 'eu-west-1' };
    const stored = { source: 'herald.processing', 'detail-type': 'event.stored', detail: envelope };
    expect(parseBusEvent(stored, allCodecs).detail).toEqual(envelope);
  });

  test('the properties it knows are still held to the schema', () => {
    const error = busError(() => parseBusDetail(deliveryFailedCodec, { ...ahead, time: 'yesterday' }));
    expect(new Set(error.violations.map((v) => v.path))).toEqual(new Set(['/time']));
  });

  test('a publisher of this release may not send one: busEntry refuses it', () => {
    const error = busError(() => busEntry(deliveryFailedCodec, ahead as DeliveryFailedDetail));
    expect(error.reason).toBe('schema');
    expect(error.violations).toEqual([
      { path: '/attempts', message: 'is not allowed' },
      { path: '/region', message: 'is not allowed' },
    ]);
  });

  test('event.stored passes on a signed envelope as it is, attributes of a newer signer included', () => {
    const envelope = { ...envelopeWithDummySignature(), region: 'eu-west-1' };
    expect(JSON.parse(busEntry(eventStoredCodec, envelope).Detail)).toEqual(envelope);
  });
});

describe('event.stored: the envelope, and the subject sequence processing adds beside it', () => {
  const envelope = envelopeWithDummySignature();

  test("its schema is the envelope's with `sequence` and `previoustime`, nothing else changed", () => {
    const read = (name: string) =>
      JSON.parse(readFileSync(new URL(`../../src/contracts/${name}`, import.meta.url), 'utf8')) as {
        properties: Record<string, unknown>;
        required: string[];
        additionalProperties: boolean;
      };
    const eventStored = read('event-stored.schema.json');
    const envelopeSchema = read('envelope.schema.json');
    const { sequence, previoustime, ...rest } = eventStored.properties;
    expect(rest).toEqual(envelopeSchema.properties);
    expect(sequence).toMatchObject({ type: 'integer', minimum: 1 });
    expect(previoustime).toMatchObject({ type: 'string', format: 'date-time' });
    expect(eventStored.required).toEqual(envelopeSchema.required);
    expect(eventStored.additionalProperties).toBe(false);
  });

  test('a detail with them is read; storedEnvelope gives the envelope as signed, apart from them', () => {
    const detail = { ...envelope, sequence: 3, previoustime: '2026-12-01T10:00:00.123Z' };
    const parsed = parseBusEvent({ source: BusSource.processing, 'detail-type': 'event.stored', detail }, [
      eventStoredCodec,
    ]);
    expect(parsed.detailType).toBe('event.stored');
    expect(storedEnvelope(parsed.detail)).toEqual({
      envelope,
      sequence: { number: 3, previousTime: '2026-12-01T10:00:00.123Z' },
    });
    expect(storedEnvelope(envelope as EventStoredDetail)).toEqual({ envelope });
  });

  test('a sequence that is not a positive integer is refused', () => {
    for (const sequence of [0, 1.5, '3', -1])
      expect(busError(() => parseBusDetail(eventStoredCodec, { ...envelope, sequence })).reason).toBe(
        'schema',
      );
  });
});
