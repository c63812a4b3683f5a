import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/api-key-id.validator.generated';
import { revokeApiKey, type KeyDeps } from '../keys/api-keys';
import { answering } from '../problems';
import { keyDeps } from '../wiring';

export function createHandler(deps: () => KeyDeps) {
  return httpHandler(
    async (event, context) => {
      await answering(() =>
        revokeApiKey(
          context.auth,
          event.pathParameters!.keyId!,
          deps(),
          auditRecorder(context.auth, event, context.correlationId),
        ),
      );
      return { statusCode: 204 };
    },
    { scopes: ['keys:write'], validator: validate },
  );
}

export const handler = createHandler(keyDeps);
