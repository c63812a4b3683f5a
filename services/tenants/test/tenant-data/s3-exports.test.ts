import { describe, expect, test } from '@jest/globals';
import { DeleteObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { eraseTenantExports } from '../../src/adapters/s3-exports';

/** The export bucket's two calls, over a set of keys, listing two keys a page. */
function bucket(keys: string[]) {
  const left = new Set(keys);
  const calls: string[] = [];
  const s3 = {
    async send(command: unknown) {
      if (command instanceof ListObjectsV2Command) {
        const { Prefix, ContinuationToken } = command.input;
        calls.push(`list ${Prefix}`);
        const all = [...left].filter((k) => k.startsWith(Prefix!)).sort();
        const after = ContinuationToken ? all.filter((k) => k > ContinuationToken) : all;
        const page = after.slice(0, 2);
        const more = after.length > 2;
        return {
          Contents: page.map((Key) => ({ Key })),
          IsTruncated: more,
          NextContinuationToken: more ? page.at(-1) : undefined,
        };
      }
      if (command instanceof DeleteObjectCommand) {
        calls.push(`delete ${command.input.Key} ${command.input.VersionId ?? '-'}`);
        left.delete(command.input.Key!);
        return {};
      }
      throw new Error(`unexpected ${String(command)}`);
    },
  } as unknown as S3Client;
  return { s3, left, calls };
}

describe("a tenant's exports erased", () => {
  test("every file under the tenant's folder goes, by key (the bucket keeps no versions), and no one else's", async () => {
    const b = bucket([
      'exports/acme/e1/processing/events-00001.ndjson',
      'exports/acme/e1/ingest/uploads-00001.ndjson',
      'exports/acme/e2/notifications/deliveries-00001.ndjson',
      'exports/acme-other/e3/processing/events-00001.ndjson',
    ]);
    expect(await eraseTenantExports(b.s3, 'exports-bucket', 'acme')).toBe(3);
    expect([...b.left]).toEqual(['exports/acme-other/e3/processing/events-00001.ndjson']);
    expect(b.calls.filter((c) => c.startsWith('delete')).every((c) => c.endsWith(' -'))).toBe(true);
    expect(await eraseTenantExports(b.s3, 'exports-bucket', 'acme')).toBe(0);
  });
});
