import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/tenant-id.validator.generated';
import { answering } from '../problems';
import { changeStatus, type OperatorDeps } from '../tenants/operator';
import { operatorDeps } from '../wiring';

export function createHandler(deps: () => Pick<OperatorDeps, 'store' | 'events' | 'chain'>) {
  return httpHandler(
    async (event, context) => {
      const tenant = await answering(() =>
        changeStatus(
          event.pathParameters!.tenantId!,
          'resume',
          context.auth.subject,
          deps(),
          // The change is the tenant's: recorded in its own log, the operator as the actor.
          auditRecorder(
            { ...context.auth, tenantId: event.pathParameters!.tenantId! },
            event,
            context.correlationId,
          ),
        ),
      );
      return { statusCode: 200, body: tenant };
    },
    { scopes: ['tenants:admin'], validator: validate },
  );
}

export const handler = createHandler(operatorDeps);
