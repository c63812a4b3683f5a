import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/start-export.validator.generated';
import { startExport, type TenantRequestDeps } from '../tenant-data/tenant-requests';
import { answering } from '../problems';
import { tenantRequestDeps } from '../wiring';

export function createHandler(deps: () => TenantRequestDeps) {
  return httpHandler(
    async (event, context) => {
      const started = await answering(() =>
        startExport(context.auth, auditRecorder(context.auth, event, context.correlationId), deps()),
      );
      return {
        statusCode: 202,
        body: started,
        headers: { location: `/v1/tenant/exports/${started.exportId}` },
      };
    },
    { scopes: ['tenant:export'], validator: validate },
  );
}

export const handler = createHandler(tenantRequestDeps);
