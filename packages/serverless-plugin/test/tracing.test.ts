import { describe, expect, test } from '@jest/globals';
import { isTraced, withWriteTraces, writeTracesStatement } from '../src/tracing';

describe('isTraced', () => {
  test.each([
    [undefined, true, true],
    [undefined, 'Active', true],
    [undefined, undefined, false],
    [undefined, 'PassThrough', false],
    ['PassThrough', true, false],
    [true, undefined, true],
    [false, true, false],
  ])('function %p, provider %p: %p', (fn, provider, traced) => {
    expect(isTraced(fn, provider)).toBe(traced);
  });
});

describe('withWriteTraces', () => {
  const own = { Sid: 'StoreEvents', Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: 'arn' };

  test('adds the X-Ray statement last, and only once', () => {
    const once = withWriteTraces([own]);
    expect(once).toEqual([own, writeTracesStatement]);
    expect(withWriteTraces(once)).toEqual(once);
  });
});
