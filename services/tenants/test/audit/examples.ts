import { auditEntry, type AuditChange, type AuditEntry } from '@herald/shared/audit';

export const T0 = Date.parse('2026-12-01T10:00:00.000Z');

/** The n-th change of a tenant's subscription, made by `subject`, n seconds after T0. */
export function entryOf(
  n: number,
  options: { tenantId?: string; subject?: string; change?: Partial<AuditChange> } = {},
): AuditEntry {
  return auditEntry(
    { tenantId: options.tenantId ?? 'acme', subject: options.subject ?? 'user-42', credential: 'jwt' },
    { headers: { 'user-agent': 'jest' }, requestContext: { http: { sourceIp: '203.0.113.7' } } },
    `corr-${n}`,
    {
      action: 'subscription.updated',
      resource: { type: 'subscription', id: 'sub_1' },
      changedFields: ['url'],
      ...options.change,
    },
    new Date(T0 + n * 1000),
  );
}
