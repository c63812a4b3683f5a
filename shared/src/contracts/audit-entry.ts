/**
 * The audit entry's closed lists as values: every action and every kind of resource an entry may
 * name, read from the contract itself (audit-entry.schema.json), so that code checking or offering
 * them (GET /v1/audit's filters) gains a value when the contract does and never lists one of its own.
 * Their types are the generated ones (audit-entry.types.generated.ts), which come from the same lists.
 */
import type { AuditEntry } from './audit-entry.types.generated';
import schema from './audit-entry.schema.json' with { type: 'json' };

export const AUDIT_ACTIONS = schema.properties.action.enum as readonly AuditEntry['action'][];
export const AUDIT_RESOURCE_TYPES = schema.properties.resource.properties.type
  .enum as readonly AuditEntry['resource']['type'][];
