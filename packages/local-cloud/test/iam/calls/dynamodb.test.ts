import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { UnknownCall, interpretCall } from '../../../src/iam/calls';
import { ACCOUNT, KEY_ARN, type Recorder, clientConfig, facts, startRecorder, table } from './recorder';

let recorder: Recorder;
let doc: DynamoDBDocumentClient;
let streams: DynamoDBStreamsClient;

beforeAll(async () => {
  recorder = await startRecorder();
  doc = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(recorder.endpoint)));
  streams = new DynamoDBStreamsClient(clientConfig(recorder.endpoint));
});
afterAll(() => recorder.stop());

/** Sends a command (its answer does not matter) and interprets what reached the server. */
async function interpret(send: () => Promise<unknown>) {
  await send().catch(() => undefined);
  return interpretCall('dynamodb', recorder.last(), facts);
}

const TABLE_KMS = {
  action: 'kms:Decrypt',
  resource: KEY_ARN,
  context: expect.objectContaining({
    'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com',
    'kms:CallerAccount': ACCOUNT,
    'kms:EncryptionContext:aws:dynamodb:tableName': 'subscriptions',
    'kms:EncryptionContext:aws:dynamodb:subscriberId': ACCOUNT,
  }),
};

describe('DynamoDB item operations', () => {
  test('GetItem: the table, its key attributes and partition key value, and the table key through DynamoDB', async () => {
    const call = await interpret(() =>
      doc.send(new GetCommand({ TableName: 'subscriptions', Key: { pk: 'TENANT#acme', sk: 'SUB#1' } })),
    );
    expect(call.operation).toBe('GetItem');
    expect(call.requests).toEqual([
      {
        action: 'dynamodb:GetItem',
        resource: table('subscriptions'),
        context: expect.objectContaining({
          'dynamodb:Attributes': ['pk', 'sk'],
          'dynamodb:LeadingKeys': ['TENANT#acme'],
          'dynamodb:Select': 'ALL_ATTRIBUTES',
          'aws:SecureTransport': 'true',
          'aws:PrincipalAccount': ACCOUNT,
        }),
      },
      TABLE_KMS,
    ]);
  });

  test('GetItem with a projection selects specific attributes, which count as accessed', async () => {
    const call = await interpret(() =>
      doc.send(
        new GetCommand({
          TableName: 'plain',
          Key: { id: 'x' },
          ProjectionExpression: '#s, nested.part',
          ExpressionAttributeNames: { '#s': 'status' },
        }),
      ),
    );
    expect(call.requests).toHaveLength(1); // not under a customer managed key: no KMS request
    expect(call.requests[0]!.context).toMatchObject({
      'dynamodb:Attributes': ['id', 'nested', 'status'],
      'dynamodb:Select': 'SPECIFIC_ATTRIBUTES',
    });
  });

  test('PutItem: every attribute of the item, the condition, and ReturnValues NONE when not given', async () => {
    const call = await interpret(() =>
      doc.send(
        new PutCommand({
          TableName: 'events',
          Item: { tenantId: 'acme', eventId: 'e1', body: 'x', receivedAt: 1 },
          ConditionExpression: 'attribute_not_exists(eventId)',
        }),
      ),
    );
    expect(call.operation).toBe('PutItem');
    expect(call.requests[0]).toEqual({
      action: 'dynamodb:PutItem',
      resource: table('events'),
      context: expect.objectContaining({
        'dynamodb:Attributes': ['body', 'eventId', 'receivedAt', 'tenantId'],
        'dynamodb:LeadingKeys': ['acme'],
        'dynamodb:ReturnValues': 'NONE',
      }),
    });
    expect(call.requests[1]).toMatchObject({ action: 'kms:Decrypt', resource: KEY_ARN });
  });

  test('UpdateItem: #names resolved, nested paths count as their top-level attribute, functions and values skipped', async () => {
    const call = await interpret(() =>
      doc.send(
        new UpdateCommand({
          TableName: 'subscriptions',
          Key: { pk: 'TENANT#acme', sk: 'SUB#1' },
          UpdateExpression:
            'ADD consecutiveFailures :one SET failingSince = if_not_exists(failingSince, :now), #h.last = :now REMOVE slowSince',
          ConditionExpression: 'attribute_exists(pk) AND #status = :active',
          ExpressionAttributeNames: { '#status': 'status', '#h': 'health' },
          ExpressionAttributeValues: { ':one': 1, ':now': 'now', ':active': 'active' },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    expect(call.requests[0]!.action).toBe('dynamodb:UpdateItem');
    expect(call.requests[0]!.context).toMatchObject({
      'dynamodb:Attributes': [
        'consecutiveFailures',
        'failingSince',
        'health',
        'pk',
        'sk',
        'slowSince',
        'status',
      ],
      'dynamodb:ReturnValues': 'UPDATED_NEW',
      'dynamodb:LeadingKeys': ['TENANT#acme'],
    });
  });

  test('DeleteItem acts on the table with the key attributes', async () => {
    const call = await interpret(() =>
      doc.send(new DeleteCommand({ TableName: 'plain', Key: { id: 'x' }, ReturnValues: 'ALL_OLD' })),
    );
    expect(call.requests).toEqual([
      {
        action: 'dynamodb:DeleteItem',
        resource: table('plain'),
        context: expect.objectContaining({
          'dynamodb:Attributes': ['id'],
          'dynamodb:ReturnValues': 'ALL_OLD',
        }),
      },
    ]);
  });
});

describe('DynamoDB queries and scans', () => {
  test('Query on an index acts on the index ARN; LeadingKeys from the equality on the index partition key', async () => {
    const call = await interpret(() =>
      doc.send(
        new QueryCommand({
          TableName: 'events',
          IndexName: 'byType',
          KeyConditionExpression: '#p = :p AND receivedAt BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#p': 'tenantType' },
          ExpressionAttributeValues: { ':p': 'acme#order.created', ':from': 1, ':to': 2 },
        }),
      ),
    );
    expect(call.requests[0]).toEqual({
      action: 'dynamodb:Query',
      resource: `${table('events')}/index/byType`,
      context: expect.objectContaining({
        'dynamodb:LeadingKeys': ['acme#order.created'],
        'dynamodb:Attributes': ['receivedAt', 'tenantType'],
        'dynamodb:Select': 'ALL_PROJECTED_ATTRIBUTES',
      }),
    });
    // The index is the table's data: the table's key decrypts it.
    expect(call.requests[1]).toEqual(expect.objectContaining({ action: 'kms:Decrypt', resource: KEY_ARN }));
  });

  test('Query on the table: the partition key equality written value-first, and the filter attributes', async () => {
    const call = await interpret(() =>
      doc.send(
        new QueryCommand({
          TableName: 'subscriptions',
          KeyConditionExpression: ':pk = pk AND begins_with(sk, :sub)',
          FilterExpression: 'attribute_not_exists(deletedAt)',
          ExpressionAttributeValues: { ':pk': 'TENANT#acme', ':sub': 'SUB#' },
          Select: 'COUNT',
        }),
      ),
    );
    expect(call.requests[0]!.resource).toBe(table('subscriptions'));
    expect(call.requests[0]!.context).toMatchObject({
      'dynamodb:LeadingKeys': ['TENANT#acme'],
      'dynamodb:Attributes': ['deletedAt', 'pk', 'sk'],
      'dynamodb:Select': 'COUNT',
    });
  });

  test('Scan is dynamodb:Scan on the table, with no leading keys', async () => {
    const call = await interpret(() => doc.send(new ScanCommand({ TableName: 'events' })));
    expect(call.requests[0]!.action).toBe('dynamodb:Scan');
    expect(call.requests[0]!.resource).toBe(table('events'));
    expect(call.requests[0]!.context['dynamodb:LeadingKeys']).toBeUndefined();
  });
});

describe('DynamoDB batches and transactions', () => {
  test('BatchWriteItem asks for its own action on each table, with the attributes of its puts and deletes', async () => {
    const call = await interpret(() =>
      doc.send(
        new BatchWriteCommand({
          RequestItems: {
            plain: [{ PutRequest: { Item: { id: 'a', v: 1 } } }, { DeleteRequest: { Key: { id: 'b' } } }],
            events: [{ PutRequest: { Item: { tenantId: 't', eventId: 'e' } } }],
          },
        }),
      ),
    );
    const dynamo = call.requests.filter((r) => r.action.startsWith('dynamodb:'));
    expect(dynamo).toEqual([
      {
        action: 'dynamodb:BatchWriteItem',
        resource: table('plain'),
        context: expect.objectContaining({
          'dynamodb:Attributes': ['id', 'v'],
          'dynamodb:LeadingKeys': ['a', 'b'],
        }),
      },
      {
        action: 'dynamodb:BatchWriteItem',
        resource: table('events'),
        context: expect.objectContaining({ 'dynamodb:Attributes': ['eventId', 'tenantId'] }),
      },
    ]);
  });

  test('TransactWriteItems asks for each item’s own action on its table, naming the transaction', async () => {
    const call = await interpret(() =>
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: 'subscriptions',
                Key: { pk: 'TENANT#acme', sk: 'SUB#1' },
                ConditionExpression: '#s = :active',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':active': 'active' },
              },
            },
            { Put: { TableName: 'plain', Item: { id: 'a' } } },
            {
              Update: {
                TableName: 'subscriptions',
                Key: { pk: 'TENANT#acme', sk: 'SUB#1' },
                UpdateExpression: 'SET rateSlotAt = :t',
                ExpressionAttributeValues: { ':t': 1 },
              },
            },
            { Delete: { TableName: 'plain', Key: { id: 'b' } } },
          ],
        }),
      ),
    );
    expect(call.operation).toBe('TransactWriteItems');
    expect(call.requests.map((r) => [r.action, r.resource])).toEqual([
      ['dynamodb:ConditionCheckItem', table('subscriptions')],
      ['kms:Decrypt', KEY_ARN],
      ['dynamodb:PutItem', table('plain')],
      ['dynamodb:UpdateItem', table('subscriptions')],
      ['dynamodb:DeleteItem', table('plain')],
    ]);
    const update = call.requests[3]!;
    expect(update.context).toMatchObject({
      'dynamodb:Attributes': ['pk', 'rateSlotAt', 'sk'],
      'dynamodb:EnclosingOperation': 'TransactWriteItems',
    });
    // A transaction item has no ReturnValues: StringEqualsIfExists on it holds.
    expect(update.context['dynamodb:ReturnValues']).toBeUndefined();
    expect(call.requests[0]!.context['dynamodb:Attributes']).toEqual(['pk', 'sk', 'status']);
  });
});

