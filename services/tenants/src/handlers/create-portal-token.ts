import { auditRecorder } from '@herald/shared/audit';
import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/create-portal-token.validator.generated';
import { createPortalToken, type KeyDeps } from '../keys/api-keys';
import { answering } from '../problems';
import { keyDeps } from '../wiring';

export function createHandler(deps: () => KeyDeps) {
  return httpHandler(
    async (event, context) => ({
      statusCode: 201,
      body: await answering(() =>
        createPortalToken(
          context.auth,
          event.body ?? {},
          deps(),
          auditRecorder(context.auth, event, context.correlationId),
        ),
      ),
      headers: { 'cache-control': 'no-store' },
    }),
    { scopes: ['keys:write'], validator: validate },
  );
}

export const handler = createHandler(keyDeps);
