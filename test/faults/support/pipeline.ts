/**
 * One run of events through the whole pipeline of a running local cloud, and the check of what came
 * out: every accepted event stored exactly once (under the id it was accepted with) and delivered at
 * least once, with the duplicate deliveries counted. The fault test and the fault benchmark both run it.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { LocalCloud } from '@herald/local-cloud';
import { clientConfig, issueToken, loadOrCreateSigningKey } from '@herald/local-cloud/client';
import { produce, type ProducerReport } from './producer';
import { subscriber } from './receiver';
import { check, delivered, type PipelineReport, type UndeliveredTrace } from './report';
import type { Receipt } from './receiver';
import { uploadFiles } from './uploader';

export { formatPipelineReport, type PipelineReport } from './report';

/**
 * What a run needs of a local cloud started in this process: its endpoints and outputs, its identity
 * provider (tokens), its webhook receiver (the subscriber) and its faults, which are turned off while
 * the subscription is made (creating one is not idempotent) and counted.
 */
export type RunningCloud = Pick<LocalCloud, 'endpoints' | 'outputs' | 'identity' | 'webhooks' | 'faults'>;

export interface PipelineRunOptions {
  events: number;
  /** Of those, how many travel in NDJSON uploads (through S3) rather than POST /v1/events... */
  uploadEvents?: number;
  /** ...in how many files (default 1), uploaded one after another. */
  uploadFiles?: number;
  batchSize?: number;
  concurrency?: number;
  /** Every this many ms the subscriber refuses the next webhook with 503 (default 10 s; 0: never). */
  refuseEveryMs?: number;
  /** How long every accepted event may take to be stored and delivered. */
  timeoutMs: number;
  /**
   * Then wait for Herald's queues to drain before counting: the inbound queue's (quick) makes the
   * stored-twice check complete; all of them also count duplicates that come late (a crashed delivery
   * batch returns after its queue's visibility timeout, 180 s).
   */
  settle?: { queues: 'inbound' | 'all'; timeoutMs: number };
  log?: (line: string) => void;
}

const SCOPES = ['events:write', 'subscriptions:write'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function subscribe(
  cloud: RunningCloud,
  token: string,
  url: string,
): Promise<{ id: string; secret: string }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const response = await fetch(`${cloud.endpoints.services.notifications}/v1/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url, eventTypes: ['fault.*'] }),
    }).catch(() => undefined);
    if (response?.status === 201) return (await response.json()) as { id: string; secret: string };
    if (response && response.status < 500)
      throw new Error(`subscription refused: ${response.status} ${await response.text()}`);
    await sleep(500);
  }
  throw new Error('could not create the subscription');
}

/** Every event the tenant has in processing's table: seq → the ids it is stored under. */
async function storedBySeq(db: DynamoDBDocumentClient, tenant: string): Promise<Map<number, string[]>> {
  const bySeq = new Map<number, string[]>();
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: 'herald-local-processing-events',
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
        ExpressionAttributeValues: { ':pk': `TENANT#${tenant}`, ':event': 'EVENT#' },
        ProjectionExpression: 'eventId, envelope',
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      const seq = (JSON.parse(item.envelope as string) as { data: { seq: number } }).data.seq;
      bySeq.set(seq, [...(bySeq.get(seq) ?? []), item.eventId as string]);
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return bySeq;
}

/** Where each undelivered event stopped, read from notifications' deliveries table (see report.ts). */
async function traceUndelivered(
  db: DynamoDBDocumentClient,
  tenant: string,
  seqs: readonly number[],
  stored: ReadonlyMap<number, string[]>,
  receipts: readonly Receipt[],
): Promise<UndeliveredTrace[]> {
  if (seqs.length === 0) return [];
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: 'herald-local-notifications-deliveries',
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `TENANT#${tenant}` },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return seqs.map((seq) => {
    const eventIds = stored.get(seq) ?? [];
    const envelopeStored = items.some(
      (item) =>
        String(item.sk).startsWith('EVT#') && eventIds.some((id) => String(item.sk).endsWith(`#${id}`)),
    );
    const found = items.find(
      (item) => String(item.sk).startsWith('DLV#') && eventIds.includes(String(item.eventId)),
    );
    return {
      seq,
      eventIds,
      envelopeStored,
      delivery: found && {
        status: String(found.status),
        run: Number(found.run),
        attemptCount: Number(found.attemptCount),
        ...(found.reason === undefined ? {} : { reason: String(found.reason) }),
        attempts: (found.attempts as unknown[] | undefined) ?? [],
      },
      answered: receipts.filter((r) => r.seq === seq).map((r) => r.status),
    };
  });
}

async function queueDepth(sqs: SQSClient, url: string): Promise<number> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return Object.values(out.Attributes ?? {}).reduce((sum, value) => sum + Number(value), 0);
}

