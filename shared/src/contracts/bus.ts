import type { ValidateFunction } from 'ajv';
import type { DeliveryFailed } from './delivery-failed.types.generated';
import validateDeliveryFailed from './delivery-failed.validator.generated';
import type { EventStored } from './event-stored.types.generated';
import validateEventStored from './event-stored.validator.generated';
import type { SubscriptionDisabled } from './subscription-disabled.types.generated';
import validateSubscriptionDisabled from './subscription-disabled.validator.generated';
import type { SubscriptionRecovered } from './subscription-recovered.types.generated';
import validateSubscriptionRecovered from './subscription-recovered.validator.generated';
import type { Envelope } from './envelope';
import { ContractError, describeViolations, validateWith } from './violations';

/** EventBridge `source` of each publishing service (reverse-DNS style, unlike the envelope's URI `source`). */
export const BusSource = {
  processing: 'herald.processing',
  notifications: 'herald.notifications',
} as const;
export type BusSourceName = (typeof BusSource)[keyof typeof BusSource];

export const DetailType = {
  eventStored: 'event.stored',
  deliveryFailed: 'delivery.failed',
  subscriptionDisabled: 'subscription.disabled',
  subscriptionRecovered: 'subscription.recovered',
} as const;
export type DetailTypeName = (typeof DetailType)[keyof typeof DetailType];

/** Each detail type has exactly one publisher; consumers refuse the type from any other source. */
// Literal keys rather than [DetailType.x]: esbuild keeps an object whose computed keys read a
// property (a getter could run), and with this one every bus validator, in functions that use neither.
export const DetailSource = {
  'event.stored': 'herald.processing',
  'delivery.failed': 'herald.notifications',
  'subscription.disabled': 'herald.notifications',
  'subscription.recovered': 'herald.notifications',
} as const satisfies Record<DetailTypeName, BusSourceName>;

/**
 * The `event.stored` detail, generated from event-stored.schema.json: the signed envelope as stored,
 * and beside it (unsigned), for an event with a subject, its `sequence` number and `previoustime`.
 */
export type EventStoredDetail = Omit<EventStored, 'data'> & Envelope;

/**
 * The envelope of an `event.stored` detail as signed, apart from what processing adds beside it
 * (which its signature does not cover): the subject's `sequence` and `previoustime`.
 */
export function storedEnvelope(detail: EventStoredDetail): {
  envelope: Envelope;
  sequence?: { number: number; previousTime?: string };
} {
  const { sequence, previoustime, ...envelope } = detail;
  if (sequence === undefined) return { envelope };
  return {
    envelope,
    sequence: { number: sequence, ...(previoustime === undefined ? {} : { previousTime: previoustime }) },
  };
}

/** The `delivery.failed` detail, generated from delivery-failed.schema.json. */
export type DeliveryFailedDetail = DeliveryFailed;

/** The `subscription.disabled` detail, generated from subscription-disabled.schema.json. */
export type SubscriptionDisabledDetail = SubscriptionDisabled;

/** The `subscription.recovered` detail, generated from subscription-recovered.schema.json. */
export type SubscriptionRecoveredDetail = SubscriptionRecovered;

export interface BusDetails {
  /** The signed envelope itself, so consumers verify exactly what processing stored, and its subject's sequence. */
  [DetailType.eventStored]: EventStoredDetail;
  [DetailType.deliveryFailed]: DeliveryFailedDetail;
  [DetailType.subscriptionDisabled]: SubscriptionDisabledDetail;
  [DetailType.subscriptionRecovered]: SubscriptionRecoveredDetail;
}

/**
 * What a function needs of one detail type to read or write it: its name, its one publisher, and its
 * generated validator. One const per type, named where it is read or written, so that esbuild
 * bundles into each function only the validators of the types it handles (a table of all four put
 * every validator, about 15 KB minified, into dispatch, which reads only event.stored). isDetailType,
 * DetailType and DetailSource name every type but hold no validator.
 */
export interface BusCodec<T extends DetailTypeName = DetailTypeName> {
  readonly detailType: T;
  readonly source: (typeof DetailSource)[T];
  readonly validate: ValidateFunction<BusDetails[T]>;
  /**
   * What busEntry does with a property the schema does not name: a publisher sends only what its
   * release's schema says ('refuse'), except an event.stored detail, the stored envelope passed on as
   * signed, whose attributes are its signer's and are checked as its consumers check them ('ignore').
   */
  readonly unknownOnWrite: 'refuse' | 'ignore';
}

export const eventStoredCodec: BusCodec<'event.stored'> = {
  detailType: 'event.stored',
  source: 'herald.processing',
  validate: validateEventStored as ValidateFunction<EventStoredDetail>,
  unknownOnWrite: 'ignore',
};

export const deliveryFailedCodec: BusCodec<'delivery.failed'> = {
  detailType: 'delivery.failed',
  source: 'herald.notifications',
  validate: validateDeliveryFailed,
  unknownOnWrite: 'refuse',
};

