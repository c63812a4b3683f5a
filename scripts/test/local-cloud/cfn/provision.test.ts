// The three services' real packaged templates (stage local) provisioned into the real emulators, checked
// through the real AWS SDK: queues, tables, buckets, the data the rest of the local cloud runs, outputs,
// and a report that accounts for every resource. Then a small hand-written template for what the services
// do not use yet: a stream mapping with filters, a bucket notification, conditions, a FIFO queue.
import { access } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetBucketLifecycleConfigurationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { packageService, services, templatePath } from '../../../package-services';
import type { ServiceName } from '../../../package-services';
import { clientConfig } from '../../../local-cloud/aws';
import { loadTemplate, serviceStackName } from '../../../local-cloud/cfn/load';
import { provisionTemplate } from '../../../local-cloud/cfn/provision';
import type { ProvisionOptions, ProvisionResult } from '../../../local-cloud/cfn/provision';
import type { Template } from '../../../local-cloud/cfn/template';
import { startEmulators } from '../../../local-cloud/emulators';
import type { Emulators } from '../../../local-cloud/emulators';

const ACCOUNT = '000000000000';
const sqsUrl = (name: string) => `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${name}`;
const sqsArn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

let emulators: Emulators;
let clients: ProvisionOptions['clients'];
const lines: string[] = [];
const log = { info: (line: string) => lines.push(line), warn: (line: string) => lines.push(`WARN ${line}`) };
const templates = {} as Record<ServiceName, Template>;
const stacks = {} as Record<ServiceName, ProvisionResult>;

beforeAll(async () => {
  // Package only what is missing: `npm run package` takes seconds and the templates rarely change.
  const missing: ServiceName[] = [];
  for (const service of services) await access(templatePath(service)).catch(() => missing.push(service));
  await Promise.all(missing.map((service) => packageService(service, 'local')));
  emulators = await startEmulators('auto');
  clients = {
    sqs: new SQSClient({ ...clientConfig(emulators.endpoints.sqs), useQueueUrlAsEndpoint: false }),
    dynamodb: new DynamoDBClient(clientConfig(emulators.endpoints.dynamodb)),
    s3: new S3Client({ ...clientConfig(emulators.endpoints.s3), forcePathStyle: true }),
  };
  let exports: Record<string, string> = {};
  for (const service of services) {
    templates[service] = await loadTemplate(templatePath(service));
    stacks[service] = await provisionTemplate(templates[service], {
      stackName: serviceStackName(service),
      clients,
      exports,
      log,
    });
    exports = { ...exports, ...stacks[service].exports };
  }
}, 120_000);

afterAll(async () => {
  clients?.sqs.destroy();
  clients?.dynamodb.destroy();
  clients?.s3.destroy();
  await emulators?.stop();
});

const queueAttributes = async (name: string) =>
  (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: sqsUrl(name), AttributeNames: ['All'] })))
    .Attributes ?? {};

