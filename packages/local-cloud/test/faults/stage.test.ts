// The fault stage (in the IAM gateway, with IAM off) with the real AWS SDK in front of the real emulators (fauxqs for SQS and S3, the local
// KMS and EventBridge): each service's faults are errors the SDK classifies and retries as in AWS, and
// a batch failed by entry leaves exactly what its answer says in the emulator. DynamoDB's answers are
// checked against a stand-in that answers `{}` (DynamoDB Local is a JVM; its protocol is not in question).
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type SendMessageBatchCommandOutput,
} from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { clientConfig, queueArn, queueUrl } from '../../src/aws';
import { startEventBridge, type EventBridgeServer } from '../../src/eventbridge/server';
import { parseFaults, type FaultOptions, type FaultyService } from '../../src/faults/config';
import { FaultPlan } from '../../src/faults/plan';
import { startIamGateway, type IamGateway } from '../../src/iam/gateway';
import { GatewayLedger } from '../../src/iam/gateway-ledger';
import { startKms, type KmsServer } from '../../src/kms';
import { uniqueName } from '../event-sources/helpers';

let fauxqs: FauxqsServer;
let fauxqsEndpoint: string;
let kms: KmsServer;
let bridge: EventBridgeServer;
let dynamoStandIn: Server;
let dynamoEndpoint: string;
const proxies: IamGateway[] = [];
const logs: string[] = [];

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, host: '127.0.0.1', logger: false });
  fauxqsEndpoint = `http://127.0.0.1:${fauxqs.port}`;
  kms = await startKms({ port: 'auto' });
  kms.keyring.addKey('1234abcd-12ab-34cd-56ef-1234567890ab', 'test key');
  bridge = await startEventBridge({ port: 'auto', sqsEndpoint: fauxqsEndpoint, log: (l) => logs.push(l) });
  dynamoStandIn = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => dynamoStandIn.listen(0, '127.0.0.1', resolve));
  const address = dynamoStandIn.address();
  dynamoEndpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}, 60_000);

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.stop()));
  await bridge.stop();
  await kms.stop();
  await new Promise((resolve) => dynamoStandIn.close(resolve));
  await fauxqs.stop();
}, 30_000);

async function proxyFor(service: FaultyService, target: string, faults: FaultOptions) {
  const plan = new FaultPlan(parseFaults(faults)!);
  const proxy = await startIamGateway({
    service,
    target,
    authorizer: { authorize: () => undefined },
    mode: () => 'off',
    ledger: new GatewayLedger(),
    faults: plan,
    log: (line) => logs.push(line),
  });
  proxies.push(proxy);
  return { plan, endpoint: proxy.endpoint };
}

const sqsClient = (endpoint: string, maxAttempts = 3) =>
  new SQSClient({ ...clientConfig(endpoint), useQueueUrlAsEndpoint: false, maxAttempts });

async function createQueue(): Promise<string> {
  const name = uniqueName('faults');
  await sqsClient(fauxqsEndpoint).send(new CreateQueueCommand({ QueueName: name }));
  return name;
}

/** Every message on the queue, read straight from the emulator until it answers empty twice. */
async function drain(name: string): Promise<string[]> {
  const sqs = sqsClient(fauxqsEndpoint);
  const bodies: string[] = [];
  for (let empty = 0; empty < 2;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl(name),
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 300,
      }),
    );
    const messages = out.Messages ?? [];
    empty = messages.length === 0 ? empty + 1 : 0;
    bodies.push(...messages.map((m) => m.Body!));
  }
  return bodies.sort();
}

/** Runs `calls` calls at once and returns the errors they ended with. */
async function failures(calls: number, call: () => Promise<unknown>) {
  const settled = await Promise.allSettled(Array.from({ length: calls }, call));
  return settled.map((outcome) => {
    if (outcome.status === 'fulfilled') throw new Error('a call at fault rate 1 succeeded');
    return outcome.reason as Error & { $metadata?: { attempts?: number; httpStatusCode?: number } };
  });
}

