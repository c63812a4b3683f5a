/**
 * Each function's role, enforced by the local cloud: a call a function's role does not allow fails
 * as AWS fails it (the SDK's AccessDenied error), with a message naming the function, the action, the
 * resource and what is missing; the same kind of call within the role goes through. The calls are
 * made here with each function's own credentials, through the gateways functions use, since Herald's
 * code never makes a call outside its role on purpose.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { DynamoDBClient, GetItemCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { functionClientConfig, REGION, ACCOUNT_ID } from '@herald/local-cloud/client';
import { localCloud } from '../setup/local-cloud';

const cloud = localCloud();
const gateway = (service: keyof typeof cloud.endpoints.gateways): string => {
  const endpoint = cloud.endpoints.gateways[service];
  if (!endpoint) throw new Error(`no IAM gateway for ${service}`);
  return endpoint;
};
const as = (fn: string) => ({
  dynamodb: new DynamoDBClient(functionClientConfig(gateway('dynamodb'), fn)),
  sqs: new SQSClient({ ...functionClientConfig(gateway('sqs'), fn), useQueueUrlAsEndpoint: false }),
  s3: new S3Client({ ...functionClientConfig(gateway('s3'), fn), forcePathStyle: true }),
  kms: new KMSClient(functionClientConfig(gateway('kms'), fn)),
  events: new EventBridgeClient(functionClientConfig(gateway('events'), fn)),
  secrets: new SecretsManagerClient(functionClientConfig(gateway('secretsmanager'), fn)),
  ssm: new SSMClient(functionClientConfig(gateway('ssm'), fn)),
});
const fn = (service: string, name: string) => `herald-${service}-local-${name}`;

/** Every function the packaged templates declare, by deployed name. */
function declaredFunctions(): string[] {
  return ['ingest', 'processing', 'notifications', 'tenants'].flatMap((service) => {
    const template = JSON.parse(
      readFileSync(`services/${service}/.serverless/cloudformation-template-update-stack.json`, 'utf8'),
    ) as { Resources: Record<string, { Type: string; Properties: { FunctionName?: string } }> };
    return Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::Lambda::Function')
      .map((resource) => resource.Properties.FunctionName!);
  });
}

