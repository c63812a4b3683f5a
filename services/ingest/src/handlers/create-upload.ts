import { dynamoDocumentClient } from '@herald/shared/aws/dynamodb';
import { numberEnv, requireEnv } from '@herald/shared/env';
import { httpHandler } from '@herald/shared/http';
import { HttpProblem, problemType } from '@herald/shared/problem';
import { ulid } from 'ulid';
import { DynamoUploadStore } from '../adapters/dynamo-upload-store';
import { presignPut, presigningClient } from '../adapters/s3-upload-files';
import type { CreateUploadBody } from '../schemas/create-upload.types.generated';
import validate from '../schemas/create-upload.validator.generated';
import { createUpload, type CreateUploadDeps } from '../uploads';

export type CreateUploadPorts = Pick<CreateUploadDeps, 'store' | 'presign'>;

export interface CreateUploadSettings {
  maxUploadBytes: number;
  urlExpirySeconds: number;
  retentionDays: number;
}

export function createHandler(ports: () => CreateUploadPorts, settings: CreateUploadSettings) {
  return httpHandler<CreateUploadBody>(
    async (event, context) => {
      const result = await createUpload(
        event.body,
        { tenantId: context.auth.tenantId, correlationId: context.correlationId },
        // Not monotonic: line event ids keep the first half of the upload id's randomness, which a
        // monotonic factory would repeat for two uploads made in the same millisecond.
        { ...ports(), ...settings, newId: ulid, now: () => new Date() },
      );
      if (result.kind === 'too-large') {
        throw new HttpProblem(422, {
          type: problemType('validation-failed'),
          title: 'Unprocessable Content',
          detail: 'The request breaks the schema in 1 place(s)',
          extra: { errors: [{ pointer: '/body/size', message: `must be <= ${result.maxUploadBytes}` }] },
        });
      }
      const { record, url, headers } = result;
      return {
        statusCode: 201,
        headers: { location: `/v1/uploads/${record.uploadId}` },
        body: {
          id: record.uploadId,
          status: record.status,
          upload: { method: 'PUT', url, headers, expiresAt: record.urlExpiresAt },
        },
      };
    },
    { scopes: ['events:write'], validator: validate },
  );
}

let ports: CreateUploadPorts | undefined;
const awsPorts = (): CreateUploadPorts => {
  if (!ports) {
    const s3 = presigningClient();
    const bucket = requireEnv('UPLOADS_BUCKET');
    ports = {
      store: new DynamoUploadStore(dynamoDocumentClient(), requireEnv('UPLOADS_TABLE')),
      presign: (request) => presignPut(s3, bucket, request),
    };
  }
  return ports;
};

export const handler = createHandler(awsPorts, {
  maxUploadBytes: numberEnv('MAX_UPLOAD_BYTES', 10 * 1024 * 1024),
  urlExpirySeconds: numberEnv('UPLOAD_URL_EXPIRY_SECONDS', 300),
  retentionDays: numberEnv('UPLOAD_RETENTION_DAYS', 7),
});