describe('the fault stage', () => {
  test('with no fault every call passes through to the emulator, and is counted', async () => {
    const name = await createQueue();
    const { plan, endpoint } = await proxyFor('sqs', fauxqsEndpoint, 'sqs=0');
    const sqs = sqsClient(endpoint);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(name), MessageBody: 'one' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(name), MessageBody: 'two' }));
    expect(await drain(name)).toEqual(['one', 'two']);
    const counts = plan.ledger.snapshot().aws.sqs;
    expect(counts.operations.SendMessage).toMatchObject({ attempts: 2, calls: 2, surfaced: 0 });
    expect(counts.faults).toEqual({ throttle: 0, error: 0, 'error-after': 0, partial: 0 });
  });

  // Each service's faults, as the SDK sees them: names it knows, and every attempt the client allows
  // (DynamoDB's default is 4, the others' 3), which proves it took them for retryable errors.
  const cases: Array<[FaultyService, () => Promise<() => Promise<unknown>>, string[], number]> = [
    [
      'sqs',
      async () => {
        const name = await createQueue();
        const { endpoint } = await proxyFor('sqs', fauxqsEndpoint, 'sqs=1,seed=2');
        const sqs = sqsClient(endpoint);
        return () => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(name), MessageBody: 'x' }));
      },
      ['RequestThrottled', 'InternalError'],
      3,
    ],
    [
      'dynamodb',
      async () => {
        const { endpoint } = await proxyFor('dynamodb', dynamoEndpoint, 'dynamodb=1,seed=2');
        const db = new DynamoDBClient(clientConfig(endpoint));
        return () => db.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }));
      },
      ['ThrottlingException', 'ProvisionedThroughputExceededException', 'InternalServerError'],
      4,
    ],
    [
      'events',
      async () => {
        const { endpoint } = await proxyFor('events', bridge.endpoint, 'events=1,seed=2');
        const events = new EventBridgeClient(clientConfig(endpoint));
        // Not PutEvents: a batch may also fail by entry in a 200 answer (tested below).
        return () => events.send(new DescribeEventBusCommand({ Name: 'default' }));
      },
      ['ThrottlingException', 'InternalException'],
      3,
    ],
    [
      'kms',
      async () => {
        const { endpoint } = await proxyFor('kms', kms.endpoint, 'kms=1,seed=2');
        const client = new KMSClient(clientConfig(endpoint));
        return () =>
          client.send(
            new EncryptCommand({
              KeyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
              Plaintext: Buffer.from('x'),
            }),
          );
      },
      ['ThrottlingException', 'KMSInternalException'],
      3,
    ],
    [
      's3',
      async () => {
        const s3 = new S3Client({ ...clientConfig(fauxqsEndpoint), forcePathStyle: true });
        const bucket = uniqueName('faults');
        await s3.send(new CreateBucketCommand({ Bucket: bucket }));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }));
        const { endpoint } = await proxyFor('s3', fauxqsEndpoint, 's3=1,seed=2');
        const proxied = new S3Client({ ...clientConfig(endpoint), forcePathStyle: true });
        return () => proxied.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }));
      },
      ['SlowDown', 'InternalError'],
      3,
    ],
  ];

  test.each(cases)(
    '%s: throttling and internal errors in its own protocol, retried by the SDK',
    async (_service, setUp, names, attempts) => {
      const call = await setUp();
      const errors = await failures(8, call);
      for (const error of errors) {
        expect(names).toContain(error.name);
        expect(error.$metadata?.attempts).toBe(attempts);
      }
      // The seed gives both kinds among eight calls.
      expect(new Set(errors.map((error) => error.$metadata?.httpStatusCode)).size).toBe(2);
    },
    30_000,
  );

  test('the ledger tells attempts from calls, and counts a call as failed only if its last attempt was', async () => {
    const name = await createQueue();
    const { plan, endpoint } = await proxyFor('sqs', fauxqsEndpoint, 'sqs=0.5,seed=5');
    const sqs = sqsClient(endpoint);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(name), MessageBody: `m${i}` })),
      ),
    );
    const failed = outcomes.filter((outcome) => outcome.status === 'rejected').length;
    const counts = plan.ledger.snapshot().aws.sqs.operations.SendMessage!;
    expect(counts.calls).toBe(40);
    expect(counts.surfaced).toBe(failed);
    expect(counts.attempts).toBeGreaterThan(40);
    const faults = Object.values(counts.faults).reduce((a, b) => a + b, 0);
    // Every attempt beyond a call's first follows a faulted one.
    expect(counts.attempts - counts.calls).toBeLessThanOrEqual(faults);
  }, 60_000);

  test('a sticky fault fails every retry of its call, so the calling code sees it', async () => {
    const name = await createQueue();
    const { plan, endpoint } = await proxyFor('sqs', fauxqsEndpoint, 'sqs=0.3,sticky=1,seed=8');
    const sqs = sqsClient(endpoint);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(name), MessageBody: `m${i}` })),
      ),
    );
    const failed = outcomes.filter((outcome) => outcome.status === 'rejected').length;
    const counts = plan.ledger.snapshot().aws.sqs.operations.SendMessage!;
    expect(failed).toBeGreaterThan(0);
    // A call either passed at its first attempt or failed all three.
    expect(counts.attempts).toBe(30 + 2 * failed);
    expect(counts.surfaced).toBe(failed);
    // Applied once at most: a sticky call's retries are refused before the emulator sees them.
    expect((await drain(name)).length).toBe(30 - failed + counts.faults['error-after']);
  }, 60_000);

  test('SendMessageBatch: what the answer calls sent is on the queue, what it calls failed is not', async () => {
    const name = await createQueue();
    const { plan, endpoint } = await proxyFor('sqs', fauxqsEndpoint, 'sqs=1,seed=11');
    const sqs = sqsClient(endpoint, 1);
    const answered: Array<{ call: number; out: SendMessageBatchCommandOutput }> = [];
    let thrown = 0;
    for (let call = 0; call < 30; call++) {
      const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: `c${call}-e${i}` }));
      try {
        const out = await sqs.send(
          new SendMessageBatchCommand({ QueueUrl: queueUrl(name), Entries: entries }),
        );
        answered.push({ call, out });
      } catch {
        thrown += 1;
      }
    }
    const counts = plan.ledger.snapshot().aws.sqs;
    expect(answered.length).toBe(counts.faults.partial);
    expect(thrown).toBe(counts.faults.throttle + counts.faults.error + counts.faults['error-after']);
    expect(answered.length).toBeGreaterThan(0);
    expect(counts.faults['error-after']).toBeGreaterThan(0);

    const onQueue = new Set(await drain(name));
    let sent = 0;
    for (const { call, out } of answered) {
      for (const failed of out.Failed ?? []) {
        expect(failed).toMatchObject({ Code: 'InternalError', SenderFault: false });
        expect(onQueue.has(`c${call}-${failed.Id}`)).toBe(false);
      }
      for (const ok of out.Successful ?? []) expect(onQueue.has(`c${call}-${ok.Id}`)).toBe(true);
      sent += out.Successful?.length ?? 0;
      expect((out.Successful?.length ?? 0) + (out.Failed?.length ?? 0)).toBe(10);
    }
    expect(counts.entriesFailed).toBe(answered.reduce((n, { out }) => n + (out.Failed?.length ?? 0), 0));
    // Applied: the sent entries of partial answers, and every entry of a call whose answer was lost.
    expect(onQueue.size).toBe(sent + 10 * counts.faults['error-after']);
  }, 60_000);

  test('PutEvents: entries answered with an EventId reach the rule’s target, failed ones do not', async () => {
    const name = await createQueue();
    const rule = uniqueName('rule');
    bridge.bus.putRule({
      name: rule,
      eventBusName: 'default',
      eventPattern: { source: [rule] },
      state: 'ENABLED',
    });
    bridge.bus.putTargets(rule, 'default', [{ id: 'queue', arn: queueArn(name) }]);
    const { plan, endpoint } = await proxyFor('events', bridge.endpoint, 'events=1,seed=4');
    const events = new EventBridgeClient({ ...clientConfig(endpoint), maxAttempts: 1 });
    const published: string[] = [];
    const results: PutEventsResultEntry[] = [];
    for (let call = 0; call < 30; call++) {
      const ids = Array.from({ length: 5 }, (_, i) => `c${call}-e${i}`);
      try {
        const out = await events.send(
          new PutEventsCommand({
            Entries: ids.map((id) => ({ Source: rule, DetailType: 'test', Detail: JSON.stringify({ id }) })),
          }),
        );
        expect(out.Entries).toHaveLength(5);
        expect(out.FailedEntryCount).toBe(out.Entries!.filter((entry) => entry.ErrorCode).length);
        out.Entries!.forEach((entry, i) => {
          results.push(entry);
          if (entry.EventId) published.push(ids[i]!);
        });
      } catch {
        // Refused as a whole; whether it was applied the ledger says (error-after).
      }
    }
    const afterApplied = plan.ledger.snapshot().aws.events.faults['error-after'];
    expect(results.some((entry) => entry.ErrorCode)).toBe(true);
    for (const entry of results.filter((e) => e.ErrorCode))
      expect(['ThrottlingException', 'InternalFailure']).toContain(entry.ErrorCode);

    const delivered = (await drain(name)).map(
      (body) => (JSON.parse(body) as { detail: { id: string } }).detail.id,
    );
    for (const id of published) expect(delivered).toContain(id);
    expect(delivered).toHaveLength(published.length + 5 * afterApplied);
  }, 60_000);
});
