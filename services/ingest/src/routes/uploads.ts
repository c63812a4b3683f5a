/** What POST /v1/uploads and GET /v1/uploads/{id} answer. */
import type { HttpContext, HttpEvent, HttpResult } from '@herald/shared/entry/http';
import { HttpProblem, problemType } from '@herald/shared/problem';
import { ulid } from '@herald/shared/ulid';
import type { CreateUploadBody } from '../schemas/create-upload.types.generated';
import type { RateLimitStore } from '../limits';
import { createUpload, getUpload, type CreateUploadDeps, type UploadStore } from '../uploads';
import { admitRate, admitUploadBytes, type LimitSettings } from './limits';

export type CreateUploadPorts = Pick<CreateUploadDeps, 'store' | 'presign'> & { limits: RateLimitStore };
export type CreateUploadSettings = Pick<
  CreateUploadDeps,
  'maxUploadBytes' | 'urlExpirySeconds' | 'retentionDays'
> & { limits: LimitSettings };

export function createUploadRoute(ports: () => CreateUploadPorts, settings: CreateUploadSettings) {
  return async (event: HttpEvent<CreateUploadBody>, context: HttpContext): Promise<HttpResult> => {
    const { limits, ...deps } = ports();
    const now = () => new Date();
    // A request like any other on the tenant's rate (its file's events are not counted there: they
    // are bounded by the upload bytes of the day).
    const rateHeaders = await admitRate(context, 0, limits, settings.limits, now);
    // The declared size counts before the upload is recorded: an upload refused here leaves nothing.
    if (event.body.size <= settings.maxUploadBytes) {
      await admitUploadBytes(context, event.body.size, limits, settings.limits, now);
    }
    const { limits: _limits, ...uploadSettings } = settings;
    const result = await createUpload(
      event.body,
      { tenantId: context.auth.tenantId, correlationId: context.correlationId },
      // Not monotonic: line event ids keep the first half of the upload id's randomness, which a
      // monotonic factory would repeat for two uploads made in the same millisecond.
      { ...deps, ...uploadSettings, newId: ulid, now },
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
      headers: { ...rateHeaders, location: `/v1/uploads/${record.uploadId}` },
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
