/**
 * Ingest on the local cloud, across ingest and processing: what POST /v1/events and bulk uploads
 * accept is stored by processing exactly once, retries with an idempotency key store nothing new,
 * a file S3 notifies twice is read once, an object no upload made is left alone, and every bad
 * request gets its problem response with nothing stored.
 */
import { describe, expect, test } from '@jest/globals';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { clientConfig } from '@herald/local-cloud/client';
import { ulid } from 'ulid';
import {
  awsClients,
  eventually,
  localCloud,
  serviceLogRecords,
  tokenFor,
} from '../../../test/setup/local-cloud';
import { drained } from '../../../test/e2e/support/barrier';

const cloud = localCloud();
const { dynamodb } = awsClients();
/** The bucket's own client, as S3 itself writes: no presigned URL, no function's role. */
const s3 = new S3Client({ ...clientConfig(cloud.endpoints.aws.s3), forcePathStyle: true });
const UPLOADS_BUCKET = cloud.outputs.ingest.UploadsBucketName!;
const api = cloud.endpoints.services.ingest;
const EVENTS_TABLE = 'herald-local-processing-events';
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

let tenants = 0;
/** A tenant of its own per test, so its partition of the events table holds only what the test sent. */
const newTenant = (name: string) => `it-${name}-${Date.now().toString(36)}-${tenants++}`;

const writer = (tenant: string) => tokenFor({ tenant, scopes: ['events:write'] });

