import { S3Client } from '@aws-sdk/client-s3';

/**
 * One S3 client per container. The JS SDK has no environment variable for path-style addressing,
 * which emulators need (virtual-hosted `<bucket>.localhost` does not resolve), so the stage turns it
 * on with S3_FORCE_PATH_STYLE=true; deployed stages leave it off.
 */
let client: S3Client | undefined;
export function s3Client(): S3Client {
  client ??= new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true' });
  return client;
}
