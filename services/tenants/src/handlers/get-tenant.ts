import { httpHandler } from '@herald/shared/entry/http';
import { ownTenant } from '../tenants/own-tenant';
import type { TenantStore } from '../ports';
import { tenantStore } from '../wiring';

export function createHandler(store: () => Pick<TenantStore, 'get'>) {
  return httpHandler(
    async (_event, context) => ({ statusCode: 200, body: await ownTenant(context.auth, store()) }),
    { scopes: [] },
  );
}

export const handler = createHandler(tenantStore);