async function request(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
) {
  return fetch(`${api}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    ...(options.raw !== undefined
      ? { body: options.raw }
      : options.body !== undefined
        ? { body: JSON.stringify(options.body) }
        : {}),
  });
}

type Stored = Record<string, unknown> & { envelope: Record<string, unknown> & { data: unknown } };

/**
 * Every event processing stored for a tenant, by id, with its envelope parsed (it is kept as text).
 * An upload's own notice, herald.upload.completed, is an event of the tenant too, but not one of the
 * file's: left out unless asked for.
 */
async function stored(tenant: string, { operational = false } = {}): Promise<Map<string, Stored>> {
  const items = new Map<string, Stored>();
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamodb.send(
      new QueryCommand({
        TableName: EVENTS_TABLE,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `TENANT#${tenant}` },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      // The partition also holds the subjects' sequence counters, which are no events.
      if (item.envelope === undefined) continue;
      const envelope = typeof item.envelope === 'string' ? JSON.parse(item.envelope) : item.envelope;
      if (!operational && String(envelope.type).startsWith('herald.')) continue;
      items.set(item.eventId as string, { ...item, envelope });
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Waits until the tenant has `count` stored events, and returns them. */
async function storedCount(tenant: string, count: number, what: string) {
  return eventually(
    async () => {
      const items = await stored(tenant);
      return items.size >= count ? items : undefined;
    },
    60_000,
    what,
  );
}

/**
 * A last event sent after everything else, and waited for; then processing's inbound queue is seen
 * empty (nothing visible, in flight or delayed): every message sent before has been stored or
 * refused by then, so what is not stored now never will be.
 */
async function barrier(tenant: string): Promise<Map<string, Stored>> {
  const id = `barrier-${Date.now()}`;
  const response = await request('POST', '/v1/events', {
    token: await writer(tenant),
    body: { id, type: 'test.barrier', data: {} },
  });
  expect(response.status).toBe(202);
  await eventually(
    async () => ((await stored(tenant)).has(id) ? true : undefined),
    60_000,
    'the barrier event',
  );
  await drained([cloud.outputs.processing.InboundQueueUrl!]);
  const items = await stored(tenant);
  items.delete(id);
  return items;
}

/** Waits for onUpload's log record that `mine` picks (what it did with a notification it did not read). */
function onUploadLogged(mine: (record: Record<string, unknown>) => boolean, what: string) {
  return eventually(
    async () =>
      (await serviceLogRecords('ingest')).find(
        (record) => record.function_name === 'herald-ingest-local-onUpload' && mine(record),
      ),
    60_000,
    what,
  );
}

describe('POST /v1/events', () => {
  test('one event is signed, queued and stored once by processing', async () => {
    const tenant = newTenant('one');
    const response = await request('POST', '/v1/events', {
      token: await writer(tenant),
      body: { type: 'order.created', subject: 'orders/1', data: { total: 42 } },
      headers: { 'x-correlation-id': 'it-one-event' },
    });
    expect(response.status).toBe(202);
    const { ids } = (await response.json()) as { ids: string[] };
    expect(ids).toEqual([expect.stringMatching(ULID)]);

    const items = await storedCount(tenant, 1, 'the event stored');
    expect([...items.keys()]).toEqual(ids);
    expect(items.get(ids[0]!)).toMatchObject({
      type: 'order.created',
      correlationId: 'it-one-event',
      envelope: {
        id: ids[0],
        tenantid: tenant,
        subject: 'orders/1',
        data: { total: 42 },
        signature: expect.any(String),
      },
    });
  }, 90_000);

  test('a batch of 100: 202 with the ids in order, every one stored exactly once', async () => {
    const tenant = newTenant('batch');
    const events = Array.from({ length: 100 }, (_, n) => ({ type: 'order.created', data: { n } }));
    const response = await request('POST', '/v1/events', { token: await writer(tenant), body: { events } });
    expect(response.status).toBe(202);
    const { ids } = (await response.json()) as { ids: string[] };
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
    expect([...ids].sort()).toEqual(ids);

    await storedCount(tenant, 100, '100 events stored');
    const items = await barrier(tenant);
    expect(items.size).toBe(100);
    for (const [n, id] of ids.entries()) {
      expect(items.get(id)?.envelope).toMatchObject({ id, data: { n } });
    }
  }, 120_000);

  test('the same Idempotency-Key again gets the same ids and stores nothing new', async () => {
    const tenant = newTenant('idem');
    const token = await writer(tenant);
    const body = { events: Array.from({ length: 5 }, (_, n) => ({ type: 'order.created', data: { n } })) };
    const headers = { 'idempotency-key': `key-${Date.now()}` };

    const first = await request('POST', '/v1/events', { token, body, headers });
    expect(first.status).toBe(202);
    const { ids } = (await first.json()) as { ids: string[] };
    await storedCount(tenant, 5, 'the first request’s events');

    const again = await request('POST', '/v1/events', { token, body, headers });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual({ ids });

    const other = await request('POST', '/v1/events', {
      token,
      headers,
      body: { events: [{ type: 'order.created', data: { n: 99 } }] },
    });
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    expect(await other.json()).toMatchObject({ type: 'https://herald.dev/problems/idempotency-key-reused' });

    // A single event's own id works the same way without the header.
    const own = { id: `own-${Date.now()}`, type: 'order.created', data: { v: 1 } };
    expect((await request('POST', '/v1/events', { token, body: own })).status).toBe(202);
    expect((await request('POST', '/v1/events', { token, body: own })).status).toBe(202);
    const changed = await request('POST', '/v1/events', { token, body: { ...own, data: { v: 2 } } });
    expect(changed.status).toBe(422);

    const items = await barrier(tenant);
    expect([...items.keys()].sort()).toEqual([...ids, own.id].sort());
    expect(items.get(own.id)?.envelope).toMatchObject({ data: { v: 1 } });
  }, 120_000);

  // serverless-offline may serve such a pair one after the other; the second finding the first still
  // pending is pinned in idempotency-race.test.ts. Here: what a client sees, on the real tables.
  test('two requests racing on one Idempotency-Key with one body get the same ids; one set of events is stored', async () => {
    const tenant = newTenant('race');
    const token = await writer(tenant);
    const body = { events: Array.from({ length: 5 }, (_, n) => ({ type: 'order.created', data: { n } })) };
    const headers = { 'idempotency-key': `race-${Date.now()}` };

    const answers = await Promise.all([
      request('POST', '/v1/events', { token, body, headers }),
      request('POST', '/v1/events', { token, body, headers }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([202, 202]);
    const [first, second] = (await Promise.all(answers.map((answer) => answer.json()))) as Array<{
      ids: string[];
    }>;
    expect(first!.ids).toHaveLength(5);
    expect(second).toEqual(first);

    const items = await barrier(tenant);
    expect([...items.keys()].sort()).toEqual([...first!.ids].sort());
  }, 120_000);

  test('two requests racing on one Idempotency-Key with different bodies: one is queued, the other refused', async () => {
    const tenant = newTenant('race-reuse');
    const token = await writer(tenant);
    const headers = { 'idempotency-key': `race-${Date.now()}` };
    const bodies = ['a', 'b'].map((who) => ({
      events: Array.from({ length: 3 }, (_, n) => ({ type: 'order.created', data: { who, n } })),
    }));

    const answers = await Promise.all(
      bodies.map((body) => request('POST', '/v1/events', { token, body, headers })),
    );
    const statuses = answers.map((answer) => answer.status);
    expect([...statuses].sort()).toEqual([202, 422]);
    const winner = statuses.indexOf(202);
    const { ids } = (await answers[winner]!.json()) as { ids: string[] };
    expect(await answers[1 - winner]!.json()).toMatchObject({
      type: 'https://herald.dev/problems/idempotency-key-reused',
    });

    const items = await barrier(tenant);
    expect([...items.keys()].sort()).toEqual([...ids].sort());
    const who = bodies[winner]!.events[0]!.data.who;
    expect([...items.values()].every((item) => (item.envelope.data as { who: string }).who === who)).toBe(
      true,
    );
  }, 120_000);

  test('bad requests each get their problem response, and nothing is stored', async () => {
    const tenant = newTenant('bad');
    const token = await writer(tenant);
    const good = { type: 'order.created', data: {} };
    const [header, payload, signature] = token.split('.');
    const tampered = `${header}.${payload}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;

    const cases: Array<[string, Promise<Response>, number, string?]> = [
      [
        'an API key nobody issued',
        request('POST', '/v1/events', { token: `hk_test_${'0'.repeat(32)}`, body: good }),
        401,
        'unauthorized',
      ],
      [
        'a malformed token',
        request('POST', '/v1/events', { token: 'not-a-jwt', body: good }),
        401,
        'unauthorized',
      ],
      [
        'a tampered signature',
        request('POST', '/v1/events', { token: tampered, body: good }),
        401,
        'unauthorized',
      ],
      [
        'another audience',
        request('POST', '/v1/events', {
          token: await tokenFor({ tenant, scopes: ['events:write'], audience: 'someone-else' }),
          body: good,
        }),
        401,
        'unauthorized',
      ],
      [
        'no events:write scope',
        request('POST', '/v1/events', {
          token: await tokenFor({ tenant, scopes: ['events:read'] }),
          body: good,
        }),
        403,
        'insufficient-scope',
      ],
      [
        'malformed JSON',
        request('POST', '/v1/events', { token, raw: '{"type": "order.created",' }),
        400,
        'malformed-json',
      ],
      [
        'a wrong content type',
        request('POST', '/v1/events', {
          token,
          raw: JSON.stringify(good),
          headers: { 'content-type': 'text/plain' },
        }),
        415,
        'unsupported-media-type',
      ],
      [
        'an oversized body',
        request('POST', '/v1/events', {
          token,
          body: { type: 'order.created', data: 'x'.repeat(1024 * 1024) },
        }),
        413,
        'payload-too-large',
      ],
      [
        '101 events',
        request('POST', '/v1/events', { token, body: { events: Array.from({ length: 101 }, () => good) } }),
        422,
        'validation-failed',
      ],
      [
        'an invalid event',
        request('POST', '/v1/events', { token, body: { type: 'Bad Type', data: {} } }),
        422,
        'validation-failed',
      ],
      [
        'an event too large to queue',
        request('POST', '/v1/events', {
          token,
          body: { type: 'order.created', data: 'x'.repeat(300 * 1024) },
        }),
        413,
        'event-too-large',
      ],
      [
        'a malformed Idempotency-Key',
        request('POST', '/v1/events', { token, body: good, headers: { 'idempotency-key': 'two words' } }),
        400,
        'invalid-idempotency-key',
      ],
    ];
    for (const [name, pending, status, type] of cases) {
      const response = await pending;
      expect({ name, status: response.status }).toEqual({ name, status });
      expect({ name, contentType: response.headers.get('content-type') }).toEqual({
        name,
        contentType: 'application/problem+json',
      });
      const problem = (await response.json()) as { status: number; type: string };
      expect({ name, status: problem.status, type: problem.type }).toEqual({
        name,
        status,
        type: `https://herald.dev/problems/${type}`,
      });
    }
    // No Authorization header: API Gateway refuses it before the authorizer, with its own body.
    const bare = await request('POST', '/v1/events', { body: good });
    expect(bare.status).toBe(401);
    expect(await bare.json()).toEqual({ message: 'Unauthorized' });
    expect((await barrier(tenant)).size).toBe(0);
  }, 120_000);
});

describe('bulk upload', () => {
  test('a file through the presigned URL: good lines stored once, the report names each bad line', async () => {
    const tenant = newTenant('upload');
    const token = await writer(tenant);
    const ownId = `line-${Date.now()}`;
    const lines = [
      JSON.stringify({ id: ownId, type: 'order.created', data: { line: 1 } }),
      JSON.stringify({ type: 'order.created', data: { line: 2 } }),
      '',
      '{"type":"order.created","data":',
      JSON.stringify({ type: 'Not A Type', data: {} }),
      JSON.stringify({ type: 'order.paid', data: { line: 6 }, time: '2026-01-02T03:04:05+01:00' }),
      JSON.stringify({ type: 'order.created' }),
    ];
    const content = Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`);

    const created = await request('POST', '/v1/uploads', { token, body: { size: content.length } });
    expect(created.status).toBe(201);
    const upload = (await created.json()) as {
      id: string;
      status: string;
      upload: { method: string; url: string; headers: Record<string, string>; expiresAt: string };
    };
    expect(upload).toMatchObject({ id: expect.stringMatching(ULID), status: 'pending' });
    expect(new URL(upload.upload.url).pathname).toContain(`/uploads/${tenant}/${upload.id}.ndjson`);
    expect(created.headers.get('location')).toBe(`/v1/uploads/${upload.id}`);

    const pending = await request('GET', `/v1/uploads/${upload.id}`, { token });
    expect(await pending.json()).toMatchObject({ id: upload.id, status: 'pending' });

    const { 'content-length': _length, ...headers } = upload.upload.headers;
    const put = await fetch(upload.upload.url, { method: upload.upload.method, headers, body: content });
    expect(put.status).toBe(200);

    const report = await eventually(
      async () => {
        const response = await request('GET', `/v1/uploads/${upload.id}`, { token });
        const view = (await response.json()) as { status: string };
        return view.status === 'completed' ? view : undefined;
      },
      60_000,
      'the upload processed',
    );
    expect(report).toMatchObject({
      id: upload.id,
      status: 'completed',
      size: content.length,
      report: {
        lines: 7,
        accepted: 3,
        rejected: 3,
        blank: 1,
        rejections: [
          { line: 4, reason: 'is not valid JSON' },
          { line: 5, reason: expect.stringMatching(/^is not a valid event: \/type/) },
          { line: 7, reason: expect.stringMatching(/^is not a valid event: \/data is required/) },
        ],
      },
    });

    const items = await storedCount(tenant, 3, 'the upload’s good lines stored');
    const byLine = new Map(
      [...items.values()].map((item) => [(item.envelope.data as { line: number }).line, item]),
    );
    expect([...byLine.keys()].sort()).toEqual([1, 2, 6]);
    expect(byLine.get(1)?.eventId).toBe(ownId);
    expect(byLine.get(2)?.eventId).toMatch(ULID);
    expect(byLine.get(6)?.envelope).toMatchObject({ type: 'order.paid', time: '2026-01-02T02:04:05.000Z' });
    expect((await barrier(tenant)).size).toBe(3);
    // And the upload's notice, raised once as it finished, with the report's counts.
    const notices = [...(await stored(tenant, { operational: true })).values()].filter(
      (item) => item.envelope.type === 'herald.upload.completed',
    );
    expect(notices.map((item) => item.envelope)).toEqual([
      expect.objectContaining({
        source: '/herald',
        subject: upload.id,
        data: { uploadId: upload.id, status: 'completed', lines: 7, accepted: 3, rejected: 3, blank: 1 },
      }),
    ]);

    // Another tenant cannot see it.
    const other = await request('GET', `/v1/uploads/${upload.id}`, {
      token: await writer(newTenant('other')),
    });
    expect(other.status).toBe(404);
  }, 120_000);

  test.each([
    ['shorter', 1, /^The file is \d+ bytes, fewer than the \d+ declared$/],
    ['longer', -1, /^The file is \d+ bytes, more than the \d+ declared$/],
  ])(
    'a file %s than the size declared is refused whole: the reason is shown, nothing is stored',
    async (_label, declaredMinusActual, reason) => {
      const tenant = newTenant('upload-size');
      const token = await writer(tenant);
      const content = Buffer.from(`${JSON.stringify({ type: 'order.created', data: { line: 1 } })}\n`);
      const size = content.length + declaredMinusActual;
      const created = await request('POST', '/v1/uploads', { token, body: { size } });
      expect(created.status).toBe(201);
      const upload = (await created.json()) as {
        id: string;
        upload: { method: string; url: string; headers: Record<string, string> };
      };

      // S3 itself refuses a length other than the signed one; the local emulator takes it, as a
      // mis-sent file would reach the bucket were the URL's check ever missing.
      const { 'content-length': _length, ...headers } = upload.upload.headers;
      const put = await fetch(upload.upload.url, { method: upload.upload.method, headers, body: content });
      expect(put.status).toBe(200);

      const view = await eventually(
        async () => {
          const response = await request('GET', `/v1/uploads/${upload.id}`, { token });
          const shown = (await response.json()) as { status: string; failure?: string };
          return ['pending', 'processing'].includes(shown.status) ? undefined : shown;
        },
        60_000,
        'the upload refused',
      );
      expect(view).toMatchObject({
        id: upload.id,
        status: 'rejected',
        size,
        failure: expect.stringMatching(reason),
      });
      expect(view.failure).toContain(`${content.length} bytes`);
      expect((await barrier(tenant)).size).toBe(0);
    },
    120_000,
  );

  // S3 delivers each notification at least once: here the same object written again under its key,
  // which is a second ObjectCreated for it, after its upload was read.
  test('a file S3 notifies again after its upload finished is not read again: nothing queued twice, the report as it was', async () => {
    const tenant = newTenant('upload-again');
    const token = await writer(tenant);
    const ownId = `again-${Date.now()}`;
    const content = Buffer.from(
      `${JSON.stringify({ id: ownId, type: 'order.created', data: { line: 1 } })}\n` +
        `${JSON.stringify({ type: 'order.created', data: { line: 2 } })}\n` +
        '{"type":"order.created","data":\n',
    );
    const created = await request('POST', '/v1/uploads', { token, body: { size: content.length } });
    expect(created.status).toBe(201);
    const upload = (await created.json()) as {
      id: string;
      upload: { method: string; url: string; headers: Record<string, string> };
    };
    const { 'content-length': _length, ...headers } = upload.upload.headers;
    const put = await fetch(upload.upload.url, { method: upload.upload.method, headers, body: content });
    expect(put.status).toBe(200);
    const view = async () => (await request('GET', `/v1/uploads/${upload.id}`, { token })).json();
    const first = await eventually(
      async () => {
        const shown = (await view()) as { status: string };
        return shown.status === 'completed' ? shown : undefined;
      },
      60_000,
      'the upload processed',
    );
    expect(first).toMatchObject({ report: { lines: 3, accepted: 2, rejected: 1 } });
    const stored = await storedCount(tenant, 2, 'the upload’s two events stored');

    await s3.send(
      new PutObjectCommand({
        Bucket: UPLOADS_BUCKET,
        Key: `uploads/${tenant}/${upload.id}.ndjson`,
        Body: content,
        ContentType: headers['content-type'],
      }),
    );
    const ignored = await onUploadLogged(
      (record) => record.uploadId === upload.id && record.message !== 'Upload processed',
      'onUpload to take the second notification',
    );
    expect(ignored).toMatchObject({
      level: 'INFO',
      message: 'Upload already processed; repeated notification ignored',
      status: 'completed',
    });
    // The same report, read at the same time: the file was not read again.
    expect(await view()).toEqual(first);
    const items = await barrier(tenant);
    expect([...items.keys()].sort()).toEqual([...stored.keys()].sort());
    expect(items.has(ownId)).toBe(true);
  }, 120_000);

  test('an object under uploads/ that no upload made is not read: logged as a security event, nothing queued', async () => {
    const tenant = newTenant('stray');
    const uploadId = ulid();
    const key = `uploads/${tenant}/${uploadId}.ndjson`;
    await s3.send(
      new PutObjectCommand({
        Bucket: UPLOADS_BUCKET,
        Key: key,
        Body: `${JSON.stringify({ id: `stray-${uploadId}`, type: 'order.created', data: {} })}\n`,
        ContentType: 'application/x-ndjson',
      }),
    );

    const logged = await onUploadLogged((record) => record.key === key, 'onUpload to take the stray object');
    expect(logged).toMatchObject({
      level: 'WARN',
      message: 'Object in the uploads bucket without an upload',
      securityEvent: 'upload.unknown-object',
      outcome: 'unknown-upload',
    });
    // No upload was made of it, and none of its lines was queued.
    const shown = await request('GET', `/v1/uploads/${uploadId}`, { token: await writer(tenant) });
    expect(shown.status).toBe(404);
    expect((await barrier(tenant)).size).toBe(0);
  }, 120_000);

  test('POST /v1/uploads refuses a size over the limit and a missing scope', async () => {
    const tenant = newTenant('upload-bad');
    const tooBig = await request('POST', '/v1/uploads', {
      token: await writer(tenant),
      body: { size: 1024 * 1024 * 1024 },
    });
    expect(tooBig.status).toBe(422);
    expect(await tooBig.json()).toMatchObject({ errors: [{ pointer: '/body/size' }] });
    const noScope = await request('POST', '/v1/uploads', {
      token: await tokenFor({ tenant, scopes: ['events:read'] }),
      body: { size: 10 },
    });
    expect(noScope.status).toBe(403);
  }, 30_000);
});
