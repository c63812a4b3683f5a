/**
 * Ingest on the local cloud: requests per second and latency of POST /v1/events (one event, then a
 * batch of 100) under load from autocannon, events per second of a 100,000-line upload with the peak
 * memory of the process running onUpload, and the size of each function's bundle.
 *
 *   npx tsx scripts/bench/ingest.ts [--duration 10] [--connections 10] [--lines 100000]
 *
 * Everything runs on this one machine: the load generator, the emulators, and serverless-offline
 * (which runs functions in the host's Node, with none of Lambda's CPU or memory limits), so the
 * figures compare builds of Herald with each other, not with AWS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PurgeQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, repositoryRoot, startLocalCloud } from '@herald/local-cloud';
import { figure } from './lib/figures';
import { treeRssMiB } from './lib/process-tree';

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number; average: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
}) => Promise<AutocannonResult>;
// autocannon ships no types; this is the part of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    lines: { type: 'string', default: '100000' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const lineCount = Number(values.lines);

/** Name → uncompressed size of each file in a zip, read from its central directory. */
function zipEntries(zip: Buffer): Map<string, number> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries = new Map<string, number>();
  let at = zip.readUInt32LE(end + 16);
  for (let n = zip.readUInt16LE(end + 10); n > 0; n--) {
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    entries.set(name, zip.readUInt32LE(at + 24));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** Ingest packaged into a directory of its own, so other packaging runs cannot change what is measured. */
function bundleSizes(): string[] {
  const out = mkdtempSync(join(tmpdir(), 'herald-bench-ingest-'));
  try {
    execFileSync(
      join(repositoryRoot, 'node_modules', '.bin', 'serverless'),
      ['package', '--stage', 'local', '--package', out],
      {
        cwd: join(repositoryRoot, 'services', 'ingest'),
        stdio: 'ignore',
      },
    );
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
    return readdirSync(out)
      .filter((file) => file.endsWith('.zip'))
      .map((file) => {
        const zip = readFileSync(join(out, file));
        const entries = [...zipEntries(zip)];
        const size = (suffix: string) => entries.find(([name]) => name.endsWith(suffix))?.[1] ?? 0;
        const [code, map] = [size('.mjs'), size('.mjs.map')];
        return `bundle ${file.replace(/\.zip$/, '').padEnd(13)} ${kib(code).padStart(8)} minified (+ ${kib(map)} source map), ${kib(zip.length)} zipped`;
      });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const bundles = bundleSizes();
const cloud = await startLocalCloud({
  ports: 'auto',
  logDir: '.local-cloud/bench-logs',
  // Responses stream unread, as before contract checks, unless HERALD_CONTRACT asks for them.
  ...(process.env.HERALD_CONTRACT ? {} : { contract: 'off' as const }),
});

const sqs = new SQSClient({ ...clientConfig(cloud.endpoints.aws.sqs), useQueueUrlAsEndpoint: false });
const inboundQueueUrl = cloud.outputs.processing.InboundQueueUrl!;
const api = cloud.endpoints.services.ingest;
const token = await cloud.identity.issueToken({ tenant: 'bench', scopes: ['events:write'] });
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

/** Drops what earlier phases queued, so processing's consumer does not compete with the next one. */
async function quiet(): Promise<void> {
  await sqs.send(new PurgeQueueCommand({ QueueUrl: inboundQueueUrl }));
  await new Promise((resolve) => setTimeout(resolve, 3_000));
}

const results: string[] = [];
try {
  const event = {
    type: 'order.created',
    subject: 'orders/42',
    data: { orderId: 42, total: 99.5, currency: 'EUR' },
  };
  const phases = [
    { name: 'one event', body: JSON.stringify(event), events: 1 },
    {
      name: 'batch of 100',
      body: JSON.stringify({ events: Array.from({ length: 100 }, () => event) }),
      events: 100,
    },
  ];
  for (const phase of phases) {
    // Warm every connection's container first: cold starts are not what this measures.
    await autocannon({
      url: `${api}/v1/events`,
      method: 'POST',
      headers,
      body: phase.body,
      connections,
      duration: 2,
    });
    await quiet();
    const run = await autocannon({
      url: `${api}/v1/events`,
      method: 'POST',
      headers,
      body: phase.body,
      connections,
      duration,
    });
    const what = `POST /v1/events, ${phase.name} (${connections} connections)`;
    figure({
      figure: `${what}: events accepted per second`,
      value: run.requests.average * phase.events,
      unit: 'events/s',
      higherIsBetter: true,
    });
    figure({ figure: `${what}: latency p99`, value: run.latency.p99, unit: 'ms' });
    figure({
      figure: `${what}: requests not answered 2xx`,
      value: run.non2xx + run.errors,
      unit: 'requests',
      baseline: { value: 0, label: 'none refused' },
    });
    results.push(
      `POST /v1/events, ${phase.name.padEnd(13)} ${run.requests.average.toFixed(0).padStart(5)} req/s ` +
        `(${(run.requests.average * phase.events).toFixed(0)} events/s), latency p50 ${run.latency.p50} ms, ` +
        `p99 ${run.latency.p99} ms; ${run['2xx']} answered 2xx, ${run.non2xx} not, ${run.errors} errors ` +
        `(${connections} connections, ${duration} s)`,
    );
  }
  await quiet();

  // A 100,000-line file: mostly valid events, one invalid line in a thousand.
  const lines = Array.from({ length: lineCount }, (_, n) =>
    n % 1000 === 999
      ? '{"type":"Bad Type","data":{}}'
      : `{"type":"order.created","subject":"orders/${n}","data":{"n":${n},"total":${n % 500}.5}}`,
  );
  const content = Buffer.from(`${lines.join('\n')}\n`);
  const created = await fetch(`${api}/v1/uploads`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ size: content.length }),
  });
  if (created.status !== 201) throw new Error(`POST /v1/uploads: ${created.status} ${await created.text()}`);
  const upload = (await created.json()) as {
    id: string;
    upload: { url: string; headers: Record<string, string> };
  };

  const pid = cloud.status().ingest.pid;
  const baseline = pid ? treeRssMiB(pid) : NaN;
  let peak = baseline;
  const sampler = setInterval(() => {
    if (pid) peak = Math.max(peak, treeRssMiB(pid));
  }, 100);

  const sent = performance.now();
  const { 'content-length': _length, ...putHeaders } = upload.upload.headers;
  const put = await fetch(upload.upload.url, { method: 'PUT', headers: putHeaders, body: content });
  if (put.status !== 200) throw new Error(`PUT: ${put.status} ${await put.text()}`);
  let view: {
    status: string;
    startedAt?: string;
    completedAt?: string;
    failure?: string;
    report?: { lines: number; accepted: number; rejected: number };
  };
  for (let errors = 0; ;) {
    const response = await fetch(`${api}/v1/uploads/${upload.id}`, { headers });
    if (response.status !== 200) {
      // A busy local machine can fail a poll; the upload goes on regardless.
      if (++errors > 20)
        throw new Error(`GET /v1/uploads/${upload.id}: ${response.status} ${await response.text()}`);
    } else {
      view = (await response.json()) as typeof view;
      if (view.status !== 'pending' && view.status !== 'processing') break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const endToEnd = (performance.now() - sent) / 1000;
  clearInterval(sampler);
  if (view.status !== 'completed') throw new Error(`upload ${view.status}: ${view.failure}`);
  const inFunction = (Date.parse(view.completedAt!) - Date.parse(view.startedAt!)) / 1000;
  const { accepted, rejected } = view.report!;
  results.push(
    `upload of ${lineCount.toLocaleString('en')} lines (${(content.length / 1024 / 1024).toFixed(1)} MiB): ` +
      `${accepted} queued, ${rejected} rejected in ${inFunction.toFixed(1)} s in onUpload = ` +
      `${(accepted / inFunction).toFixed(0)} events/s (${((accepted + rejected) / inFunction).toFixed(0)} lines/s); ` +
      `${endToEnd.toFixed(1)} s from PUT to report`,
  );
  figure({
    figure: `upload of ${lineCount} lines: events queued per second in onUpload`,
    value: accepted / inFunction,
    unit: 'events/s',
    higherIsBetter: true,
  });
  figure({ figure: "upload: ingest's serverless-offline peak RSS", value: peak, unit: 'MiB' });
  results.push(
    `  ingest's serverless-offline process (every ingest function): ${baseline.toFixed(0)} MiB RSS before, ` +
      `${peak.toFixed(0)} MiB at its peak during the upload`,
  );
} finally {
  await cloud.stop();
}

console.log([...results, ...bundles].join('\n'));
