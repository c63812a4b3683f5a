/**
 * NDJSON read as a stream of byte chunks, one line at a time, so a file of any length is read in the
 * memory of its longest allowed line. A line over the limit is skipped without being buffered.
 */
import type { ValidateFunction } from 'ajv';
import {
  describeViolations,
  findInexactNumbers,
  inexactNumberMessage,
  validateWith,
} from '@herald/shared/contracts';
import { eventViolations } from './event-checks';
import type { UploadLine } from './schemas/upload-line.types.generated';

export type RawLine =
  { number: number; tooLong: false; bytes: Buffer } | { number: number; tooLong: true; length: number };

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits chunks into lines on LF, numbered from 1. A final line without LF is still a line; a file
 * ending in LF has no empty line after it. A line of more than `maxLineBytes` (not counting its CR
 * LF or LF) comes out as `tooLong`, with its length, and its bytes are dropped as they arrive.
 */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  maxLineBytes: number,
): AsyncGenerator<RawLine> {
  // One byte over the limit may be the CR of a CRLF ending.
  const cap = maxLineBytes + 1;
  let parts: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let endsWithCr = false;
  let number = 0;

  const finish = (): RawLine => {
    number += 1;
    const bytes = tooLong ? undefined : Buffer.concat(parts, length);
    const content = length - (endsWithCr ? 1 : 0);
    const line: RawLine =
      bytes === undefined || content > maxLineBytes
        ? { number, tooLong: true, length: content }
        : { number, tooLong: false, bytes };
    parts = [];
    length = 0;
    tooLong = false;
    endsWithCr = false;
    return line;
  };
  const append = (segment: Buffer) => {
    length += segment.length;
    if (segment.length > 0) endsWithCr = segment[segment.length - 1] === CR;
    if (tooLong) return;
    if (length > cap) {
      tooLong = true;
      parts = [];
      return;
    }
    if (segment.length > 0) parts.push(segment);
  };

  for await (const chunk of chunks) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let start = 0;
    for (let end = buffer.indexOf(LF, start); end !== -1; end = buffer.indexOf(LF, start)) {
      append(buffer.subarray(start, end));
      yield finish();
      start = end + 1;
    }
    // Copied: a view would keep the whole chunk alive for a few bytes of the next line.
    if (start < buffer.length) append(Buffer.from(buffer.subarray(start)));
  }
  if (length > 0 || tooLong) yield finish();
}

export type ParsedLine =
  | { line: number; kind: 'blank' }
  | { line: number; kind: 'event'; event: UploadLine }
  | { line: number; kind: 'rejected'; reason: string };

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
export const MAX_REASON_LENGTH = 300;
// ignoreBOM keeps a BOM in the text: only the file's first one is dropped, by hand, above.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x09 && byte !== CR) return false;
  return true;
}

const rejected = (line: number, violations: Parameters<typeof describeViolations>[0]): ParsedLine => ({
  line,
  kind: 'rejected',
  reason: `is not a valid event: ${describeViolations(violations)}`.slice(0, MAX_REASON_LENGTH),
});

/**
 * One line as an event, a blank line, or a rejection whose reason names what is wrong but never
 * quotes the line's values (they may be personal data, and the report is kept).
 */
export function parseLine(
  raw: RawLine,
  validate: ValidateFunction<UploadLine>,
  maxLineBytes: number,
): ParsedLine {
  const line = raw.number;
  if (raw.tooLong) return { line, kind: 'rejected', reason: `is longer than ${maxLineBytes} bytes` };
  let bytes = raw.bytes;
  // Editors on Windows start UTF-8 files with a byte order mark; it is not part of the JSON.
  if (line === 1 && bytes.subarray(0, 3).equals(BOM)) bytes = bytes.subarray(3);
  if (isBlank(bytes)) return { line, kind: 'blank' };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { line, kind: 'rejected', reason: 'is not valid UTF-8' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, kind: 'rejected', reason: 'is not valid JSON' };
  }
  const result = validateWith(validate, value);
  if (!result.ok) return rejected(line, result.violations);
  // As POST /v1/events: numbers JSON.parse rounded (found on the text), then what cannot be carried.
  const inexact = findInexactNumbers(text, 5).map(({ path, reason }) => ({
    path,
    message: inexactNumberMessage(reason),
  }));
  if (inexact.length > 0) return rejected(line, inexact);
  const violations = eventViolations(result.value);
  if (violations.length > 0) return rejected(line, violations);
  return { line, kind: 'event', event: result.value };
}