describe('the services’ templates', () => {
  test('queues exist with their attributes and redrive policies', async () => {
    const inbound = await queueAttributes('herald-local-processing-inbound');
    expect(inbound).toMatchObject({
      QueueArn: sqsArn('herald-local-processing-inbound'),
      VisibilityTimeout: '60',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '20',
    });
    expect(JSON.parse(inbound.RedrivePolicy!)).toEqual({
      deadLetterTargetArn: sqsArn('herald-local-processing-inbound-dlq'),
      maxReceiveCount: 5,
    });
    expect(await queueAttributes('herald-local-processing-inbound-dlq')).toMatchObject({
      MessageRetentionPeriod: '1209600',
    });
    for (const [queue, dlq] of [
      ['herald-local-notifications-dispatch', 'herald-local-notifications-dispatch-dlq'],
      ['herald-local-notifications-delivery', 'herald-local-notifications-delivery-dlq'],
    ] as const) {
      const attributes = await queueAttributes(queue);
      expect(JSON.parse(attributes.RedrivePolicy!)).toEqual({
        deadLetterTargetArn: sqsArn(dlq),
        maxReceiveCount: 5,
      });
    }
    for (const other of ['herald-local-processing-bus-dlq', 'herald-local-notifications-dispatch-rule-dlq'])
      expect(await queueAttributes(other)).toMatchObject({ QueueArn: sqsArn(other) });
  });

  test('tables exist with keys, indexes, streams and TTL', async () => {
    const { Table: events } = await clients.dynamodb.send(
      new DescribeTableCommand({ TableName: 'herald-local-processing-events' }),
    );
    expect(events).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      GlobalSecondaryIndexes: [{ IndexName: 'byTime', Projection: { ProjectionType: 'ALL' } }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    });
    // GetAtt StreamArn is DynamoDB Local's own stream ARN, which its Streams API answers to.
    expect(stacks.processing.resources.EventsTable!.attributes.StreamArn).toBe(events!.LatestStreamArn);
    for (const table of ['herald-local-processing-events', 'herald-local-notifications-deliveries']) {
      const { TimeToLiveDescription } = await clients.dynamodb.send(
        new DescribeTimeToLiveCommand({ TableName: table }),
      );
      expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    }
    const { Table: subscriptions } = await clients.dynamodb.send(
      new DescribeTableCommand({ TableName: 'herald-local-notifications-subscriptions' }),
    );
    expect(subscriptions?.StreamSpecification).toBeUndefined();
  });

  test('buckets exist: the uploads bucket under its Fn::Sub name with its lifecycle, and each deployment bucket', async () => {
    const uploads = stacks.ingest.outputs.UploadsBucketName!;
    expect(uploads).toBe('herald-local-ingest-uploads-000000000000-us-east-1');
    await clients.s3.send(new HeadBucketCommand({ Bucket: uploads }));
    const { Rules } = await clients.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: uploads }));
    expect(Rules).toEqual([
      expect.objectContaining({ ID: 'ExpireUploads', Status: 'Enabled', Expiration: { Days: 1 } }),
    ]);
    const { Buckets = [] } = await clients.s3.send(new ListBucketsCommand({}));
    const names = Buckets.map((bucket) => bucket.Name);
    for (const service of services)
      expect(names).toContain(stacks[service].outputs.ServerlessDeploymentBucketName);
  });

  test("processing's event source mapping becomes an SqsMapping", () => {
    expect(stacks.processing.eventSources).toEqual([
      {
        kind: 'sqs',
        functionName: 'herald-processing-local-consume',
        queueArn: sqsArn('herald-local-processing-inbound'),
        queueUrl: sqsUrl('herald-local-processing-inbound'),
        batchSize: 10,
        maximumBatchingWindowInSeconds: 1,
        reportBatchItemFailures: true,
        enabled: true,
      },
    ]);
  });

  test("notifications' rule becomes a BusRule with its SQS target and DLQ", () => {
    expect(stacks.notifications.busRules).toEqual([
      {
        name: 'herald-local-notifications-stored-events',
        arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/herald-local/herald-local-notifications-stored-events`,
        eventBusName: 'herald-local',
        eventPattern: { source: ['herald.processing'], 'detail-type': ['event.stored'], account: [ACCOUNT] },
        state: 'ENABLED',
        targets: [
          {
            id: 'dispatch-queue',
            arn: sqsArn('herald-local-notifications-dispatch'),
            deadLetterArn: sqsArn('herald-local-notifications-dispatch-rule-dlq'),
            maximumRetryAttempts: 185,
          },
        ],
      },
    ]);
    expect(stacks.processing.eventBuses).toEqual([
      { name: 'herald-local', arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/herald-local` },
    ]);
  });

  test('the secret and the functions become data', () => {
    expect(stacks.ingest.secrets).toEqual([
      {
        name: 'herald/local/ingest/envelope-signing-key',
        arn: expect.stringMatching(
          /^arn:aws:secretsmanager:us-east-1:000000000000:secret:herald\/local\/ingest\/envelope-signing-key-[A-Za-z0-9]{6}$/,
        ),
        kmsKeyId: stacks.ingest.resources.IngestKey!.ref,
        description: 'Ed25519 private JWK that ingest signs envelopes with',
      },
    ]);
    expect(services.flatMap((service) => stacks[service].functions.map((fn) => fn.name))).toEqual([
      'herald-processing-local-consume',
      'herald-ingest-local-acceptEvents',
      'herald-notifications-local-listSubscriptions',
    ]);
    expect(stacks.processing.functions[0]!.environment.EVENTS_TABLE).toBe('herald-local-processing-events');
  });

  test('outputs resolve to plain strings', () => {
    expect(stacks.processing.outputs).toEqual({
      ServerlessDeploymentBucketName: expect.stringMatching(
        /^herald-processing-local-serverlessdeploymentbucket-[a-z0-9]{12}$/,
      ),
      InboundQueueUrl: sqsUrl('herald-local-processing-inbound'),
      InboundQueueArn: sqsArn('herald-local-processing-inbound'),
      ProcessingKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${stacks.processing.resources.ProcessingKey!.ref}`,
      EventBusName: 'herald-local',
      EventBusArn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/herald-local`,
    });
    expect(stacks.notifications.outputs).toMatchObject({
      DispatchQueueUrl: sqsUrl('herald-local-notifications-dispatch'),
      DeliveryQueueUrl: sqsUrl('herald-local-notifications-delivery'),
      HttpApiId: stacks.notifications.resources.HttpApi!.ref,
    });
    for (const service of services)
      for (const value of Object.values(stacks[service].outputs)) expect(value).toMatch(/^[^{}]+$/);
    expect(stacks.processing.exports).toEqual({
      'sls-herald-processing-local-ServerlessDeploymentBucketName':
        stacks.processing.outputs.ServerlessDeploymentBucketName,
    });
  });

  test('the HTTP API URL output serverless generates resolves to an AWS-shaped URL', () => {
    for (const service of ['ingest', 'notifications'] as const) {
      expect(stacks[service].report.outputErrors).toEqual([]);
      expect(stacks[service].outputs.HttpApiUrl).toMatch(
        /^https:\/\/[a-z0-9]+\.execute-api\.us-east-1\.amazonaws\.com$/,
      );
    }
  });

  test('the report accounts for every resource: IAM roles, KMS keys and alarms are not emulated', () => {
    for (const service of services) {
      const { report } = stacks[service];
      const notEmulated = new Map(report.notEmulated.map((entry) => [entry.logicalId, entry]));
      const all = Object.keys(templates[service].Resources);
      expect([...report.created, ...notEmulated.keys()].sort()).toEqual([...all].sort());
      for (const [logicalId, resource] of Object.entries(templates[service].Resources)) {
        if (
          ['AWS::IAM::Role', 'AWS::KMS::Key', 'AWS::KMS::Alias', 'AWS::CloudWatch::Alarm'].includes(
            resource.Type,
          )
        )
          expect(notEmulated.get(logicalId)).toEqual({
            logicalId,
            type: resource.Type,
            reason: expect.any(String),
          });
      }
    }
    const reasons = stacks.processing.report.notEmulated;
    expect(reasons.find((entry) => entry.logicalId === 'ConsumeIamRoleLambdaExecution')?.reason).toMatch(
      /IAM is not enforced/,
    );
    expect(reasons.find((entry) => entry.logicalId === 'ProcessingKey')?.reason).toMatch(
      /KMS is not emulated/,
    );
    expect(reasons.find((entry) => entry.logicalId === 'ConsumeErrorsAlarm')?.reason).toMatch(
      /alarms are not emulated/,
    );
  });

  test('what the emulators do not apply is reported by property', () => {
    const ignored = (service: ServiceName, logicalId: string) =>
      stacks[service].report.ignoredProperties
        .filter((entry) => entry.logicalId === logicalId)
        .map((entry) => entry.property);
    expect(ignored('processing', 'EventsTable')).toEqual([
      'SSESpecification',
      'PointInTimeRecoverySpecification',
    ]);
    expect(ignored('processing', 'InboundQueue')).toEqual(['KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds']);
    expect(ignored('ingest', 'UploadsBucket')).toEqual([
      'BucketEncryption',
      'PublicAccessBlockConfiguration',
      'OwnershipControls',
      'LifecycleConfiguration',
    ]);
    expect(ignored('processing', 'EventBus')).toEqual(['KmsKeyIdentifier', 'DeadLetterConfig']);
  });
});

