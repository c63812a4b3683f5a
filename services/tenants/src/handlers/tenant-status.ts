/**
 * What suspendTenant, resumeTenant and deleteTenant answer: one route, the status it moves the
 * tenant to the only difference. Each function's module keeps its own httpHandler call with the
 * schema and scope (`npm run openapi` reads a route's request schema from its handler's source).
 */
import { auditRecorder } from '@herald/shared/audit';
import type { HttpHandlerFn } from '@herald/shared/entry/http';
import { answering } from '../problems';
import { changeStatus, type OperatorDeps } from '../tenants/operator';

export type TenantStatusDeps = Pick<OperatorDeps, 'store' | 'events' | 'chain'>;

/** The tenant moved to the action's status: 200 with it, or 204 when it is deleted. */
export function tenantStatusRoute(
  action: Parameters<typeof changeStatus>[1],
  deps: () => TenantStatusDeps,
): HttpHandlerFn<unknown> {
  return async (event, context) => {
    const tenantId = event.pathParameters!.tenantId!;
    const tenant = await answering(() =>
      changeStatus(
        tenantId,
        action,
        context.auth.subject,
        deps(),
        // The change is the tenant's: recorded in its own log, the operator as the actor.
        auditRecorder({ ...context.auth, tenantId }, event, context.correlationId),
      ),
    );
    return action === 'delete' ? { statusCode: 204 } : { statusCode: 200, body: tenant };
  };
}
