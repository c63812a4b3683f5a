/** What POST /v1/uploads and GET /v1/uploads/{id} answer. */
import type { HttpContext, HttpEvent, HttpResult } from '@herald/shared/entry/http';
import { HttpProblem, problemType } from '@herald/shared/problem';
import { ulid } from 'ulid';
import type { CreateUploadBody } from '../schemas/create-upload.types.generated';
import { createUpload, getUpload, type CreateUploadDeps, type UploadStore } from '../uploads';

export type CreateUploadPorts = Pick<CreateUploadDeps, 'store' | 'presign'>;
export type CreateUploadSettings = Pick<
  CreateUploadDeps,
  'maxUploadBytes' | 'urlExpirySeconds' | 'retentionDays'
>;

export function createUploadRoute(ports: () => CreateUploadPorts, settings: CreateUploadSettings) {
  return async (event: HttpEvent<CreateUploadBody>, context: HttpContext): Promise<HttpResult> => {
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
  };
}

export function getUploadRoute(store: () => UploadStore) {
  return async (event: HttpEvent, context: HttpContext): Promise<HttpResult> => {
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
  };
}
