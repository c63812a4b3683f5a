import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { UploadFile, UploadFiles } from '../process-upload';

/** The uploads bucket, read as a stream: the file is never held in memory whole. */
export class S3UploadFiles implements UploadFiles {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async open(key: string): Promise<UploadFile> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    const body = out.Body as Readable | undefined;
    if (!body) throw new Error(`s3://${this.bucket}/${key} has no body`);
    return {
      size: out.ContentLength ?? 0,
      contentType: out.ContentType,
      body,
      discard: () => body.destroy(),
    };
  }
}

/**
 * A client for presigning only. The SDK otherwise adds a CRC32 checksum of the (empty) request body
 * to every PutObject URL, which S3 then holds the uploaded file to; and the signer's headers must be
 * exactly those the client is told to send.
 */
export function presigningClient(): S3Client {
  return new S3Client({
    forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true',
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
}

/**
 * A presigned PUT for one object. Content-Type and Content-Length are signed, so S3 refuses a file of
 * another type or size; If-None-Match: * is signed too, so the URL writes the object once and can
 * never replace a file that is being, or has been, read.
 */
export async function presignPut(
  s3: S3Client,
  bucket: string,
  request: { key: string; contentType: string; size: number; expiresInSeconds: number },
): Promise<{ url: string; headers: Record<string, string> }> {
  const headers = {
    'content-type': request.contentType,
    'content-length': String(request.size),
    'if-none-match': '*',
  };
  const url = await getSignedUrl(
    s3,
    new PutObjectCommand({
      Bucket: bucket,
      Key: request.key,
      ContentType: request.contentType,
      ContentLength: request.size,
      IfNoneMatch: '*',
    }),
    { expiresIn: request.expiresInSeconds, signableHeaders: new Set(Object.keys(headers)) },
  );
  return { url, headers };
}
