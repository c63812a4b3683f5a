/**
 * Processing, in process: CPU time per event of the consume and publish handlers, against a baseline
 * of parsing and verifying one envelope, and the AWS API calls the handlers make per stored event.
 *
 *   npx tsx scripts/bench/processing.ts [--events 20000]
 *
 * The handlers run exactly as deployed (middy, the real adapters, the real AWS SDK clients: request
 * building, SigV4 signing, response parsing), but the clients' HTTP handler answers at once, in
 * memory, and counts each call. So the figures are the handlers' own CPU cost, without network or
 * service latency, on this machine's CPU (not Lambda's, which at 512 MB gets a fraction of a vCPU).
 * Log lines are produced and serialised as in production (level INFO); only the final write to
 * stdout is skipped.
 */
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';

process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
process.env.POWERTOOLS_SERVICE_NAME = 'processing';

const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
const { EventBridgeClient } = await import('@aws-sdk/client-eventbridge');
const { SQSClient } = await import('@aws-sdk/client-sqs');
const { createEnvelopeSigner, createEnvelopeVerifier, generateSigningKeyPair } =
  await import('@herald/shared/signing');
const consume = await import('../../services/processing/src/handlers/consume');
const publish = await import('../../services/processing/src/handlers/publish');
const { DynamoEventStore } = await import('../../services/processing/src/adapters/dynamo-event-store');
const { EventBridgeBus } = await import('../../services/processing/src/adapters/eventbridge-bus');
const { SqsDeadLetterQueue } = await import('../../services/processing/src/adapters/sqs-dead-letter-queue');
const { toStoredEvent } = await import('../../services/processing/src/events-table');
const { insertRecord } = await import('../../services/processing/test/support/stream-records');
import type { Context, DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { figure } from './lib/figures';

const { values } = parseArgs({ options: { events: { type: 'string', default: '20000' } } });
const EVENTS = Number(values.events);
const CONSUME_BATCH = 10; // the inbound mapping's batch size
const PUBLISH_BATCH = 100; // the stream mapping's batch size

interface StubRequest {
  headers: Record<string, string>;
  body?: unknown;
}
/** An SDK request handler that answers in memory and counts calls by operation. */
function stubTransport(answer: (target: string, body: string) => { status: number; body: string }) {
  const calls = new Map<string, number>();
  return {
    calls,
    handler: {
      async handle(request: StubRequest) {
        const target = request.headers['x-amz-target'] ?? request.headers['X-Amz-Target'] ?? 'unknown';
        calls.set(target, (calls.get(target) ?? 0) + 1);
        const { status, body } = answer(target, String(request.body ?? ''));
        return {
          response: {
            statusCode: status,
            reason: status === 200 ? 'OK' : 'Bad Request',
            headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'bench' },
            body: Readable.from([Buffer.from(body)]),
          },
        };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    },
  };
}
const clientSettings = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  endpoint: 'https://bench.invalid',
};

let conditionalFailures = false;
const dynamo = stubTransport(() =>
  conditionalFailures
    ? {
        status: 400,
        body: JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
          message: 'The conditional request failed',
        }),
      }
    : { status: 200, body: '{}' },
);
const events = stubTransport((_target, body) => {
  const entries = (JSON.parse(body) as { Entries: unknown[] }).Entries;
  return {
    status: 200,
    body: JSON.stringify({ FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `id-${i}` })) }),
  };
});
const sqs = stubTransport(() => ({ status: 200, body: JSON.stringify({ Successful: [], Failed: [] }) }));

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ ...clientSettings, requestHandler: dynamo.handler as never }),
  { marshallOptions: { removeUndefinedValues: true } },
);
const bus = new EventBridgeClient({ ...clientSettings, requestHandler: events.handler as never });
const deadLetterSqs = new SQSClient({ ...clientSettings, requestHandler: sqs.handler as never });

const key = generateSigningKeyPair('bench-1');
const signer = createEnvelopeSigner(key.privateJwk);
const verifier = createEnvelopeVerifier([key.publicJwk]);
const envelopes = Array.from({ length: EVENTS }, (_, i) =>
  signer.sign({
    specversion: '1.0',
    id: `01BENCH${String(i).padStart(19, '0')}`,
    source: '/herald/ingest',
    type: 'order.created',
    time: '2026-11-28T10:00:00.000Z',
    datacontenttype: 'application/json',
    // A typical small business event, about 300 bytes of data.
    data: {
      orderId: `ord_${i}`,
      customer: { id: `cus_${i % 97}`, email: 'someone@example.com' },
      lines: [
        { sku: 'SKU-1', quantity: 2, price: 19.99 },
        { sku: 'SKU-2', quantity: 1, price: 5.5 },
      ],
      total: 45.48,
      currency: 'EUR',
    },
    tenantid: `tenant-${i % 13}`,
    correlationid: `corr-${i}`,
  }),
);
const bodies = envelopes.map((envelope) => JSON.stringify(envelope));

const context = {
  awsRequestId: 'bench',
  functionName: 'bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
  memoryLimitInMB: '512',
  logGroupName: 'bench',
  logStreamName: 'bench',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} as Context;

const sqsRecord = (body: string, index: number): SQSRecord => ({
  messageId: `m-${index}`,
  receiptHandle: `rh-${index}`,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: String(Date.now()),
    SenderId: 'AIDA',
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: { correlationid: { dataType: 'String', stringValue: `corr-${index}` } },
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:herald-bench-processing-inbound',
  awsRegion: 'us-east-1',
});

const now = new Date();
const streamRecords: DynamoDBRecord[] = envelopes.map((envelope, index) =>
  insertRecord(toStoredEvent(envelope, bodies[index]!, now, now, 30), String(1e20 + index)),
);

