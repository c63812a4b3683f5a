import { describe, expect, test } from '@jest/globals';
import { auditQuery, confirmed, grantableScopes, newKeyBody, settingRows } from '../src/lib/tenant-values';

describe('API keys, audit and tenant values', () => {
  test("a key's scopes are chosen from the user's own, never tenants:admin or openid", () => {
    expect(
      grantableScopes(['subscriptions:read', 'openid', 'tenants:admin', 'events:write', 'events:write']),
    ).toEqual(['events:write', 'subscriptions:read']);
  });

  test("a new key's body: trimmed name, scopes, expiry as RFC 3339 when set, environment only when test", () => {
    expect(newKeyBody({ name: ' ci ', scopes: ['events:write'], expires: '', environment: 'live' })).toEqual({
      name: 'ci',
      scopes: ['events:write'],
    });
    const body = newKeyBody({ name: 'ci', scopes: [], expires: '2026-12-31T10:00', environment: 'test' });
    expect(body).toMatchObject({
      environment: 'test',
      expiresAt: new Date('2026-12-31T10:00').toISOString(),
    });
  });

  test('the audit filters: empty ones left out, a resource id only with its type, times as RFC 3339', () => {
    const none = { action: '', resourceType: '', resourceId: 'sub_1', actor: ' ', since: '', until: '' };
    expect(auditQuery(none, 25)).toEqual({ pageSize: 25 });
    expect(
      auditQuery(
        {
          ...none,
          action: 'subscription.created',
          resourceType: 'subscription',
          actor: 'key:key_1',
          since: '2026-12-01T00:00',
          until: '2026-12-02T00:00',
        },
        10,
      ),
    ).toEqual({
      action: 'subscription.created',
      resourceType: 'subscription',
      resourceId: 'sub_1',
      actor: 'key:key_1',
      since: new Date('2026-12-01T00:00').toISOString(),
      until: new Date('2026-12-02T00:00').toISOString(),
      pageSize: 10,
    });
  });

  test("a tenant's settings as rows, a missing one as the stage's default", () => {
    const rows = Object.fromEntries(
      settingRows({ retentionDays: 7, allowedDestinations: ['webhook'], limits: { maxSubscriptions: 1000 } }),
    );
    expect(rows).toMatchObject({
      Retention: '7 days',
      'Allowed destinations': 'webhook',
      Subscriptions: '1,000',
      'E-mails a day': "the stage's default",
    });
    expect(Object.fromEntries(settingRows({}))).toMatchObject({ 'Allowed destinations': 'all' });
  });

  test('a typed confirmation must name the thing exactly', () => {
    expect(confirmed('acme', 'acme')).toBe(true);
    expect(confirmed(' acme ', 'acme')).toBe(true);
    expect(confirmed('Acme', 'acme')).toBe(false);
    expect(confirmed('', '')).toBe(false);
  });
});
