import { beforeEach, describe, expect, test } from '@jest/globals';
import { changeStatus, createTenant, mergeSettings, updateTenant } from '../../src/tenants/operator';
import { Conflict, NotFound } from '../../src/problems';
import { MemoryTenantEvents, MemoryTenants } from '../support/memory';

let store: MemoryTenants;
let events: MemoryTenantEvents;
const now = () => new Date('2026-12-01T12:00:00.000Z');
const deps = () => ({ store, events, now });

beforeEach(() => {
  store = new MemoryTenants();
  events = new MemoryTenantEvents();
});

describe('the operator’s tenant routes', () => {
  test('a tenant is created active, once', async () => {
    expect(await createTenant({ id: 'acme', settings: { retentionDays: 7 } }, deps())).toEqual({
      id: 'acme',
      status: 'active',
      settings: { retentionDays: 7 },
      createdAt: '2026-12-01T12:00:00.000Z',
      updatedAt: '2026-12-01T12:00:00.000Z',
    });
    await expect(createTenant({ id: 'acme' }, deps())).rejects.toThrow(Conflict);
  });

  test('settings merge as a JSON merge patch, limits limit by limit', () => {
    const current = { limits: { maxSubscriptions: 3, dailyEmailCap: 10 }, retentionDays: 7 };
    expect(
      mergeSettings(current, {
        limits: { dailyEmailCap: null, ingestEventsPerSecond: 50 },
        retentionDays: null,
      }),
    ).toEqual({ limits: { maxSubscriptions: 3, ingestEventsPerSecond: 50 } });
    expect(mergeSettings(current, { limits: null, allowedDestinations: ['email'] })).toEqual({
      retentionDays: 7,
      allowedDestinations: ['email'],
    });
    expect(mergeSettings(current, { limits: { maxSubscriptions: null, dailyEmailCap: null } })).toEqual({
      retentionDays: 7,
    });
  });

  test('suspend, resume and delete move the status and put the event on the bus each time', async () => {
    await createTenant({ id: 'acme' }, deps());
    expect((await changeStatus('acme', 'suspend', 'ops-1', deps())).status).toBe('suspended');
    expect((await changeStatus('acme', 'suspend', 'ops-1', deps())).status).toBe('suspended');
    expect((await changeStatus('acme', 'resume', 'ops-1', deps())).status).toBe('active');
    expect((await changeStatus('acme', 'delete', 'ops-2', deps())).status).toBe('deleted');
    expect(events.published.map((e) => e.type)).toEqual([
      'tenant.suspended',
      'tenant.suspended',
      'tenant.resumed',
      'tenant.deleted',
    ]);
    expect(events.published[3]!.detail).toEqual({
      tenantId: 'acme',
      at: '2026-12-01T12:00:00.000Z',
      by: 'ops-2',
    });
  });

  test('writing settings (at creation or by PATCH) puts them whole on the bus; a name alone does not', async () => {
    await createTenant({ id: 'plain' }, deps(), 'ops-1');
    await createTenant({ id: 'acme', settings: { retentionDays: 7 } }, deps(), 'ops-1');
    await updateTenant('acme', { name: 'Acme' }, deps(), 'ops-2');
    await updateTenant('acme', { settings: { limits: { dailyEmailCap: 5 } } }, deps(), 'ops-2');
    expect(events.settings).toEqual([
      { tenantId: 'acme', settings: { retentionDays: 7 }, at: '2026-12-01T12:00:00.000Z', by: 'ops-1' },
      {
        tenantId: 'acme',
        settings: { retentionDays: 7, limits: { dailyEmailCap: 5 } },
        at: '2026-12-01T12:00:00.000Z',
        by: 'ops-2',
      },
    ]);
  });

  test('a deleted tenant cannot be resumed, suspended or changed; an unknown one is not found', async () => {
    await createTenant({ id: 'acme' }, deps());
    await changeStatus('acme', 'delete', 'ops', deps());
    await expect(changeStatus('acme', 'resume', 'ops', deps())).rejects.toThrow(Conflict);
    await expect(changeStatus('acme', 'suspend', 'ops', deps())).rejects.toThrow(Conflict);
    await expect(updateTenant('acme', { name: 'x' }, deps())).rejects.toThrow(Conflict);
    expect((await changeStatus('acme', 'delete', 'ops', deps())).status).toBe('deleted');
    await expect(changeStatus('nobody', 'suspend', 'ops', deps())).rejects.toThrow(NotFound);
    await expect(updateTenant('nobody', { name: 'x' }, deps())).rejects.toThrow(NotFound);
    expect(events.published.filter((e) => e.type !== 'tenant.deleted')).toEqual([]);
  });
});
