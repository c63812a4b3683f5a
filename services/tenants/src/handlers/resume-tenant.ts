import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/tenant-id.validator.generated';
import { operatorDeps } from '../wiring';
import { tenantStatusRoute, type TenantStatusDeps } from './tenant-status';

/** POST /v1/tenants/{tenantId}/resume: served again; tenant.resumed on the bus. */
export function createHandler(deps: () => TenantStatusDeps) {
  return httpHandler(tenantStatusRoute('resume', deps), { scopes: ['tenants:admin'], validator: validate });
}

export const handler = createHandler(operatorDeps);
