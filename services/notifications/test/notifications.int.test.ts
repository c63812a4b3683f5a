/**
 * Notifications on the local cloud: subscriptions over the HTTP API, stored events on processing's
 * bus fanned out by dispatch, webhooks signed and delivered by deliver to the local receiver (which
 * verifies them with the standardwebhooks library), retries, 410, pause/resume, the slow lane,
 * tenants, e-mail through the SES emulator, replay and redelivery, and refusals of bad subscriptions.
 *
 * What must not arrive is checked after a barrier: a later event that must arrive has, and
 * notifications' queues are empty, so nothing sent before it can still be on its way.
 */
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import {
  cloud,
  configureEndpoint,
  endpointName,
  endpointUrl,
  eventually,
  markedSlow,
  notificationLogs,
  publishStored,
  received,
  receivedAtLeast,
  sesMessages,
  settled,
  signedEvent,
  SLOW_RECEIVER_MS,
  tenantApi,
  webhookSubscription,
} from './support/cloud';
import { tokenFor } from '../../../test/setup/local-cloud';

describe('notifications on the local cloud', () => {
  test('an event posted to ingest reaches a webhook with a signature that verifies', async () => {
    const api = tenantApi('it-e2e');
    const { name, secret } = await webhookSubscription(api, 'e2e', ['order.*']);
    const token = await tokenFor({ tenant: 'it-e2e', scopes: ['events:write'] });
    const id = `e2e-${Date.now()}`;
    const accepted = await fetch(`${cloud.endpoints.services.ingest}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id, type: 'order.created', data: { total: 42 } }),
    });
    expect(accepted.status).toBe(202);

    const [request] = await receivedAtLeast(name, 1, 30_000);
    expect(request!.verified).toBe(true);
    expect(request!.json).toMatchObject({ id, type: 'order.created', data: { total: 42 } });
    expect(request!.headers['webhook-id']).toMatch(/^msg_[0-9A-Z]{26}$/);
    expect(request!.headers['x-correlation-id']).toBeTruthy();
    expect(request!.headers['content-type']).toBe('application/json');
    // The subscriber's own check, with the secret it was given once.
    expect(() =>
      new Webhook(secret).verify(request!.body, request!.headers as Record<string, string>),
    ).not.toThrow();
  }, 45_000);

  test('a stored event on the bus is delivered signed, and the secret is never shown again', async () => {
    const api = tenantApi('it-basic');
    const { name, id } = await webhookSubscription(api, 'basic', ['invoice.paid']);
    const envelope = signedEvent('it-basic', 'invoice.paid', { amount: 7 });
    await publishStored(envelope, signedEvent('it-basic', 'invoice.voided'));

    const [request] = await receivedAtLeast(name, 1);
    expect(request!.verified).toBe(true);
    expect(request!.json).toMatchObject({ id: envelope.id, type: 'invoice.paid', data: { amount: 7 } });
    expect(request!.headers['x-correlation-id']).toBe(envelope.correlationid);

    const shown = await api('GET', `/v1/subscriptions/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id, kind: 'webhook', status: 'active', eventTypes: ['invoice.paid'] });
    expect(JSON.stringify(shown.body)).not.toMatch(/secret|whsec_|ciphertext/);
    const listed = await api('GET', '/v1/subscriptions');
    expect(JSON.stringify(listed.body)).not.toMatch(/whsec_|ciphertext/);
    // The filter held: the voided invoice never came, though a later paid one did.
    const barrier = signedEvent('it-basic', 'invoice.paid', { amount: 8 });
    await publishStored(barrier);
    await receivedAtLeast(name, 2);
    await settled();
    expect((await received(name)).map((r) => r.json?.id)).toEqual([envelope.id, barrier.id]);
  }, 60_000);

  test('a receiver failing twice gets the event on the third attempt, with the same webhook-id', async () => {
    const api = tenantApi('it-retry');
    const { name, id } = await webhookSubscription(api, 'retry', ['order.*'], { failTimes: 2, status: 503 });
    await publishStored(signedEvent('it-retry', 'order.shipped'));

    const requests = await receivedAtLeast(name, 3, 30_000);
    expect(requests.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(requests.every((r) => r.verified)).toBe(true);

    const history = await eventually(async () => {
      const page = await api('GET', `/v1/subscriptions/${id}/deliveries`);
      const delivery = page.body.items?.[0];
      return delivery?.status === 'succeeded' ? delivery : undefined;
    });
    expect((history.attempts as Array<{ statusCode: number }>).map((a) => a.statusCode)).toEqual([
      503, 503, 200,
    ]);
  }, 45_000);

  test('a receiver answering 410 disables the subscription', async () => {
    const api = tenantApi('it-gone');
    const { name, id } = await webhookSubscription(api, 'gone', ['order.*'], { status: 410 });
    await publishStored(signedEvent('it-gone', 'order.created'));
    await receivedAtLeast(name, 1);
    const disabled = await eventually(async () => {
      const shown = await api('GET', `/v1/subscriptions/${id}`);
      return shown.body.status === 'disabled' ? shown.body : undefined;
    });
    expect(disabled.disabledReason).toBe('the receiver answered 410 Gone');

    // Another subscription of the tenant with the same filter witnesses the next event's fan-out.
    const witness = await webhookSubscription(api, 'gone-witness', ['order.*']);
    const after = signedEvent('it-gone', 'order.created');
    await publishStored(after);
    const [seen] = await receivedAtLeast(witness.name, 1);
    expect(seen!.json?.id).toBe(after.id);
    await settled();
    expect(await received(name)).toHaveLength(1);
  }, 60_000);

  test('a paused subscription receives nothing until resumed, then what was held', async () => {
    const api = tenantApi('it-pause');
    const { name, id } = await webhookSubscription(api, 'pause', ['order.*']);
    expect((await api('POST', `/v1/subscriptions/${id}/pause`)).body.status).toBe('paused');
    const envelope = signedEvent('it-pause', 'order.created');
    await publishStored(envelope);
    // Deliver has taken the event's task and decided: held, not sent.
    const decided = await eventually(async () => {
      const [delivery] = (await api('GET', `/v1/subscriptions/${id}/deliveries`)).body.items ?? [];
      return delivery && delivery.status !== 'pending' ? delivery : undefined;
    });
    expect(decided).toMatchObject({ eventId: envelope.id, status: 'held' });
    expect(await received(name)).toEqual([]);

    expect((await api('POST', `/v1/subscriptions/${id}/resume`)).body.status).toBe('active');
    const [request] = await receivedAtLeast(name, 1);
    expect(request!.json).toMatchObject({ id: envelope.id });
    expect(request!.verified).toBe(true);
  }, 30_000);

  test('a receiver slower than the slow threshold has the subscription’s later deliveries moved to the slow lane', async () => {
    const tenant = 'it-slow';
    const api = tenantApi(tenant);
    const { name, id } = await webhookSubscription(api, 'slow', ['order.*'], { delayMs: SLOW_RECEIVER_MS });
    const first = signedEvent(tenant, 'order.created');
    await publishStored(first);
    const [request] = await receivedAtLeast(name, 1);
    // Deliver marked the subscription slow once the attempt had waited the threshold (1 s on the
    // local stage), while it still waited for the answer, not when the answer came.
    const { slowSince } = await markedSlow(tenant, id);
    expect(Date.parse(slowSince as string)).toBeLessThan(Date.parse(request!.time) + SLOW_RECEIVER_MS);

    const second = signedEvent(tenant, 'order.paid');
    await publishStored(second);
    const requests = await receivedAtLeast(name, 2);
    expect(requests.map((r) => r.json?.id)).toEqual([first.id, second.id]);
    expect(requests.every((r) => r.verified)).toBe(true);
    // Each task's lane, as deliver logged it when done (tasks carry the event's correlation id).
    const lanes = await eventually(async () => {
      const done = (await notificationLogs()).filter((record) => record.message === 'Task done');
      const laneOf = (event: typeof first) =>
        done.find((record) => record.correlation_id === event.correlationid)?.lane;
      const found = [laneOf(first), laneOf(second)];
      return found.every(Boolean) ? found : undefined;
    });
    expect(lanes).toEqual(['fast', 'slow']);
  }, 60_000);

  test('two tenants never see each other’s events or subscriptions', async () => {
    const alpha = tenantApi('it-alpha');
    const beta = tenantApi('it-beta');
    const a = await webhookSubscription(alpha, 'alpha', ['order.*']);
    const b = await webhookSubscription(beta, 'beta', ['order.*']);
    const forAlpha = signedEvent('it-alpha', 'order.created', { for: 'alpha' });
    const forBeta = signedEvent('it-beta', 'order.created', { for: 'beta' });
    await publishStored(forAlpha, forBeta);

    const [gotA] = await receivedAtLeast(a.name, 1);
    const [gotB] = await receivedAtLeast(b.name, 1);
    await settled();
    expect((await received(a.name)).map((r) => r.json?.id)).toEqual([forAlpha.id]);
    expect((await received(b.name)).map((r) => r.json?.id)).toEqual([forBeta.id]);
    expect(gotA!.json?.data).toEqual({ for: 'alpha' });
    expect(gotB!.json?.data).toEqual({ for: 'beta' });

    expect((await beta('GET', `/v1/subscriptions/${a.id}`)).status).toBe(404);
    expect((await beta('GET', `/v1/subscriptions/${a.id}/deliveries`)).status).toBe(404);
    expect((await beta('DELETE', `/v1/subscriptions/${a.id}`)).status).toBe(404);
    const listed = await beta('GET', '/v1/subscriptions?limit=100');
    expect(listed.body.items!.map((s) => s.id)).not.toContain(a.id);
    const history = await alpha('GET', `/v1/subscriptions/${a.id}/deliveries`);
    const deliveryId = history.body.items![0]!.id as string;
    expect((await beta('POST', `/v1/deliveries/${deliveryId}/redeliver`)).status).toBe(404);

    // Acting on a subscription takes the owner's token with subscriptions:write.
    const alphaReader = tenantApi('it-alpha', ['subscriptions:read']);
    const before = await alpha('GET', `/v1/subscriptions/${a.id}`);
    const since = new Date(Date.now() - 60_000).toISOString();
    for (const [action, body] of [
      ['pause', undefined],
      ['resume', undefined],
      ['rotate-secret', { gracePeriodSeconds: 60 }],
      ['replay', { since }],
    ] as const) {
      const path = `/v1/subscriptions/${a.id}/${action}`;
      const theirs = await beta('POST', path, body);
      expect({ action, status: theirs.status, type: theirs.body.type }).toEqual({
        action,
        status: 404,
        type: 'https://herald.dev/problems/not-found',
      });
      const readOnly = await alphaReader('POST', path, body);
      expect({ action, status: readOnly.status, type: readOnly.body.type }).toEqual({
        action,
        status: 403,
        type: 'https://herald.dev/problems/insufficient-scope',
      });
    }
    expect(await alpha('GET', `/v1/subscriptions/${a.id}`)).toEqual(before);
  }, 60_000);

  test('an e-mail subscription’s message appears in the SES emulator', async () => {
    const api = tenantApi('it-email');
    const address = `ops-${Date.now()}@example.com`;
    const created = await api('POST', '/v1/subscriptions', { email: address, eventTypes: ['alert.*'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'email', email: address });
    expect(created.body.secret).toBeUndefined();
    // Double opt-in: the address follows its confirmation link first (see email-opt-in.int.test.ts).
    const confirmation = await eventually(async () =>
      (await sesMessages()).find((m) => m.destination.to.includes(address)),
    );
    const link = /(http\S+\/v1\/email\/confirm\?token=\S+)/.exec(confirmation.body.text!)![1]!;
    expect((await fetch(link)).status).toBe(200);
    const envelope = signedEvent('it-email', 'alert.raised', { level: 'high' });
    await publishStored(envelope);

    const mail = await eventually(async () =>
      (await sesMessages()).find(
        (m) => m.destination.to.includes(address) && m.body.text?.includes(envelope.id),
      ),
    );
    expect(mail.subject).toBe('[Herald] alert.raised');
    expect(mail.body.text).toContain(envelope.id);
    expect(mail.body.text).toContain('"level": "high"');
  }, 30_000);

  test('replay re-delivers the events since a time, not those before, and redelivery sends one again', async () => {
    const api = tenantApi('it-replay');
    const { name, id } = await webhookSubscription(api, 'replay', ['order.*']);
    const early = signedEvent('it-replay', 'order.created');
    await publishStored(early);
    // The bus times events in whole seconds, so the next second starts after the early one's.
    const since = new Date(Math.floor(Date.now() / 1000) * 1000 + 1000);
    await receivedAtLeast(name, 1);
    await eventually(
      async () => (Date.now() >= since.getTime() ? true : undefined),
      5_000,
      'the next second',
    );
    const first = signedEvent('it-replay', 'order.created');
    const second = signedEvent('it-replay', 'order.paid');
    await publishStored(first, second);
    const delivered = (await receivedAtLeast(name, 3)).slice(1);
    const idsOf = (requests: typeof delivered) => requests.map((r) => r.json?.id).sort();
    expect(idsOf(delivered)).toEqual([first.id, second.id].sort());

    // An until in the future is cut to the time of the request.
    const requestedAt = Date.now();
    const replay = await api('POST', `/v1/subscriptions/${id}/replay`, {
      since: since.toISOString(),
      until: new Date(requestedAt + 3_600_000).toISOString(),
    });
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ replayId: expect.any(String), since: since.toISOString() });
    const until = Date.parse(replay.body.until as string);
    expect(until).toBeGreaterThanOrEqual(requestedAt);
    expect(until).toBeLessThanOrEqual(Date.now());
    const replayed = (await receivedAtLeast(name, 5)).slice(3);
    expect(idsOf(replayed)).toEqual([first.id, second.id].sort());
    // The same messages again: the same webhook-ids, so a receiver can tell.
    expect(new Set([...delivered, ...replayed].map((r) => r.headers['webhook-id'])).size).toBe(2);
    // Every task the replay made has been sent: the early event was not among them.
    await settled();
    expect((await received(name)).map((r) => r.json?.id).filter((eventId) => eventId === early.id)).toEqual([
      early.id,
    ]);

    const history = await api('GET', `/v1/subscriptions/${id}/deliveries`);
    const deliveryId = history.body.items!.find((d) => d.eventId === first.id)!.id as string;
    const again = await api('POST', `/v1/deliveries/${deliveryId}/redeliver`);
    expect(again.status).toBe(202);
    const [last] = (await receivedAtLeast(name, 6)).slice(5);
    expect(last!.headers['webhook-id']).toBe(deliveryId);
  }, 60_000);

  test('after a rotation both secrets sign until the grace period ends', async () => {
    const api = tenantApi('it-rotate');
    const { name, id, secret: oldSecret } = await webhookSubscription(api, 'rotate', ['order.*']);
    const rotated = await api('POST', `/v1/subscriptions/${id}/rotate-secret`, { gracePeriodSeconds: 600 });
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    // The receiver knows only the new secret now: the webhook must still verify.
    await configureEndpoint(name, { secret: newSecret });
    await publishStored(signedEvent('it-rotate', 'order.created'));
    const [request] = await receivedAtLeast(name, 1);
    expect(request!.verified).toBe(true);
    expect(request!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    const headers = request!.headers as Record<string, string>;
    expect(() => new Webhook(oldSecret).verify(request!.body, headers)).not.toThrow();
    expect(() => new Webhook(newSecret).verify(request!.body, headers)).not.toThrow();
  }, 30_000);

  test('a v1a subscription’s webhook verifies with its public key, from the API and from the tenant’s key set', async () => {
    const tenant = 'it-v1a';
    const api = tenantApi(tenant);
    const name = endpointName('v1a');
    const created = await api('POST', '/v1/subscriptions', {
      url: endpointUrl(name),
      eventTypes: ['order.*'],
      signatureScheme: 'v1a',
    });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('secret');
    const id = created.body.id as string;
    const publicKey = created.body.publicKey as string;
    expect(publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    const shown = await api('GET', `/v1/subscriptions/${id}`);
    expect(shown.body).toMatchObject({ signatureScheme: 'v1a', publicKeys: [{ key: publicKey }] });
    expect(JSON.stringify(shown.body)).not.toMatch(/whsec_|ciphertext|secrets/);

    // The tenant's key set, without a token: public keys and nothing else of the subscription.
    const keySetUrl = (who: string) =>
      `${cloud.endpoints.services.notifications}/v1/tenants/${who}/webhook-keys.json`;
    const answer = await fetch(keySetUrl(tenant));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('public, max-age=60');
    const set = (await answer.json()) as { keys: Array<JsonWebKey & { kid: string }> };
    const jwk = set.keys.find((key) => key.kid.startsWith(`${id}/`))!;
    expect(jwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      use: 'sig',
      kid: `${id}/${created.body.createdAt as string}`,
      x: Buffer.from(publicKey.slice('whpk_'.length), 'base64').toString('base64url'),
    });
    expect(JSON.stringify(set)).not.toMatch(/hooks|http|whsec_|ciphertext|order/);

    const envelope = signedEvent(tenant, 'order.created', { total: 42 });
    await publishStored(envelope);
    const [request] = await receivedAtLeast(name, 1);
    expect(request!.json).toMatchObject({ id: envelope.id, data: { total: 42 } });
    expect(request!.headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    // The receiver's check (Standard Webhooks v1a: Ed25519 over "<id>.<timestamp>.<body>").
    const verifies = (key: KeyObject, body: string) => {
      const { headers } = request!;
      const signed = Buffer.from(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`);
      return headers['webhook-signature']!.split(' ').some((entry) => {
        const [version, signature] = entry.split(',');
        return version === 'v1a' && verify(null, signed, key, Buffer.from(signature!, 'base64'));
      });
    };
    const fromApi = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x! },
      format: 'jwk',
    });
    expect(Buffer.from(fromApi.export({ format: 'jwk' }).x!, 'base64url').toString('base64')).toBe(
      publicKey.slice('whpk_'.length),
    );
    const fromSet = createPublicKey({ key: jwk, format: 'jwk' });
    expect(verifies(fromApi, request!.body)).toBe(true);
    expect(verifies(fromSet, request!.body)).toBe(true);
    expect(verifies(fromSet, request!.body.replace('"total":42', '"total":43'))).toBe(false);

    // No key to show, whatever the reason, is the same 404.
    for (const who of ['it-no-such-tenant', 'it-basic', 'not%20a%20tenant']) {
      const missing = await fetch(keySetUrl(who));
      expect([who, missing.status, missing.headers.get('content-type')]).toEqual([
        who,
        404,
        'application/problem+json',
      ]);
      expect(await missing.json()).toMatchObject({
        status: 404,
        detail: 'No webhook signing keys are published here',
      });
    }
  }, 45_000);

  describe('bad subscriptions get clear problem responses and change nothing', () => {
    const api = tenantApi('it-invalid');
    // Each test's first requests may cold-start functions on a loaded machine: no 5 s default.

    test.each([
      ['not a URL', { url: 'not a url', eventTypes: ['a.b'] }, '/body/url', /valid absolute URL/],
      ['another scheme', { url: 'ftp://example.com/x', eventTypes: ['a.b'] }, '/body/url', /https/],
      [
        'credentials',
        { url: 'https://user:pw@example.com/x', eventTypes: ['a.b'] },
        '/body/url',
        /credentials/,
      ],
      ['a private address', { url: 'https://10.0.0.7/hook', eventTypes: ['a.b'] }, '/body/url', /private/],
      [
        'the metadata address',
        { url: 'http://169.254.169.254/latest', eventTypes: ['a.b'] },
        '/body/url',
        /metadata/,
      ],
      [
        'a hex private address',
        { url: 'https://0xc0a80001/hook', eventTypes: ['a.b'] },
        '/body/url',
        /private/,
      ],
      [
        'an IPv4-mapped private address',
        { url: 'https://[::ffff:10.0.0.1]/', eventTypes: ['a.b'] },
        '/body/url',
        /private/,
      ],
      [
        'an unknown filter',
        { url: 'https://example.com/x', eventTypes: ['Order.Created'] },
        '/body/eventTypes/0',
        /event type/,
      ],
      [
        'a misplaced wildcard',
        { url: 'https://example.com/x', eventTypes: ['a.b', 'order.*.x'] },
        '/body/eventTypes/1',
        /wildcard/,
      ],
      [
        'both url and email',
        { url: 'https://example.com/x', email: 'a@example.com', eventTypes: ['a.b'] },
        '/body',
        /exactly one of url/,
      ],
      ['no filters', { url: 'https://example.com/x', eventTypes: [] }, '/body/eventTypes', /fewer than 1/],
      [
        'an unknown field',
        { url: 'https://example.com/x', eventTypes: ['a.b'], secret: 'mine' },
        '/body',
        /additional/,
      ],
      ['a bad e-mail address', { email: 'not-an-address', eventTypes: ['a.b'] }, '/body/email', /format/],
    ])(
      '%s',
      async (_label, body, pointer, message) => {
        const before = (await api('GET', '/v1/subscriptions?limit=100')).body.items!.length;
        const response = await api('POST', '/v1/subscriptions', body);
        expect(response.status).toBe(422);
        expect(response.contentType).toBe('application/problem+json');
        const errors = response.body.errors as Array<{ pointer: string; message: string }>;
        expect(errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer })]));
        expect(errors.find((e) => e.pointer === pointer)!.message).toMatch(message);
        expect((await api('GET', '/v1/subscriptions?limit=100')).body.items!.length).toBe(before);
      },
      30_000,
    );

    test('without subscriptions:write a subscription cannot be created', async () => {
      const reader = tenantApi('it-invalid', ['subscriptions:read']);
      const response = await reader('POST', '/v1/subscriptions', {
        url: 'https://example.com/x',
        eventTypes: ['a.b'],
      });
      expect(response.status).toBe(403);
      expect(response.contentType).toBe('application/problem+json');
    }, 30_000);

    test('an unknown subscription is a 404 problem', async () => {
      const response = await api('GET', '/v1/subscriptions/sub_01JZZZZZZZZZZZZZZZZZZZZZZZ');
      expect(response.status).toBe(404);
      expect(response.contentType).toBe('application/problem+json');
    }, 30_000);
  });
});
