export {
  DATA_CONTENT_TYPE,
  EnvelopeError,
  EnvelopeMaxLength,
  EnvelopePattern,
  EnvelopeSource,
  SPEC_VERSION,
  assertEnvelope,
  parseEnvelope,
} from './envelope';
export type { Envelope, EnvelopeErrorReason, JsonValue, UnsignedEnvelope } from './envelope';
export {
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
} from './bus';
export type {
  BusCodec,
  BusDetailErrorReason,
  BusDetails,
  BusEntry,
  BusEventLike,
  BusMessage,
  BusSourceName,
  DeliveryFailedDetail,
  DetailTypeName,
  EventStoredDetail,
  SubscriptionDisabledDetail,
  SubscriptionRecoveredDetail,
} from './bus';
export {
  findInexactNumbers,
  hasLoneSurrogate,
  inexactNumberMessage,
  inexactNumberReason,
  jsonShapeViolations,
  stringProblem,
} from './i-json';
export type { InexactNumber, InexactNumberReason, ShapeOptions } from './i-json';
export { describeViolations, validateWith } from './violations';
export type { ValidationResult, Violation } from './violations';
export { default as envelopeValidator } from './envelope.validator.generated';
export { default as deliveryFailedValidator } from './delivery-failed.validator.generated';
export { default as subscriptionDisabledValidator } from './subscription-disabled.validator.generated';
export { default as subscriptionRecoveredValidator } from './subscription-recovered.validator.generated';
export {
  OPERATIONAL_EVENT_TYPES,
  OPERATIONAL_TYPE_PREFIX,
  OperationalEventType,
  isOperationalEventType,
  isReservedType,
} from './operational-events';
export type { OperationalEventTypeName } from './operational-events';
