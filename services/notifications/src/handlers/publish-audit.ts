import { publishAuditHandler } from '@herald/shared/audit-outbox-handler';
import { auditPut } from '../wiring';

/**
 * The subscriptions table's stream (INSERTs of audit outbox items): each change's audit entry, written
 * with the change, put on processing's bus for the tenants service's audit log.
 */
export const createHandler = publishAuditHandler;
export const handler = createHandler(auditPut);