describe('a hand-written template', () => {
  const stackName = 'cfn-test';
  const template: Template = {
    Parameters: { Stage: { Type: 'String', Default: 'test' } },
    Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } },
    Resources: {
      Handler: {
        Type: 'AWS::Lambda::Function',
        Properties: { Handler: 'index.handler', Runtime: 'nodejs22.x' },
      },
      Items: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        },
      },
      ItemsMapping: {
        Type: 'AWS::Lambda::EventSourceMapping',
        Properties: {
          EventSourceArn: { 'Fn::GetAtt': ['Items', 'StreamArn'] },
          FunctionName: { Ref: 'Handler' },
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: 25,
          FilterCriteria: { Filters: [{ Pattern: '{"eventName":["INSERT","MODIFY"]}' }] },
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        },
      },
      Uploads: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          NotificationConfiguration: {
            LambdaConfigurations: [
              {
                Event: 's3:ObjectCreated:*',
                Function: { 'Fn::GetAtt': ['Handler', 'Arn'] },
                Filter: {
                  S3Key: {
                    Rules: [
                      { Name: 'prefix', Value: 'incoming/' },
                      { Name: 'suffix', Value: '.json' },
                    ],
                  },
                },
              },
            ],
          },
        },
      },
      Ordered: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true, ContentBasedDeduplication: true } },
      ProdOnly: {
        Type: 'AWS::SQS::Queue',
        Condition: 'IsProd',
        Properties: { QueueName: 'cfn-test-prod-only' },
      },
    },
    Outputs: {
      Stream: { Value: { 'Fn::Sub': '${Items.StreamArn} for ${Handler}' } },
      ProdQueue: { Condition: 'IsProd', Value: { Ref: 'ProdOnly' } },
    },
  };
  let result: ProvisionResult;

  beforeAll(async () => {
    result = await provisionTemplate(template, { stackName, clients, log });
  }, 30_000);

  test('a stream mapping with filter criteria, on the stream DynamoDB Local made', async () => {
    const tableName = result.resources.Items!.ref;
    const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    const handler = result.functions[0]!.name;
    expect(handler).toMatch(/^cfn-test-Handler-[A-Za-z0-9]{12}$/);
    expect(result.eventSources).toContainEqual({
      kind: 'dynamodb-stream',
      functionName: handler,
      streamArn: Table!.LatestStreamArn,
      tableName,
      batchSize: 25,
      maximumBatchingWindowInSeconds: 0,
      startingPosition: 'TRIM_HORIZON',
      filterPatterns: [{ eventName: ['INSERT', 'MODIFY'] }],
      maximumRetryAttempts: -1,
      bisectBatchOnFunctionError: false,
      reportBatchItemFailures: true,
      enabled: true,
    });
    expect(result.outputs.Stream).toBe(`${Table!.LatestStreamArn} for ${handler}`);
  });

  test('a bucket with a Lambda notification', async () => {
    const bucket = result.resources.Uploads!.ref;
    expect(bucket).toMatch(/^cfn-test-uploads-[a-z0-9]{12}$/);
    await clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    expect(result.eventSources).toContainEqual({
      kind: 's3',
      functionName: result.functions[0]!.name,
      bucket,
      events: ['s3:ObjectCreated:*'],
      prefix: 'incoming/',
      suffix: '.json',
    });
  });

  test('a FIFO queue gets a .fifo name; a resource and an output whose condition is false are skipped', async () => {
    const fifo = result.resources.Ordered!.attributes.QueueName!;
    expect(fifo).toMatch(/^cfn-test-Ordered-[A-Z0-9]{12}\.fifo$/);
    expect(await queueAttributes(fifo)).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'true',
    });
    expect(result.report.skipped).toEqual([
      { logicalId: 'ProdOnly', reason: 'condition IsProd is false' },
      { logicalId: 'Outputs.ProdQueue', reason: 'condition IsProd is false' },
    ]);
    await expect(
      clients.sqs.send(new GetQueueUrlCommand({ QueueName: 'cfn-test-prod-only' })),
    ).rejects.toThrow();
  });

  test('a template that cannot be resolved fails with the place of the problem', async () => {
    const bad: Template = {
      Resources: {
        Broken: {
          Type: 'AWS::SQS::Queue',
          Properties: { RedrivePolicy: { deadLetterTargetArn: { Ref: 'Nope' } } },
        },
      },
    };
    await expect(provisionTemplate(bad, { stackName: 'cfn-bad', clients, log })).rejects.toThrow(
      'Resources.Broken.Properties.RedrivePolicy.deadLetterTargetArn.Ref: Ref to unknown resource Nope',
    );
    const cyclic: Template = {
      Resources: {
        A: { Type: 'AWS::SQS::Queue', DependsOn: 'B' },
        B: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::GetAtt': ['A', 'QueueName'] } } },
      },
    };
    await expect(provisionTemplate(cyclic, { stackName: 'cfn-bad', clients, log })).rejects.toThrow(
      'circular dependency: A -> B -> A',
    );
  });
});
