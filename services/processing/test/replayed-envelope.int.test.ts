/**
 * An envelope taken from the inbound queue and sent again after its dedupe record has expired is
 * never stored again: consume refuses an envelope older than the dedupe window (the local stage
 * keeps events 7 days), logs why, and the message reaches the inbound DLQ. A fresh envelope from
 * the same signer is stored, and one signed before `ingesttime` existed is still taken.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Envelope } from '@herald/shared/contracts';
import { createEnvelopeSigner, type EnvelopeSigner } from '@herald/shared/signing';
import { clientConfig } from '@herald/local-cloud/client';
import { awsClients, eventually, localCloud, serviceLogRecords } from '../../../test/setup/local-cloud';

const cloud = localCloud();
const { sqs, dynamodb } = awsClients();
const TABLE = 'herald-local-processing-events';
const INBOUND_DLQ = 'https://sqs.us-east-1.amazonaws.com/000000000000/herald-local-processing-inbound-dlq';
const DAY = 86_400_000;

const run = `replay-${Date.now().toString(36)}`;
let signer: EnvelopeSigner;

const envelope = (id: string, ingestTime?: Date): Envelope =>
  signer.sign({
    specversion: '1.0',
    id: `${run}-${id}`,
    source: '/herald/ingest',
    type: 'order.created',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { id },
    tenantid: run,
    correlationid: `corr-${run}`,
    ...(ingestTime ? { ingesttime: ingestTime.toISOString() } : {}),
  });

const send = async (body: Envelope) =>
  (
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: cloud.outputs.processing.InboundQueueUrl,
        MessageBody: JSON.stringify(body),
      }),
    )
  ).MessageId!;

const stored = async (id: string) =>
  (await dynamodb.send(new GetCommand({ TableName: TABLE, Key: { pk: `TENANT#${run}`, sk: `EVENT#${id}` } })))
    .Item;

/** Processing's JSON log records. */
const logLines = () => serviceLogRecords('processing');

beforeAll(async () => {
  const secrets = new SecretsManagerClient(clientConfig(cloud.endpoints.aws.secretsmanager));
  const secret = await secrets.send(
    new GetSecretValueCommand({ SecretId: 'herald/local/ingest/envelope-signing-key' }),
  );
  signer = createEnvelopeSigner(secret.SecretString!);
}, 30_000);

describe('the dedupe window', () => {
  test('a copy older than the window reaches the DLQ, logged, never stored; fresh and unstamped ones are stored', async () => {
    const stale = envelope('stale', new Date(Date.now() - 8 * DAY));
    const fresh = envelope('fresh', new Date());
    const unstamped = envelope('unstamped');
    const staleMessage = await send(stale);
    await send(fresh);
    await send(unstamped);

    await eventually(() => stored(fresh.id), 30_000, 'the fresh envelope stored');
    await eventually(() => stored(unstamped.id), 30_000, 'the unstamped envelope stored');

    const dead = await eventually(
      async () => {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: INBOUND_DLQ,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            VisibilityTimeout: 2,
          }),
        );
        return out.Messages?.find((message) => message.MessageId === staleMessage);
      },
      60_000,
      'the stale envelope in the inbound DLQ',
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl: INBOUND_DLQ, ReceiptHandle: dead.ReceiptHandle! }));
    expect(JSON.parse(dead.Body!)).toEqual(stale);
    expect(await stored(stale.id)).toBeUndefined();

    const rejection = (await logLines()).find((line) => line.messageId === staleMessage);
    expect(rejection).toMatchObject({
      securityEvent: 'envelope.rejected',
      reason: 'too-old',
      eventId: stale.id,
      windowSeconds: 7 * 86_400 - 300,
    });
    expect(rejection!.ageSeconds).toBeGreaterThanOrEqual(8 * 86_400);
  }, 90_000);
});
