import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/export-id.validator.generated';
import { readExport, type TenantRequestDeps } from '../tenant-data/tenant-requests';
import { answering } from '../problems';
import { tenantRequestDeps } from '../wiring';

export function createHandler(deps: () => TenantRequestDeps) {
  return httpHandler(
    async (event, context) => ({
      statusCode: 200,
      body: await answering(() => readExport(context.auth.tenantId, event.pathParameters!.exportId!, deps())),
      // The URLs are credentials for minutes: no cache may keep them.
      headers: { 'cache-control': 'no-store' },
    }),
    { scopes: ['tenant:export'], validator: validate },
  );
}

export const handler = createHandler(tenantRequestDeps);
