/**
 * The uploads bucket's notifications: each new file under `uploads/` is read by processUpload, and
 * what came of it is logged. One record per event in practice; an error fails the invocation, which
 * Lambda retries.
 */
import { logger } from '@herald/shared/logger';
import type { Context, S3Event, S3EventRecord } from 'aws-lambda';
import { processUpload, type ProcessUploadDeps, type UploadNotice } from './process-upload';

export type UploadNotificationDeps = Omit<ProcessUploadDeps, 'remainingTimeMs'>;

export interface UploadNotificationSettings {
  /** The one bucket whose notifications this function takes. */
  bucket: string;
}

/** S3 writes keys in events form-encoded: a space as `+`, everything else as %XX. */
export function objectKey(record: S3EventRecord): string | undefined {
  try {
    return decodeURIComponent(record.s3.object.key.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

/** `summary`: extra fields on the line that says what came of an upload (e.g. the AWS calls it made). */
export function uploadNotifications(
  deps: () => Promise<UploadNotificationDeps>,
  settings: () => UploadNotificationSettings,
  summary: () => Record<string, unknown> = () => ({}),
) {
  return async (event: S3Event, context: Context): Promise<void> => {
    for (const record of event?.Records ?? []) {
      logger.resetKeys();
      if (typeof context?.awsRequestId === 'string') logger.addContext(context);
      await handleRecord(record, context, deps, settings(), summary);
      logger.resetKeys();
    }
  };
}

async function handleRecord(
  record: S3EventRecord,
  context: Context,
  deps: () => Promise<UploadNotificationDeps>,
  settings: UploadNotificationSettings,
  summary: () => Record<string, unknown>,
): Promise<void> {
  const bucket = record.s3.bucket.name;
  const key = objectKey(record);
  if (key === undefined || bucket !== settings.bucket || !record.eventName.startsWith('ObjectCreated:')) {
    logger.warn('Notification ignored: not a new object in the uploads bucket', {
      bucket,
      eventName: record.eventName,
    });
    return;
  }
  const notice: UploadNotice = { key, time: record.eventTime };
  const started = performance.now();
  const result = await processUpload(notice, {
    ...(await deps()),
    remainingTimeMs: () => context.getRemainingTimeInMillis(),
  });
  const durationMs = Math.round(performance.now() - started);
  switch (result.outcome) {
    case 'not-an-upload':
    case 'unknown-upload':
      // Only presigned URLs of known uploads can write here: anything else deserves a look.
      logger.warn('Object in the uploads bucket without an upload', {
        securityEvent: 'upload.unknown-object',
        key,
        outcome: result.outcome,
      });
      return;
    case 'already-finished':
      logger.info('Upload already processed; repeated notification ignored', {
        uploadId: result.record.uploadId,
        status: result.record.status,
      });
      return;
    case 'processed': {
      const { record: upload, status, failure, error } = result;
      logger.appendKeys({ correlation_id: upload.correlationId, tenant_id: upload.tenantId });
      const details = {
        uploadId: upload.uploadId,
        status,
        ...result.summary,
        durationMs,
        failure,
        ...summary(),
      };
      if (status === 'completed') logger.info('Upload processed', details);
      else if (error === undefined) logger.warn('Upload rejected', details);
      else logger.error('Upload failed', { ...details, error: error as Error });
    }
  }
}
