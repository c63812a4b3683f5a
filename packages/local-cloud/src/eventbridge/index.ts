// The EventBridge pieces the local cloud is built from (rules match with @herald/event-pattern): input shaping
// for targets and PutEvents request handling. Everything here is pure; the emulator supplies state, clock and transport.
export type { InputTransformer, TargetInput, TargetInputContext } from './targets';
export { shapeTargetInput, TargetInputValidationError, validateTargetInput } from './targets';
export type {
  AcceptedEvent,
  EventBridgeEvent,
  PutEventsContext,
  PutEventsOutcome,
  PutEventsRequest,
  PutEventsRequestEntry,
  PutEventsResponse,
  PutEventsResultEntry,
} from './put-events';
export { entrySize, MAX_ENTRIES, MAX_REQUEST_BYTES, putEvents, PutEventsValidationError } from './put-events';
