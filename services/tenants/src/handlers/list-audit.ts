import { httpHandler } from '@herald/shared/entry/http';
import { listAudit } from '../audit/list';
import type { AuditLog } from '../audit/ports';
import validate from '../schemas/list-audit.validator.generated';
import { auditLog } from '../wiring';

/** GET /v1/audit: the caller's tenant's audit entries (scope audit:read). */
export function createHandler(log: () => AuditLog) {
  return httpHandler(
    async (event, context) => ({
      statusCode: 200,
      body: await listAudit(context.auth.tenantId, event.queryStringParameters, log()),
    }),
    { scopes: ['audit:read'], validator: validate },
  );
}

export const handler = createHandler(auditLog);
