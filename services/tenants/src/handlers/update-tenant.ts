import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/update-tenant.validator.generated';
import { answering } from '../problems';
import { updateTenant, type OperatorDeps, type TenantPatch } from '../tenants/operator';
import { operatorDeps } from '../wiring';

export function createHandler(deps: () => Pick<OperatorDeps, 'store' | 'events' | 'chain'>) {
  return httpHandler(
    async (event, context) => ({
      statusCode: 200,
      body: await answering(() =>
        updateTenant(
          event.pathParameters!.tenantId!,
          event.body as TenantPatch,
          deps(),
          context.auth.subject,
          // The change is the tenant's: recorded in its own log, the operator as the actor.
          auditRecorder(
            { ...context.auth, tenantId: event.pathParameters!.tenantId! },
            event,
            context.correlationId,
          ),
        ),
      ),
    }),
    { scopes: ['tenants:admin'], validator: validate },
  );
}

export const handler = createHandler(operatorDeps);
