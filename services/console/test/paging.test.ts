import { describe, expect, test } from '@jest/globals';
import { createPager } from '../src/lib/paging';

/** An iterator over `count` numbers that counts how many it was asked for. */
function numbers(count: number) {
  const asked = { value: 0 };
  async function* generate() {
    for (let n = 1; n <= count; n++) {
      asked.value++;
      yield n;
    }
  }
  return { iterator: generate(), asked };
}

describe('pager', () => {
  test('pages of pageSize, with next and previous', async () => {
    const { iterator } = numbers(5);
    const pager = createPager(iterator, 2);
    expect(await pager.first()).toEqual({ items: [1, 2], index: 0, hasPrevious: false, hasNext: true });
    expect(await pager.next()).toEqual({ items: [3, 4], index: 1, hasPrevious: true, hasNext: true });
    expect(await pager.next()).toEqual({ items: [5], index: 2, hasPrevious: true, hasNext: false });
    expect(await pager.next()).toEqual({ items: [5], index: 2, hasPrevious: true, hasNext: false });
    expect(await pager.previous()).toEqual({ items: [3, 4], index: 1, hasPrevious: true, hasNext: true });
    expect(await pager.previous()).toMatchObject({ items: [1, 2], index: 0, hasPrevious: false });
    expect(await pager.previous()).toMatchObject({ index: 0 });
  });

  test('reads one item ahead, and pages already read are not read again', async () => {
    const { iterator, asked } = numbers(10);
    const pager = createPager(iterator, 3);
    await pager.first();
    expect(asked.value).toBe(4);
    await pager.next();
    expect(asked.value).toBe(7);
    await pager.previous();
    await pager.next();
    expect(asked.value).toBe(7);
  });

  test('an exact multiple of pageSize has no empty last page', async () => {
    const pager = createPager(numbers(4).iterator, 2);
    await pager.first();
    expect(await pager.next()).toEqual({ items: [3, 4], index: 1, hasPrevious: true, hasNext: false });
  });

  test('an empty listing is one empty page', async () => {
    expect(await createPager(numbers(0).iterator, 2).first()).toEqual({
      items: [],
      index: 0,
      hasPrevious: false,
      hasNext: false,
    });
  });

  test('refuses a page size that is not a positive integer', () => {
    expect(() => createPager(numbers(1).iterator, 0)).toThrow(RangeError);
  });
});
