import { describe, expect, test } from '@jest/globals';
import { parseConfig } from '../src/config';
import { excerpt, formatMs, localInputToIso, splitList } from '../src/lib/format';
import { failingFirst, successRate, type SubscriptionStats } from '../src/lib/stats';

const row = (id: string, rest: Partial<SubscriptionStats>): SubscriptionStats => ({
  id,
  status: 'active',
  health: 'healthy',
  succeeded: 0,
  failed: 0,
  retrying: 0,
  consecutiveFailures: 0,
  ...rest,
});

describe('overview', () => {
  test('failing first: health, then streak, then failures, then id', () => {
    const rows = [
      row('a', {}),
      row('b', { health: 'degraded', failed: 1 }),
      row('c', { health: 'failing', consecutiveFailures: 2 }),
      row('d', { health: 'failing', consecutiveFailures: 5 }),
      row('e', { health: 'disabled' }),
      row('f', { health: 'degraded', failed: 3 }),
    ];
    expect(failingFirst(rows).map((r) => r.id)).toEqual(['e', 'd', 'c', 'f', 'b', 'a']);
    expect(rows[0]!.id).toBe('a');
  });

  test('success rate of settled deliveries', () => {
    expect(successRate({ succeeded: 3, failed: 1 })).toBe(0.75);
    expect(successRate({ succeeded: 0, failed: 0 })).toBeUndefined();
  });
});

describe('config.json', () => {
  const valid = {
    issuer: 'http://localhost:4100/',
    clientId: 'herald-console',
    scopes: ['openid', 'events:read'],
    apis: {
      ingest: 'http://localhost:4000',
      processing: 'http://localhost:4010',
      notifications: 'http://localhost:4020',
    },
  };

  test('is read with trailing slashes dropped and the tenant claim defaulted', () => {
    expect(parseConfig(valid)).toEqual({ ...valid, issuer: 'http://localhost:4100', tenantClaim: 'tenant' });
  });

  test('the tenants API is optional, and read when given', () => {
    const apis = { ...valid.apis, tenants: 'http://localhost:4030/' };
    expect(parseConfig({ ...valid, apis }).apis.tenants).toBe('http://localhost:4030');
    expect(parseConfig(valid).apis).not.toHaveProperty('tenants');
  });

  test.each([
    ['no issuer', { ...valid, issuer: undefined }, /issuer/],
    ['a relative API URL', { ...valid, apis: { ...valid.apis, ingest: '/ingest' } }, /apis.ingest/],
    ['a javascript: URL', { ...valid, issuer: 'javascript:alert(1)' }, /http/],
    ['scopes as a string', { ...valid, scopes: 'openid' }, /scopes/],
    ['no client id', { ...valid, clientId: '' }, /clientId/],
    [
      'a tenants API that is not a URL',
      { ...valid, apis: { ...valid.apis, tenants: 'tenants' } },
      /apis.tenants/,
    ],
    ['not an object', [], /object/],
  ])('refuses %s', (_, json, message) => {
    expect(() => parseConfig(json)).toThrow(message);
  });
});

describe('format', () => {
  test('durations', () => {
    expect(formatMs(861)).toBe('861 ms');
    expect(formatMs(1234)).toBe('1.23 s');
    expect(formatMs(12_345)).toBe('12.3 s');
    expect(formatMs(undefined)).toBe('—');
  });

  test('lists, excerpts and local date inputs', () => {
    expect(splitList('order.*, invoice.paid\n\n  a.b ')).toEqual(['order.*', 'invoice.paid', 'a.b']);
    expect(excerpt('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(localInputToIso('')).toBeUndefined();
    expect(localInputToIso('2026-12-01T10:00')).toBe(new Date('2026-12-01T10:00').toISOString());
  });
});
