import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/start-erasure.validator.generated';
import { startErasure, type TenantRequestDeps } from '../tenant-data/tenant-requests';
import { answering } from '../problems';
import { tenantRequestDeps } from '../wiring';

export function createHandler(deps: () => TenantRequestDeps) {
  return httpHandler(
    async (event, context) => {
      const started = await answering(() =>
        startErasure(
          context.auth,
          event.body,
          auditRecorder(context.auth, event, context.correlationId),
          deps(),
        ),
      );
      return {
        statusCode: 202,
        body: started,
        headers: { location: `/v1/tenant/erasures/${started.requestId}` },
      };
    },
    { scopes: ['tenant:erase'], validator: validate },
  );
}

export const handler = createHandler(tenantRequestDeps);
