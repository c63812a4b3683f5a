/**
 * Pages of a listing for a table with "Previous page" / "Next page": the client's listings are
 * async iterators that follow the API's `nextCursor`; this takes `pageSize` items at a time and
 * reads one item ahead to know whether a next page exists. Pages already seen are kept, so going
 * back asks the API nothing.
 */
export interface Page<T> {
  items: T[];
  /** 0-based. */
  index: number;
  hasPrevious: boolean;
  hasNext: boolean;
}

export interface Pager<T> {
  /** The first page, read once. */
  first(): Promise<Page<T>>;
  next(): Promise<Page<T>>;
  previous(): Promise<Page<T>>;
}

export function createPager<T>(iterator: AsyncIterator<T>, pageSize: number): Pager<T> {
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new RangeError('pageSize must be a positive integer');
  const pages: T[][] = [];
  let lookahead: IteratorResult<T> | undefined;
  let done = false;
  let current = -1;

  const pull = async (): Promise<IteratorResult<T>> => {
    if (lookahead) {
      const result = lookahead;
      lookahead = undefined;
      return result;
    }
    return iterator.next();
  };

  const readPage = async (): Promise<void> => {
    const items: T[] = [];
    while (items.length < pageSize) {
      const result = await pull();
      if (result.done) {
        done = true;
        break;
      }
      items.push(result.value);
    }
    if (!done) {
      lookahead = await iterator.next();
      if (lookahead.done) done = true;
    }
    pages.push(items);
  };

  const view = (index: number): Page<T> => ({
    items: pages[index] ?? [],
    index,
    hasPrevious: index > 0,
    hasNext: index < pages.length - 1 || !done,
  });

  return {
    async first() {
      if (pages.length === 0) await readPage();
      current = 0;
      return view(0);
    },
    async next() {
      if (current + 1 >= pages.length) {
        if (done) return view(Math.max(current, 0));
        await readPage();
      }
      current += 1;
      return view(current);
    },
    async previous() {
      current = Math.max(0, current - 1);
      return view(current);
    },
  };
}
