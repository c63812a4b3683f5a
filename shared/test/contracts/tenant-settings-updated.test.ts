import { describe, expect, test } from '@jest/globals';
import {
  parseTenantSettingsUpdatedEvent,
  tenantSettingsUpdatedEntry,
} from '../../src/contracts/tenant-settings-updated';

const detail = {
  tenantId: 'acme',
  settings: { limits: { dailyEmailCap: 5 }, retentionDays: 7 },
  time: '2026-12-01T12:00:00.000Z',
  by: 'ops-1',
};

describe('tenant.settings_updated', () => {
  test('an entry is the tenants source, the type, and the detail as JSON; it parses back', () => {
    const entry = tenantSettingsUpdatedEntry(detail);
    expect(entry).toEqual({
      Source: 'herald.tenants',
      DetailType: 'tenant.settings_updated',
      Detail: JSON.stringify(detail),
    });
    expect(
      parseTenantSettingsUpdatedEvent({ source: entry.Source, 'detail-type': entry.DetailType, detail }),
    ).toEqual(detail);
  });

  test('another source, another type, a bad limit are refused; unknown properties ignored when read', () => {
    const event = { source: 'herald.tenants', 'detail-type': 'tenant.settings_updated', detail };
    expect(() => parseTenantSettingsUpdatedEvent({ ...event, source: 'herald.ingest' })).toThrow(
      'must come from herald.tenants',
    );
    expect(() => parseTenantSettingsUpdatedEvent({ ...event, 'detail-type': 'tenant.suspended' })).toThrow(
      'Unknown detail type',
    );
    const bad = { ...detail, settings: { limits: { dailyEmailCap: -1 } } };
    expect(() => tenantSettingsUpdatedEntry(bad)).toThrow('Invalid tenant.settings_updated detail');
    expect(() => tenantSettingsUpdatedEntry({ ...detail, extra: 1 } as never)).toThrow();
    expect(parseTenantSettingsUpdatedEvent({ ...event, detail: { ...detail, extra: 1 } })).toMatchObject(
      detail,
    );
  });
});
