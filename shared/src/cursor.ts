/**
 * Opaque page cursors: base64url of a JSON array of strings. What a cursor may resume (the tenant's
 * partition, the query's filters) goes into its parts, and the caller checks those parts against
 * the request after decoding, so a cursor made for one tenant or query (or made up) resumes nothing
 * else. Parts are table keys or their pieces, so a part DynamoDB could not take as a key (empty,
 * over 1,024 bytes, or holding a lone surrogate, which has no UTF-8 form) is refused here, before a
 * made-up cursor can reach a query and fail it. Callers still check a key lies where their query
 * reads (DynamoDB refuses a start key outside the key condition).
 */
import { hasLoneSurrogate } from './contracts/i-json';

/** DynamoDB's limit on a sort key, the tighter of its two key limits. */
const MAX_PART_BYTES = 1024;
export class InvalidCursor extends Error {
  override readonly name = 'InvalidCursor';
  constructor() {
    super('The cursor is not one this API issued for you');
  }
}

export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** Exactly `length` strings, or InvalidCursor (also for anything malformed, never another error). */
export function decodeCursor(cursor: string, length: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== length ||
    parsed.some(
      (part) =>
        typeof part !== 'string' ||
        part === '' ||
        Buffer.byteLength(part) > MAX_PART_BYTES ||
        hasLoneSurrogate(part),
    ) ||
    // Only the exact text this API issues: no second spelling of the same cursor.
    encodeCursor(parsed as string[]) !== cursor
  )
    throw new InvalidCursor();
  return parsed as string[];
}
