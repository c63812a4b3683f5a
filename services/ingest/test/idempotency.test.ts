import { describe, expect, test } from '@jest/globals';
import {
  decide,
  fingerprint,
  parseIdempotencyKey,
  requestKey,
  type IdempotencyRecord,
} from '../src/idempotency';

describe('parseIdempotencyKey', () => {
  test.each([
    ['no header', undefined, undefined],
    ['a bare key', 'order-42', 'order-42'],
    [
      'a structured-field string (IETF draft)',
      '"8e03978e-40d5-43e8-bc93-6894a57f9324"',
      '8e03978e-40d5-43e8-bc93-6894a57f9324',
    ],
    ['surrounding spaces', '  k1 ', 'k1'],
    ['255 characters', 'k'.repeat(255), 'k'.repeat(255)],
    ['base64', 'YWJj+/=', 'YWJj+/='],
  ])('%s', (_name, header, key) => {
    expect(parseIdempotencyKey(header)).toEqual({ ok: true, key });
  });

  test.each([
    ['empty', ''],
    ['empty quotes', '""'],
    ['256 characters', 'k'.repeat(256)],
    ['a space inside', 'a b'],
    ['a quote inside', 'a"b'],
    ['a backslash', 'a\\b'],
    ['non-ASCII', 'clé'],
    ['a control character', 'a\u0000b'],
  ])('%s is refused with a reason', (_name, header) => {
    const result = parseIdempotencyKey(header);
    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ reason: expect.stringMatching(/Idempotency-Key/) });
  });
});

describe('requestKey', () => {
  test('the header wins; a single event’s id stands in without it; header and id never collide', () => {
    expect(requestKey('k', 'evt-1')).toBe('header:k');
    expect(requestKey(undefined, 'evt-1')).toBe('event:evt-1');
    expect(requestKey(undefined, undefined)).toBeUndefined();
    expect(requestKey('evt-1', undefined)).not.toBe(requestKey(undefined, 'evt-1'));
  });
});

describe('fingerprint', () => {
  test('the same JSON, however ordered or spaced, has one fingerprint; any change gives another', () => {
    const a = fingerprint({ events: [{ type: 'a.b', data: { x: 1, y: [1, 2] } }] });
    expect(fingerprint(JSON.parse('{"events":[{"data":{"y":[1,2],"x":1},"type":"a.b"}]}'))).toBe(a);
    expect(fingerprint({ events: [{ type: 'a.b', data: { x: 1, y: [2, 1] } }] })).not.toBe(a);
    expect(fingerprint({ events: [{ type: 'a.b', data: { x: 1.0, y: [1, 2] } }] })).toBe(a);
  });
});

describe('decide', () => {
  const record: IdempotencyRecord = {
    tenantId: 'acme',
    key: 'header:k',
    fingerprint: 'fp-1',
    ids: ['a', 'b'],
    receivedAt: '2026-11-28T10:00:00.000Z',
    correlationId: 'c-1',
    status: 'completed',
    expiresAt: 0,
  };

  test('no record: a fresh request', () => {
    expect(decide(undefined, 'fp-1')).toEqual({ kind: 'fresh' });
  });
  test('another body: a conflict, whatever the record’s state', () => {
    expect(decide(record, 'fp-2')).toEqual({ kind: 'conflict' });
    expect(decide({ ...record, status: 'pending' }, 'fp-2')).toEqual({ kind: 'conflict' });
  });
  test('completed: replay its ids', () => {
    expect(decide(record, 'fp-1')).toEqual({ kind: 'replay', ids: ['a', 'b'] });
  });
  test('pending: send again with what the first request decided', () => {
    const pending = { ...record, status: 'pending' as const };
    expect(decide(pending, 'fp-1')).toEqual({ kind: 'resend', record: pending });
  });
});