describe('DynamoDB Streams', () => {
  const streamArn = `${table('events')}/stream/2026-11-30T00:00:00.000`;

  test('DescribeStream and GetShardIterator act on the stream ARN', async () => {
    for (const send of [
      () => streams.send(new DescribeStreamCommand({ StreamArn: streamArn })),
      () =>
        streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: 'shard-1',
            ShardIteratorType: 'LATEST',
          }),
        ),
    ]) {
      const call = await interpret(send);
      expect(call.requests).toEqual([
        { action: `dynamodb:${call.operation}`, resource: streamArn, context: expect.any(Object) },
      ]);
    }
  });

  test('GetRecords acts on the stream its iterator was made for', async () => {
    const call = await interpret(() =>
      streams.send(new GetRecordsCommand({ ShardIterator: `${streamArn}|1|AAAAAAAAAAE=` })),
    );
    expect(call.requests[0]).toMatchObject({ action: 'dynamodb:GetRecords', resource: streamArn });
  });
  test('GetRecords finds the stream inside an iterator that names it only in base64 (DynamoDB Local’s form)', async () => {
    const encoded = Buffer.from(`${streamArn}|shardId-1|000000000000000000001|1764460800000`).toString(
      'base64',
    );
    const call = await interpret(() =>
      streams.send(new GetRecordsCommand({ ShardIterator: `000001|001|${encoded}` })),
    );
    expect(call.requests[0]).toMatchObject({ action: 'dynamodb:GetRecords', resource: streamArn });
  });
});

test('an operation the local cloud does not interpret is an UnknownCall naming it', () => {
  const call = {
    method: 'POST',
    path: '/',
    headers: { 'x-amz-target': 'DynamoDB_20120810.CreateTable' },
    body: Buffer.from('{"TableName":"x"}'),
  };
  expect(() => interpretCall('dynamodb', call, facts)).toThrow(UnknownCall);
  expect(() => interpretCall('dynamodb', call, facts)).toThrow(/dynamodb CreateTable/);
});
