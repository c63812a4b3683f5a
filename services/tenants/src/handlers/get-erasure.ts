import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/erasure-id.validator.generated';
import { readErasure, type TenantRequestDeps } from '../tenant-data/tenant-requests';
import { answering } from '../problems';
import { tenantRequestDeps } from '../wiring';

export function createHandler(deps: () => TenantRequestDeps) {
  return httpHandler(
    async (event, context) => ({
      statusCode: 200,
      body: await answering(() =>
        readErasure(context.auth.tenantId, event.pathParameters!.requestId!, deps()),
      ),
    }),
    { scopes: ['tenant:erase'], validator: validate },
  );
}

export const handler = createHandler(tenantRequestDeps);
