/**
 * The two implementations of each notifications port the contract suites run: the in-memory
 * stand-in of test/support/memory.ts, and the adapter on DynamoDB Local or the SQS emulator, on
 * fresh tables and queues made from the packaged template for every test.
 */
import { afterEach, beforeEach } from '@jest/globals';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { BusSource, DetailSource, type Envelope } from '@herald/shared/contracts';
import { CORRELATION_ATTRIBUTE } from '@herald/shared/correlation';
import {
  contractAws,
  queueFromTemplate,
  receiveBodies,
  tableFromTemplate,
  uniqueName,
} from '../../../../test/setup/contract';
import { EventBridgePublisher } from '../../src/adapters/eventbridge-publisher';
import { DynamoDeliveryStore } from '../../src/adapters/dynamo-delivery-store';
import { DynamoEventLog } from '../../src/adapters/dynamo-event-log';
import {
  DynamoSubscriptionHealth,
  DynamoSubscriptionStore,
} from '../../src/adapters/dynamo-subscription-store';
import { SqsQueues } from '../../src/adapters/sqs-queues';
import type { BusPublisher, DeliveryStore, HealthStore, TaskQueue } from '../../src/delivery/ports';
import type { DispatchQueue, DispatchSubscriptions, EventLog, HeldDeliveries } from '../../src/fan-out/ports';
import type { DeliveryHistory } from '../../src/history/ports';
import type { Lane } from '../../src/model/lanes';
import type { SubscriptionRepository, SubscriptionStore } from '../../src/subscriptions/ports';
import { MemoryBus, MemoryDeliveries, MemoryQueues, MemorySubscriptions } from '../support/memory';
import type { RecentEvents } from '../../src/history/test-filter';

export interface Implementation<P> {
  name: string;
  make: () => P | Promise<P>;
}

/**
 * What the running test made on the emulators, removed after it: a DynamoDB Local kept up for many
 * runs (npm run mutate:conditions) slows down as tables pile up.
 */
const made: Array<() => Promise<unknown>> = [];

async function table(logicalId: string): Promise<string> {
  const name = await tableFromTemplate(SERVICE, logicalId);
  made.push(() => contractAws().dynamodb.send(new DeleteTableCommand({ TableName: name })));
  return name;
}

async function queue(logicalId: string): Promise<string> {
  const url = await queueFromTemplate(SERVICE, logicalId);
  made.push(() => contractAws().sqs.send(new DeleteQueueCommand({ QueueUrl: url })));
  return url;
}

/** A fresh instance of the port for each test (creating tables and queues takes a while on a busy machine). */
export function freshEach<P>(make: () => Promise<P>): () => P {
  let current: P | undefined;
  beforeEach(async () => {
    current = await make();
  }, 30_000);
  afterEach(async () => {
    current = undefined;
    await Promise.all(made.splice(0).map((remove) => remove()));
  }, 30_000);
  return () => {
    if (current === undefined) throw new Error('no instance of the port: used outside a test');
    return current;
  };
}

const SERVICE = 'notifications';
const RETENTION_DAYS = 30;

const tables = async () => ({
  subscriptions: await table('SubscriptionsTable'),
  deliveries: await table('DeliveriesTable'),
});

/** The subscriptions table through every port that reads or writes it, on one table. */
export interface Subscriptions {
  repository: SubscriptionRepository;
  listing: SubscriptionStore;
  dispatch: DispatchSubscriptions;
  health: HealthStore;
}

export const subscriptionImplementations: ReadonlyArray<Implementation<Subscriptions>> = [
  {
    name: 'memory',
    make: () => {
      const memory = new MemorySubscriptions();
      return { repository: memory, listing: memory, dispatch: memory, health: memory };
    },
  },
  {
    name: 'DynamoDB',
    make: async () => {
      const { dynamodb } = contractAws();
      const name = await table('SubscriptionsTable');
      const store = new DynamoSubscriptionStore(dynamodb, name);
      return {
        repository: store,
        listing: store,
        dispatch: store,
        health: new DynamoSubscriptionHealth(dynamodb, name),
      };
    },
  },
];

/** The deliveries table's delivery ports, with the subscriptions a hold checks. */
export interface Deliveries {
  store: DeliveryStore & DeliveryHistory & HeldDeliveries;
  subscriptions: SubscriptionRepository;
}

export const deliveryImplementations: ReadonlyArray<Implementation<Deliveries>> = [
  {
    name: 'memory',
    make: () => {
      const subscriptions = new MemorySubscriptions();
      return { store: new MemoryDeliveries(subscriptions), subscriptions };
    },
  },
  {
    name: 'DynamoDB',
    make: async () => {
      const { dynamodb } = contractAws();
      const names = await tables();
      return {
        store: new DynamoDeliveryStore(dynamodb, names.deliveries, {
          subscriptionsTable: names.subscriptions,
          retentionDays: RETENTION_DAYS,
        }),
        subscriptions: new DynamoSubscriptionStore(dynamodb, names.subscriptions),
      };
    },
  },
];

/** The stored events: what fan-out keeps and replay pages through, and what deliver loads. */
export type Events = EventLog &
  RecentEvents & {
    load(tenantId: string, eventKey: string): Promise<Envelope | undefined>;
  };

