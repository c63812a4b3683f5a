// Amazon SQS fair queues on the local cloud's SQS: the policy as "How Amazon SQS fair queues work"
// describes it (noisy neighbours by share of in-flight messages and of processing time; quiet tenants'
// messages first; the noisy neighbour with the fewest in flight next), then the same through the real
// AWS SDK against fauxqs behind the SQS front, which carries the MessageGroupId fauxqs drops.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ListDeadLetterSourceQueuesCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { clientConfig, queueUrl } from '../src/aws';
import { expectGroups, fairPick, noisyTenants, type TenantUsage } from '../src/sqs-fair-queues';
import { sqsGatewayUpstream } from '../src/sqs-message-moves/gateway-route';
import { startIamGateway, type IamGateway } from '../src/iam/gateway';
import { GatewayLedger } from '../src/iam/gateway-ledger';
import { uniqueName } from './event-sources/helpers';
import { startFauxqsBehindFront, type FauxqsBehindFront } from './support/fauxqs-behind-front';

const usage = (inFlight: Record<string, number>, processingMs: Record<string, number>): TenantUsage => ({
  inFlight: new Map(Object.entries(inFlight)),
  processingMs: new Map(Object.entries(processingMs)),
});

describe('fair queue policy', () => {
  const ready = ['a1', 'a2', 'a3', 'b1', 'a4', 'c1', 'c2'];
  const tenant = (id: string) => id[0]!;

  test('with no noisy neighbour, messages go oldest first', () => {
    expect(fairPick(ready, tenant, usage({}, {}), 4)).toEqual(['a1', 'a2', 'a3', 'b1']);
    // Shares of exactly 10% are not "more than" 10%.
    expect(noisyTenants(usage({}, { a: 10, b: 45, c: 45 }))).toEqual(new Set(['b', 'c']));
    expect(noisyTenants(usage({}, { a: 10, b: 90 }))).toEqual(new Set(['b']));
  });

  test('a tenant with more than 10% of recent processing time yields to quiet tenants', () => {
    const now = usage({ a: 10 }, { a: 9_500, b: 400, c: 100 });
    expect(noisyTenants(now)).toEqual(new Set(['a']));
    expect(fairPick(ready, tenant, now, 4)).toEqual(['b1', 'c1', 'c2', 'a1']);
  });

  test('a tenant with more than 10% of the in-flight messages is noisy only from 30 of its own', () => {
    expect(noisyTenants(usage({ a: 29, b: 1 }, {}))).toEqual(new Set());
    expect(noisyTenants(usage({ a: 30, b: 270 }, {}))).toEqual(new Set(['b']));
    expect(noisyTenants(usage({ a: 30, b: 300 }, {}))).toEqual(new Set(['b']));
    expect(fairPick(ready, tenant, usage({ a: 30, b: 1 }, {}), 2)).toEqual(['b1', 'c1']);
  });

  test('among noisy neighbours the one with the fewest in flight goes next, so they take turns', () => {
    const both = usage({ a: 3, c: 2 }, { a: 500, c: 500 });
    expect(fairPick(ready, tenant, both, 5)).toEqual(['b1', 'c1', 'a1', 'c2', 'a2']);
  });

  test('noisy neighbours are not held back when no quiet message waits', () => {
    expect(fairPick(['a1', 'a2', 'a3'], tenant, usage({ a: 10 }, { a: 1_000 }), 2)).toEqual(['a1', 'a2']);
  });
});

