import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { UnknownCall, interpretCall } from '../../../src/iam/calls';
import { ACCOUNT, KEY_ARN, type Recorder, clientConfig, facts, queue, startRecorder } from './recorder';

let recorder: Recorder;
let sqs: SQSClient;

beforeAll(async () => {
  recorder = await startRecorder();
  // As Herald's functions build it: calls go to the endpoint, not to the queue URL's host.
  sqs = new SQSClient({ ...clientConfig(recorder.endpoint), useQueueUrlAsEndpoint: false });
});
afterAll(() => recorder.stop());

const url = (name: string) => `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${name}`;

async function interpret(send: () => Promise<unknown>) {
  await send().catch(() => undefined);
  return interpretCall('sqs', recorder.last(), facts);
}

const through = (actions: string[]) =>
  actions.map((action) => ({
    action,
    resource: KEY_ARN,
    context: expect.objectContaining({
      'kms:ViaService': 'sqs.us-east-1.amazonaws.com',
      'kms:EncryptionContext:aws:sqs:arn': queue('encrypted'),
      'kms:CallerAccount': ACCOUNT,
    }),
  }));

describe('SQS', () => {
  test('SendMessage on a queue under a customer managed key: the queue, then GenerateDataKey and Decrypt through SQS', async () => {
    const call = await interpret(() =>
      sqs.send(new SendMessageCommand({ QueueUrl: url('encrypted'), MessageBody: '{}' })),
    );
    expect(call.operation).toBe('SendMessage');
    expect(call.requests).toEqual([
      { action: 'sqs:SendMessage', resource: queue('encrypted'), context: expect.any(Object) },
      ...through(['kms:GenerateDataKey', 'kms:Decrypt']),
    ]);
  });

  test('a queue URL whose host WHATWG URL refuses (as fauxqs names queues) still names its queue', async () => {
    const call = await interpret(() =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: `http://sqs.us-east-1.127.0.0.1:39143/${ACCOUNT}/plain`,
          MessageBody: 'x',
        }),
      ),
    );
    expect(call.requests).toEqual([
      { action: 'sqs:SendMessage', resource: queue('plain'), context: expect.any(Object) },
    ]);
  });

  test('SendMessage on a queue with no customer managed key asks only for the queue', async () => {
    const call = await interpret(() =>
      sqs.send(new SendMessageCommand({ QueueUrl: url('plain'), MessageBody: 'x' })),
    );
    expect(call.requests.map((r) => r.action)).toEqual(['sqs:SendMessage']);
  });

  test.each([
    [
      'SendMessageBatch',
      'sqs:SendMessage',
      () =>
        sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: url('plain'),
            Entries: [{ Id: '1', MessageBody: 'a' }],
          }),
        ),
    ],
    [
      'DeleteMessageBatch',
      'sqs:DeleteMessage',
      () =>
        sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: url('plain'),
            Entries: [{ Id: '1', ReceiptHandle: 'r' }],
          }),
        ),
    ],
    [
      'ChangeMessageVisibilityBatch',
      'sqs:ChangeMessageVisibility',
      () =>
        sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: url('plain'),
            Entries: [{ Id: '1', ReceiptHandle: 'r', VisibilityTimeout: 0 }],
          }),
        ),
    ],
    [
      'GetQueueAttributes',
      'sqs:GetQueueAttributes',
      () => sqs.send(new GetQueueAttributesCommand({ QueueUrl: url('plain'), AttributeNames: ['All'] })),
    ],
  ])('%s authorizes as %s on the queue', async (operation, action, send) => {
    const call = await interpret(send);
    expect(call.operation).toBe(operation);
    expect(call.requests).toEqual([{ action, resource: queue('plain'), context: expect.any(Object) }]);
  });

  test('ReceiveMessage needs kms:Decrypt through SQS on an encrypted queue', async () => {
    const call = await interpret(() => sqs.send(new ReceiveMessageCommand({ QueueUrl: url('encrypted') })));
    expect(call.requests).toEqual([
      { action: 'sqs:ReceiveMessage', resource: queue('encrypted'), context: expect.any(Object) },
      ...through(['kms:Decrypt']),
    ]);
  });

  test('GetQueueUrl names the queue by QueueName', async () => {
    const call = await interpret(() => sqs.send(new GetQueueUrlCommand({ QueueName: 'plain' })));
    expect(call.requests).toEqual([
      { action: 'sqs:GetQueueUrl', resource: queue('plain'), context: expect.any(Object) },
    ]);
  });

  test('StartMessageMoveTask: the dead-letter queue’s move, receive, delete and attributes, and sending to the destination', async () => {
    const call = await interpret(() =>
      sqs.send(
        new StartMessageMoveTaskCommand({
          SourceArn: queue('plain-dlq'),
          DestinationArn: queue('encrypted'),
        }),
      ),
    );
    expect(call.requests.map((r) => [r.action, r.resource])).toEqual([
      ['sqs:StartMessageMoveTask', queue('plain-dlq')],
      ['sqs:ReceiveMessage', queue('plain-dlq')],
      ['sqs:DeleteMessage', queue('plain-dlq')],
      ['sqs:GetQueueAttributes', queue('plain-dlq')],
      ['sqs:SendMessage', queue('encrypted')],
      ['kms:GenerateDataKey', KEY_ARN],
      ['kms:Decrypt', KEY_ARN],
    ]);
  });

  test('ListMessageMoveTasks acts on the source queue', async () => {
    const call = await interpret(() =>
      sqs.send(new ListMessageMoveTasksCommand({ SourceArn: queue('plain-dlq') })),
    );
    expect(call.requests).toEqual([
      { action: 'sqs:ListMessageMoveTasks', resource: queue('plain-dlq'), context: expect.any(Object) },
    ]);
  });

  test('the query protocol: Action and QueueUrl in the form body', () => {
    const body = new URLSearchParams({
      Action: 'SendMessageBatch',
      QueueUrl: url('plain'),
      Version: '2012-11-05',
    });
    const call = interpretCall(
      'sqs',
      {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: Buffer.from(body.toString()),
      },
      facts,
    );
    expect(call).toEqual({
      operation: 'SendMessageBatch',
      requests: [{ action: 'sqs:SendMessage', resource: queue('plain'), context: expect.any(Object) }],
    });
  });

  test('every request says the transport was secure and names the principal’s account (and role, when told)', async () => {
    await sqs.send(new GetQueueUrlCommand({ QueueName: 'plain' })).catch(() => undefined);
    const caller = {
      functionName: 'herald-ingest-local-acceptEvents',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/herald-ingest-local-acceptEvents`,
      accountId: ACCOUNT,
    };
    const { requests } = interpretCall('sqs', recorder.last(), facts, caller);
    expect(requests[0]!.context).toMatchObject({
      'aws:SecureTransport': 'true',
      'aws:PrincipalAccount': ACCOUNT,
      'aws:PrincipalArn': caller.roleArn,
    });
  });

  test('an operation IAM does not know is an UnknownCall', () => {
    const call = {
      method: 'POST',
      path: '/',
      headers: { 'x-amz-target': 'AmazonSQS.Frobnicate' },
      body: Buffer.from(JSON.stringify({ QueueUrl: url('plain') })),
    };
    expect(() => interpretCall('sqs', call, facts)).toThrow(UnknownCall);
  });
});
