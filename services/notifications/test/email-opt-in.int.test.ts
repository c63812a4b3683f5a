/**
 * E-mail double opt-in and one-click unsubscribe on the local cloud: the SES emulator shows the
 * confirmation mail and its link; nothing is sent to the address before it is followed; afterwards
 * mails carry RFC 8058 List-Unsubscribe headers, and the one-click POST stops them.
 *
 * What must not arrive is checked after a barrier: a later event to another, active subscription has
 * arrived and notifications' queues are empty, so nothing sent before it can still be on its way.
 */
import { describe, expect, test } from '@jest/globals';
import { eventually, publishStored, sesMessages, settled, signedEvent, tenantApi } from './support/cloud';

type Mail = Awaited<ReturnType<typeof sesMessages>>[number] & {
  headers?: Array<{ name: string; value: string }>;
};

const mailsTo = async (address: string): Promise<Mail[]> =>
  (await sesMessages()).filter((m) => m.destination.to.includes(address));

const header = (mail: Mail, name: string) =>
  mail.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

/** A barrier: an event to an already confirmed address arrives, then every queue is empty. */
async function barrier(tenant: string, barrierAddress: string, count: number) {
  await publishStored(signedEvent(tenant, 'barrier.tick'));
  await eventually(async () => ((await mailsTo(barrierAddress)).length >= count ? true : undefined), 30_000);
  await settled();
}

/**
 * The delivery of `eventId` to subscription `id`, once its task has ended it as cancelled: the
 * e-mail queue is not among those the barrier drains, and a cancelled delivery is one whose task
 * has finished without sending (nothing else can send it: it is no longer pending).
 */
async function cancelled(api: ReturnType<typeof tenantApi>, id: string, eventId: string) {
  return eventually(
    async () => {
      const page = await api('GET', `/v1/subscriptions/${id}/deliveries?limit=20`);
      const delivery = page.body.items?.find((d) => d.eventId === eventId);
      return delivery?.status === 'cancelled' ? delivery : undefined;
    },
    30_000,
    `the delivery of ${eventId} cancelled`,
  );
}

describe('e-mail double opt-in on the local cloud', () => {
  test('confirm, receive with List-Unsubscribe, one-click unsubscribe, receive nothing', async () => {
    const tenant = `it-optin-${Date.now()}`;
    const api = tenantApi(tenant);
    const address = `optin-${Date.now()}@example.com`;
    const barrierAddress = `barrier-${Date.now()}@example.com`;

    // The barrier's subscription, confirmed first.
    const other = await api('POST', '/v1/subscriptions', {
      email: barrierAddress,
      eventTypes: ['barrier.*'],
    });
    expect(other.status).toBe(201);
    const otherConfirmation = await eventually(async () => (await mailsTo(barrierAddress))[0]);
    const otherLink = /(http\S+\/v1\/email\/confirm\?token=\S+)/.exec(otherConfirmation.body.text!)![1]!;
    expect((await fetch(otherLink)).status).toBe(200);

    const created = await api('POST', '/v1/subscriptions', { email: address, eventTypes: ['alert.*'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'email', email: address, status: 'pending' });
    const id = created.body.id as string;

    // The confirmation mail, with its signed link.
    const confirmation = await eventually(async () => (await mailsTo(address))[0]);
    expect(confirmation.subject).toMatch(/confirm/i);
    const link = /(http\S+\/v1\/email\/confirm\?token=\S+)/.exec(confirmation.body.text!)![1]!;

    // An event before confirming: nothing is sent to the address, and its delivery says why.
    const before = signedEvent(tenant, 'alert.raised', { before: true });
    await publishStored(before);
    await barrier(tenant, barrierAddress, 2);
    expect(await cancelled(api, id, before.id)).toMatchObject({
      reason: 'the subscription is pending',
      attempts: [],
    });
    expect(await mailsTo(address)).toHaveLength(1);

    // A forged link is refused with a page; the real one confirms, twice harmlessly.
    const forged = await fetch(link.replace(/.{4}$/, 'AAAA'));
    expect(forged.status).toBe(400);
    expect(forged.headers.get('content-type')).toMatch(/text\/html/);
    expect((await fetch(link)).status).toBe(200);
    expect((await fetch(link)).status).toBe(200);
    expect((await api('GET', `/v1/subscriptions/${id}`)).body).toMatchObject({ status: 'active' });

    // Now an event arrives, with RFC 8058 headers.
    const envelope = signedEvent(tenant, 'alert.raised', { level: 'high' });
    await publishStored(envelope);
    const mail = await eventually(
      async () => (await mailsTo(address)).find((m) => m.body.text?.includes(envelope.id)),
      30_000,
    );
    expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribe = /^<(https?:\/\/\S+\/v1\/email\/unsubscribe\?token=\S+)>$/.exec(
      header(mail, 'List-Unsubscribe') ?? '',
    )![1]!;

    // GET shows a page whose button posts; the one-click POST unsubscribes.
    const page = await fetch(unsubscribe);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('method="post"');
    const posted = await fetch(unsubscribe, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(posted.status).toBe(200);
    expect((await api('GET', `/v1/subscriptions/${id}`)).body).toMatchObject({ status: 'unsubscribed' });

    // A later event sends nothing to it.
    const sentBefore = (await mailsTo(address)).length;
    const after = signedEvent(tenant, 'alert.raised', { after: true });
    await publishStored(after);
    await barrier(tenant, barrierAddress, 3);
    expect(await cancelled(api, id, after.id)).toMatchObject({ reason: 'the subscription is unsubscribed' });
    expect(await mailsTo(address)).toHaveLength(sentBefore);
  }, 150_000);

  test('a pending subscription is not paused, resumed, given a url or a new secret: 409, saying why', async () => {
    const api = tenantApi(`opt-in-409-${Date.now().toString(36)}`);
    const created = await api('POST', '/v1/subscriptions', {
      email: `pending-${Date.now().toString(36)}@example.com`,
      eventTypes: ['alert.*'],
    });
    expect(created.body).toMatchObject({ kind: 'email', status: 'pending' });
    const id = created.body.id as string;
    const problemOf = async (method: string, path: string, body?: unknown) => {
      const answer = await api(method, path, body);
      return { status: answer.status, contentType: answer.contentType, type: answer.body.type };
    };
    const conflict = (slug: string) => ({
      status: 409,
      contentType: 'application/problem+json',
      type: `https://herald.dev/problems/${slug}`,
    });
    expect(await problemOf('POST', `/v1/subscriptions/${id}/pause`)).toEqual(conflict('not-confirmed'));
    expect(await problemOf('POST', `/v1/subscriptions/${id}/resume`)).toEqual(conflict('not-confirmed'));
    expect(
      await problemOf('PATCH', `/v1/subscriptions/${id}`, { url: 'https://hooks.example.org/x' }),
    ).toEqual(conflict('wrong-subscription-kind'));
    expect(await problemOf('POST', `/v1/subscriptions/${id}/rotate-secret`, {})).toEqual(
      conflict('wrong-subscription-kind'),
    );
    expect((await api('DELETE', `/v1/subscriptions/${id}`)).status).toBe(204);
  }, 60_000);
});
