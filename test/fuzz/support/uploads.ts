/**
 * NDJSON uploads of fuzzed lines through the real path (POST /v1/uploads, the presigned PUT, S3's
 * notification to onUpload), and objects in the uploads bucket that no upload made. Each file's
 * report must account for every line, refuse the lines that must be refused, take those that must
 * be taken, and never be left `processing`.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { clientConfig } from '@herald/local-cloud/client';
import { ulid } from 'ulid';
import { eventually, localCloud } from '../../setup/local-cloud';
import type { UploadLine } from './arbitraries';
import { wtf8 } from './raw-text';
import { call, type FuzzTenant } from './world';

export interface UploadFile {
  lines: UploadLine[];
  newline: '\n' | '\r\n';
  bom: boolean;
  /** Ids given to lines that must be taken (every other one), by line number (1-based). */
  ids: Map<number, string>;
}

/** Gives every other line that must be taken an id of its own, so it can be found once stored. */
export function asFile(run: string, index: number, lines: UploadLine[]): UploadFile {
  const ids = new Map<number, string>();
  const named = lines.map((line, n) => {
    if (line.must !== 'accept' || n % 2 === 1 || !line.text.startsWith('{')) return line;
    const id = `fz-${run}-up${index}-${n + 1}`;
    ids.set(n + 1, id);
    return { ...line, text: `{"id":"${id}",${line.text.slice(1)}` };
  });
  return { lines: named, newline: index % 2 === 0 ? '\n' : '\r\n', bom: index === 2, ids };
}

export function fileBytes(file: UploadFile): Buffer {
  const parts: Buffer[] = file.bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
  file.lines.forEach((line, n) => {
    if (n > 0) parts.push(Buffer.from(file.newline));
    parts.push(line.hex !== undefined ? Buffer.from(line.hex, 'hex') : wtf8(line.text));
  });
  return Buffer.concat(parts);
}

interface Report {
  lines: number;
  accepted: number;
  rejected: number;
  blank: number;
  rejections: Array<{ line: number; reason: string }>;
  nextCursor?: string;
}

export interface UploadOutcome {
  id: string;
  status: string;
  report?: Report;
  /** What is wrong with the outcome, line by line. */
  problems: string[];
  /** Ids of the lines taken that carried one: each must be stored. */
  taken: string[];
}

/** Uploads the file, waits for onUpload, and checks the report against what each line must come to. */
export async function uploadAndCheck(
  tenant: FuzzTenant,
  file: UploadFile,
  timeoutMs: number,
): Promise<UploadOutcome> {
  const content = fileBytes(file);
  const created = await call(tenant.token, 'ingest', 'POST', '/v1/uploads', { size: content.length });
  if (created.status !== 201)
    return { id: '', status: `POST ${created.status}`, problems: [JSON.stringify(created.body)], taken: [] };
  const id = created.body.id as string;
  const upload = created.body.upload as { method: string; url: string; headers: Record<string, string> };
  const { 'content-length': _length, ...headers } = upload.headers;
  const put = await fetch(upload.url, { method: upload.method, headers, body: content });
  if (put.status !== 200) return { id, status: `PUT ${put.status}`, problems: [await put.text()], taken: [] };

  const view = await eventually(
    async () => {
      const answer = await call(tenant.token, 'ingest', 'GET', `/v1/uploads/${id}`);
      const status = answer.body.status as string;
      return status === 'pending' || status === 'processing' ? undefined : answer.body;
    },
    timeoutMs,
    `upload ${id} processed`,
  ).catch(() => ({ status: 'left pending or processing' }) as Record<string, unknown>);
  const status = view.status as string;
  const report = view.report as Report | undefined;
  if (status !== 'completed' || !report)
    return { id, status, problems: [`status ${status}: ${JSON.stringify(view).slice(0, 500)}`], taken: [] };

  const rejections = [...report.rejections];
  let cursor = report.nextCursor;
  while (cursor) {
    const page = await call(tenant.token, 'ingest', 'GET', `/v1/uploads/${id}?cursor=${cursor}`);
    const more = page.body.report as Report;
    rejections.push(...more.rejections);
    cursor = more.nextCursor;
  }
  const refused = new Set(rejections.map((r) => r.line));
  const problems: string[] = [];
  if (report.lines !== file.lines.length)
    problems.push(`report counts ${report.lines} lines of ${file.lines.length}`);
  if (report.accepted + report.rejected + report.blank !== report.lines)
    problems.push(
      `accepted ${report.accepted} + rejected ${report.rejected} + blank ${report.blank} != ${report.lines}`,
    );
  file.lines.forEach((line, n) => {
    const number = n + 1;
    const shown = line.hex ?? line.text.slice(0, 160);
    if ((line.must === 'accept' || line.must === 'blank') && refused.has(number))
      problems.push(
        `line ${number} refused (${rejections.find((r) => r.line === number)?.reason}): ${JSON.stringify(shown)}`,
      );
    if (line.must === 'refuse' && !refused.has(number))
      problems.push(`line ${number} taken: ${JSON.stringify(shown)}`);
  });
  const taken = [...file.ids].filter(([line]) => !refused.has(line)).map(([, named]) => named);
  return { id, status, report: { ...report, rejections }, problems, taken };
}

/** Objects in the uploads bucket that no upload made, under odd keys: onUpload must shrug them off. */
export async function strayObjects(tenant: FuzzTenant, keys: string[]): Promise<void> {
  const cloud = localCloud();
  const s3 = new S3Client({ ...clientConfig(cloud.endpoints.aws.s3), forcePathStyle: true });
  const bucket = cloud.outputs.ingest.UploadsBucketName!;
  for (const key of [`uploads/${tenant.id}/${ulid()}`, `uploads/${tenant.id}/`, `uploads/x`, ...keys])
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: '{"type":"fuzz.stray","data":1}\n' }),
    );
}
