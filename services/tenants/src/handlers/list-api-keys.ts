import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/list-api-keys.validator.generated';
import { listApiKeys, type KeyDeps } from '../keys/api-keys';
import { answering, pageSize } from '../problems';
import { keyReads } from '../wiring';

export function createHandler(deps: () => Pick<KeyDeps, 'store'>) {
  return httpHandler(
    async (event, context) => {
      const query = event.queryStringParameters ?? {};
      return {
        statusCode: 200,
        body: await answering(() =>
          listApiKeys(context.auth.tenantId, pageSize(query.limit), query.cursor, deps()),
        ),
      };
    },
    { scopes: ['keys:read'], validator: validate },
  );
}

export const handler = createHandler(keyReads);
