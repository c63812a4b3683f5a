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

/** The cursor's key parts: exactly `length` strings, or InvalidCursor. */
function cursorParts(cursor: string, length: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== length || parsed.some((part) => typeof part !== 'string')) {
    throw new InvalidCursor();
  }
  return parsed as string[];
}

export function decodeCursor(cursor: string, partition: string): PageKey {
  const [pk, sk] = cursorParts(cursor, 2) as [string, string];
  if (pk !== partition) throw new InvalidCursor();
  return { pk, sk };
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
  const [gsi1pk, gsi1sk, pk, sk] = cursorParts(cursor, 4) as [string, string, string, string];
  if (gsi1pk !== indexPartition || pk !== partition) throw new InvalidCursor();
  return { gsi1pk, gsi1sk, pk, sk };
}
