/**
 * What an event must be, beyond its schema, for Herald to carry it unchanged to every subscriber:
 * checked before anything is signed, so a request or an upload line that cannot be carried is
 * refused naming the field, never answered 500 or lost on the way.
 *
 * - `time`: JSON Schema's date-time admits what a JavaScript Date cannot hold (a leap second,
 *   23:59:60) and offsets that carry a time out of the years 0000-9999 once it is turned into the
 *   UTC form the envelope takes (0000-01-01T00:00:00+01:00 is in year -1).
 * - `data`: objects and arrays at most MAX_DATA_DEPTH deep, and no lone surrogate in a string or a
 *   member name (I-JSON, RFC 7493), since the JCS form that is signed has none; nor U+FFFE or
 *   U+FFFF, which SQS refuses and EventBridge, carrying events from the bus to notifications'
 *   queue, would hand it as they are (see @herald/shared/contracts/i-json).
 * - `subject`, `source`: the same for their text.
 * - `type`: not under `herald.`, the prefix of Herald's own operational events, which subscribers
 *   trust to come from Herald alone (@herald/shared/contracts/operational-events).
 * Numbers a double cannot hold are found on the raw text (see @herald/shared/contracts/i-json).
 */
import {
  isReservedType,
  jsonShapeViolations,
  OPERATIONAL_TYPE_PREFIX,
  stringProblem,
  type Violation,
} from '@herald/shared/contracts';
import type { EventInput } from './schemas/accept-events.types.generated';

/**
 * How deep `data` may nest. Signing walks the value recursively; and a webhook body holding deeper
 * JSON would be refused by common receivers' parsers (serde_json stops at 128, .NET at 64).
 */
export const MAX_DATA_DEPTH = 64;

const FOUR_DIGIT_YEAR = /^\d{4}-/;
const LEAP_SECOND = /:60(?:[.,]\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** Why `time` (already a schema-valid date-time) cannot be an envelope's time, if it cannot. */
export function timeProblem(time: string): string | undefined {
  const millis = Date.parse(time);
  if (Number.isNaN(millis)) {
    return LEAP_SECOND.test(time)
      ? 'is a leap second (:60), which cannot be represented: send the second before or after it'
      : 'is not a time that can be represented';
  }
  if (!FOUR_DIGIT_YEAR.test(new Date(millis).toISOString())) {
    return 'falls outside the years 0000-9999 once converted to UTC';
  }
  return undefined;
}

export const RESERVED_TYPE_MESSAGE = `is under ${OPERATIONAL_TYPE_PREFIX}, which is reserved for Herald's own operational events`;

/** Every reason the event cannot be carried, with JSON Pointers relative to the event. */
export function eventViolations(input: EventInput): Violation[] {
  const violations: Violation[] = [];
  if (isReservedType(input.type)) violations.push({ path: '/type', message: RESERVED_TYPE_MESSAGE });
  const time = input.time === undefined ? undefined : timeProblem(input.time);
  if (time) violations.push({ path: '/time', message: time });
  for (const field of ['subject', 'source'] as const) {
    const problem = input[field] === undefined ? undefined : stringProblem(input[field]);
    if (problem) violations.push({ path: `/${field}`, message: `holds ${problem}` });
  }
  violations.push(...jsonShapeViolations(input.data, { maxDepth: MAX_DATA_DEPTH, path: '/data' }));
  return violations;
}
