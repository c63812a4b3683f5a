/**
 * Calls shaped as Herald's adapters make them (built by the real AWS SDK), interpreted and evaluated
 * against the functions' real roles and resource policies from the packaged templates (stage local,
 * planned as the local cloud provisions them): what a function does is allowed, and a call outside its
 * role is denied for the reason its template gives. No emulator runs: a recorder takes the requests.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Template } from '../../../src/cfn/template';
import type { ServiceName } from '../../../src/config';
import { roleAuthorizer } from '../../../src/iam/authorizer';
import { functionAccessKeyId } from '../../../src/iam/credentials';
import { pollerCalls } from '../../../src/iam/event-source-roles';
import type { Authorization, Authorizer, GatewayService } from '../../../src/iam/gateway';
import { packageMissingServices, planPackagedServices } from '../../../src/iam/packaged-stacks';
import { iamModel, type PlannedStack } from '../../../src/iam/roles';
import type { EventSource } from '../../../src/types';
import { type Recorder, clientConfig, startRecorder } from './recorder';

const LOCAL = { accountId: '000000000000', region: 'us-east-1', partition: 'aws' };
const stacks = {} as Record<ServiceName, PlannedStack>;
const templates = {} as Record<ServiceName, Template>;
let authorizer: Authorizer;
let recorder: Recorder;

beforeAll(async () => {
  await packageMissingServices();
  const planned = await planPackagedServices(LOCAL);
  for (const [service, { stack, template }] of Object.entries(planned)) {
    stacks[service as ServiceName] = stack;
    templates[service as ServiceName] = template;
  }
  authorizer = roleAuthorizer(iamModel(Object.values(stacks), LOCAL));
  recorder = await startRecorder();
}, 600_000);
afterAll(() => recorder?.stop());

type MappingProperties = {
  EventSourceArn: { 'Fn::GetAtt': [string, string] };
  /** The function's ARN, or (every function now runs behind its `live` alias) that ARN joined with ':live'. */
  FunctionName: FunctionArn | { 'Fn::Join': [string, [FunctionArn, string]] };
};
type FunctionArn = { 'Fn::GetAtt': [string, string] };

/** The logical id of the function a mapping invokes, through its alias or not. */
const mappedFunction = (name: MappingProperties['FunctionName']): string =>
  ('Fn::Join' in name ? name['Fn::Join'][1][0] : name)['Fn::GetAtt'][0];

/** A mapping of the template as the poller sees it (only what pollerCalls reads). */
function mappingOf(service: ServiceName, properties: MappingProperties): EventSource {
  const resources = stacks[service].provisioned.resources;
  const [source, attribute] = properties.EventSourceArn['Fn::GetAtt'];
  const functionName = resources[mappedFunction(properties.FunctionName)]!.ref!;
  const common = {
    functionName,
    batchSize: 10,
    maximumBatchingWindowInSeconds: 0,
    reportBatchItemFailures: true,
    enabled: true,
  };
  if (attribute === 'StreamArn')
    return {
      ...common,
      kind: 'dynamodb-stream',
      streamArn: resources[source]!.attributes.StreamArn!,
      tableName: resources[source]!.ref!,
      startingPosition: 'LATEST',
      filterPatterns: [],
      maximumRetryAttempts: -1,
      bisectBatchOnFunctionError: false,
    };
  return {
    ...common,
    kind: 'sqs',
    queueArn: resources[source]!.attributes.Arn!,
    queueUrl: resources[source]!.ref!,
  };
}

const ref = (service: ServiceName, logicalId: string) =>
  stacks[service].provisioned.resources[logicalId]!.ref!;
const arnOf = (service: ServiceName, logicalId: string) =>
  stacks[service].provisioned.resources[logicalId]!.attributes.Arn!;
const fn = (service: ServiceName, name: string) => `herald-${service}-local-${name}`;

/** Sends the call through the SDK to the recorder, then judges what was sent as the gateway would. */
async function attempt(
  functionName: string,
  service: GatewayService,
  send: () => Promise<unknown>,
): Promise<Authorization> {
  await send().catch(() => undefined);
  const outcome = await authorizer.authorize(
    service,
    { functionName, accessKeyId: functionAccessKeyId(functionName) },
    recorder.last(),
  );
  if (!outcome) throw new Error(`the authorizer did not judge ${functionName}'s ${service} call`);
  return outcome;
}

const allAllowed = (outcome: Authorization) => {
  expect(outcome.denied?.message).toBeUndefined();
  expect(outcome.allowed.length).toBeGreaterThan(0);
};
const actionsAllowed = (outcome: Authorization) => outcome.allowed.map((request) => request.action);

