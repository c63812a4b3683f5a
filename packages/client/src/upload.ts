/**
 * A bulk NDJSON upload: POST /v1/uploads with the file's size, PUT of the file to the presigned URL
 * with exactly the headers it was signed with, then GET /v1/uploads/{id} until the upload is read
 * (`completed`, `rejected` or `failed`), whose report it returns.
 */
import type { components } from './herald-api.generated';
import { HeraldNetworkError, problemFromAnswer } from './problem';
import { unwrap, type Transport } from './transport';

export type Upload = components['schemas']['Upload'];

/** A Node Readable is an async iterable of Buffers (Uint8Arrays); a web ReadableStream may be one too. */
export type UploadSource = Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

export interface UploadOptions {
  /** Bytes sent so far, and of how many. */
  onProgress?: (progress: { sent: number; total: number }) => void;
  /** Between two looks at the upload's status (default 1 s). */
  pollIntervalMs?: number;
  /** Gives up waiting for the report after this long (default 10 minutes): the upload goes on. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const FINISHED: ReadonlyArray<Upload['status']> = ['completed', 'rejected', 'failed'];
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function uploadNdjson(
  transport: Transport,
  source: UploadSource,
  options: UploadOptions = {},
): Promise<Upload> {
  // The size is signed into the URL, so it must be known before the first byte is sent: a stream is
  // read whole first (an upload is 50 MiB at most).
  const file = source instanceof Blob ? source : await blobOf(source);
  const created = await unwrap(transport.api.ingest.POST('/v1/uploads', { body: { size: file.size } }), {
    method: 'POST',
    path: '/v1/uploads',
  });
  await put(transport, created.upload, file, options.onProgress);

  const sleep = options.sleep ?? defaultSleep;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  for (;;) {
    const upload = await unwrap(
      transport.api.ingest.GET('/v1/uploads/{id}', { params: { path: { id: created.id } } }),
      { method: 'GET', path: `/v1/uploads/${created.id}` },
    );
    if (FINISHED.includes(upload.status)) return upload;
    if (Date.now() > deadline)
      throw new Error(`Upload ${created.id} is still ${upload.status}: look again later`);
    await sleep(options.pollIntervalMs ?? 1000);
  }
}

async function put(
  transport: Transport,
  target: components['schemas']['CreatedUpload']['upload'],
  file: Blob,
  onProgress: UploadOptions['onProgress'],
): Promise<void> {
  const total = file.size;
  onProgress?.({ sent: 0, total });
  let response: Response;
  try {
    const { headers, ...init } = body(file, total, onProgress);
    response = await transport.fetch(
      new Request(target.url, {
        ...init,
        method: target.method,
        headers: { ...target.headers, ...(headers as Record<string, string> | undefined) },
      }),
    );
  } catch (error) {
    throw new HeraldNetworkError(target.method, new URL(target.url).origin, error);
  }
  if (!response.ok) {
    // S3's refusal is XML, not a problem: its status and text say what went wrong.
    const text = await response.text();
    throw problemFromAnswer(response, { message: `The upload URL refused the file: ${text.slice(0, 500)}` });
  }
  onProgress?.({ sent: total, total });
}

/**
 * In Node, the file goes as a stream counted as it is read, with its length set (S3 needs it), so
 * progress is reported as it is sent. A browser sets no Content-Length on a stream and streams a
 * request body only over HTTP/2, so there the Blob goes as it is, and progress is its start and end.
 */
function body(file: Blob, total: number, onProgress: UploadOptions['onProgress']): RequestInit {
  const isNode = typeof globalThis.process?.versions?.node === 'string';
  if (!isNode || !onProgress) return { body: file };
  let sent = 0;
  const reader = file.stream().getReader();
  const counted = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      sent += value.byteLength;
      if (sent < total) onProgress({ sent, total });
      controller.enqueue(value);
    },
  });
  return { body: counted, headers: { 'content-length': String(total) }, duplex: 'half' } as RequestInit;
}

async function blobOf(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>,
): Promise<Blob> {
  const parts: Array<Uint8Array | string> = [];
  if ('getReader' in source) {
    const reader = source.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) parts.push(chunk.value);
  } else {
    for await (const chunk of source) parts.push(chunk);
  }
  // Cast: with the DOM's types (a browser build) a Uint8Array over any ArrayBufferLike is not a BlobPart.
  return new Blob(parts as ConstructorParameters<typeof Blob>[0]);
}
