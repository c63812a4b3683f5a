import { describe, expect, test } from '@jest/globals';
import type { AuditEntry } from '@herald/shared/audit';
import type { ErasureRequestedDetail } from '@herald/shared/contracts/tenant-data';
import {
  orchestrate,
  type Answer,
  type DataRequest,
  type DataRequests,
  type OrchestrateDeps,
} from '../../src/tenant-data/orchestrate';

class MemoryRequests implements DataRequests {
  readonly items = new Map<string, DataRequest>();
  async create(request: DataRequest) {
    const key = `${request.tenantId}/${request.kind}/${request.id}`;
    if (this.items.has(key)) return false;
    this.items.set(key, structuredClone(request));
    return true;
  }
  async answer(tenantId: string, kind: DataRequest['kind'], id: string, service: string, answer: Answer) {
    const item = this.items.get(`${tenantId}/${kind}/${id}`);
    if (!item) return undefined;
    item.answers[service] = answer;
    return structuredClone(item);
  }
  async finish(tenantId: string, kind: DataRequest['kind'], id: string, at: string) {
    const item = this.items.get(`${tenantId}/${kind}/${id}`)!;
    if (item.status === 'done') return false;
    item.status = 'done';
    item.doneAt = at;
    return true;
  }
}

function harness() {
  const requests = new MemoryRequests();
  const asked: ErasureRequestedDetail[] = [];
  const audit: AuditEntry[] = [];
  const deps: OrchestrateDeps = {
    requests,
    eraseApiKeys: async () => 2,
    eraseExports: async () => 3,
    requestErasure: async (detail) => void asked.push(detail),
    recordAudit: async (entry) => void audit.push(entry),
    now: () => new Date('2026-12-01T17:00:00Z'),
  };
  return { requests, asked, audit, deps };
}

const deleted = {
  source: 'herald.tenants',
  'detail-type': 'tenant.deleted',
  detail: { tenantId: 'acme', status: 'deleted', time: '2026-12-01T16:59:00.000Z', by: 'operator-1' },
};
const completed = (service: string, counts: Record<string, number>) => ({
  source: `herald.${service}`,
  'detail-type': 'tenant.erasure.completed',
  detail: {
    requestId: 'tenant-deleted:2026-12-01T16:59:00.000Z',
    tenantId: 'acme',
    scope: 'tenant',
    service,
    counts,
    time: '2026-12-01T17:00:00Z',
  },
});

describe("a deleted tenant's erasure", () => {
  test('is asked of every service, done when all have answered, and recorded once in the audit log', async () => {
    const h = harness();
    await orchestrate(deleted, h.deps);
    await orchestrate(deleted, h.deps); // the deletion seen again: the same request, asked again
    const asked = {
      requestId: 'tenant-deleted:2026-12-01T16:59:00.000Z',
      tenantId: 'acme',
      scope: 'tenant',
      time: deleted.detail.time,
    };
    expect(h.asked).toEqual([asked, asked]);
    expect(h.requests.items.size).toBe(1);

    // This service's own part, on the request as it passes on the bus.
    const own = await orchestrate(
      { source: 'herald.tenants', 'detail-type': 'tenant.erasure.requested', detail: h.asked[0]! },
      h.deps,
    );
    expect(own).toMatchObject({ outcome: 'answer-recorded', service: 'tenants' });
    await orchestrate(completed('processing', { events: 5 }), h.deps);
    await orchestrate(completed('ingest', { uploads: 0, 'event-types': 1 }), h.deps);
    expect(h.audit).toEqual([]);
    expect(await orchestrate(completed('notifications', { subscriptions: 1 }), h.deps)).toMatchObject({
      outcome: 'request-done',
    });
    expect(await orchestrate(completed('notifications', { subscriptions: 0 }), h.deps)).toMatchObject({
      outcome: 'answer-recorded',
    });
    expect(h.audit).toHaveLength(1);
    expect(h.audit[0]).toMatchObject({
      tenantId: 'acme',
      action: 'tenant.erasure_completed',
      actor: { subject: 'operator-1' },
      resource: { type: 'tenant', id: 'acme' },
      changedFields: [
        'ingest_event_types',
        'notifications_subscriptions',
        'processing_events',
        'tenants_api_keys',
        'tenants_exports',
      ],
    });
    const [record] = h.requests.items.values();
    expect(record).toMatchObject({
      status: 'done',
      answers: { tenants: { counts: { 'api-keys': 2, exports: 3 } } },
    });
  });

  test('an answer to no request of this service is ignored; a forged one is refused', async () => {
    const h = harness();
    expect(await orchestrate(completed('processing', { events: 1 }), h.deps)).toMatchObject({
      outcome: 'ignored',
    });
    await expect(
      orchestrate({ ...completed('processing', { events: 1 }), source: 'herald.ingest' }, h.deps),
    ).rejects.toThrow('must come from herald.processing');
  });
});
