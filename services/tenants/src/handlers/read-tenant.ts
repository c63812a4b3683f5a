import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/tenant-id.validator.generated';
import { answering } from '../problems';
import { readTenant, type OperatorDeps } from '../tenants/operator';
import { tenantReads } from '../wiring';

export function createHandler(deps: () => Pick<OperatorDeps, 'store'>) {
  return httpHandler(
    async (event) => ({
      statusCode: 200,
      body: await answering(() => readTenant(event.pathParameters!.tenantId!, deps())),
    }),
    { scopes: ['tenants:admin'], validator: validate },
  );
}

export const handler = createHandler(tenantReads);
