import type { Context, S3Event, S3EventRecord } from 'aws-lambda';
import { dynamoDocumentClient } from '@herald/shared/aws/dynamodb';
import { s3Client } from '@herald/shared/aws/s3';
import { secretString } from '@herald/shared/aws/secrets';
import { sqsClient } from '@herald/shared/aws/sqs';
import { numberEnv, requireEnv } from '@herald/shared/env';
import { logger } from '@herald/shared/logger';
import { createEnvelopeSigner } from '@herald/shared/signing';
import { DynamoUploadStore } from '../adapters/dynamo-upload-store';
import { S3UploadFiles } from '../adapters/s3-upload-files';
import { SqsEnvelopeQueue } from '../adapters/sqs-envelope-queue';
import { processUpload, type ProcessUploadDeps, type UploadNotice } from '../process-upload';
import validateLine from '../schemas/upload-line.validator.generated';

export interface OnUploadSettings {
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

export function createHandler(
  deps: () => Promise<Omit<ProcessUploadDeps, 'remainingTimeMs'>>,
  settings: () => OnUploadSettings,
) {
  return async (event: S3Event, context: Context): Promise<void> => {
    // One record per event in practice; an error fails the invocation, which Lambda retries.
    for (const record of event?.Records ?? []) {
      logger.resetKeys();
      if (typeof context?.awsRequestId === 'string') logger.addContext(context);
      const bucket = record.s3.bucket.name;
      const key = objectKey(record);
      if (
        key === undefined ||
        bucket !== settings().bucket ||
        !record.eventName.startsWith('ObjectCreated:')
      ) {
        logger.warn('Notification ignored: not a new object in the uploads bucket', {
          bucket,
          eventName: record.eventName,
        });
        continue;
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
          break;
        case 'already-finished':
          logger.info('Upload already processed; repeated notification ignored', {
            uploadId: result.record.uploadId,
            status: result.record.status,
          });
          break;
        case 'processed': {
          const { record: upload, status, summary, failure, error } = result;
          logger.appendKeys({ correlation_id: upload.correlationId, tenant_id: upload.tenantId });
          const details = { uploadId: upload.uploadId, status, ...summary, durationMs, failure };
          if (status === 'completed') logger.info('Upload processed', details);
          else if (error === undefined) logger.warn('Upload rejected', details);
          else logger.error('Upload failed', { ...details, error: error as Error });
        }
      }
      logger.resetKeys();
    }
  };
}

// Once per container: the signing key is fetched once, the clients are shared.
let deps: Promise<Omit<ProcessUploadDeps, 'remainingTimeMs'>> | undefined;
const awsDeps = () =>
  (deps ??= secretString(requireEnv('SIGNING_KEY_SECRET_ID'))
    .then(createEnvelopeSigner)
    .then((signer) => ({
      signer,
      validateLine,
      store: new DynamoUploadStore(dynamoDocumentClient(), requireEnv('UPLOADS_TABLE')),
      files: new S3UploadFiles(s3Client(), requireEnv('UPLOADS_BUCKET')),
      queue: new SqsEnvelopeQueue(sqsClient(), requireEnv('INBOUND_QUEUE_URL'), (error, ids) =>
        logger.warn('Could not queue envelopes; retrying', { error: error as Error, count: ids.length }),
      ),
      now: () => new Date(),
      maxAttempts: numberEnv('UPLOAD_MAX_ATTEMPTS', 3),
    }))
    .catch((error: unknown) => {
      deps = undefined;
      throw error;
    }));

export const handler = createHandler(awsDeps, () => ({ bucket: requireEnv('UPLOADS_BUCKET') }));
