/**
 * The local cloud as a whole, wired from the services' own templates: HTTP through serverless-offline,
 * the queue mapping into processing's consume function, the signing key from the secrets emulator,
 * and notifications' rule on processing's bus delivering to its SQS target.
 */
import { describe, expect, test } from '@jest/globals';
import { PutEventsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { QueryCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { createEnvelopeSigner, type Ed25519PrivateJwk } from '@herald/shared/signing';
import { clientConfig } from '../src/aws';
import { awsClients, eventually, localCloud, serviceLog, tokenFor } from '../../../test/setup/local-cloud';

const cloud = localCloud();
const { dynamodb } = awsClients();

async function postEvent(body: unknown, token?: string) {
  return fetch(`${cloud.endpoints.services.ingest}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

describe('local cloud', () => {
  test('serverless-offline runs the code the package built: no function is bundled again at its start', async () => {
    for (const service of ['ingest', 'processing', 'notifications', 'tenants'] as const) {
      expect(await serviceLog(service)).toMatch(
        /@herald\/serverless-plugin: runs the package's build in \S*\.esbuild\/\.build/,
      );
    }
  });

  test("no Authorization header: API Gateway's own 401, from the front, before any function", async () => {
    const response = await postEvent({ type: 'order.created', data: {} });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ message: 'Unauthorized' });
  });

  test("a token the tenants authorizer refuses: the function's problem+json 401, with its challenge", async () => {
    const response = await postEvent({ type: 'order.created', data: {} }, 'not-a-token');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="herald", error="invalid_token"/);
  });

  test('an event posted to ingest is signed, queued, verified and stored once by processing', async () => {
    const token = await tokenFor({ tenant: 'localcloud', scopes: ['events:write'] });
    const id = `lc-${Date.now()}`;
    const response = await postEvent({ id, type: 'order.created', data: { total: 42 } }, token);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ ids: [id] });

    const items = await eventually(
      async () => {
        // The tenant's partition, every page: the table is shared with the other tests, and one
        // Scan (or Query) page stops at 1 MB whatever its filter kept.
        const found: Array<Record<string, unknown>> = [];
        const pages = paginateQuery(
          { client: dynamodb },
          {
            TableName: 'herald-local-processing-events',
            KeyConditionExpression: 'pk = :pk',
            FilterExpression: 'eventId = :id',
            ExpressionAttributeValues: { ':pk': 'TENANT#localcloud', ':id': id },
          },
        );
        for await (const page of pages) found.push(...(page.Items ?? []));
        return found.length ? found : undefined;
      },
      30_000,
      `event ${id} stored`,
    );
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      tenantId: 'localcloud',
      type: 'order.created',
      pk: 'TENANT#localcloud',
    });
    // Stored as the exact JSON text that was signed.
    expect(JSON.parse(items[0]?.envelope as string)).toMatchObject({
      id,
      data: { total: 42 },
      signature: expect.any(String),
    });
  }, 40_000);

  test('notifications’ rule on processing’s bus delivers stored events to the dispatch queue', async () => {
    // The dispatch function consumes that queue: what reaches it is seen by what it stores, a stored
    // event in the deliveries table (it keeps every verified event for replay).
    const signer = createEnvelopeSigner(
      (cloud as unknown as { envelopeSigningKey: Ed25519PrivateJwk }).envelopeSigningKey,
    );
    const tenant = `rule-${Date.now()}`;
    const envelope = (id: string) =>
      signer.sign({
        specversion: '1.0',
        id,
        source: '/herald/ingest',
        type: 'rule.checked',
        time: new Date().toISOString(),
        datacontenttype: 'application/json',
        data: {},
        tenantid: tenant,
        correlationid: id,
      });
    const events = new EventBridgeClient(clientConfig(cloud.endpoints.aws.eventbridge));
    const out = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: 'herald-local',
            Source: 'herald.processing',
            DetailType: 'event.stored',
            Detail: JSON.stringify(envelope('from-processing')),
          },
          {
            EventBusName: 'herald-local',
            Source: 'someone.else',
            DetailType: 'event.stored',
            Detail: JSON.stringify(envelope('from-someone-else')),
          },
        ],
      }),
    );
    expect(out.FailedEntryCount).toBe(0);

    const stored = async () =>
      (
        await dynamodb.send(
          new QueryCommand({
            TableName: 'herald-local-notifications-deliveries',
            // The stored events only: the tenant's partition also holds the overview's counters.
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
            ExpressionAttributeValues: { ':pk': `TENANT#${tenant}`, ':event': 'EVT#' },
          }),
        )
      ).Items ?? [];
    await eventually(
      async () => ((await stored()).length > 0 ? true : undefined),
      15_000,
      'the stored event through the dispatch queue',
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Only the event from herald.processing matches the rule's pattern.
    // The event log keeps each envelope as the JSON text it was signed as.
    const ids = (await stored()).map((item) => (JSON.parse(item.envelope as string) as { id: string }).id);
    expect(ids).toEqual(['from-processing']);
  }, 30_000);

  test('each service’s KMS key and alias from its template encrypt and decrypt', async () => {
    const kms = new KMSClient(clientConfig(cloud.endpoints.aws.kms));
    for (const alias of [
      'alias/herald-local-processing',
      'alias/herald-local-ingest',
      'alias/herald-local-notifications',
    ]) {
      const encrypted = await kms.send(
        new EncryptCommand({ KeyId: alias, Plaintext: Buffer.from('secret') }),
      );
      expect(encrypted.KeyId).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\//);
      const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }));
      expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('secret');
    }
  });
});
