import { describe, expect, test } from '@jest/globals';
import { InvalidCursor } from '@herald/shared/cursor';
import { indexPageCursor, indexPageKeyOf, pageCursor, pageKeyOf } from '../../src/model/pages';

describe('cursors', () => {
  test('round-trip inside the partition', () => {
    const key = { pk: 'TENANT#acme', sk: 'SUB#01J' };
    expect(pageKeyOf(pageCursor(key), 'TENANT#acme', 'SUB#')).toEqual(key);
  });

  test.each([
    ['garbage', 'not-base64-json'],
    ['a JSON object', Buffer.from('{"pk":"TENANT#acme","sk":"x"}').toString('base64url')],
    ['a number for sk', Buffer.from('["TENANT#acme",1]').toString('base64url')],
    // DynamoDB refuses a start key outside the query's key condition: made up, it must not reach it.
    ['a sort key the listing does not read', pageCursor({ pk: 'TENANT#acme', sk: 'DLV#msg_1' })],
    ['a sort key before the listing’s', pageCursor({ pk: 'TENANT#acme', sk: 'A' })],
    ['another tenant’s key', pageCursor({ pk: 'TENANT#globex', sk: 'SUB#01J' })],
  ])('refuse %s', (_name, cursor) => {
    expect(() => pageKeyOf(cursor, 'TENANT#acme', 'SUB#')).toThrow(InvalidCursor);
  });
});

describe('index cursors', () => {
  const key = { gsi1pk: 'TENANT#acme#SUB#s', gsi1sk: '2026#msg', pk: 'TENANT#acme', sk: 'DLV#msg' };
  test('round-trip inside their partitions only', () => {
    expect(indexPageKeyOf(indexPageCursor(key), key.gsi1pk, key.pk)).toEqual(key);
    expect(() => indexPageKeyOf(indexPageCursor(key), 'TENANT#globex#SUB#s', 'TENANT#globex')).toThrow(
      InvalidCursor,
    );
    expect(() => indexPageKeyOf('%%%', key.gsi1pk, key.pk)).toThrow(InvalidCursor);
  });
});
