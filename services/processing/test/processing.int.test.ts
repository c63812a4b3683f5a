/**
 * Processing on the local cloud, through its real queue, table, stream and bus: signed envelopes are
 * stored once and published once, duplicates and bad messages are handled as the issue asks, and the
 * read API shows each tenant its own events only. The bus is observed through a rule of this test's
 * own, on processing's bus, with an SQS target.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  DeleteRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { storedEnvelope, type Envelope, type EventStoredDetail } from '@herald/shared/contracts';
import { createEnvelopeSigner, createEnvelopeVerifier, type EnvelopeSigner } from '@herald/shared/signing';
import { clientConfig } from '@herald/local-cloud/client';
import {
  awsClients,
  eventually,
  localCloud,
  serviceLogRecords,
  tokenFor,
} from '../../../test/setup/local-cloud';

const cloud = localCloud();
const { sqs, dynamodb } = awsClients();
const events = new EventBridgeClient(clientConfig(cloud.endpoints.aws.eventbridge));
const outputs = cloud.outputs.processing;
const TABLE = 'herald-local-processing-events';
const INBOUND_DLQ = 'https://sqs.us-east-1.amazonaws.com/000000000000/herald-local-processing-inbound-dlq';

const run = Date.now().toString(36);
const tenant = `proc-${run}`;
const otherTenant = `other-${run}`;
const ruleName = `processing-int-${run}`;
const observerName = `processing-int-observer-${run}`;
let observerUrl: string;
let signer: EnvelopeSigner;
let sequence = 0;

interface BusMessage {
  source: string;
  'detail-type': string;
  account: string;
  time: string;
  detail: Envelope;
}
/** Every event.stored the test rule has delivered so far, by event id. */
const seen = new Map<string, BusMessage[]>();

function envelope(overrides: Partial<Envelope> = {}): Envelope {
  sequence += 1;
  return signer.sign({
    specversion: '1.0',
    id: `${run}-${sequence}`,
    source: '/herald/ingest',
    type: 'order.created',
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { n: sequence },
    tenantid: tenant,
    correlationid: `corr-${run}-${sequence}`,
    ...overrides,
  });
}

const send = (body: string, correlationId = `corr-${run}`) =>
  sqs.send(
    new SendMessageCommand({
      QueueUrl: outputs.InboundQueueUrl,
      MessageBody: body,
      MessageAttributes: { correlationid: { DataType: 'String', StringValue: correlationId } },
    }),
  );

const storedItem = async (tenantId: string, id: string) =>
  (
    await dynamodb.send(
      new GetCommand({ TableName: TABLE, Key: { pk: `TENANT#${tenantId}`, sk: `EVENT#${id}` } }),
    )
  ).Item;

const waitStored = (id: string, tenantId = tenant) =>
  eventually(() => storedItem(tenantId, id), 30_000, `event ${id} stored`);

async function drainObserver(): Promise<void> {
  const out = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: observerUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  for (const message of out.Messages ?? []) {
    const event = JSON.parse(message.Body!) as BusMessage;
    seen.set(event.detail.id, [...(seen.get(event.detail.id) ?? []), event]);
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: observerUrl, ReceiptHandle: message.ReceiptHandle! }),
    );
  }
}

const waitPublished = (id: string) =>
  eventually(
    async () => {
      await drainObserver();
      return seen.get(id);
    },
    30_000,
    `event ${id} on the bus`,
  );

/** Processing's JSON log records. */
const logLines = () => serviceLogRecords('processing');