const doc = () => DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(recorder.endpoint)));
const sqs = () => new SQSClient({ ...clientConfig(recorder.endpoint), useQueueUrlAsEndpoint: false });

describe('what Herald’s functions do is allowed', () => {
  test('acceptEvents sends an envelope to processing’s inbound queue (and the key through SQS)', async () => {
    const outcomes = await attempt(fn('ingest', 'acceptEvents'), 'sqs', () =>
      sqs().send(new SendMessageCommand({ QueueUrl: ref('processing', 'InboundQueue'), MessageBody: '{}' })),
    );
    expect(actionsAllowed(outcomes)).toEqual(['sqs:SendMessage', 'kms:GenerateDataKey', 'kms:Decrypt']);
    allAllowed(outcomes);
  });

  test('consume stores an event', async () => {
    const outcomes = await attempt(fn('processing', 'consume'), 'dynamodb', () =>
      doc().send(
        new PutCommand({
          TableName: ref('processing', 'EventsTable'),
          Item: { pk: 'T#acme', sk: 'E#1', gsi1pk: 'T#acme', gsi1sk: '1', body: '{}' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    allAllowed(outcomes);
  });

  test('listEvents queries the time index', async () => {
    const outcomes = await attempt(fn('processing', 'listEvents'), 'dynamodb', () =>
      doc().send(
        new QueryCommand({
          TableName: ref('processing', 'EventsTable'),
          IndexName: 'byTime',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': 'T#acme' },
        }),
      ),
    );
    allAllowed(outcomes);
  });

  test('deliver records a failure in the subscription’s health attributes, reading back only what it updated', async () => {
    const outcomes = await attempt(fn('notifications', 'deliver'), 'dynamodb', () =>
      doc().send(
        new UpdateCommand({
          TableName: ref('notifications', 'SubscriptionsTable'),
          Key: { pk: 'TENANT#acme', sk: 'SUB#1' },
          UpdateExpression:
            'ADD consecutiveFailures :one SET failingSince = if_not_exists(failingSince, :now), slowSince = if_not_exists(slowSince, :now)',
          ConditionExpression: 'attribute_exists(pk) AND #status = :active',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':one': 1, ':now': 'now', ':active': 'active' },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    allAllowed(outcomes);
  });

  test('deliver decrypts a signing secret under its purpose, and publishes its delivery events', async () => {
    const kms = new KMSClient(clientConfig(recorder.endpoint));
    allAllowed(
      await attempt(fn('notifications', 'deliver'), 'kms', () =>
        kms.send(
          new DecryptCommand({
            KeyId: arnOf('notifications', 'NotificationsKey'),
            CiphertextBlob: Buffer.from('x'),
            EncryptionContext: { purpose: 'herald-webhook-signing-secret', tenant: 'acme' },
          }),
        ),
      ),
    );
    const events = new EventBridgeClient(clientConfig(recorder.endpoint));
    allAllowed(
      await attempt(fn('notifications', 'deliver'), 'events', () =>
        events.send(
          new PutEventsCommand({
            Entries: [
              {
                EventBusName: ref('processing', 'EventBus'),
                Source: 'herald.notifications',
                DetailType: 'delivery.failed',
                Detail: '{}',
              },
            ],
          }),
        ),
      ),
    );
  });

  test('deliverEmail reads the link key through Secrets Manager and sends as the sender identity', async () => {
    const secrets = new SecretsManagerClient(clientConfig(recorder.endpoint));
    const read = await attempt(fn('notifications', 'deliverEmail'), 'secretsmanager', () =>
      secrets.send(new GetSecretValueCommand({ SecretId: ref('notifications', 'EmailLinkKeySecret') })),
    );
    expect(actionsAllowed(read)).toEqual(['secretsmanager:GetSecretValue', 'kms:Decrypt']);
    allAllowed(read);
    const ses = new SESv2Client(clientConfig(recorder.endpoint));
    allAllowed(
      await attempt(fn('notifications', 'deliverEmail'), 'ses', () =>
        ses.send(
          new SendEmailCommand({
            FromEmailAddress: 'notifications@herald.local',
            ConfigurationSetName: 'herald-local-notifications',
            Destination: { ToAddresses: ['ops@acme.test'] },
            Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
          }),
        ),
      ),
    );
  });
});

describe('what the local cloud does for functions, and more of what they do, is allowed', () => {
  test('each event source mapping’s poller may do what it needs with its function’s role', async () => {
    const polled = (Object.keys(stacks) as ServiceName[]).flatMap((service) =>
      Object.values(templates[service].Resources)
        .filter((resource) => resource.Type === 'AWS::Lambda::EventSourceMapping')
        .map((resource) => mappingOf(service, resource.Properties as MappingProperties)),
    );
    // Every mapping, so a new one is seen here: deliver reads two queues (its lane and the slow lane).
    expect(polled.map((source) => `${source.kind} ${source.functionName}`).sort()).toEqual([
      'dynamodb-stream herald-ingest-local-publishAudit',
      'dynamodb-stream herald-notifications-local-aggregateStats',
      'dynamodb-stream herald-notifications-local-publishAudit',
      'dynamodb-stream herald-processing-local-publish',
      'sqs herald-ingest-local-raiseOperationalEvents',
      'sqs herald-ingest-local-tenantData',
      'sqs herald-notifications-local-deliver',
      'sqs herald-notifications-local-deliver',
      'sqs herald-notifications-local-deliverAws',
      'sqs herald-notifications-local-deliverEmail',
      'sqs herald-notifications-local-dispatch',
      'sqs herald-notifications-local-tenantData',
      'sqs herald-notifications-local-tenantState',
      'sqs herald-processing-local-consume',
      'sqs herald-processing-local-tenantData',
      'sqs herald-tenants-local-orchestrateTenantData',
      'sqs herald-tenants-local-recordAudit',
    ]);
    for (const source of polled) {
      const calls = pollerCalls(source);
      expect(calls.length).toBeGreaterThan(0);
      for (const { service, call } of calls) {
        const outcome = await authorizer.authorize(
          service,
          { functionName: source.functionName, accessKeyId: functionAccessKeyId(source.functionName) },
          call,
        );
        expect([source.functionName, outcome?.denied?.message]).toEqual([source.functionName, undefined]);
        expect(outcome!.allowed.length).toBeGreaterThan(0);
      }
    }
  });

  test('consume’s poller deletes a batch from the inbound queue', async () => {
    const inbound = ref('processing', 'InboundQueue');
    allAllowed(
      await attempt(fn('processing', 'consume'), 'sqs', () =>
        sqs().send(
          new DeleteMessageBatchCommand({ QueueUrl: inbound, Entries: [{ Id: '0', ReceiptHandle: 'r' }] }),
        ),
      ),
    );
  });

  test('publish reads its table’s stream and puts stored events on the bus', async () => {
    const streamArn = stacks.processing.provisioned.resources.EventsTable!.attributes.StreamArn!;
    const streams = new DynamoDBStreamsClient(clientConfig(recorder.endpoint));
    for (const send of [
      () => streams.send(new DescribeStreamCommand({ StreamArn: streamArn })),
      () =>
        streams.send(
          new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: 's', ShardIteratorType: 'LATEST' }),
        ),
      () => streams.send(new GetRecordsCommand({ ShardIterator: `${streamArn}|1|AA==` })),
    ])
      allAllowed(await attempt(fn('processing', 'publish'), 'dynamodb', send));
    const events = new EventBridgeClient(clientConfig(recorder.endpoint));
    allAllowed(
      await attempt(fn('processing', 'publish'), 'events', () =>
        events.send(
          new PutEventsCommand({
            Entries: [
              {
                EventBusName: ref('processing', 'EventBus'),
                Source: 'herald.processing',
                DetailType: 'event.stored',
                Detail: '{}',
              },
            ],
          }),
        ),
      ),
    );
  });

  test('dispatch renews a running replay in a nested attribute of the usage item', async () => {
    allAllowed(
      await attempt(fn('notifications', 'dispatch'), 'dynamodb', () =>
        doc().send(
          new UpdateCommand({
            TableName: ref('notifications', 'SubscriptionsTable'),
            Key: { pk: 'TENANT#acme', sk: 'USAGE' },
            UpdateExpression: 'SET replays.#s.leaseUntil = :until',
            ConditionExpression: 'replays.#s.id = :id',
            ExpressionAttributeNames: { '#s': 'sub_1' },
            ExpressionAttributeValues: { ':until': 1, ':id': 'r1' },
          }),
        ),
      ),
    );
  });

  test('redriveDeadLetters moves a dead-letter queue back to its queue, and deadLetters peeks into one', async () => {
    allAllowed(
      await attempt(fn('notifications', 'redriveDeadLetters'), 'sqs', () =>
        sqs().send(
          new StartMessageMoveTaskCommand({
            SourceArn: arnOf('notifications', 'DeliveryDeadLetterQueue'),
            DestinationArn: arnOf('notifications', 'DeliveryQueue'),
          }),
        ),
      ),
    );
    allAllowed(
      await attempt(fn('notifications', 'deadLetters'), 'sqs', () =>
        sqs().send(new ReceiveMessageCommand({ QueueUrl: ref('notifications', 'DeliveryDeadLetterQueue') })),
      ),
    );
  });

  test('createUpload presigns an upload, and onUpload reads it', async () => {
    const s3 = new S3Client({ ...clientConfig(recorder.endpoint), forcePathStyle: true });
    const bucket = ref('ingest', 'UploadsBucket');
    const signed = await getSignedUrl(
      s3,
      new PutObjectCommand({ Bucket: bucket, Key: 'uploads/acme/u1.ndjson' }),
      {
        expiresIn: 60,
      },
    );
    allAllowed(
      await attempt(fn('ingest', 'createUpload'), 's3', () => fetch(signed, { method: 'PUT', body: 'x' })),
    );
    allAllowed(
      await attempt(fn('ingest', 'onUpload'), 's3', () =>
        s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'uploads/acme/u1.ndjson' })),
      ),
    );
  });
});

describe('a call outside a function’s role is denied, saying what is missing', () => {
  test('acceptEvents reading processing’s table', async () => {
    const outcomes = await attempt(fn('ingest', 'acceptEvents'), 'dynamodb', () =>
      doc().send(
        new GetCommand({ TableName: ref('processing', 'EventsTable'), Key: { pk: 'T#acme', sk: 'E#1' } }),
      ),
    );
    // The table's key is processing's, which acceptEvents may use (to send to the inbound queue): only
    // the table is out of its role.
    expect(outcomes.denied?.action).toBe('dynamodb:GetItem');
    expect(actionsAllowed(outcomes)).toEqual(['kms:Decrypt']);
    expect(outcomes.denied?.message).toMatch(/herald-ingest-local-acceptEvents.*dynamodb:GetItem/);
  });

  test('listEvents scanning the table', async () => {
    const outcomes = await attempt(fn('processing', 'listEvents'), 'dynamodb', () =>
      doc().send(new ScanCommand({ TableName: ref('processing', 'EventsTable') })),
    );
    expect(outcomes.denied?.action).toBe('dynamodb:Scan');
  });

  test('deliver updating a subscription attribute outside its health attributes', async () => {
    const outcomes = await attempt(fn('notifications', 'deliver'), 'dynamodb', () =>
      doc().send(
        new UpdateCommand({
          TableName: ref('notifications', 'SubscriptionsTable'),
          Key: { pk: 'TENANT#acme', sk: 'SUB#1' },
          UpdateExpression: 'SET #url = :u',
          ExpressionAttributeNames: { '#url': 'url' },
          ExpressionAttributeValues: { ':u': 'https://attacker.test' },
        }),
      ),
    );
    expect(outcomes.denied?.action).toBe('dynamodb:UpdateItem');
    expect(outcomes.denied?.message).toMatch(/RecordSubscriptionHealth.*dynamodb:Attributes/);
  });

  test('deliver reading the whole item back after a health update (ReturnValues ALL_NEW)', async () => {
    const outcomes = await attempt(fn('notifications', 'deliver'), 'dynamodb', () =>
      doc().send(
        new UpdateCommand({
          TableName: ref('notifications', 'SubscriptionsTable'),
          Key: { pk: 'TENANT#acme', sk: 'SUB#1' },
          UpdateExpression: 'SET consecutiveFailures = :zero',
          ExpressionAttributeValues: { ':zero': 0 },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    expect(outcomes.denied?.message).toMatch(/dynamodb:ReturnValues/);
  });

  test('deliver decrypting without the signing secret’s encryption context', async () => {
    const kms = new KMSClient(clientConfig(recorder.endpoint));
    const outcomes = await attempt(fn('notifications', 'deliver'), 'kms', () =>
      kms.send(
        new DecryptCommand({
          KeyId: arnOf('notifications', 'NotificationsKey'),
          CiphertextBlob: Buffer.from('x'),
        }),
      ),
    );
    expect(outcomes.denied?.action).toBe('kms:Decrypt');
    expect(outcomes.denied?.message).toMatch(/kms:EncryptionContext:purpose/);
  });

  test('deliver publishing under another source (the bus policy denies it)', async () => {
    const events = new EventBridgeClient(clientConfig(recorder.endpoint));
    const outcomes = await attempt(fn('notifications', 'deliver'), 'events', () =>
      events.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: ref('processing', 'EventBus'),
              Source: 'herald.processing',
              DetailType: 'x',
              Detail: '{}',
            },
          ],
        }),
      ),
    );
    // The bus's own policy denies it too, before the role's events:source condition is asked.
    expect(outcomes.denied?.message).toMatch(
      /explicitly denied events:PutEvents .* NotificationsPutsOnlyItsOwnSource/,
    );
  });
});
