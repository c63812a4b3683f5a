import { describe, expect, test } from '@jest/globals';
import {
  parseTenantLifecycleEvent,
  tenantLifecycleEntry,
  TENANT_LIFECYCLE_SOURCE,
} from '../../src/contracts/tenant-lifecycle';

const detail = {
  tenantId: 'acme',
  status: 'suspended' as const,
  time: '2026-12-01T12:00:00.000Z',
  by: 'ops-1',
};

describe('tenant lifecycle events', () => {
  test('an entry is the tenants source, the type, and the detail as JSON; it parses back', () => {
    const entry = tenantLifecycleEntry('tenant.suspended', detail);
    expect(entry).toEqual({
      Source: 'herald.tenants',
      DetailType: 'tenant.suspended',
      Detail: JSON.stringify(detail),
    });
    expect(
      parseTenantLifecycleEvent({ source: entry.Source, 'detail-type': entry.DetailType, detail }),
    ).toEqual({ detailType: 'tenant.suspended', detail });
  });

  test('the status must be the one the type says', () => {
    expect(() => tenantLifecycleEntry('tenant.resumed', detail)).toThrow('status must be active');
    expect(() => tenantLifecycleEntry('tenant.deleted', { ...detail, status: 'deleted' })).not.toThrow();
  });

  test('another source, an unknown type, a bad detail are refused; unknown properties ignored when read', () => {
    const event = { source: TENANT_LIFECYCLE_SOURCE, 'detail-type': 'tenant.suspended', detail };
    expect(() => parseTenantLifecycleEvent({ ...event, source: 'herald.notifications' })).toThrow(
      'must come from herald.tenants',
    );
    expect(() => parseTenantLifecycleEvent({ ...event, 'detail-type': 'tenant.renamed' })).toThrow(
      'Unknown detail type',
    );
    expect(() => parseTenantLifecycleEvent({ ...event, detail: { ...detail, tenantId: 'a b' } })).toThrow(
      'Invalid tenant.suspended detail',
    );
    expect(parseTenantLifecycleEvent({ ...event, detail: { ...detail, later: 1 } }).detail).toEqual({
      ...detail,
      later: 1,
    });
    expect(() =>
      tenantLifecycleEntry('tenant.suspended', { ...detail, later: 1 } as typeof detail),
    ).toThrow();
  });
});
