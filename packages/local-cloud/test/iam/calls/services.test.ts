import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { UnknownCall, interpretCall } from '../../../src/iam/calls';
import {
  ACCOUNT,
  KEY_ARN,
  KEY_ID,
  type Recorder,
  SECRET_ARN,
  clientConfig,
  facts,
  startRecorder,
} from './recorder';

let recorder: Recorder;

beforeAll(async () => {
  recorder = await startRecorder();
});
afterAll(() => recorder.stop());

async function sent(send: () => Promise<unknown>) {
  await send().catch(() => undefined);
  return recorder.last();
}

describe('EventBridge PutEvents', () => {
  test('one request per entry, on its bus (by name, by ARN, or the default bus), with its source and detail type', async () => {
    const events = new EventBridgeClient(clientConfig(recorder.endpoint));
    const busArn = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/herald-local`;
    const call = interpretCall(
      'events',
      await sent(() =>
        events.send(
          new PutEventsCommand({
            Entries: [
              {
                EventBusName: 'herald-local',
                Source: 'herald.notifications',
                DetailType: 'delivery.failed',
                Detail: '{}',
              },
              { EventBusName: busArn, Source: 'herald.processing', DetailType: 'event.stored', Detail: '{}' },
              { Source: 'other', DetailType: 'x', Detail: '{}' },
            ],
          }),
        ),
      ),
      facts,
    );
    expect(call.operation).toBe('PutEvents');
    expect(call.requests).toEqual([
      {
        action: 'events:PutEvents',
        resource: busArn,
        context: expect.objectContaining({
          'events:source': 'herald.notifications',
          'events:detail-type': 'delivery.failed',
        }),
      },
      {
        action: 'events:PutEvents',
        resource: busArn,
        context: expect.objectContaining({
          'events:source': 'herald.processing',
          'events:detail-type': 'event.stored',
        }),
      },
      {
        action: 'events:PutEvents',
        resource: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`,
        context: expect.objectContaining({ 'events:source': 'other' }),
      },
    ]);
  });
});

