/**
 * A producer of bulk uploads, as the ingest README asks one to behave under faults: each line names
 * its event's id; POST /v1/uploads and the PUT of the file are retried on 5xx (a 412 to the PUT means
 * an earlier attempt wrote the file and only its answer was lost); an upload that ends `failed` is
 * uploaded again as a new file, whose lines processing recognises. A line is accepted once its
 * upload is `completed` with every line accepted. The PUT goes to the URL ingest signed, so it crosses
 * S3's gateway like any S3 call of the functions (judged as createUpload, which signed it, then faulted).
 */

export interface UploadReport {
  accepted: Map<number, string>;
  abandoned: number[];
  /** Uploads made, and how each ended. */
  uploads: Array<{ id: string; status: string; accepted: number; putAttempts: number }>;
}

export interface UploaderOptions {
  ingestUrl: string;
  token: string;
  run: string;
  seqs: readonly number[];
  /** How long one upload may take to be read. */
  timeoutMs: number;
  maxUploads?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(url: string, init: RequestInit, tries = 20): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, init).catch(() => undefined);
    if (response && response.status < 500) return response;
    await response?.arrayBuffer();
    if (attempt + 1 >= tries)
      throw new Error(`${init.method ?? 'GET'} ${url}: ${response?.status ?? 'no answer'}`);
    await sleep(Math.min(2000, 100 * 2 ** attempt));
  }
}

/** The events in `files` files of about equal size, uploaded one after another. */
export async function uploadFiles(options: UploaderOptions & { files: number }): Promise<UploadReport> {
  const report: UploadReport = { accepted: new Map(), abandoned: [], uploads: [] };
  const size = Math.ceil(options.seqs.length / Math.max(1, options.files));
  for (let start = 0; start < options.seqs.length; start += size) {
    const one = await uploadEvents({ ...options, seqs: options.seqs.slice(start, start + size) });
    for (const [seq, id] of one.accepted) report.accepted.set(seq, id);
    report.abandoned.push(...one.abandoned);
    report.uploads.push(...one.uploads);
  }
  return report;
}

async function uploadEvents(options: UploaderOptions): Promise<UploadReport> {
  const report: UploadReport = { accepted: new Map(), abandoned: [], uploads: [] };
  if (options.seqs.length === 0) return report;
  const auth = { authorization: `Bearer ${options.token}` };
  const lines = options.seqs.map((seq) => ({
    seq,
    id: `${options.run}-${seq}`,
    text: JSON.stringify({
      id: `${options.run}-${seq}`,
      type: 'fault.checked',
      data: { seq, run: options.run },
    }),
  }));
  const file = Buffer.from(lines.map((line) => `${line.text}\n`).join(''));

  for (let upload = 0; upload < (options.maxUploads ?? 3); upload++) {
    const created = await call(`${options.ingestUrl}/v1/uploads`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ size: file.length }),
    });
    if (created.status !== 201) throw new Error(`upload refused: ${created.status} ${await created.text()}`);
    const { id, upload: target } = (await created.json()) as {
      id: string;
      upload: { url: string; headers: Record<string, string> };
    };

    let putAttempts = 0;
    for (;;) {
      putAttempts += 1;
      const put = await fetch(target.url, { method: 'PUT', headers: target.headers, body: file }).catch(
        () => undefined,
      );
      await put?.arrayBuffer();
      if (put && (put.status === 200 || put.status === 412)) break;
      if (put && put.status < 500) throw new Error(`the upload's PUT was refused: ${put.status}`);
      if (putAttempts >= 20) throw new Error('the upload could not be written');
      await sleep(Math.min(2000, 100 * 2 ** putAttempts));
    }

    const deadline = Date.now() + options.timeoutMs;
    let view: { status: string; report?: { accepted: number } } = { status: 'pending' };
    while (['pending', 'processing'].includes(view.status) && Date.now() < deadline) {
      await sleep(1000);
      const answer = await call(`${options.ingestUrl}/v1/uploads/${id}`, { headers: auth });
      view = (await answer.json()) as typeof view;
    }
    const accepted = view.report?.accepted ?? 0;
    report.uploads.push({ id, status: view.status, accepted, putAttempts });
    if (view.status === 'completed' && accepted === lines.length) {
      for (const line of lines) report.accepted.set(line.seq, line.id);
      return report;
    }
  }
  report.abandoned.push(...options.seqs);
  return report;
}
