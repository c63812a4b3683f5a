import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/create-tenant.validator.generated';
import { answering } from '../problems';
import { createTenant, type OperatorDeps } from '../tenants/operator';
import { operatorDeps } from '../wiring';

export function createHandler(deps: () => Pick<OperatorDeps, 'store' | 'events' | 'chain'>) {
  return httpHandler(
    async (event, context) => {
      const tenant = await answering(() =>
        createTenant(
          event.body,
          deps(),
          context.auth.subject,
          // The change is the new tenant's: recorded in its own log, the operator as the actor.
          auditRecorder({ ...context.auth, tenantId: event.body.id }, event, context.correlationId),
        ),
      );
      return { statusCode: 201, body: tenant, headers: { location: `/v1/tenants/${tenant.id}` } };
    },
    { scopes: ['tenants:admin'], validator: validate },
  );
}

export const handler = createHandler(operatorDeps);
