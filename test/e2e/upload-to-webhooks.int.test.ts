/**
 * A bulk NDJSON upload across the three services: POST /v1/uploads, the file PUT to the presigned
 * S3 URL, ingest's report of good and bad lines, and one verified webhook per good line — none for
 * a bad line, proven once the pipeline has drained.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { eventually } from '../setup/local-cloud';
import { drained, pipelineQueues } from './support/barrier';
import { deliveries, storedEvents } from './support/events';
import { eventIds, receivedAt, receivedUntil, verifyWebhook } from './support/receiver';
import { newCorrelationId, newTenant } from './support/tenant';

interface UploadCreated {
  id: string;
  status: string;
  upload: { method: string; url: string; headers: Record<string, string> };
}

interface UploadView {
  id: string;
  status: string;
  report?: {
    lines: number;
    accepted: number;
    rejected: number;
    blank: number;
    rejections: Array<{ line: number; reason: string }>;
  };
}

describe('an NDJSON upload from producer to subscriber', () => {
  test('each good line is delivered once, signed; the bad lines are reported and never delivered', async () => {
    const tenant = await newTenant();
    const subscription = await tenant.subscribeWebhook(['order.*']);
    const notices = await tenant.subscribeWebhook(['herald.upload.completed']);
    const correlationId = newCorrelationId();
    const unique = randomBytes(4).toString('hex');
    const goodIds = [`line1-${unique}`, `line6-${unique}`];
    const badIds = [`line5-${unique}`, `line7-${unique}`];
    const lines = [
      JSON.stringify({ id: goodIds[0], type: 'order.created', data: { line: 1 } }),
      JSON.stringify({ type: 'order.created', data: { line: 2 } }), // no id: ingest derives one
      '',
      '{"type":"order.created","data":',
      JSON.stringify({ id: badIds[0], type: 'Not A Type', data: { line: 5 } }),
      JSON.stringify({ id: goodIds[1], type: 'order.paid', subject: 'orders/6', data: { line: 6 } }),
      JSON.stringify({ id: badIds[1], type: 'order.created' }),
    ];
    const file = Buffer.from(`${lines.join('\n')}\n`);

    const created = await tenant.call<UploadCreated>('ingest', 'POST', '/v1/uploads', {
      body: { size: file.length },
      headers: { 'x-correlation-id': correlationId },
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('pending');

    // The presigned URL signs its headers; fetch sets the length from the body itself.
    const { 'content-length': _length, ...headers } = created.body.upload.headers;
    const put = await fetch(created.body.upload.url, {
      method: created.body.upload.method,
      headers,
      body: file,
    });
    expect(put.status).toBe(200);

    const upload = await eventually(
      async () => {
        const view = await tenant.call<UploadView>('ingest', 'GET', `/v1/uploads/${created.body.id}`);
        return view.body.status === 'completed' ? view.body : undefined;
      },
      90_000,
      'the upload completed',
    );
    const { rejections, ...counts } = upload.report!;
    expect(counts).toEqual({ lines: 7, accepted: 3, rejected: 3, blank: 1 });
    // Each bad line is named by its number and a reason that never quotes it.
    expect(rejections.map((rejection) => rejection.line)).toEqual([4, 5, 7]);
    expect(rejections.map((rejection) => rejection.reason.split(':')[0])).toEqual([
      'is not valid JSON',
      'is not a valid event',
      'is not a valid event',
    ]);
    for (const { reason } of rejections) for (const id of badIds) expect(reason).not.toContain(id);

    const webhooks = await receivedUntil(
      subscription.endpoint,
      (r) => r.length >= 3,
      'a webhook per good line',
    );
    // Once the inbound queue and notifications' queues are empty, every line ingest queued has been
    // stored (or refused) and everything stored has been delivered: nothing else can arrive.
    await drained(pipelineQueues('inbound'));

    // The upload's notice is an event of the tenant too, delivered to the subscription that names it.
    const [notice] = await receivedUntil(notices.endpoint, (r) => r.length >= 1, 'the upload’s notice');
    expect(notice!.verified).toBe(true);
    expect(notice!.json).toMatchObject({
      type: 'herald.upload.completed',
      subject: created.body.id,
      data: { uploadId: created.body.id, status: 'completed', lines: 7, accepted: 3, rejected: 3, blank: 1 },
    });
    const all = await storedEvents(tenant);
    expect(all.filter((event) => event.type === 'herald.upload.completed')).toHaveLength(1);
    const stored = all.filter((event) => event.type !== 'herald.upload.completed');
    const accepted = stored.map((event) => event.id).sort();
    expect(accepted).toHaveLength(3);
    expect(accepted).toEqual(expect.arrayContaining(goodIds));
    expect(stored.map((event) => (event.data as { line: number }).line).sort()).toEqual([1, 2, 6]);
    // Exactly the accepted events arrived, each once; the history agrees.
    expect(eventIds(await receivedAt(subscription.endpoint)).sort()).toEqual(accepted);
    expect((await deliveries(tenant, subscription.id)).map((d) => d.eventId).sort()).toEqual(accepted);
    for (const id of badIds) {
      expect((await tenant.call('processing', 'GET', `/v1/events/${id}`)).status).toBe(404);
    }

    for (const webhook of webhooks) {
      expect(webhook.verified).toBe(true);
      expect(() => verifyWebhook(webhook, subscription.secret)).not.toThrow();
      // The file's events carry the correlation id of the request that created the upload.
      expect(webhook.headers['x-correlation-id']).toBe(correlationId);
      const event = stored.find((e) => e.id === webhook.json?.id)!;
      expect(webhook.json).toEqual({
        id: event.id,
        type: event.type,
        timestamp: event.time,
        ...(event.subject === undefined ? {} : { subject: event.subject }),
        data: event.data,
      });
    }
  }, 240_000);
});