/** Herald's work queues, in flow order; empty twice in a row means nothing is left in flight. */
async function drained(
  sqs: SQSClient,
  cloud: RunningCloud,
  settle: NonNullable<PipelineRunOptions['settle']>,
): Promise<boolean> {
  const { processing, notifications } = cloud.outputs;
  const downstream = [
    notifications.DispatchQueueUrl,
    notifications.DeliveryQueueUrl,
    notifications.SlowDeliveryQueueUrl,
  ];
  const urls = [processing.InboundQueueUrl, ...(settle.queues === 'all' ? downstream : [])].filter(
    (url): url is string => Boolean(url),
  );
  const timeoutMs = settle.timeoutMs;
  const deadline = Date.now() + timeoutMs;
  let emptySweeps = 0;
  while (Date.now() < deadline) {
    let empty = true;
    for (const url of urls) if ((await queueDepth(sqs, url)) > 0) empty = false;
    emptySweeps = empty ? emptySweeps + 1 : 0;
    if (emptySweeps >= 2) return true;
    await sleep(1000);
  }
  return false;
}

async function deadLetters(sqs: SQSClient): Promise<Record<string, number>> {
  const out = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'herald-local-' }));
  const result: Record<string, number> = {};
  for (const url of out.QueueUrls ?? []) {
    if (!/dlq/.test(url)) continue;
    const depth = await queueDepth(sqs, url);
    if (depth > 0) result[url.slice(url.lastIndexOf('/') + 1)] = depth;
  }
  return result;
}

export async function runPipelineUnderFaults(
  cloud: RunningCloud,
  options: PipelineRunOptions,
): Promise<PipelineReport> {
  const log = options.log ?? (() => undefined);
  const run = `f${randomBytes(4).toString('hex')}`;
  const tenant = `faults-${run}`;
  const key = await loadOrCreateSigningKey(cloud.identity.keyDir);
  const token = await issueToken(key.privateKey, key.kid, cloud.endpoints.issuer, { tenant, scopes: SCOPES });
  const db = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(cloud.endpoints.aws.dynamodb)));
  const sqs = new SQSClient({ ...clientConfig(cloud.endpoints.aws.sqs), useQueueUrlAsEndpoint: false });
  const receiver = subscriber(cloud.webhooks, {
    endpoint: tenant,
    refuseEveryMs: options.refuseEveryMs ?? 10_000,
    // One per window, not more: the local stage's retry schedule (0,1,2,2 s) spreads a delivery's four
    // attempts over about 6 s, so they fall in at most two windows. With two refusals a window, a
    // lone late delivery in a quiet spell was refused all four times and rightly recorded as failed.
    refusals: 1,
  });

  try {
    const rates = cloud.faults?.rates();
    cloud.faults?.set({ aws: 0, crash: 0, stream: 0 });
    const subscription = await subscribe(cloud, token, receiver.url);
    receiver.setSecret(subscription.secret);
    if (rates) cloud.faults?.set({ ...rates.aws, crash: rates.crash, stream: rates.stream });
    cloud.faults?.reset();

    const started = Date.now();
    const uploaded = Math.min(options.uploadEvents ?? 0, options.events);
    log(`sending ${options.events} events as tenant ${tenant} (${uploaded} in an upload)`);
    const [posted, upload] = await Promise.all([
      produce({
        ingestUrl: cloud.endpoints.services.ingest,
        token,
        run,
        events: options.events - uploaded,
        batchSize: options.batchSize ?? 100,
        concurrency: options.concurrency ?? 2,
      }),
      uploadFiles({
        ingestUrl: cloud.endpoints.services.ingest,
        token,
        run,
        seqs: Array.from({ length: uploaded }, (_, i) => options.events - uploaded + i),
        files: options.uploadFiles ?? 1,
        timeoutMs: options.timeoutMs,
      }),
    ]);
    const producer: ProducerReport = {
      ...posted,
      accepted: new Map([...posted.accepted, ...upload.accepted]),
      abandoned: [...posted.abandoned, ...upload.abandoned],
    };
    const acceptMs = Date.now() - started;
    log(`${producer.accepted.size} accepted in ${acceptMs} ms (${producer.requests} requests)`);

    let storedMs = -1;
    let deliveredMs = -1;
    const deadline = started + options.timeoutMs;
    let stored = new Map<number, string[]>();
    for (;;) {
      stored = await storedBySeq(db, tenant);
      const arrived = new Set(delivered(receiver.receipts).map((r) => r.seq));
      const storedAll = [...producer.accepted.keys()].every((seq) => stored.has(seq));
      const deliveredAll = [...producer.accepted.keys()].every((seq) => arrived.has(seq));
      if (storedAll && storedMs < 0) storedMs = Date.now() - started;
      if (deliveredAll && deliveredMs < 0) deliveredMs = Date.now() - started;
      if ((storedAll && deliveredAll) || Date.now() > deadline) break;
      log(
        `stored ${stored.size}, delivered ${arrived.size} of ${producer.accepted.size} after ${Date.now() - started} ms`,
      );
      await sleep(2000);
    }
    const settled = await drained(sqs, cloud, options.settle ?? { queues: 'inbound', timeoutMs: 0 });
    stored = await storedBySeq(db, tenant);
    const report = check(tenant, options.events, producer, stored, receiver.receipts);
    return {
      ...report,
      undelivered: await traceUndelivered(db, tenant, report.delivered.missing, stored, receiver.receipts),
      producer: { ...report.producer, uploads: upload.uploads },
      deadLetters: await deadLetters(sqs),
      settled,
      timingsMs: { accept: acceptMs, stored: storedMs, delivered: deliveredMs, total: Date.now() - started },
      faults: cloud.faults?.counts(),
    };
  } finally {
    receiver.stop();
  }
}