describe('SNS Publish', () => {
  test('sns:Publish on the topic its TopicArn names, and an unknown operation is an UnknownCall', async () => {
    const sns = new SNSClient(clientConfig(recorder.endpoint));
    const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:herald-local-destination-test-t`;
    const call = interpretCall(
      'sns',
      await sent(() => sns.send(new PublishCommand({ TopicArn: topicArn, Message: '{}' }))),
      facts,
    );
    expect(call.operation).toBe('Publish');
    expect(call.requests).toEqual([
      { action: 'sns:Publish', resource: topicArn, context: expect.any(Object) },
    ]);
    expect(() =>
      interpretCall(
        'sns',
        { method: 'POST', path: '/', headers: {}, body: Buffer.from('Action=CreateTopic&Name=x') },
        facts,
      ),
    ).toThrow(UnknownCall);
  });
});

describe('KMS called directly', () => {
  const kms = () => new KMSClient(clientConfig(recorder.endpoint));

  test('Encrypt: the key, its encryption context keys and values, and the caller account; no ViaService', async () => {
    const call = interpretCall(
      'kms',
      await sent(() =>
        kms().send(
          new EncryptCommand({
            KeyId: KEY_ARN,
            Plaintext: Buffer.from('whsec'),
            EncryptionContext: { purpose: 'herald-webhook-signing-secret', tenant: 'acme' },
          }),
        ),
      ),
      facts,
    );
    expect(call.requests).toEqual([
      {
        action: 'kms:Encrypt',
        resource: KEY_ARN,
        context: expect.objectContaining({
          'kms:EncryptionContext:purpose': 'herald-webhook-signing-secret',
          'kms:EncryptionContext:tenant': 'acme',
          'kms:EncryptionContextKeys': ['purpose', 'tenant'],
          'kms:CallerAccount': ACCOUNT,
        }),
      },
    ]);
    expect(call.requests[0]!.context['kms:ViaService']).toBeUndefined();
  });

  test('Decrypt by alias authorizes the key the alias names, with kms:RequestAlias', async () => {
    const call = interpretCall(
      'kms',
      await sent(() =>
        kms().send(
          new DecryptCommand({ KeyId: 'alias/herald-local-notifications', CiphertextBlob: Buffer.from('x') }),
        ),
      ),
      facts,
    );
    expect(call.requests[0]).toMatchObject({
      action: 'kms:Decrypt',
      resource: KEY_ARN,
      context: { 'kms:RequestAlias': 'alias/herald-local-notifications' },
    });
  });

  test('Decrypt without a KeyId: the key named inside the ciphertext', async () => {
    const id = Buffer.from(KEY_ID);
    const blob = Buffer.concat([Buffer.from([1, id.length]), id, Buffer.alloc(40)]);
    const call = interpretCall(
      'kms',
      await sent(() =>
        kms().send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { purpose: 'p' } })),
      ),
      facts,
    );
    expect(call.requests[0]).toMatchObject({ action: 'kms:Decrypt', resource: KEY_ARN });
  });

  test('an operation not interpreted (CreateKey) is an UnknownCall', async () => {
    const call = await sent(() => kms().send(new CreateKeyCommand({})));
    expect(() => interpretCall('kms', call, facts)).toThrow(UnknownCall);
  });
});

describe('S3', () => {
  const s3 = () => new S3Client({ ...clientConfig(recorder.endpoint), forcePathStyle: true });
  const object = 'arn:aws:s3:::uploads/uploads/acme/u1.ndjson';

  test('PutObject: the object ARN, and GenerateDataKey through S3 under the bucket’s key', async () => {
    const call = interpretCall(
      's3',
      await sent(() =>
        s3().send(new PutObjectCommand({ Bucket: 'uploads', Key: 'uploads/acme/u1.ndjson', Body: 'x' })),
      ),
      facts,
    );
    expect(call.operation).toBe('PutObject');
    expect(call.requests).toEqual([
      {
        action: 's3:PutObject',
        resource: object,
        context: expect.objectContaining({ 's3:authType': 'REST-HEADER', 's3:ResourceAccount': ACCOUNT }),
      },
      {
        action: 'kms:GenerateDataKey',
        resource: KEY_ARN,
        context: expect.objectContaining({
          'kms:ViaService': 's3.us-east-1.amazonaws.com',
          'kms:EncryptionContext:aws:s3:arn': object,
        }),
      },
    ]);
  });

  test.each([
    ['GetObject', () => new GetObjectCommand({ Bucket: 'uploads', Key: 'uploads/acme/u1.ndjson' })],
    ['HeadObject', () => new HeadObjectCommand({ Bucket: 'uploads', Key: 'uploads/acme/u1.ndjson' })],
  ])('%s is s3:GetObject on the object, and Decrypt through S3', async (operation, command) => {
    const call = interpretCall('s3', await sent(() => s3().send(command() as GetObjectCommand)), facts);
    expect(call.operation).toBe(operation);
    expect(call.requests.map((r) => [r.action, r.resource])).toEqual([
      ['s3:GetObject', object],
      ['kms:Decrypt', KEY_ARN],
    ]);
  });

  test('ListObjectsV2 is s3:ListBucket on the bucket, with the prefix', async () => {
    recorder.answer(200, '<ListBucketResult/>', { 'content-type': 'application/xml' });
    try {
      const call = interpretCall(
        's3',
        await sent(() => s3().send(new ListObjectsV2Command({ Bucket: 'uploads', Prefix: 'uploads/acme/' }))),
        facts,
      );
      expect(call.requests).toEqual([
        {
          action: 's3:ListBucket',
          resource: 'arn:aws:s3:::uploads',
          context: expect.objectContaining({ 's3:prefix': 'uploads/acme/' }),
        },
      ]);
    } finally {
      recorder.answer(200, '{}');
    }
  });

  test('a presigned PUT is the signer’s s3:PutObject, authenticated by query string', async () => {
    const signed = await getSignedUrl(
      s3(),
      new PutObjectCommand({ Bucket: 'uploads', Key: 'uploads/acme/u1.ndjson' }),
      {
        expiresIn: 60,
      },
    );
    await fetch(signed, { method: 'PUT', body: 'data' });
    const call = interpretCall('s3', recorder.last(), facts);
    expect(call.requests[0]).toMatchObject({
      action: 's3:PutObject',
      resource: object,
      context: { 's3:authType': 'REST-QUERY-STRING' },
    });
  });
  test('a request for a sub-resource (?tagging) is not taken for the object operation its method suggests', () => {
    const call = {
      method: 'GET',
      path: '/uploads/uploads/acme/u1.ndjson?tagging',
      headers: {},
      body: Buffer.alloc(0),
    };
    expect(() => interpretCall('s3', call, facts)).toThrow(UnknownCall);
  });
});

describe('Secrets Manager', () => {
  test('GetSecretValue by name: the secret’s full ARN, and Decrypt through Secrets Manager with SecretARN', async () => {
    const secrets = new SecretsManagerClient(clientConfig(recorder.endpoint));
    const call = interpretCall(
      'secretsmanager',
      await sent(() => secrets.send(new GetSecretValueCommand({ SecretId: 'herald-local-email-link-key' }))),
      facts,
    );
    expect(call.requests).toEqual([
      {
        action: 'secretsmanager:GetSecretValue',
        resource: SECRET_ARN,
        context: expect.objectContaining({ 'secretsmanager:SecretId': 'herald-local-email-link-key' }),
      },
      {
        action: 'kms:Decrypt',
        resource: KEY_ARN,
        context: expect.objectContaining({
          'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com',
          'kms:EncryptionContext:SecretARN': SECRET_ARN,
        }),
      },
    ]);
  });
});

describe('SSM Parameter Store', () => {
  const parameter = (name: string) => `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/${name}`;
  const ssm = () => new SSMClient(clientConfig(recorder.endpoint));

  test('GetParameter by name, ARN or with a version: the parameter’s ARN, without the selector', async () => {
    for (const Name of [
      '/herald/local/processing/apiUrl',
      `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/herald/local/processing/apiUrl`,
      '/herald/local/processing/apiUrl:3',
    ]) {
      const call = interpretCall(
        'ssm',
        await sent(() => ssm().send(new GetParameterCommand({ Name }))),
        facts,
      );
      expect(call.requests).toEqual([
        {
          action: 'ssm:GetParameter',
          resource: parameter('herald/local/processing/apiUrl'),
          context: expect.any(Object),
        },
      ]);
    }
  });

  test('GetParameters: each name; GetParametersByPath: the path, with ssm:Recursive', async () => {
    const many = interpretCall(
      'ssm',
      await sent(() => ssm().send(new GetParametersCommand({ Names: ['/a/b', 'plain'] }))),
      facts,
    );
    expect(many.requests.map((request) => [request.action, request.resource])).toEqual([
      ['ssm:GetParameters', parameter('a/b')],
      ['ssm:GetParameters', parameter('plain')],
    ]);
    const byPath = interpretCall(
      'ssm',
      await sent(() =>
        ssm().send(new GetParametersByPathCommand({ Path: '/herald/local', Recursive: true })),
      ),
      facts,
    );
    expect(byPath.requests).toEqual([
      {
        action: 'ssm:GetParametersByPath',
        resource: parameter('herald/local'),
        context: expect.objectContaining({ 'ssm:Recursive': 'true' }),
      },
    ]);
  });

  test('PutParameter sets ssm:Overwrite; an operation it does not know is an UnknownCall', async () => {
    const put = interpretCall(
      'ssm',
      await sent(() =>
        ssm().send(new PutParameterCommand({ Name: '/x/y', Value: 'v', Type: 'String', Overwrite: true })),
      ),
      facts,
    );
    expect(put.requests[0]).toMatchObject({
      action: 'ssm:PutParameter',
      resource: parameter('x/y'),
      context: expect.objectContaining({ 'ssm:Overwrite': 'true' }),
    });
    const call = {
      method: 'POST',
      path: '/',
      headers: { 'x-amz-target': 'AmazonSSM.SendCommand' },
      body: Buffer.from('{}'),
    };
    expect(() => interpretCall('ssm', call, facts)).toThrow(UnknownCall);
  });
});

describe('SES v2', () => {
  test('SendEmail: the From domain’s identity and the configuration set, with the sender and recipients', async () => {
    const ses = new SESv2Client(clientConfig(recorder.endpoint));
    const call = interpretCall(
      'ses',
      await sent(() =>
        ses.send(
          new SendEmailCommand({
            FromEmailAddress: 'Herald <notifications@herald.local>',
            ConfigurationSetName: 'herald-local-notifications',
            Destination: { ToAddresses: ['ops@acme.test'] },
            Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 'b' } } } },
          }),
        ),
      ),
      facts,
    );
    const context = expect.objectContaining({
      'ses:FromAddress': 'notifications@herald.local',
      'ses:FromDisplayName': 'Herald',
      'ses:Recipients': ['ops@acme.test'],
    });
    expect(call).toEqual({
      operation: 'SendEmail',
      requests: [
        {
          action: 'ses:SendEmail',
          resource: `arn:aws:ses:us-east-1:${ACCOUNT}:identity/herald.local`,
          context,
        },
        {
          action: 'ses:SendEmail',
          resource: `arn:aws:ses:us-east-1:${ACCOUNT}:configuration-set/herald-local-notifications`,
          context,
        },
      ],
    });
  });
});