const api = (path: string, token?: string) =>
  fetch(`${cloud.endpoints.services.processing}${path}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

beforeAll(async () => {
  const secrets = new SecretsManagerClient(clientConfig(cloud.endpoints.aws.secretsmanager));
  const secret = await secrets.send(
    new GetSecretValueCommand({ SecretId: 'herald/local/ingest/envelope-signing-key' }),
  );
  signer = createEnvelopeSigner(secret.SecretString!);

  observerUrl = (await sqs.send(new CreateQueueCommand({ QueueName: observerName }))).QueueUrl!;
  const observerArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: observerUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  await events.send(
    new PutRuleCommand({
      Name: ruleName,
      EventBusName: outputs.EventBusName,
      EventPattern: JSON.stringify({
        source: ['herald.processing'],
        'detail-type': ['event.stored'],
        detail: { tenantid: [tenant, otherTenant] },
      }),
    }),
  );
  await events.send(
    new PutTargetsCommand({
      Rule: ruleName,
      EventBusName: outputs.EventBusName,
      Targets: [{ Id: 'observer', Arn: observerArn }],
    }),
  );
}, 30_000);

afterAll(async () => {
  await events.send(
    new RemoveTargetsCommand({ Rule: ruleName, EventBusName: outputs.EventBusName, Ids: ['observer'] }),
  );
  await events.send(new DeleteRuleCommand({ Name: ruleName, EventBusName: outputs.EventBusName }));
  await sqs.send(new DeleteQueueCommand({ QueueUrl: observerUrl }));
}, 30_000);

describe('processing on the local cloud', () => {
  test('signed envelopes sent to the inbound queue are stored once and put on the bus once', async () => {
    const batch = [envelope(), envelope({ type: 'order.shipped', subject: 'order-7' }), envelope()];
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: outputs.InboundQueueUrl,
        Entries: batch.map((e, i) => ({
          Id: String(i),
          MessageBody: JSON.stringify(e),
          MessageAttributes: { correlationid: { DataType: 'String', StringValue: e.correlationid } },
        })),
      }),
    );
    const verifier = createEnvelopeVerifier([signer.publicJwk]);
    for (const sent of batch) {
      const item = await waitStored(sent.id);
      expect(item).toMatchObject({
        pk: `TENANT#${tenant}`,
        sk: `EVENT#${sent.id}`,
        tenantId: tenant,
        eventId: sent.id,
        type: sent.type,
        correlationId: sent.correlationid,
        receivedAt: expect.stringMatching(/Z$/),
        storedAt: expect.stringMatching(/Z$/),
        expiresAt: expect.any(Number),
      });
      // Retention of the local stage is 7 days.
      expect(item!.expiresAt).toBe(Math.floor(Date.parse(item!.storedAt) / 1000) + 7 * 86_400);
      expect(JSON.parse(item!.envelope as string)).toEqual(sent);

      const [onBus, ...more] = await waitPublished(sent.id);
      expect(more).toEqual([]);
      expect(onBus).toMatchObject({
        source: 'herald.processing',
        'detail-type': 'event.stored',
        account: '000000000000',
      });
      // An event with a subject carries its subject's number beside the envelope (the local stage
      // publishes it, unsigned); without it, what notifications receives still verifies against
      // ingest's key: nobody re-signed it.
      const { envelope: signed, sequence } = storedEnvelope(onBus!.detail as EventStoredDetail);
      expect(signed).toEqual(sent);
      expect(sequence).toEqual(sent.subject === undefined ? undefined : { number: 1 });
      expect(item!.subjectSequence).toBe(sent.subject === undefined ? undefined : 1);
      expect(verifier.verify(signed)).toEqual(sent);
    }
  }, 60_000);

  test('a duplicate is stored once, counted as a duplicate, and published once', async () => {
    const original = envelope();
    const body = JSON.stringify(original);
    await send(body);
    const first = await waitStored(original.id);
    await waitPublished(original.id);

    await send(body);
    await send(body);
    await eventually(
      async () => {
        const duplicates = (await logLines()).filter(
          (line) => line.message === 'Duplicate event ignored' && line.eventId === original.id,
        );
        return duplicates.length >= 2 ? duplicates : undefined;
      },
      30_000,
      'both redeliveries counted as duplicates',
    );
    expect(await storedItem(tenant, original.id)).toEqual(first);
    // A later event, stored and published after the redeliveries were handled: a second copy of the
    // original, had one been published, would have come before it.
    const later = envelope();
    await send(JSON.stringify(later));
    await waitPublished(later.id);
    expect(seen.get(original.id)).toHaveLength(1);
  }, 60_000);

  test('a tampered message is never stored, fails each receive, and reaches the DLQ after maxReceiveCount', async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: outputs.InboundQueueUrl, AttributeNames: ['RedrivePolicy'] }),
    );
    const { maxReceiveCount } = JSON.parse(Attributes!.RedrivePolicy!) as { maxReceiveCount: number };
    const tampered = { ...envelope(), data: { n: 'changed after signing' } };
    const { MessageId } = await send(JSON.stringify(tampered));

    const dead = await eventually(
      async () => {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: INBOUND_DLQ,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            VisibilityTimeout: 2,
            MessageSystemAttributeNames: ['All'],
          }),
        );
        return out.Messages?.find((message) => message.MessageId === MessageId);
      },
      60_000,
      'the tampered message in the inbound DLQ',
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl: INBOUND_DLQ, ReceiptHandle: dead.ReceiptHandle! }));
    expect(JSON.parse(dead.Body!)).toEqual(tampered);
    // Moved by the redrive policy, so received (and failed) maxReceiveCount times first.
    expect(Number(dead.Attributes?.ApproximateReceiveCount)).toBeGreaterThanOrEqual(maxReceiveCount);

    const rejections = (await logLines()).filter(
      (line) => line.securityEvent === 'envelope.rejected' && line.messageId === MessageId,
    );
    expect(rejections.length).toBeGreaterThan(0);
    for (const line of rejections) {
      expect(line).toMatchObject({ level: 'WARN', reason: 'bad-signature' });
      // A security event names the message, never its payload.
      expect(JSON.stringify(line)).not.toContain('changed after signing');
    }
    expect(await storedItem(tenant, tampered.id)).toBeUndefined();
  }, 90_000);

  test('a batch mixing good and bad records stores every good one and none of the bad', async () => {
    const good = [envelope(), envelope(), envelope({ tenantid: otherTenant }), envelope()];
    const forged = { ...envelope(), tenantid: otherTenant };
    const { signature: _s, ...unsigned } = envelope();
    const bodies = [good[0], forged, good[1], unsigned, good[2], 'not json at all', good[3]].map((b) =>
      typeof b === 'string' ? b : JSON.stringify(b),
    );
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: outputs.InboundQueueUrl,
        Entries: bodies.map((body, i) => ({ Id: String(i), MessageBody: body })),
      }),
    );
    expect(out.Failed ?? []).toEqual([]);
    for (const e of good) await waitStored(e.id, e.tenantid);
    expect(await storedItem(otherTenant, forged.id)).toBeUndefined();
    expect(await storedItem(tenant, forged.id)).toBeUndefined();
    expect(await storedItem(tenant, unsigned.id)).toBeUndefined();
    for (const e of good) await waitPublished(e.id);
  }, 60_000);

  test('a stored item the bus can never take goes to the publish DLQ by key, and later events still flow', async () => {
    // Written straight into the table, as no envelope that passes consume could be: no envelope text.
    const broken = `${run}-unpublishable`;
    await dynamodb.send(
      new PutCommand({
        TableName: TABLE,
        Item: { pk: `TENANT#${tenant}-x`, sk: `EVENT#${broken}`, tenantId: `${tenant}-x`, eventId: broken },
      }),
    );
    const after = envelope();
    await send(JSON.stringify(after));
    await waitPublished(after.id);

    const letter = await eventually(
      async () => {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: outputs.PublishDeadLetterQueueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
          }),
        );
        for (const message of out.Messages ?? []) {
          await sqs.send(
            new DeleteMessageCommand({
              QueueUrl: outputs.PublishDeadLetterQueueUrl,
              ReceiptHandle: message.ReceiptHandle!,
            }),
          );
        }
        return (out.Messages ?? [])
          .map((message) => JSON.parse(message.Body!) as Record<string, unknown>)
          .find((body) => body.sk === `EVENT#${broken}`);
      },
      30_000,
      'the dead letter',
    );
    expect(letter).toEqual({
      reason: 'unreadable-record',
      sequenceNumber: expect.any(String),
      pk: `TENANT#${tenant}-x`,
      sk: `EVENT#${broken}`,
    });
  }, 60_000);

  /**
   * The read API's tests read what this describe stores for tenants of its own, so each passes
   * alone and whatever ran before.
   */
  describe('read API', () => {
    const reader = `read-${run}`;
    const otherReader = `read-other-${run}`;
    const published: Envelope[] = [];

    beforeAll(async () => {
      const mine = [
        envelope({ tenantid: reader }),
        envelope({ tenantid: reader, type: 'order.shipped', subject: 'order-7' }),
        envelope({ tenantid: reader }),
        envelope({ tenantid: reader }),
        envelope({ tenantid: reader, type: 'order.shipped' }),
      ];
      const theirs = envelope({ tenantid: otherReader });
      // One at a time, so each is received (and listed) after the one before.
      for (const e of [...mine, theirs]) {
        await send(JSON.stringify(e), e.correlationid);
        await waitStored(e.id, e.tenantid);
      }
      published.push(...mine);
    }, 120_000);

    test('GET /v1/events/{id}: the caller’s event; another tenant’s answers 404 like a missing one', async () => {
      const [mine] = published;
      const token = await tokenFor({ tenant: reader, scopes: ['events:read'] });
      const response = await api(`/v1/events/${mine!.id}`, token);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({
        id: mine!.id,
        type: mine!.type,
        data: mine!.data,
        correlationId: mine!.correlationid,
        receivedAt: expect.any(String),
      });

      const otherToken = await tokenFor({ tenant: otherReader, scopes: ['events:read'] });
      const theirs = await api(`/v1/events/${mine!.id}`, otherToken);
      const missing = await api(`/v1/events/${run}-does-not-exist`, otherToken);
      expect([theirs.status, missing.status]).toEqual([404, 404]);
      expect(theirs.headers.get('content-type')).toBe('application/problem+json');
      const [a, b] = [(await theirs.json()) as object, (await missing.json()) as object];
      expect({ ...a, instance: undefined }).toEqual({ ...b, instance: undefined });
    });

    test('GET /v1/events: the caller’s events newest first, by type, page by page', async () => {
      const token = await tokenFor({ tenant: reader, scopes: ['events:read'] });
      const ids: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const response = await api(`/v1/events?limit=2${cursor ? `&cursor=${cursor}` : ''}`, token);
        expect(response.status).toBe(200);
        const page = (await response.json()) as {
          items: Array<{ id: string; receivedAt: string }>;
          nextCursor?: string;
        };
        expect(page.items.length).toBeLessThanOrEqual(2);
        ids.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 20);
      expect([...ids].sort()).toEqual(published.map((e) => e.id).sort());
      expect(new Set(ids).size).toBe(ids.length);

      const all = (await (await api('/v1/events?limit=100', token)).json()) as {
        items: Array<{ id: string; receivedAt: string }>;
      };
      const times = all.items.map((item) => item.receivedAt);
      expect(times).toEqual([...times].sort().reverse());

      const shipped = (await (await api('/v1/events?type=order.shipped', token)).json()) as {
        items: Array<{ id: string }>;
      };
      expect(shipped.items.map((item) => item.id)).toEqual(
        published
          .filter((e) => e.type === 'order.shipped')
          .map((e) => e.id)
          .reverse(),
      );

      const otherToken = await tokenFor({ tenant: otherReader, scopes: ['events:read'] });
      const theirs = (await (await api('/v1/events', otherToken)).json()) as { items: Array<{ id: string }> };
      expect(theirs.items.map((item) => item.id)).not.toEqual(expect.arrayContaining([published[0]!.id]));
      expect(theirs.items).toHaveLength(1);
    });

    test('since (inclusive) and until (exclusive) bound the received time', async () => {
      const token = await tokenFor({ tenant: reader, scopes: ['events:read'] });
      const list = async (query: Record<string, string>) => {
        const response = await api(`/v1/events?${new URLSearchParams({ limit: '100', ...query })}`, token);
        expect(response.status).toBe(200);
        return ((await response.json()) as { items: Array<{ id: string; receivedAt: string }> }).items;
      };
      const all = await list({});
      expect(all).toHaveLength(published.length);
      const [newest, ...older] = all;
      const oldest = all.at(-1)!;
      expect((await list({ since: newest!.receivedAt })).map((item) => item.id)).toEqual([newest!.id]);
      expect(await list({ until: oldest.receivedAt })).toEqual([]);
      const window = await list({ since: older.at(-2)!.receivedAt, until: newest!.receivedAt });
      expect(window.map((item) => item.id)).toEqual(older.slice(0, -1).map((item) => item.id));
    });

    test("no Authorization header: API Gateway's own 401, before the authorizer", async () => {
      const response = await api('/v1/events', undefined);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Unauthorized' });
    });

    test.each<[string, number, () => Promise<string | undefined>]>([
      ['a malformed token', 401, async () => 'not-a-jwt'],
      ['an API key nobody issued', 401, async () => `hk_test_${'0'.repeat(32)}`],
      [
        'a token for another audience',
        401,
        () => tokenFor({ tenant: reader, scopes: ['events:read'], audience: 'someone-else' }),
      ],
      ['a token without events:read', 403, () => tokenFor({ tenant: reader, scopes: ['events:write'] })],
    ])('%s: %d problem+json', async (_name, status, token) => {
      for (const path of ['/v1/events', `/v1/events/${published[0]!.id}`]) {
        const response = await api(path, await token());
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="herald"/);
        expect(await response.json()).toMatchObject({ status });
      }
    });

    test.each<[string, number, string, string]>([
      ['limit=0', 422, '/v1/events?limit=0', 'validation-failed'],
      ['limit=500', 422, '/v1/events?limit=500', 'validation-failed'],
      ['since=yesterday', 422, '/v1/events?since=yesterday', 'validation-failed'],
      [
        'until before since',
        422,
        '/v1/events?since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z',
        'validation-failed',
      ],
      ['an unknown parameter', 422, '/v1/events?tenant=someone-else', 'validation-failed'],
      ['a cursor never issued', 400, '/v1/events?cursor=bm90LWEtY3Vyc29y', 'invalid-cursor'],
      ['a malformed id', 422, '/v1/events/a%23b', 'validation-failed'],
    ])('%s: %d %s', async (_name, status, path, type) => {
      const response = await api(path, await tokenFor({ tenant: reader, scopes: ['events:read'] }));
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ status, type: `https://herald.dev/problems/${type}` });
    });
  });
});
