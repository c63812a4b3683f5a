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

/** The key to continue after in a query of an index: the index key and the table key. */
export interface IndexPageKey extends PageKey {
  gsi1pk: string;
  gsi1sk: string;
}

export const encodeIndexCursor = (key: IndexPageKey): string =>
  Buffer.from(JSON.stringify([key.gsi1pk, key.gsi1sk, key.pk, key.sk])).toString('base64url');

/** Like decodeCursor, for an index partition: honoured only inside `indexPartition` and `partition`. */
export function decodeIndexCursor(cursor: string, indexPartition: string, partition: string): IndexPageKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    parsed[0] !== indexPartition ||
    parsed[2] !== partition ||
    typeof parsed[1] !== 'string' ||
    typeof parsed[3] !== 'string'
  ) {
    throw new InvalidCursor();
  }
  return { gsi1pk: parsed[0], gsi1sk: parsed[1], pk: parsed[2], sk: parsed[3] };
}
