// The public way to test one adapter at a time: the emulators and the event bus without the services, and
// one table or queue of a service's real packaged template, created under a name of the caller's choosing.
import { access } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  clientConfig,
  createQueueFromTemplate,
  createTableFromTemplate,
  loadTemplate,
  packageService,
  startEmulators,
  startEventBridge,
  templatePath,
  type Emulators,
  type EventBridgeServer,
  type Template,
} from '../src/index';

let emulators: Emulators;
let eventbridge: EventBridgeServer;
let dynamodb: DynamoDBClient;
let sqs: SQSClient;
let processing: Template;

beforeAll(async () => {
  await access(templatePath('processing')).catch(() => packageService('processing', 'local'));
  processing = await loadTemplate(templatePath('processing'));
  emulators = await startEmulators('auto');
  eventbridge = await startEventBridge({ sqsEndpoint: emulators.endpoints.sqs, log: () => undefined });
  dynamodb = new DynamoDBClient(clientConfig(emulators.endpoints.dynamodb));
  sqs = new SQSClient({ ...clientConfig(emulators.endpoints.sqs), useQueueUrlAsEndpoint: false });
}, 180_000);

afterAll(async () => {
  dynamodb?.destroy();
  sqs?.destroy();
  await eventbridge?.stop();
  await emulators?.stop();
}, 60_000);

/** The template's properties of one resource, as free-form data the assertions read. */
const propertiesOf = (logicalId: string) =>
  processing.Resources[logicalId]!.Properties as Record<string, unknown> & {
    GlobalSecondaryIndexes: Array<{ IndexName: string; KeySchema: unknown }>;
  };

describe('createTableFromTemplate', () => {
  test('makes the table under the given name with the template’s keys, indexes and TTL, and no stream', async () => {
    const { leftOut } = await createTableFromTemplate(dynamodb, processing, 'EventsTable', 'events-copy-1');
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: 'events-copy-1' }));
    const template = propertiesOf('EventsTable');
    expect(Table?.KeySchema).toEqual(template.KeySchema);
    // DescribeTable lists indexes in no particular order.
    const byName = (a: { IndexName?: string }, b: { IndexName?: string }) =>
      String(a.IndexName).localeCompare(String(b.IndexName));
    const indexes = (list: Array<{ IndexName?: string; KeySchema?: unknown }>) =>
      list.map(({ IndexName, KeySchema }) => ({ IndexName, KeySchema })).sort(byName);
    expect(indexes(Table?.GlobalSecondaryIndexes ?? [])).toEqual(indexes(template.GlobalSecondaryIndexes));
    expect(Table?.StreamSpecification?.StreamEnabled ?? false).toBe(false);
    const { TimeToLiveDescription } = await dynamodb.send(
      new DescribeTimeToLiveCommand({ TableName: 'events-copy-1' }),
    );
    expect(TimeToLiveDescription?.AttributeName).toBe('expiresAt');
    expect(leftOut.map((l) => l.property)).toEqual(
      expect.arrayContaining(['TableName', 'StreamSpecification', 'SSESpecification']),
    );
  });

  test('refuses a logical id that is not a table', async () => {
    await expect(createTableFromTemplate(dynamodb, processing, 'InboundQueue', 'x')).rejects.toThrow(
      'InboundQueue is a AWS::SQS::Queue, not an AWS::DynamoDB::Table',
    );
    await expect(createTableFromTemplate(dynamodb, processing, 'Nothing', 'x')).rejects.toThrow(
      'The template has no resource Nothing',
    );
  });
});

describe('createQueueFromTemplate', () => {
  test('makes the queue with the template’s own attributes, leaving out those naming other resources', async () => {
    const { url, leftOut } = await createQueueFromTemplate(sqs, processing, 'InboundQueue', 'inbound-copy-1');
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }),
    );
    const template = propertiesOf('InboundQueue');
    expect(Attributes?.VisibilityTimeout).toBe(String(template.VisibilityTimeout));
    expect(Attributes?.ReceiveMessageWaitTimeSeconds).toBe(String(template.ReceiveMessageWaitTimeSeconds));
    expect(Attributes?.RedrivePolicy).toBeUndefined();
    expect(leftOut.map((l) => l.property)).toEqual(
      expect.arrayContaining(['QueueName', 'KmsMasterKeyId', 'RedrivePolicy']),
    );
  });
});

describe('startEventBridge', () => {
  test('runs the event bus on its own, beside the emulators', async () => {
    const client = new EventBridgeClient(clientConfig(eventbridge.endpoint));
    try {
      await client.send(new CreateEventBusCommand({ Name: 'alone' }));
      const out = await client.send(
        new PutEventsCommand({
          Entries: [{ EventBusName: 'alone', Source: 's', DetailType: 't', Detail: '{"a":1}' }],
        }),
      );
      expect(out.FailedEntryCount).toBe(0);
    } finally {
      client.destroy();
    }
  });
});
