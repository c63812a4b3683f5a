import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/tenant-id.validator.generated';
import { operatorDeps } from '../wiring';
import { tenantStatusRoute, type TenantStatusDeps } from './tenant-status';

/** POST /v1/tenants/{tenantId}/suspend: refused on every route from then on; tenant.suspended on the bus. */
export function createHandler(deps: () => TenantStatusDeps) {
  return httpHandler(tenantStatusRoute('suspend', deps), { scopes: ['tenants:admin'], validator: validate });
}

export const handler = createHandler(operatorDeps);
