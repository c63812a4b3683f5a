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
import { clientConfig } from '../../src/aws';
import { loadTemplate, serviceStackName } from '../../src/cfn/load';
import { provisionTemplate } from '../../src/cfn/provision';
import type { ProvisionOptions, ProvisionResult } from '../../src/cfn/provision';
import type { Template } from '../../src/cfn/template';
import { SERVICES as services, type ServiceName } from '../../src/config';
import { startEmulators } from '../../src/emulators';
import type { Emulators } from '../../src/emulators';
import { packageService } from '../../src/packaging';
import { templatePath } from '../../src/repository';

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
}, 30_000);

const queueAttributes = async (name: string) =>
  (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: sqsUrl(name), AttributeNames: ['All'] })))
    .Attributes ?? {};

/** The template's resources of one type, across the three services. */
const resourcesOf = (type: string) =>
  services.flatMap((service) =>
    Object.entries(templates[service].Resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([logicalId, resource]) => ({
        service,
        logicalId,
        // Free-form CloudFormation properties; each assertion below names what it reads.
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        props: (resource.Properties ?? {}) as Record<string, any>,
      })),
  );

/** `Fn::GetAtt [Queue, Arn]` in a template → that queue's name. */
const queueNameOf = (service: ServiceName, ref: { 'Fn::GetAtt': [string, string] }): string =>
  (templates[service].Resources[ref['Fn::GetAtt'][0]]!.Properties as { QueueName: string }).QueueName;

