import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/create-tenant.validator.generated';
import { answering } from '../problems';
import { createTenant, type OperatorDeps } from '../tenants/operator';
import { operatorDeps } from '../wiring';

export function createHandler(deps: () => Pick<OperatorDeps, 'store' | 'events'>) {
  return httpHandler(
    async (event, context) => {
      const tenant = await answering(() => createTenant(event.body, deps(), context.auth.subject));
      return { statusCode: 201, body: tenant, headers: { location: `/v1/tenants/${tenant.id}` } };
    },
    { scopes: ['tenants:admin'], validator: validate },
  );
}

export const handler = createHandler(operatorDeps);
