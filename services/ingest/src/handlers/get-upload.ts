import { dynamoDocumentClient } from '@herald/shared/aws/dynamodb';
import { requireEnv } from '@herald/shared/env';
import { httpHandler } from '@herald/shared/http';
import { HttpProblem, problemType } from '@herald/shared/problem';
import { DynamoUploadStore } from '../adapters/dynamo-upload-store';
import validate from '../schemas/get-upload.validator.generated';
import { getUpload, type UploadStore } from '../uploads';

export function createHandler(store: () => UploadStore) {
  return httpHandler(
    async (event, context) => {
      const result = await getUpload(
        context.auth.tenantId,
        event.pathParameters!.id!,
        event.queryStringParameters?.cursor,
        store(),
      );
      switch (result.kind) {
        case 'found':
          return { statusCode: 200, body: result.view };
        case 'not-found':
          throw new HttpProblem(404, { type: problemType('not-found'), detail: 'No such upload' });
        case 'invalid-cursor':
          throw new HttpProblem(400, {
            type: problemType('invalid-cursor'),
            detail: 'The cursor is not one this API issued',
          });
      }
    },
    { scopes: ['events:write'], validator: validate },
  );
}

let store: UploadStore | undefined;
export const handler = createHandler(
  () => (store ??= new DynamoUploadStore(dynamoDocumentClient(), requireEnv('UPLOADS_TABLE'))),
);