const EVENTS_TABLE = 'herald-local-processing-events';
const eventsTableArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/${EVENTS_TABLE}`;

/** The call's rejection, which must be AWS's access-denied error for `action` on `resource`. */
async function denied(call: Promise<unknown>, who: string, action: string, resource: string) {
  const error = (await call.then(
    () => {
      throw new Error(`${who} was allowed ${action} on ${resource}`);
    },
    (e: unknown) => e,
  )) as Error & { $metadata?: { httpStatusCode?: number } };
  expect(error.name).toMatch(/^AccessDenied(Exception)?$/);
  expect(error.message).toContain(`is not authorized to perform: ${action} on resource: ${resource}`);
  expect(error.message).toContain(who);
  return error.message;
}

describe('each function may do only what its role allows', () => {
  test.each(declaredFunctions())('%s may not scan processing’s events table', async (name) => {
    await denied(
      as(name).dynamodb.send(new ScanCommand({ TableName: EVENTS_TABLE, Limit: 1 })),
      name,
      'dynamodb:Scan',
      eventsTableArn,
    );
  });

  test('acceptEvents reads its own idempotency table, and may not read processing’s table', async () => {
    const accept = as(fn('ingest', 'acceptEvents'));
    // Within its role (and leaving nothing behind on the shared local cloud: a message sent to a queue
    // here would be processed, or wait there, while other tests wait for the queues to drain).
    await accept.dynamodb.send(
      new GetItemCommand({
        TableName: 'herald-local-ingest-idempotency',
        Key: { pk: { S: 'TENANT#nobody#KEY#none' } },
      }),
    );
    const message = await denied(
      accept.dynamodb.send(
        new GetItemCommand({ TableName: EVENTS_TABLE, Key: { pk: { S: 'x' }, sk: { S: 'y' } } }),
      ),
      fn('ingest', 'acceptEvents'),
      'dynamodb:GetItem',
      eventsTableArn,
    );
    expect(message).toContain('no statement in its role allows it');
  });

  test('deliver may record a subscription’s health, not change its URL', async () => {
    const deliver = as(fn('notifications', 'deliver'));
    const message = await denied(
      deliver.dynamodb.send(
        new UpdateItemCommand({
          TableName: 'herald-local-notifications-subscriptions',
          Key: { pk: { S: 'TENANT#acme' }, sk: { S: 'SUB#sub_x' } },
          UpdateExpression: 'SET #url = :url',
          ExpressionAttributeNames: { '#url': 'url' },
          ExpressionAttributeValues: { ':url': { S: 'https://attacker.example' } },
        }),
      ),
      fn('notifications', 'deliver'),
      'dynamodb:UpdateItem',
      `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/herald-local-notifications-subscriptions`,
    );
    // What is missing: the statement that would allow it, and the condition the call failed.
    expect(message).toContain('ForAllValues:StringEquals dynamodb:Attributes');
  });

  test('tenantState may stamp a tenant’s status on a subscription, not change its URL; deliver may not lift a hold', async () => {
    const subscriptionsArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/herald-local-notifications-subscriptions`;
    const write = (name: string, expression: string, values: Record<string, { S: string }>) =>
      as(name).dynamodb.send(
        new UpdateItemCommand({
          TableName: 'herald-local-notifications-subscriptions',
          Key: { pk: { S: 'TENANT#nobody' }, sk: { S: 'SUB#sub_none' } },
          UpdateExpression: expression,
          ...(expression.includes('#url') ? { ExpressionAttributeNames: { '#url': 'url' } } : {}),
          // Only an existing subscription: nothing is written on the shared cloud.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: values,
        }),
      );
    const tenantState = fn('notifications', 'tenantState');
    // Within its role: refused by the condition alone.
    await expect(
      write(tenantState, 'SET tenantStatus = :s, tenantStatusAt = :at', {
        ':s': { S: 'suspended' },
        ':at': { S: '2026-12-01T00:00:00.000Z' },
      }),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    const url = await denied(
      write(tenantState, 'SET #url = :url', { ':url': { S: 'https://attacker.example' } }),
      tenantState,
      'dynamodb:UpdateItem',
      subscriptionsArn,
    );
    expect(url).toContain('ForAllValues:StringEquals dynamodb:Attributes');
    const deliver = fn('notifications', 'deliver');
    const lift = await denied(
      write(deliver, 'SET tenantStatus = :s', { ':s': { S: 'active' } }),
      deliver,
      'dynamodb:UpdateItem',
      subscriptionsArn,
    );
    expect(lift).toContain('ForAllValues:StringEquals dynamodb:Attributes');
  });

  test('consume may number a subject, not rewrite a stored event; dispatch may move a subject’s order, not a delivery', async () => {
    const eventWrite = (name: string) =>
      as(name).dynamodb.send(
        new UpdateItemCommand({
          TableName: EVENTS_TABLE,
          Key: { pk: { S: 'TENANT#nobody' }, sk: { S: 'EVENT#e1' } },
          UpdateExpression: 'SET envelope = :forged',
          ExpressionAttributeValues: { ':forged': { S: '{}' } },
        }),
      );
    const consume = fn('processing', 'consume');
    const consumeMessage = await denied(eventWrite(consume), consume, 'dynamodb:UpdateItem', eventsTableArn);
    expect(consumeMessage).toContain('ForAllValues:StringEquals dynamodb:Attributes');

    const deliveriesArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/herald-local-notifications-deliveries`;
    const dispatch = fn('notifications', 'dispatch');
    // Within its role: a subject's head (on nobody's tenant, left to expire)...
    await as(dispatch).dynamodb.send(
      new GetItemCommand({
        TableName: 'herald-local-notifications-deliveries',
        Key: { pk: { S: 'TENANT#nobody' }, sk: { S: 'ORDER#sub_x#line' } },
        ProjectionExpression: 'head',
      }),
    );
    // ...but never a delivery's status.
    const dispatchMessage = await denied(
      as(dispatch).dynamodb.send(
        new UpdateItemCommand({
          TableName: 'herald-local-notifications-deliveries',
          Key: { pk: { S: 'TENANT#nobody' }, sk: { S: 'DLV#msg_x' } },
          UpdateExpression: 'SET #status = :s',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':s': { S: 'succeeded' } },
        }),
      ),
      dispatch,
      'dynamodb:UpdateItem',
      deliveriesArn,
    );
    expect(dispatchMessage).toContain('ForAllValues:StringEquals dynamodb:Attributes');
  });

  test('dispatch may take a subject’s waiting task for queueing (its mark’s queuedBy), not write a delivery’s attribute there', async () => {
    const deliveriesArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/herald-local-notifications-deliveries`;
    const dispatch = fn('notifications', 'dispatch');
    const take = (expression: string, values: Record<string, { S: string }>) =>
      as(dispatch).dynamodb.send(
        new UpdateItemCommand({
          TableName: 'herald-local-notifications-deliveries',
          // A mark on nobody's tenant, which does not exist: nothing is written on the shared cloud.
          Key: { pk: { S: 'TENANT#nobody' }, sk: { S: 'ORDER#sub_x#line#1' } },
          UpdateExpression: expression,
          // As SubjectOrderStore.queue takes it (adapters/dynamo-subject-order.ts).
          ConditionExpression: '#state = :waiting OR (#state = :queued AND queuedBy = :by)',
          ExpressionAttributeNames: {
            '#state': 'state',
            ...(expression.includes('#status') ? { '#status': 'status' } : {}),
          },
          ExpressionAttributeValues: {
            ':waiting': { S: 'waiting' },
            ':queued': { S: 'queued' },
            ':by': { S: 'dispatch:evt_x' },
            ...values,
          },
        }),
      );
    // Within its role: refused by the condition alone.
    await expect(take('SET #state = :queued, queuedBy = :by', {})).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    // One attribute outside the order items' list, and the whole write is refused.
    const message = await denied(
      take('SET #state = :queued, queuedBy = :by, #status = :s', { ':s': { S: 'succeeded' } }),
      dispatch,
      'dynamodb:UpdateItem',
      deliveriesArn,
    );
    expect(message).toContain('ForAllValues:StringEquals dynamodb:Attributes');
  });

  test('deliver may not put events on the bus as processing', async () => {
    const message = await denied(
      as(fn('notifications', 'deliver')).events.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: cloud.outputs.processing.EventBusName,
              Source: 'herald.processing',
              DetailType: 'event.stored',
              Detail: '{}',
            },
          ],
        }),
      ),
      fn('notifications', 'deliver'),
      'events:PutEvents',
      `arn:aws:events:${REGION}:${ACCOUNT_ID}:event-bus/${cloud.outputs.processing.EventBusName}`,
    );
    expect(message).toMatch(/explicit deny|explicitly denied/i);
  });

  test('a signing secret is decrypted only with its encryption context', async () => {
    const createSubscription = as(fn('notifications', 'createSubscription'));
    const deliver = as(fn('notifications', 'deliver'));
    const keyArn = cloud.outputs.notifications.NotificationsKeyArn!;
    const context = { purpose: 'herald-webhook-signing-secret' };
    const { CiphertextBlob } = await createSubscription.kms.send(
      new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('whsec_x'), EncryptionContext: context }),
    );
    // With the context its role names, deliver decrypts...
    const clear = await deliver.kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context }));
    expect(Buffer.from(clear.Plaintext!).toString()).toBe('whsec_x');
    // ...without it, no statement allows it, and the message says which condition failed.
    const message = await denied(
      deliver.kms.send(new DecryptCommand({ CiphertextBlob, KeyId: keyArn })),
      fn('notifications', 'deliver'),
      'kms:Decrypt',
      keyArn,
    );
    expect(message).toContain('kms:EncryptionContext:purpose');
  });

  test('no function reads SSM parameters: what the services publish is read by deploys, not at run time', async () => {
    const name = '/herald/local/processing/inboundQueueUrl';
    await denied(
      as(fn('ingest', 'acceptEvents')).ssm.send(new GetParameterCommand({ Name: name })),
      fn('ingest', 'acceptEvents'),
      'ssm:GetParameter',
      `arn:aws:ssm:${REGION}:${ACCOUNT_ID}:parameter${name}`,
    );
  });

  test('processing’s read API may not read ingest’s signing key; ingest’s functions may not read uploads they were not given', async () => {
    const secretArn = /arn:aws:secretsmanager:[^"]+/;
    const getEvent = as(fn('processing', 'getEvent'));
    const error = await getEvent.secrets
      .send(new GetSecretValueCommand({ SecretId: 'herald/local/ingest/envelope-signing-key' }))
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(error?.name).toBe('AccessDeniedException');
    expect(error?.message).toMatch(secretArn);
    expect(error?.message).toContain('secretsmanager:GetSecretValue');

    const bucket = cloud.outputs.ingest.UploadsBucketName!;
    await denied(
      as(fn('ingest', 'acceptEvents')).s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: 'uploads/x.ndjson' }),
      ),
      fn('ingest', 'acceptEvents'),
      's3:GetObject',
      `arn:aws:s3:::${bucket}/uploads/x.ndjson`,
    );
  });

  test('publish may not send delivery tasks: only notifications queues them', async () => {
    const queueUrl = cloud.outputs.notifications.DeliveryQueueUrl!;
    await denied(
      as(fn('processing', 'publish')).sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{}' }),
      ),
      fn('processing', 'publish'),
      'sqs:SendMessage',
      `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:herald-local-notifications-delivery`,
    );
  });

  test('the tenants authorizer may record a key’s use, not change its scopes or revocation; the key routes may not read keys by hash', async () => {
    const keysTable = 'herald-local-tenants-api-keys';
    const keysArn = `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/${keysTable}`;
    const authorize = fn('tenants', 'authorize');
    const change = (name: string, expression: string, values: Record<string, { S: string }>) =>
      as(name).dynamodb.send(
        new UpdateItemCommand({
          TableName: keysTable,
          Key: { pk: { S: 'nobody' } },
          UpdateExpression: expression,
          ExpressionAttributeValues: values,
        }),
      );
    // Within its role (on no key: the item is made, and is no key without its tenant and scopes).
    await change(authorize, 'SET lastUsedAt = :at', { ':at': { S: '2026-12-01T00:00:00Z' } });
    const message = await denied(
      change(authorize, 'SET scopes = :s REMOVE revokedAt', { ':s': { S: 'tenants:admin' } }),
      authorize,
      'dynamodb:UpdateItem',
      keysArn,
    );
    expect(message).toContain('ForAllValues:StringEquals dynamodb:Attributes');
    const revoke = fn('tenants', 'revokeApiKey');
    await denied(
      change(revoke, 'SET scopes = :s', { ':s': { S: 'tenants:admin' } }),
      revoke,
      'dynamodb:UpdateItem',
      keysArn,
    );
    const list = fn('tenants', 'listApiKeys');
    await denied(
      as(list).dynamodb.send(new GetItemCommand({ TableName: keysTable, Key: { pk: { S: 'nobody' } } })),
      list,
      'dynamodb:GetItem',
      keysArn,
    );
  });

  test('the tenants service puts its own events on the bus, never processing’s or notifications’', async () => {
    const suspend = fn('tenants', 'suspendTenant');
    for (const source of ['herald.processing', 'herald.notifications'])
      await denied(
        as(suspend).events.send(
          new PutEventsCommand({
            Entries: [
              {
                EventBusName: cloud.outputs.processing.EventBusName,
                Source: source,
                DetailType: 'event.stored',
                Detail: '{}',
              },
            ],
          }),
        ),
        suspend,
        'events:PutEvents',
        `arn:aws:events:${REGION}:${ACCOUNT_ID}:event-bus/${cloud.outputs.processing.EventBusName}`,
      );
  });
});