const consumeHandler = consume.createHandler(() => ({
  verifier,
  store: new DynamoEventStore(db, 'herald-bench-processing-events'),
  retentionDays: 30,
  now: () => new Date(),
}));
const publishHandler = publish.createHandler(() => ({
  bus: new EventBridgeBus(bus, 'herald-bench'),
  deadLetters: new SqsDeadLetterQueue(deadLetterSqs, 'https://sqs.us-east-1.amazonaws.com/0/dlq'),
  sleep: async () => undefined,
}));

/** CPU microseconds (user + system) spent running `fn`, with stdout writes skipped. */
async function cpuMicros(fn: () => Promise<void>): Promise<number> {
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const start = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(start);
    return used.user + used.system;
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const consumeBatches = chunks(
  bodies.map((body, i) => sqsRecord(body, i)),
  CONSUME_BATCH,
);
const publishBatches = chunks(streamRecords, PUBLISH_BATCH);

async function runConsume(): Promise<void> {
  for (const Records of consumeBatches) {
    const result = await consumeHandler({ Records }, context);
    if (result.batchItemFailures.length > 0) throw new Error('consume reported failures');
  }
}
async function runPublish(): Promise<void> {
  for (const Records of publishBatches) {
    const result = await publishHandler({ Records }, context);
    if (result.batchItemFailures.length > 0) throw new Error('publish reported failures');
  }
}

// Warm up every path once (JIT, SDK client initialisation), then reset the counters.
const warm = Math.min(2000, EVENTS);
await cpuMicros(async () => {
  for (const body of bodies.slice(0, warm)) verifier.verify(body);
  for (const Records of consumeBatches.slice(0, warm / CONSUME_BATCH))
    await consumeHandler({ Records }, context);
  for (const Records of publishBatches.slice(0, warm / PUBLISH_BATCH))
    await publishHandler({ Records }, context);
});
for (const transport of [dynamo, events, sqs]) transport.calls.clear();

const baseline = await cpuMicros(async () => {
  for (const body of bodies) verifier.verify(body);
});
const consumeStored = await cpuMicros(runConsume);
const consumeCalls = new Map(dynamo.calls);
dynamo.calls.clear();
conditionalFailures = true;
const consumeDuplicate = await cpuMicros(runConsume);
const duplicateCalls = new Map(dynamo.calls);
const publishCpu = await cpuMicros(runPublish);

const perEvent = (micros: number) => micros / EVENTS;
const fmt = (micros: number) => `${perEvent(micros).toFixed(1).padStart(7)} µs/event`;
const ratio = (micros: number) => `${(micros / baseline).toFixed(2)}x baseline`;
const callsPerEvent = (calls: Map<string, number>) =>
  [...calls]
    .map(([target, count]) => `${target.split('.').pop()} ${(count / EVENTS).toFixed(2)}`)
    .join(', ') || 'none';

const envelopeBytes = bodies.reduce((sum, body) => sum + Buffer.byteLength(body), 0) / EVENTS;
console.log(
  `processing handlers, in process: ${EVENTS} events of ~${Math.round(envelopeBytes)} bytes, Node ${process.version}`,
);
console.log('CPU time (user + system):');
console.log(`  baseline: parse + verify one envelope      ${fmt(baseline)}`);
console.log(
  `  consume, new events (batches of ${CONSUME_BATCH})      ${fmt(consumeStored)}  ${ratio(consumeStored)}`,
);
console.log(
  `  consume, duplicates (batches of ${CONSUME_BATCH})      ${fmt(consumeDuplicate)}  ${ratio(consumeDuplicate)}`,
);
console.log(
  `  publish (stream batches of ${PUBLISH_BATCH})          ${fmt(publishCpu)}  ${ratio(publishCpu)}`,
);
console.log('AWS API calls made by the handlers, per event:');
console.log(`  consume, new events: ${callsPerEvent(consumeCalls)}`);
console.log(`  consume, duplicates: ${callsPerEvent(duplicateCalls)}`);
console.log(
  `  publish:             ${callsPerEvent(events.calls)}; dead letters: ${callsPerEvent(sqs.calls)}`,
);
console.log(
  `Calls Lambda's pollers make on top (not measured here): SQS ReceiveMessage + DeleteMessageBatch per inbound batch ` +
    `(${(2 / CONSUME_BATCH).toFixed(2)}/event at full batches of ${CONSUME_BATCH}), DynamoDB Streams GetRecords per poll of each shard.`,
);

const floor = { value: perEvent(baseline), label: 'parse + verify one envelope' };
figure({
  figure: `consume CPU per new event (stubbed AWS, batches of ${CONSUME_BATCH})`,
  value: perEvent(consumeStored),
  unit: 'µs/event',
  baseline: floor,
});
figure({
  figure: `consume CPU per duplicate event (batches of ${CONSUME_BATCH})`,
  value: perEvent(consumeDuplicate),
  unit: 'µs/event',
  baseline: floor,
});
figure({
  figure: `publish CPU per event (stubbed AWS, stream batches of ${PUBLISH_BATCH})`,
  value: perEvent(publishCpu),
  unit: 'µs/event',
  baseline: floor,
});
const total = (calls: Map<string, number>) => [...calls.values()].reduce((a, b) => a + b, 0) / EVENTS;
figure({ figure: 'consume AWS calls per new event', value: total(consumeCalls), unit: 'calls/event' });
figure({
  figure: 'publish AWS calls per event',
  value: total(events.calls) + total(sqs.calls),
  unit: 'calls/event',
});
