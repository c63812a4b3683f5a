// SNS topics and subscriptions provisioned into fauxqs's SNS from a template, checked through the real
// AWS SDK: a topic keeps its attributes, an SQS subscription delivers what the topic is sent, and
// what fauxqs cannot deliver (e-mail, HTTPS) or enforce (the topic policy) is reported, not dropped.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import {
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, queueUrl } from '../../src/aws';
import { provisionTemplate, type ProvisionOptions, type ProvisionResult } from '../../src/cfn/provision';
import type { Template } from '../../src/cfn/template';
import { startEmulators, type Emulators } from '../../src/emulators';

let emulators: Emulators;
let clients: Required<ProvisionOptions['clients']>;
const log = { info: () => undefined, warn: () => undefined };

const template: Template = {
  Resources: {
    Key: { Type: 'AWS::KMS::Key', Properties: {} },
    Inbox: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'sns-test-inbox' } },
    Alarms: {
      Type: 'AWS::SNS::Topic',
      Properties: { TopicName: 'sns-test-alarms', DisplayName: 'Alarms', KmsMasterKeyId: { Ref: 'Key' } },
    },
    AlarmsPolicy: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: { Topics: [{ Ref: 'Alarms' }], PolicyDocument: { Statement: [] } },
    },
    ToInbox: {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: 'Alarms' },
        Protocol: 'sqs',
        Endpoint: { 'Fn::GetAtt': ['Inbox', 'Arn'] },
        RawMessageDelivery: false,
      },
    },
    ToOps: {
      Type: 'AWS::SNS::Subscription',
      Properties: { TopicArn: { Ref: 'Alarms' }, Protocol: 'email', Endpoint: 'ops@example.com' },
    },
  },
  Outputs: { Subscription: { Value: { Ref: 'ToInbox' } } },
};

let result: ProvisionResult;

beforeAll(async () => {
  emulators = await startEmulators('auto');
  clients = {
    sqs: new SQSClient({ ...clientConfig(emulators.endpoints.sqs), useQueueUrlAsEndpoint: false }),
    dynamodb: new DynamoDBClient(clientConfig(emulators.endpoints.dynamodb)),
    s3: new S3Client({ ...clientConfig(emulators.endpoints.s3), forcePathStyle: true }),
    sns: new SNSClient(clientConfig(emulators.endpoints.sqs)),
  };
  result = await provisionTemplate(template, { stackName: 'sns-test', clients, log });
}, 120_000);

afterAll(async () => {
  for (const client of Object.values(clients ?? {})) client.destroy();
  await emulators?.stop();
}, 30_000);

const topicArn = 'arn:aws:sns:us-east-1:000000000000:sns-test-alarms';

describe('SNS from a template', () => {
  test('the topic exists under the ARN its Ref gives, with its attributes', async () => {
    expect(result.resources.Alarms).toMatchObject({
      ref: topicArn,
      attributes: { TopicArn: topicArn, TopicName: 'sns-test-alarms' },
    });
    const { Attributes } = await clients.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
    expect(Attributes).toMatchObject({ DisplayName: 'Alarms', KmsMasterKeyId: result.resources.Key!.ref });
    expect(result.report.ignoredProperties).toContainEqual({
      logicalId: 'Alarms',
      property: 'KmsMasterKeyId',
      reason: expect.stringMatching(/not encrypted locally/),
    });
  });

  test('an SQS subscription is made and delivers what the topic is sent; its Ref is its ARN', async () => {
    const { Subscriptions = [] } = await clients.sns.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }),
    );
    expect(Subscriptions).toEqual([
      expect.objectContaining({
        Protocol: 'sqs',
        Endpoint: 'arn:aws:sqs:us-east-1:000000000000:sns-test-inbox',
        SubscriptionArn: result.outputs.Subscription,
      }),
    ]);
    expect(result.outputs.Subscription).toMatch(/^arn:aws:sns:us-east-1:000000000000:sns-test-alarms:/);

    await clients.sns.send(new PublishCommand({ TopicArn: topicArn, Subject: 'Hello', Message: 'world' }));
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl('sns-test-inbox'), WaitTimeSeconds: 5 }),
    );
    expect(Messages.map((m) => JSON.parse(m.Body!))).toEqual([
      expect.objectContaining({
        Type: 'Notification',
        TopicArn: topicArn,
        Subject: 'Hello',
        Message: 'world',
      }),
    ]);
  });

  test('what fauxqs cannot deliver or enforce is reported by resource, with the reason', () => {
    expect(result.report.created).toEqual(expect.arrayContaining(['Inbox', 'Alarms', 'ToInbox']));
    expect(result.report.notEmulated).toEqual(
      expect.arrayContaining([
        {
          logicalId: 'ToOps',
          type: 'AWS::SNS::Subscription',
          reason: expect.stringMatching(/SQS queues only: the email subscription to ops@example.com/),
        },
        {
          logicalId: 'AlarmsPolicy',
          type: 'AWS::SNS::TopicPolicy',
          reason: expect.stringMatching(/policies/),
        },
      ]),
    );
  });

  test('without an SNS client, topics and subscriptions are reported as not made', async () => {
    const { sns: _unused, ...withoutSns } = clients;
    const bare = await provisionTemplate(
      { Resources: { Lone: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'sns-test-lone' } } } },
      { stackName: 'sns-test-bare', clients: withoutSns, log },
    );
    expect(bare.report.notEmulated).toEqual([
      { logicalId: 'Lone', type: 'AWS::SNS::Topic', reason: expect.stringMatching(/no SNS client/) },
    ]);
  });
});
