import { describe, expect, test } from '@jest/globals';
import { decodeCursor, encodeCursor, InvalidCursor } from '../src/cursor';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe('page cursors', () => {
  test('round-trip their parts, and are opaque URL-safe text', () => {
    const cursor = encodeCursor(['TENANT#acme', 'EVENT#é/1']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 2)).toEqual(['TENANT#acme', 'EVENT#é/1']);
  });

  test.each([
    ['not base64 of JSON', 'bm9wZQ'],
    ['empty', ''],
    ['not an array', b64('{"pk":"a"}')],
    ['too few parts', encodeCursor(['a'])],
    ['too many parts', encodeCursor(['a', 'b', 'c'])],
    ['a part that is not a string', b64('["a",1]')],
    ['another spelling of an issued cursor', b64('[ "a", "b" ]')],
    ['null', b64('null')],
    ['characters outside base64url', 'a+b/c=='],
    ['an empty part', encodeCursor(['a', ''])],
    ['a part over 1,024 bytes', encodeCursor(['a', 'é'.repeat(513)])],
    ['a part with a lone surrogate', encodeCursor(['a', 'SUB#\ud800'])],
  ])('%s: InvalidCursor, never another error', (_case, cursor) => {
    expect(() => decodeCursor(cursor, 2)).toThrow(InvalidCursor);
  });

  test('a part of 1,024 bytes is taken', () => {
    const part = 'x'.repeat(1024);
    expect(decodeCursor(encodeCursor(['a', part]), 2)).toEqual(['a', part]);
  });

  test('InvalidCursor says what a client may be told', () => {
    const error = new InvalidCursor();
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('InvalidCursor');
    expect(error.message).toBe('The cursor is not one this API issued for you');
  });
});
