/**
 * Opaque page cursors: base64url of a JSON array of strings. What a cursor may resume (the tenant's
 * partition, the query's filters) goes into its parts, and the caller checks those parts against
 * the request after decoding, so a cursor made for one tenant or query (or made up) resumes nothing
 * else.
 */
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
    parsed.some((part) => typeof part !== 'string') ||
    // Only the exact text this API issues: no second spelling of the same cursor.
    encodeCursor(parsed as string[]) !== cursor
  )
    throw new InvalidCursor();
  return parsed as string[];
}