describe('fair queues through the SQS front', () => {
  let sqsServers: FauxqsBehindFront;
  let sqs: SQSClient;

  beforeAll(async () => {
    sqsServers = await startFauxqsBehindFront();
    sqs = new SQSClient({
      ...clientConfig(sqsServers.front.endpoint),
      useQueueUrlAsEndpoint: false,
      maxAttempts: 1,
    });
  }, 30_000);

  afterAll(async () => {
    sqs?.destroy();
    await sqsServers?.stop();
  }, 30_000);

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function receive(queue: string): Promise<Message[]> {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl(queue),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );
    return Messages ?? [];
  }

  async function remove(queue: string, messages: Message[]): Promise<void> {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl(queue),
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }

  /**
   * Tenant A queues 100 messages; a consumer works through three batches of them (each held a while,
   * as a function would); then tenant B sends one. Returns the bodies of the next receive.
   */
  async function backlogThenOne(withGroups: boolean): Promise<{ next: Message[]; queue: string }> {
    const queue = uniqueName('fair');
    await sqs.send(new CreateQueueCommand({ QueueName: queue }));
    for (let batch = 0; batch < 10; batch++) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl(queue),
          Entries: Array.from({ length: 10 }, (_, i) => ({
            Id: String(i),
            MessageBody: `a-${batch * 10 + i}`,
            ...(withGroups ? { MessageGroupId: 'tenant-a' } : {}),
          })),
        }),
      );
    }
    for (let batch = 0; batch < 3; batch++) {
      const messages = await receive(queue);
      await sleep(50);
      await remove(queue, messages);
    }
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl(queue),
        MessageBody: 'b-0',
        ...(withGroups ? { MessageGroupId: 'tenant-b' } : {}),
      }),
    );
    return { next: await receive(queue), queue };
  }

  test('a message whose visibility timeout ran out is counted visible again before anything receives it', async () => {
    const queue = uniqueName('counts');
    await sqs.send(new CreateQueueCommand({ QueueName: queue }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'held' }));
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl(queue), VisibilityTimeout: 1, WaitTimeSeconds: 1 }),
    );
    expect(Messages).toHaveLength(1);
    const counts = async () =>
      (
        await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl(queue),
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        )
      ).Attributes;
    expect(await counts()).toEqual({
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '1',
    });
    await sleep(1_200);
    expect(await counts()).toEqual({
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesNotVisible: '0',
    });
  });

  test("a quiet tenant's message is received before a backlogged tenant's", async () => {
    const { next, queue } = await backlogThenOne(true);
    expect(next.map((m) => m.Body)).toEqual(['b-0', ...Array.from({ length: 9 }, (_, i) => `a-${30 + i}`)]);
    // Standard queues return the group id they were sent, as fair queues do.
    expect(next.map((m) => m.Attributes?.MessageGroupId)).toEqual(['tenant-b', ...Array(9).fill('tenant-a')]);
    // The noisy neighbour is served as usual once nothing quiet waits.
    await remove(queue, next);
    expect((await receive(queue)).map((m) => m.Body)).toEqual(
      Array.from({ length: 10 }, (_, i) => `a-${39 + i}`),
    );
  }, 30_000);

  test('group ids the front expected but fauxqs never enqueued are forgotten, not given to a later copy', async () => {
    const queue = uniqueName('fair');
    await sqs.send(new CreateQueueCommand({ QueueName: queue }));
    // What the front does around a send that fauxqs refused: expect, then forget once answered.
    const forget = expectGroups(queue, [{ body: 'same', groupId: 'tenant-a' }]);
    forget();
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'same' }));
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'other', MessageGroupId: 'tenant-b' }),
    );
    const got = await receive(queue);
    expect(got.map((m) => [m.Body, m.Attributes?.MessageGroupId])).toEqual([
      ['same', undefined],
      ['other', 'tenant-b'],
    ]);
  }, 30_000);

  test('without group ids the queue stays oldest first, so the single message waits its turn', async () => {
    const { next } = await backlogThenOne(false);
    expect(next.map((m) => m.Body)).toEqual(Array.from({ length: 10 }, (_, i) => `a-${30 + i}`));
  }, 30_000);
});

// The IAM gateway sends functions' SQS calls straight to fauxqs (one HTTP server less on the local
// cloud's thread), and only what the front answers itself to the front: the group ids of a send must
// still reach the fair queues, and the front's operations must still be answered.
describe("the IAM gateway's way to SQS, past the front", () => {
  let sqsServers: FauxqsBehindFront;
  let gateway: IamGateway;
  let sqs: SQSClient;

  beforeAll(async () => {
    sqsServers = await startFauxqsBehindFront();
    gateway = await startIamGateway({
      service: 'sqs',
      target: sqsServers.front.endpoint,
      authorizer: { authorize: () => undefined },
      mode: () => 'off',
      ledger: new GatewayLedger(),
      log: () => undefined,
      upstream: sqsGatewayUpstream({
        front: sqsServers.front.endpoint,
        fauxqs: sqsServers.fauxqsEndpoint,
        log: () => undefined,
      }),
    });
    sqs = new SQSClient({ ...clientConfig(gateway.endpoint), useQueueUrlAsEndpoint: false, maxAttempts: 1 });
  }, 30_000);

  afterAll(async () => {
    sqs?.destroy();
    await gateway?.stop();
    await sqsServers?.stop();
  }, 30_000);

  test('a send keeps its group id, single or in a batch', async () => {
    const queue = uniqueName('gateway-fair');
    await sqs.send(new CreateQueueCommand({ QueueName: queue }));
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl(queue), MessageBody: 'one', MessageGroupId: 'tenant-a' }),
    );
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl(queue),
        Entries: [
          { Id: '1', MessageBody: 'two', MessageGroupId: 'tenant-b' },
          { Id: '2', MessageBody: 'three' },
        ],
      }),
    );
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl(queue),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );
    expect(Messages.map((m) => [m.Body, m.Attributes?.MessageGroupId])).toEqual([
      ['one', 'tenant-a'],
      ['two', 'tenant-b'],
      ['three', undefined],
    ]);
  }, 30_000);

  test("the front's own operations are still answered (fauxqs has none of them)", async () => {
    const dlq = uniqueName('gateway-dlq');
    const source = uniqueName('gateway-source');
    const { QueueUrl: dlqUrl } = await sqs.send(new CreateQueueCommand({ QueueName: dlq }));
    await sqs.send(
      new CreateQueueCommand({
        QueueName: source,
        Attributes: {
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${dlq}`,
            maxReceiveCount: 3,
          }),
        },
      }),
    );
    const { queueUrls } = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl }));
    expect(queueUrls?.map((url) => url.split('/').pop())).toEqual([source]);
  }, 30_000);
});
