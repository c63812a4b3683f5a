import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/tenant-id.validator.generated';
import { operatorDeps } from '../wiring';
import { tenantStatusRoute, type TenantStatusDeps } from './tenant-status';

/** DELETE /v1/tenants/{tenantId}: status deleted, refused from then on; tenant.deleted on the bus. */
export function createHandler(deps: () => TenantStatusDeps) {
  return httpHandler(tenantStatusRoute('delete', deps), { scopes: ['tenants:admin'], validator: validate });
}

export const handler = createHandler(operatorDeps);