// Expectations come from the templates themselves, so they hold as the services change.
describe('the services’ templates', () => {
  test('every queue exists with the attributes and redrive policy its template declares', async () => {
    const queues = resourcesOf('AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThanOrEqual(7);
    for (const { service, props } of queues) {
      const attributes = await queueAttributes(props.QueueName);
      expect(attributes.QueueArn).toBe(sqsArn(props.QueueName));
      for (const name of [
        'VisibilityTimeout',
        'MessageRetentionPeriod',
        'ReceiveMessageWaitTimeSeconds',
        'DelaySeconds',
        'MaximumMessageSize',
      ])
        if (props[name] !== undefined)
          expect([name, (attributes as Record<string, string>)[name]]).toEqual([name, String(props[name])]);
      if (props.RedrivePolicy) {
        expect(JSON.parse(attributes.RedrivePolicy!)).toEqual({
          deadLetterTargetArn: sqsArn(queueNameOf(service, props.RedrivePolicy.deadLetterTargetArn)),
          maxReceiveCount: props.RedrivePolicy.maxReceiveCount,
        });
      }
    }
  });

  test('every table exists with the keys, indexes, stream and TTL its template declares', async () => {
    const tables = resourcesOf('AWS::DynamoDB::Table');
    expect(tables.length).toBeGreaterThanOrEqual(4);
    for (const { service, logicalId, props } of tables) {
      const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: props.TableName }));
      expect(Table!.KeySchema).toEqual(props.KeySchema);
      expect((Table!.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort()).toEqual(
        (props.GlobalSecondaryIndexes ?? []).map((index: { IndexName: string }) => index.IndexName).sort(),
      );
      expect(Table!.StreamSpecification?.StreamViewType).toBe(props.StreamSpecification?.StreamViewType);
      if (props.StreamSpecification) {
        // GetAtt StreamArn is DynamoDB Local's own stream ARN, which its Streams API answers to.
        expect(stacks[service].resources[logicalId]!.attributes.StreamArn).toBe(Table!.LatestStreamArn);
      }
      const { TimeToLiveDescription } = await clients.dynamodb.send(
        new DescribeTimeToLiveCommand({ TableName: props.TableName }),
      );
      if (props.TimeToLiveSpecification?.Enabled) {
        expect(TimeToLiveDescription).toEqual({
          TimeToLiveStatus: 'ENABLED',
          AttributeName: props.TimeToLiveSpecification.AttributeName,
        });
      } else {
        expect(TimeToLiveDescription?.TimeToLiveStatus).not.toBe('ENABLED');
      }
    }
  });

  test('buckets exist: the uploads bucket under its Fn::Sub name with its lifecycle, and each deployment bucket', async () => {
    const uploads = stacks.ingest.outputs.UploadsBucketName!;
    expect(uploads).toBe('herald-local-ingest-uploads-000000000000-us-east-1');
    await clients.s3.send(new HeadBucketCommand({ Bucket: uploads }));
    const { Rules } = await clients.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: uploads }));
    expect(Rules).toEqual([
      expect.objectContaining({ ID: 'ExpireUploads', Status: 'Enabled', Expiration: { Days: 1 } }),
      expect.objectContaining({
        ID: 'RemoveExpiredDeleteMarkers',
        Status: 'Enabled',
        Expiration: { ExpiredObjectDeleteMarker: true },
      }),
    ]);
    const { Buckets = [] } = await clients.s3.send(new ListBucketsCommand({}));
    const names = Buckets.map((bucket) => bucket.Name);
    for (const service of services)
      expect(names).toContain(stacks[service].outputs.ServerlessDeploymentBucketName);
  });

  test('every event source mapping becomes an SqsMapping or a StreamMapping with its settings', () => {
    for (const service of services) {
      const mappings = resourcesOf('AWS::Lambda::EventSourceMapping').filter((m) => m.service === service);
      expect(stacks[service].eventSources.filter((source) => source.kind !== 's3')).toHaveLength(
        mappings.length,
      );
    }
    expect(stacks.processing.eventSources).toContainEqual({
      kind: 'sqs',
      functionName: 'herald-processing-local-consume',
      queueArn: sqsArn('herald-local-processing-inbound'),
      queueUrl: sqsUrl('herald-local-processing-inbound'),
      batchSize: 10,
      maximumBatchingWindowInSeconds: 0,
      reportBatchItemFailures: true,
      enabled: true,
      maximumConcurrency: 20,
    });
    expect(stacks.notifications.eventSources).toContainEqual(
      expect.objectContaining({
        queueArn: sqsArn('herald-local-notifications-delivery'),
        maximumConcurrency: 50,
      }),
    );
    const publish = stacks.processing.eventSources.find((source) => source.kind === 'dynamodb-stream');
    expect(publish).toMatchObject({
      functionName: 'herald-processing-local-publish',
      tableName: 'herald-local-processing-events',
      filterPatterns: [{ eventName: ['INSERT'] }],
    });
  });

  test("ingest's bucket notification becomes an S3Notification", () => {
    expect(stacks.ingest.eventSources.filter((source) => source.kind === 's3')).toEqual([
      expect.objectContaining({
        kind: 's3',
        functionName: 'herald-ingest-local-onUpload',
        bucket: 'herald-local-ingest-uploads-000000000000-us-east-1',
      }),
    ]);
  });

  test("notifications' rule becomes a BusRule on processing's bus with its SQS target and DLQ", () => {
    const rule = stacks.notifications.busRules.find(
      (r) => r.name === 'herald-local-notifications-stored-events',
    );
    expect(rule).toMatchObject({
      arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/herald-local/herald-local-notifications-stored-events`,
      eventBusName: 'herald-local',
      eventPattern: { source: ['herald.processing'], 'detail-type': ['event.stored'], account: [ACCOUNT] },
      state: 'ENABLED',
    });
    expect(rule!.targets).toContainEqual(
      expect.objectContaining({
        arn: sqsArn('herald-local-notifications-dispatch'),
        deadLetterArn: sqsArn('herald-local-notifications-dispatch-rule-dlq'),
      }),
    );
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
    const declared = resourcesOf('AWS::Lambda::Function')
      .map(({ props }) => props.FunctionName)
      .sort();
    expect(services.flatMap((service) => stacks[service].functions.map((fn) => fn.name)).sort()).toEqual(
      declared,
    );
    const consume = stacks.processing.functions.find((fn) => fn.name === 'herald-processing-local-consume');
    expect(consume!.environment.EVENTS_TABLE).toBe('herald-local-processing-events');
  });

  test('what each service publishes becomes SSM parameters, their values resolved', () => {
    expect(stacks.processing.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: '/herald/local/processing/inboundQueueUrl',
          type: 'String',
          value: sqsUrl('herald-local-processing-inbound'),
        }),
        expect.objectContaining({
          name: '/herald/local/processing/eventBusArn',
          value: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/herald-local`,
        }),
      ]),
    );
    const declared = resourcesOf('AWS::SSM::Parameter')
      .map(({ props }) => props.Name)
      .sort();
    expect(declared.length).toBeGreaterThan(0);
    expect(services.flatMap((service) => stacks[service].parameters.map((p) => p.name)).sort()).toEqual(
      declared,
    );
    expect(stacks.processing.report.notEmulated.map((entry) => entry.type)).not.toContain(
      'AWS::SSM::Parameter',
    );
  });

  test('outputs resolve to plain strings', () => {
    expect(stacks.processing.outputs).toMatchObject({
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
    for (const service of services) {
      expect(Object.keys(stacks[service].outputs).sort()).toEqual(
        Object.keys(templates[service].Outputs ?? {}).sort(),
      );
      for (const value of Object.values(stacks[service].outputs)) expect(value).toMatch(/^[^{}]+$/);
    }
    expect(stacks.processing.exports).toMatchObject({
      'sls-herald-processing-local-ServerlessDeploymentBucketName':
        stacks.processing.outputs.ServerlessDeploymentBucketName,
    });
  });

  test('the HTTP API URL output serverless generates resolves to an AWS-shaped URL', () => {
    for (const service of services) {
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
    expect(ignored('processing', 'EventsTable')).toEqual(
      expect.arrayContaining(['SSESpecification', 'PointInTimeRecoverySpecification']),
    );
    expect(ignored('processing', 'InboundQueue')).toEqual(
      expect.arrayContaining(['KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds']),
    );
    expect(ignored('ingest', 'UploadsBucket')).toEqual(
      expect.arrayContaining(['BucketEncryption', 'PublicAccessBlockConfiguration', 'OwnershipControls']),
    );
    expect(ignored('processing', 'EventBus')).toEqual(
      expect.arrayContaining(['KmsKeyIdentifier', 'DeadLetterConfig']),
    );
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
