import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/list-tenants.validator.generated';
import { answering, pageSize } from '../problems';
import { listTenants, type OperatorDeps } from '../tenants/operator';
import { tenantReads } from '../wiring';

export function createHandler(deps: () => Pick<OperatorDeps, 'store'>) {
  return httpHandler(
    async (event) => {
      const query = event.queryStringParameters ?? {};
      return {
        statusCode: 200,
        body: await answering(() => listTenants(pageSize(query.limit), query.cursor, deps())),
      };
    },
    { scopes: ['tenants:admin'], validator: validate },
  );
}

export const handler = createHandler(tenantReads);
