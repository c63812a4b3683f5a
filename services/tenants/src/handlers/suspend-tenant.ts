import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/tenant-id.validator.generated';
import { answering } from '../problems';
import { changeStatus, type OperatorDeps } from '../tenants/operator';
import { operatorDeps } from '../wiring';

export function createHandler(deps: () => Pick<OperatorDeps, 'store' | 'events'>) {
  return httpHandler(
    async (event, context) => {
      const tenant = await answering(() =>
        changeStatus(event.pathParameters!.tenantId!, 'suspend', context.auth.subject, deps()),
      );
      return { statusCode: 200, body: tenant };
    },
    { scopes: ['tenants:admin'], validator: validate },
  );
}

export const handler = createHandler(operatorDeps);
