/**
 * Opaque page cursors. A cursor is the table key to continue after, base64url-encoded; it is only
 * honoured when it lies inside the caller's own partition, so a cursor made for one tenant (or made
 * up) can never start a query in another tenant's items.
 */
export interface PageKey {
  pk: string;
  sk: string;
}

export class InvalidCursor extends Error {
  override readonly name = 'InvalidCursor';
  constructor() {
    super('The cursor is not one this API issued for you');
  }
}

export const encodeCursor = (key: PageKey): string =>
  Buffer.from(JSON.stringify([key.pk, key.sk])).toString('base64url');

export function decodeCursor(cursor: string, partition: string): PageKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    parsed[0] !== partition ||
    typeof parsed[1] !== 'string'
  ) {
    throw new InvalidCursor();
  }
  return { pk: parsed[0], sk: parsed[1] };
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
