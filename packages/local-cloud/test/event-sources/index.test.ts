// All event sources started and stopped together against the real emulators.
import { afterAll, beforeAll, expect, jest, test } from '@jest/globals';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, queueArn, queueUrl } from '../../src/aws';
import { startEmulators } from '../../src/emulators';
import type { Emulators } from '../../src/emulators';
import { startEventSources } from '../../src/event-sources';
import type { EventSourceDeps } from '../../src/event-sources';
import type { EventSource } from '../../src/types';
import {
  EMULATOR_TEST_MS,
  EMULATORS_START_MS,
  EMULATORS_STOP_MS,
  MemoryLog,
  settlesBefore,
  TestInvoker,
  uniqueName,
  waitFor,
} from './helpers';

// The emulators answer slowly on a busy machine: any test here may take that long.
jest.setTimeout(EMULATOR_TEST_MS);

let emulators: Emulators;
let deps: EventSourceDeps;
let dynamodb: DynamoDBClient;
const invoker = new TestInvoker();
const log = new MemoryLog();

beforeAll(async () => {
  emulators = await startEmulators('auto');
  dynamodb = new DynamoDBClient(clientConfig(emulators.endpoints.dynamodb));
  deps = {
    sqs: new SQSClient({ ...clientConfig(emulators.endpoints.sqs), useQueueUrlAsEndpoint: false }),
    streams: new DynamoDBStreamsClient(clientConfig(emulators.endpoints.dynamodb)),
    s3: new S3Client({ ...clientConfig(emulators.endpoints.s3), forcePathStyle: true }),
    fauxqs: emulators.fauxqs,
    invoker,
    log,
  };
}, EMULATORS_START_MS);

afterAll(async () => {
  deps?.sqs.destroy();
  deps?.streams.destroy();
  deps?.s3.destroy();
  dynamodb?.destroy();
  await emulators?.stop();
}, EMULATORS_STOP_MS);

/** How long the SQS source's long poll would run if stopping did not cut it short. */
const LONG_POLL_MS = 20_000;

test('SQS, stream and S3 sources run side by side and stop together', async () => {
  const queue = uniqueName('q');
  await deps.sqs.send(new CreateQueueCommand({ QueueName: queue }));
  const tableName = uniqueName('table');
  const table = await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  const bucket = uniqueName('bucket');
  await deps.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const sources: EventSource[] = [
    {
      kind: 'sqs',
      functionName: 'from-queue',
      queueArn: queueArn(queue),
      queueUrl: queueUrl(queue),
      batchSize: 10,
      maximumBatchingWindowInSeconds: 0,
      reportBatchItemFailures: false,
      enabled: true,
    },
    {
      kind: 'dynamodb-stream',
      functionName: 'from-stream',
      streamArn: table.TableDescription!.LatestStreamArn!,
      tableName,
      batchSize: 100,
      maximumBatchingWindowInSeconds: 0,
      startingPosition: 'LATEST',
      filterPatterns: [],
      maximumRetryAttempts: -1,
      bisectBatchOnFunctionError: false,
      reportBatchItemFailures: false,
      enabled: true,
    },
    { kind: 's3', functionName: 'from-bucket', bucket, events: ['s3:ObjectCreated:*'] },
  ];
  const handle = await startEventSources(sources, deps, { streams: { pollIntervalMs: 25 } });
  await deps.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'hi' }));
  await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'k' } } }));
  await deps.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k.txt', Body: 'x' }));
  const invoked = (name: string) => invoker.invocations.some((i) => i.functionName === name);
  await waitFor('all three functions', () => ['from-queue', 'from-stream', 'from-bucket'].every(invoked));

  expect(await settlesBefore(handle.stop(), LONG_POLL_MS)).toBe(true);
}, 40_000);

test('if one source cannot start, none is left running', async () => {
  const queue = uniqueName('q');
  await deps.sqs.send(new CreateQueueCommand({ QueueName: queue }));
  const sqsMapping = (name: string): EventSource => ({
    kind: 'sqs',
    functionName: 'from-queue',
    queueArn: queueArn(name),
    queueUrl: queueUrl(name),
    batchSize: 10,
    maximumBatchingWindowInSeconds: 0,
    reportBatchItemFailures: false,
    enabled: true,
  });
  await expect(startEventSources([sqsMapping(queue), sqsMapping('missing-queue')], deps)).rejects.toThrow();
  const before = invoker.invocations.length;
  await deps.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'nobody listens' }));
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(invoker.invocations.length).toBe(before);
});
