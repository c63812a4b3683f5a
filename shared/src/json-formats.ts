/**
 * The JSON Schema formats the precompiled validators check with code rather than a regular
 * expression; scripts/compile-schemas.ts makes each generated validator import them from here.
 *
 * ajv-formats keeps every format in one CommonJS module, which a bundler cannot tree-shake: a
 * function checking one date-time carried all of them (7.5 KB minified). This is the one format
 * Herald's schemas check with code, the same check as ajv-formats 3.0.1's full `date-time`
 * (MIT, github.com/ajv-validator/ajv-formats): RFC 3339 date and time with a time zone, the day
 * within its month (29 February in leap years only), and a leap second only at 23:59:60 UTC.
 */

const DATE = /^(\d\d\d\d)-(\d\d)-(\d\d)$/;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const TIME = /^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$/i;
const DATE_TIME_SEPARATOR = /t|\s/i;

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

function isDate(text: string): boolean {
  const matches = DATE.exec(text);
  if (!matches) return false;
  const year = +matches[1]!;
  const month = +matches[2]!;
  const day = +matches[3]!;
  return (
    month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && isLeapYear(year) ? 29 : DAYS[month]!)
  );
}

function isTime(text: string): boolean {
  const matches = TIME.exec(text);
  if (!matches) return false;
  const hour = +matches[1]!;
  const minute = +matches[2]!;
  const second = +matches[3]!;
  const zone = matches[4];
  const sign = matches[5] === '-' ? -1 : 1;
  const zoneHours = +(matches[6] ?? 0);
  const zoneMinutes = +(matches[7] ?? 0);
  if (zoneHours > 23 || zoneMinutes > 59 || !zone) return false;
  if (hour <= 23 && minute <= 59 && second < 60) return true;
  // A leap second: 23:59:60 in UTC, whatever the offset it is written in.
  const utcMinute = minute - zoneMinutes * sign;
  const utcHour = hour - zoneHours * sign - (utcMinute < 0 ? 1 : 0);
  return (utcHour === 23 || utcHour === -1) && (utcMinute === 59 || utcMinute === -1) && second < 61;
}

export function isDateTime(text: string): boolean {
  const parts = text.split(DATE_TIME_SEPARATOR);
  return parts.length === 2 && isDate(parts[0]!) && isTime(parts[1]!);
}

/** By format name, as the generated validators look them up. */
const formats: Readonly<Record<string, (text: string) => boolean>> = { 'date-time': isDateTime };
export default formats;
