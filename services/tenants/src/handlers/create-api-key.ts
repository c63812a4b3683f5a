import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/create-api-key.validator.generated';
import { createApiKey, type KeyDeps } from '../keys/api-keys';
import { answering } from '../problems';
import { keyDeps } from '../wiring';

export function createHandler(deps: () => KeyDeps) {
  return httpHandler(
    async (event, context) => {
      const key = await answering(() =>
        createApiKey(
          context.auth,
          event.body,
          deps(),
          auditRecorder(context.auth, event, context.correlationId),
        ),
      );
      // The key is in this answer alone: no cache may keep it.
      return {
        statusCode: 201,
        body: key,
        headers: { location: `/v1/api-keys/${key.id}`, 'cache-control': 'no-store' },
      };
    },
    { scopes: ['keys:write'], validator: validate },
  );
}

export const handler = createHandler(keyDeps);
