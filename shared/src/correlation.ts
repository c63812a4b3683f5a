/**
 * The correlation id: one id that follows a request from the HTTP call through every queue message
 * and log line it causes. HTTP carries it in the `x-correlation-id` header (see middleware/logging),
 * SQS messages in the `correlationid` attribute.
 */
import type { SQSRecord } from 'aws-lambda';
import { ulid } from './ulid';

/** The SQS message attribute (String) that carries the correlation id. */
export const CORRELATION_ATTRIBUTE = 'correlationid';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
// W3C Trace Context: version-traceid-parentid-flags; version ff and all-zero ids are invalid.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

export function isValidCorrelationId(value: unknown): value is string {
  return typeof value === 'string' && CORRELATION_ID.test(value);
}

export function traceIdFromTraceparent(value: string | undefined): string | undefined {
  const match = value === undefined ? null : TRACEPARENT.exec(value.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId] = match;
  if (version === 'ff' || /^0+$/.test(traceId!) || /^0+$/.test(parentId!)) return undefined;
  // Version 00 has no trailing fields; later versions may append some.
  if (version === '00' && match[5] !== undefined) return undefined;
  return traceId;
}

/** The caller's id if it is safe to log and echo, else the trace id, else a fresh ULID. */
export function resolveCorrelationId(candidate: string | undefined, traceparent?: string): string {
  if (isValidCorrelationId(candidate)) return candidate;
  return traceIdFromTraceparent(traceparent) ?? ulid();
}

/** The record's `correlationid` attribute as sent, found whatever the case of its name. */
export function correlationOf(record: SQSRecord): string | undefined {
  const attributes = record.messageAttributes ?? {};
  const name = Object.keys(attributes).find((key) => key.toLowerCase() === CORRELATION_ATTRIBUTE);
  return name === undefined ? undefined : attributes[name]?.stringValue;
}
