import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { deleteObjectsPage } from '@herald/shared/tenant-data/aws';

/** Deletes every export file of a tenant (exports/<tenant>/, unversioned), a page at a time; how many. */
export async function eraseTenantExports(s3: S3Client, bucket: string, tenantId: string): Promise<number> {
  let erased = 0;
  let cursor: string | undefined;
  do {
    const page = await deleteObjectsPage(s3, bucket, `exports/${tenantId}/`, cursor, () => true, {
      versioned: false,
    });
    erased += page.erased;
    cursor = page.cursor;
  } while (cursor !== undefined);
  return erased;
}

/** A GET URL of one export file, valid `seconds`: the tenant fetches it without a token. */
export function presignExportFile(
  s3: S3Client,
  bucket: string,
  key: string,
  seconds: number,
): Promise<string> {
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: seconds });
}
