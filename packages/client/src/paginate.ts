/** Every item of a listing the API serves in pages, following `nextCursor` until it is absent. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export async function* paginate<T>(fetchPage: (cursor?: string) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}
