// PutEvents as EventBridge validates it: whole-call ValidationExceptions for a bad entry count or an oversized
// request, per-entry ErrorCode/ErrorMessage otherwise, and the full event built for every accepted entry.
// Pure: the account, region, known buses, clock and id generator all come from the caller.
import { randomUUID } from 'node:crypto';
import { isJsonObject } from '../aws-json-protocol';

export interface PutEventsRequestEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly Resources?: readonly string[];
  /** RFC 3339 text, a Date, or epoch seconds (how the JSON wire protocol sends timestamps). */
  readonly Time?: string | number | Date;
  /** A bus name or ARN; the default bus when absent. */
  readonly EventBusName?: string;
  readonly TraceHeader?: string;
}

export interface PutEventsRequest {
  readonly Entries?: readonly PutEventsRequestEntry[];
}

export type PutEventsResultEntry =
  { readonly EventId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

export interface PutEventsResponse {
  readonly FailedEntryCount: number;
  readonly Entries: readonly PutEventsResultEntry[];
}

/** The event as rules and targets see it. */
export interface EventBridgeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface AcceptedEvent {
  /** Index of the request entry, and of its EventId in the response. */
  readonly entryIndex: number;
  readonly eventBusName: string;
  readonly event: EventBridgeEvent;
}

export interface PutEventsContext {
  readonly account: string;
  readonly region: string;
  /** Names of the buses that exist; "default" is not implied. */
  readonly eventBusNames: Iterable<string>;
  readonly now?: () => Date;
  readonly newEventId?: () => string;
  /** Request size limit in bytes, computed the documented way; 256 KiB unless told otherwise. */
  readonly maxRequestBytes?: number;
}

export interface PutEventsOutcome {
  readonly response: PutEventsResponse;
  readonly accepted: readonly AcceptedEvent[];
}

/** Fails the whole call, like AWS's ValidationException (HTTP 400). */
export class PutEventsValidationError extends Error {
  override name = 'ValidationException';
}

export const MAX_ENTRIES = 10;
export const MAX_REQUEST_BYTES = 256 * 1024;
const DEFAULT_BUS = 'default';
/** The documented entry-size calculation counts a Time as 14 bytes whatever its form. */
const TIME_BYTES = 14;

export function putEvents(request: PutEventsRequest, context: PutEventsContext): PutEventsOutcome {
  const entries = checkEntryCount(request.Entries);
  const limit = context.maxRequestBytes ?? MAX_REQUEST_BYTES;
  const total = entries.reduce((sum, entry) => sum + entrySize(entry), 0);
  if (total > limit)
    throw new PutEventsValidationError('Total size of the entries in the request is over the limit.');

  const buses = new Set(context.eventBusNames);
  const now = context.now ?? (() => new Date());
  const newEventId = context.newEventId ?? randomUUID;
  const results: PutEventsResultEntry[] = [];
  const accepted: AcceptedEvent[] = [];
  entries.forEach((entry, entryIndex) => {
    const checked = checkEntry(entry, buses);
    if ('ErrorCode' in checked) {
      results.push(checked);
      return;
    }
    const event: EventBridgeEvent = {
      version: '0',
      id: newEventId(),
      'detail-type': checked.detailType,
      source: checked.source,
      account: context.account,
      time: eventTime(entry.Time, now),
      region: context.region,
      resources: checked.resources,
      detail: checked.detail,
    };
    results.push({ EventId: event.id });
    accepted.push({ entryIndex, eventBusName: checked.eventBusName, event });
  });
  return { response: { FailedEntryCount: entries.length - accepted.length, Entries: results }, accepted };
}

function checkEntryCount(
  entries: readonly PutEventsRequestEntry[] | undefined,
): readonly PutEventsRequestEntry[] {
  const prefix = '1 validation error detected: Value';
  if (!Array.isArray(entries)) {
    throw new PutEventsValidationError(
      `${prefix} null at 'entries' failed to satisfy constraint: Member must not be null`,
    );
  }
  if (entries.length < 1) {
    throw new PutEventsValidationError(
      `${prefix} '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1`,
    );
  }
  if (entries.length > MAX_ENTRIES) {
    throw new PutEventsValidationError(
      `${prefix} '[PutEventsRequestEntry]' at 'entries' failed to satisfy constraint: ` +
        `Member must have length less than or equal to ${MAX_ENTRIES}`,
    );
  }
  // Entries arrive as parsed JSON; a null or non-object entry is simply an entry with nothing in it.
  return entries.map((entry: unknown) => (isJsonObject(entry) ? entry : {}));
}

/** The documented PutEventsRequestEntry size: UTF-8 bytes of Source, DetailType, Detail and Resources, Time 14. */
export function entrySize(entry: PutEventsRequestEntry): number {
  const bytes = (text: unknown): number => (typeof text === 'string' ? Buffer.byteLength(text, 'utf8') : 0);
  const resources = Array.isArray(entry.Resources) ? entry.Resources : [];
  return (
    (entry.Time !== undefined ? TIME_BYTES : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    resources.reduce((sum: number, resource: unknown) => sum + bytes(resource), 0)
  );
}

interface CheckedEntry {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly resources: readonly string[];
  readonly eventBusName: string;
}

type EntryError = { readonly ErrorCode: string; readonly ErrorMessage: string };

function required(name: string): EntryError {
  return {
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.`,
  };
}

function present(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function checkEntry(entry: PutEventsRequestEntry, buses: ReadonlySet<string>): CheckedEntry | EntryError {
  if (!present(entry.Source)) return required('Source');
  if (!present(entry.DetailType)) return required('DetailType');
  if (!present(entry.Detail)) return required('Detail');
  const detail = parseDetail(entry.Detail);
  if (!detail) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  const resources = entry.Resources ?? [];
  if (!Array.isArray(resources) || !resources.every((resource) => typeof resource === 'string')) {
    return {
      ErrorCode: 'InvalidArgument',
      ErrorMessage: 'Parameter Resources is not valid. Reason: Resources must be a list of strings.',
    };
  }
  const eventBusName = busName(entry.EventBusName);
  // Real EventBridge has been known to accept events for a bus that does not exist and drop them; locally a typo
  // in a bus name is far more useful as an error.
  if (!buses.has(eventBusName)) {
    return {
      ErrorCode: 'ResourceNotFoundException',
      ErrorMessage: `Event bus ${eventBusName} does not exist.`,
    };
  }
  return { source: entry.Source, detailType: entry.DetailType, detail, resources, eventBusName };
}

/** Detail must be a JSON object; arrays, strings and numbers are as malformed as broken JSON. */
function parseDetail(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** "arn:aws:events:us-east-1:123456789012:event-bus/orders" names the bus "orders". */
function busName(nameOrArn: string | undefined): string {
  if (!present(nameOrArn)) return DEFAULT_BUS;
  const arn = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(nameOrArn);
  return arn?.[1] ?? nameOrArn;
}

/** Event times are whole seconds in UTC ("2015-11-11T21:29:54Z"); an unusable Time falls back to now. */
function eventTime(time: PutEventsRequestEntry['Time'], now: () => Date): string {
  const parsed =
    time instanceof Date
      ? time
      : typeof time === 'number'
        ? new Date(time * 1000)
        : typeof time === 'string'
          ? new Date(time)
          : undefined;
  const date = parsed && !Number.isNaN(parsed.getTime()) ? parsed : now();
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