export const eventLogImplementations: ReadonlyArray<Implementation<Events>> = [
  { name: 'memory', make: () => new MemoryDeliveries(new MemorySubscriptions()) },
  {
    name: 'DynamoDB',
    make: async () => new DynamoEventLog(contractAws().dynamodb, await table('DeliveriesTable')),
  },
];

/** A message as a poller of its queue receives it. */
export interface Received {
  body: unknown;
  correlationId?: string;
}

/** The queues and what a poller of each would see: messages receivable now, and those held back. */
export interface Queues {
  queues: TaskQueue & DispatchQueue;
  receive(queue: Lane | 'dispatch'): Promise<Received[]>;
  delayed(queue: Lane | 'dispatch'): Promise<number>;
}

/** The stand-in keeps what was sent; a message sent with a delay counts as held back. */
function memoryQueues(): Queues {
  const memory = new MemoryQueues();
  const received = new Set<object>();
  const onQueue = (queue: Lane | 'dispatch') =>
    queue === 'dispatch'
      ? memory.jobs.map((entry) => ({ entry, content: entry.job, delaySeconds: entry.delaySeconds }))
      : memory.tasks
          .filter((entry) => entry.lane === queue)
          .map((entry) => ({ entry, content: entry.task, delaySeconds: entry.delaySeconds }));
  return {
    queues: memory,
    async receive(queue) {
      const ready = onQueue(queue).filter((m) => m.delaySeconds === 0 && !received.has(m.entry));
      for (const message of ready) received.add(message.entry);
      return ready.map(({ content }) => ({ body: content, correlationId: content.correlationId }));
    },
    async delayed(queue) {
      return onQueue(queue).filter((message) => message.delaySeconds > 0).length;
    },
  };
}

/** Every message receivable now: receives until an empty answer. */
async function receiveAll(sqs: SQSClient, url: string): Promise<Received[]> {
  const received: Received[] = [];
  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        VisibilityTimeout: 300,
        WaitTimeSeconds: 0,
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return received;
    for (const message of messages) {
      const correlationId = message.MessageAttributes?.[CORRELATION_ATTRIBUTE]?.StringValue;
      received.push({
        body: JSON.parse(message.Body ?? 'null') as unknown,
        ...(correlationId === undefined ? {} : { correlationId }),
      });
    }
  }
}

async function sqsQueues(): Promise<Queues> {
  const { sqs } = contractAws();
  const urls = {
    fast: await queue('DeliveryQueue'),
    slow: await queue('SlowDeliveryQueue'),
    email: await queue('EmailQueue'),
    aws: await queue('DestinationsQueue'),
    dispatch: await queue('DispatchQueue'),
  };
  return {
    queues: new SqsQueues(sqs, urls),
    receive: (queue) => receiveAll(sqs, urls[queue]),
    async delayed(queue) {
      const out = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: urls[queue],
          AttributeNames: ['ApproximateNumberOfMessagesDelayed'],
        }),
      );
      return Number(out.Attributes?.ApproximateNumberOfMessagesDelayed ?? 0);
    },
  };
}

export const queueImplementations: ReadonlyArray<Implementation<Queues>> = [
  { name: 'memory', make: memoryQueues },
  { name: 'SQS', make: sqsQueues },
];

/** An event as a rule's target receives it. */
export interface BusEvent {
  source: string;
  detailType: string;
  detail: unknown;
}

/** The bus, and what a rule matching notifications' events on it passes on. */
export interface Bus {
  bus: BusPublisher;
  /** The events published, once `count` have arrived (EventBridge delivers asynchronously). */
  published(count: number): Promise<BusEvent[]>;
}

function memoryBus(): Bus {
  const memory = new MemoryBus();
  return {
    bus: memory,
    async published() {
      return memory.published.map(({ detailType, detail }) => ({
        source: DetailSource[detailType],
        detailType,
        detail,
      }));
    },
  };
}

async function eventBridgeBus(): Promise<Bus> {
  const { eventbridge, sqs } = contractAws();
  const busName = uniqueName(SERVICE, 'bus');
  await eventbridge.send(new CreateEventBusCommand({ Name: busName }));
  const { QueueUrl: url } = await sqs.send(
    new CreateQueueCommand({ QueueName: uniqueName(SERVICE, 'bus-target') }),
  );
  if (!url) throw new Error('the SQS emulator returned no queue URL');
  made.push(() => sqs.send(new DeleteQueueCommand({ QueueUrl: url })));
  const rule = 'notifications-events';
  await eventbridge.send(
    new PutRuleCommand({
      Name: rule,
      EventBusName: busName,
      EventPattern: JSON.stringify({ source: [BusSource.notifications] }),
    }),
  );
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
    .Attributes?.QueueArn;
  await eventbridge.send(
    new PutTargetsCommand({ Rule: rule, EventBusName: busName, Targets: [{ Id: 'queue', Arn: arn }] }),
  );
  return {
    bus: new EventBridgePublisher(eventbridge, busName),
    async published(count) {
      const bodies = await receiveBodies(url, count);
      return bodies.map((body) => {
        const event = JSON.parse(body) as { source: string; 'detail-type': string; detail: unknown };
        return { source: event.source, detailType: event['detail-type'], detail: event.detail };
      });
    },
  };
}

export const busImplementations: ReadonlyArray<Implementation<Bus>> = [
  { name: 'memory', make: memoryBus },
  { name: 'EventBridge', make: eventBridgeBus },
];
