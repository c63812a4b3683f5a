import type { S3Client } from '@aws-sdk/client-s3';
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