export const subscriptionDisabledCodec: BusCodec<'subscription.disabled'> = {
  detailType: 'subscription.disabled',
  source: 'herald.notifications',
  validate: validateSubscriptionDisabled,
  unknownOnWrite: 'refuse',
};

export const subscriptionRecoveredCodec: BusCodec<'subscription.recovered'> = {
  detailType: 'subscription.recovered',
  source: 'herald.notifications',
  validate: validateSubscriptionRecovered,
  unknownOnWrite: 'refuse',
};

/** PutEvents rejects an entry above 256 KiB; caught here it is a clear error, not a FailedEntryCount. */
export const BUS_ENTRY_MAX_BYTES = 256 * 1024;

export type BusDetailErrorReason = 'unknown-detail-type' | 'wrong-source' | 'schema' | 'too-large';

export class BusDetailError extends ContractError<BusDetailErrorReason> {
  override readonly name = 'BusDetailError';
}

/** A PutEvents entry without the bus name, which is deployment configuration. */
export interface BusEntry<T extends DetailTypeName = DetailTypeName> {
  Source: (typeof DetailSource)[T];
  DetailType: T;
  Detail: string;
}

/** The parts of an EventBridge event (as a Lambda target receives it) that the contract covers. */
export interface BusEventLike {
  source: string;
  'detail-type': string;
  detail: unknown;
}

/** A checked bus event of one of the types T, narrowed by its detailType. */
export type BusMessage<T extends DetailTypeName = DetailTypeName> = {
  [K in T]: { detailType: K; detail: BusDetails[K] };
}[T];

/** Whether a string names one of Herald's bus detail types (whichever function reads it). */
export function isDetailType(value: unknown): value is DetailTypeName {
  return typeof value === 'string' && Object.hasOwn(DetailSource, value);
}

/**
 * Checks a detail as its consumers read it: a property its schema does not name is let through, so a
 * detail from a publisher one release ahead is read, not refused (see validateWith).
 */
export function parseBusDetail<T extends DetailTypeName>(codec: BusCodec<T>, detail: unknown): BusDetails[T] {
  return checkDetail(codec, detail, 'ignore');
}

function checkDetail<T extends DetailTypeName>(
  codec: BusCodec<T>,
  detail: unknown,
  unknownProperties: 'refuse' | 'ignore',
): BusDetails[T] {
  const result = validateWith(codec.validate, detail, { unknownProperties });
  if (!result.ok) {
    throw new BusDetailError(
      'schema',
      `Invalid ${codec.detailType} detail: ${describeViolations(result.violations)}`,
      result.violations,
    );
  }
  return result.value;
}

/**
 * Builds the entry for PutEvents, refusing a detail its consumers would reject, and (but for
 * event.stored, see BusCodec) one with a property the schema does not name: a publisher sends only
 * what its release's schema says, so a consumer of the previous release never meets more than it
 * can judge.
 */
export function busEntry<T extends DetailTypeName>(codec: BusCodec<T>, detail: BusDetails[T]): BusEntry<T> {
  const valid = checkDetail(codec, detail, codec.unknownOnWrite);
  const entry: BusEntry<T> = {
    Source: codec.source,
    DetailType: codec.detailType,
    Detail: JSON.stringify(valid),
  };
  const size =
    Buffer.byteLength(entry.Source) + Buffer.byteLength(entry.DetailType) + Buffer.byteLength(entry.Detail);
  if (size > BUS_ENTRY_MAX_BYTES) {
    throw new BusDetailError(
      'too-large',
      `${codec.detailType} entry is ${size} bytes; EventBridge allows ${BUS_ENTRY_MAX_BYTES}`,
    );
  }
  return entry;
}

/**
 * Checks an incoming EventBridge event against the contract: a known detail type, from the one
 * source allowed to publish it, of one of the types the caller reads (`codecs`: any other is an
 * unknown detail type to this consumer), with a detail that matches its schema. For `event.stored`
 * the signature still has to be verified.
 */
export function parseBusEvent<C extends BusCodec>(
  event: BusEventLike,
  codecs: readonly C[],
): BusMessage<C['detailType']> {
  const detailType = event['detail-type'];
  if (!isDetailType(detailType)) {
    throw new BusDetailError('unknown-detail-type', `Unknown detail type ${JSON.stringify(detailType)}`);
  }
  // Checked before the codecs: a type forged from another source says so, whoever reads it.
  const expected = DetailSource[detailType];
  if (event.source !== expected) {
    throw new BusDetailError(
      'wrong-source',
      `${detailType} must come from ${expected}, not ${JSON.stringify(event.source)}`,
    );
  }
  const codec = codecs.find((c) => c.detailType === detailType);
  if (codec === undefined) {
    throw new BusDetailError(
      'unknown-detail-type',
      `Unknown detail type ${JSON.stringify(detailType)} here: this consumer reads ${codecs.map((c) => c.detailType).join(', ')}`,
    );
  }
  return { detailType, detail: parseBusDetail(codec, event.detail) } as BusMessage<C['detailType']>;
}
