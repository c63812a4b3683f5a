import { httpHandler } from '@herald/shared/entry/http';
import validate from '../schemas/api-key-id.validator.generated';
import { readApiKey, type KeyDeps } from '../keys/api-keys';
import { answering } from '../problems';
import { keyReads } from '../wiring';

export function createHandler(deps: () => Pick<KeyDeps, 'store'>) {
  return httpHandler(
    async (event, context) => ({
      statusCode: 200,
      body: await answering(() => readApiKey(context.auth.tenantId, event.pathParameters!.keyId!, deps())),
    }),
    { scopes: ['keys:read'], validator: validate },
  );
}

export const handler = createHandler(keyReads);
