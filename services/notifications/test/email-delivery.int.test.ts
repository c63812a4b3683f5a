/**
 * E-mail delivery outcomes on the local cloud, through the SES emulator: a mail SES refuses for good
 * fails at once with SES's reason and is said on the bus (`delivery.failed`); a paused subscription's
 * mail is held until it is resumed, then sent; a confirmation mail SES refused when the subscription
 * was made is sent by resend-confirmation, and its link confirms.
 *
 * SES refuses an address when the test tells the SES emulator to (`refuseMail`), and accepts it again
 * when the test is done; every address and tenant is the test's own.
 */
import { describe, expect, test } from '@jest/globals';
import {
  confirmationLink,
  confirmedEmailSubscription,
  eventually,
  observeNotificationEvents,
  publishStored,
  refuseMail,
  sesMessages,
  signedEvent,
  tenantApi,
} from './support/cloud';

type Mail = Awaited<ReturnType<typeof sesMessages>>[number] & {
  headers?: Array<{ name: string; value: string }>;
};

const mailsTo = async (address: string): Promise<Mail[]> =>
  (await sesMessages()).filter((m) => m.destination.to.includes(address));

const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

/** The delivery of `eventId` once its task has decided it (no longer pending). */
function decided(api: ReturnType<typeof tenantApi>, subscriptionId: string, eventId: string) {
  return eventually(
    async () => {
      const page = await api('GET', `/v1/subscriptions/${subscriptionId}/deliveries?limit=20`);
      const delivery = page.body.items?.find((d) => d.eventId === eventId);
      return delivery && delivery.status !== 'pending' ? delivery : undefined;
    },
    30_000,
    `the delivery of ${eventId} decided`,
  );
}

describe('e-mail delivery outcomes on the local cloud', () => {
  test('a mail SES refuses is failed at once with SES’s reason, and delivery.failed is published on the bus', async () => {
    const tenant = `it-mail-refused-${unique()}`;
    const api = tenantApi(tenant);
    const address = `refused-${unique()}@example.com`;
    const id = await confirmedEmailSubscription(api, address, ['alert.*']);
    const observer = await observeNotificationEvents(tenant);
    const accept = await refuseMail(address, 'MessageRejected');
    try {
      const envelope = signedEvent(tenant, 'alert.raised', { level: 'high' });
      await publishStored(envelope);

      // Listed as failed, why, and after one attempt: a permanent refusal is not tried again.
      const delivery = await decided(api, id, envelope.id);
      expect(delivery).toMatchObject({
        status: 'failed',
        reason: 'rejected: MessageRejected',
        attempts: [{ run: 1, attempt: 1, outcome: 'failed', error: 'rejected', detail: 'MessageRejected' }],
      });

      // Those who consume notifications' events hear of it.
      const published = await eventually(
        async () =>
          (await observer.events()).find(
            (e) => e['detail-type'] === 'delivery.failed' && e.detail.eventId === envelope.id,
          ),
        30_000,
        'delivery.failed on the bus',
      );
      expect(published).toMatchObject({
        source: 'herald.notifications',
        detail: {
          subscriptionId: id,
          tenantid: tenant,
          eventId: envelope.id,
          reason: 'rejected: MessageRejected',
        },
      });

      // Nothing reached the address but its confirmation. The failure counts toward the subscription's
      // health (recorded just after the event is published); it stays active: the local stage
      // disables after 120 hours of failures, not after a count.
      expect((await mailsTo(address)).filter((m) => m.body.text?.includes(envelope.id))).toEqual([]);
      const subscription = await eventually(
        async () => {
          const shown = await api('GET', `/v1/subscriptions/${id}`);
          return shown.body.consecutiveFailures === 1 ? shown.body : undefined;
        },
        20_000,
        'the failure counted',
      );
      expect(subscription).toMatchObject({ status: 'active', failingSince: expect.any(String) });
    } finally {
      await accept();
      await observer.stop();
    }
  }, 90_000);

  test('a paused e-mail subscription’s mail is held, and sent once it is resumed', async () => {
    const tenant = `it-mail-paused-${unique()}`;
    const api = tenantApi(tenant);
    const address = `paused-${unique()}@example.com`;
    const id = await confirmedEmailSubscription(api, address, ['alert.*']);
    expect((await api('POST', `/v1/subscriptions/${id}/pause`)).body).toMatchObject({ status: 'paused' });

    const envelope = signedEvent(tenant, 'alert.raised', { while: 'paused' });
    await publishStored(envelope);
    // deliverEmail took the task and held it (only while the subscription is still paused): no attempt.
    expect(await decided(api, id, envelope.id)).toMatchObject({ status: 'held', attempts: [] });
    expect((await mailsTo(address)).filter((m) => m.body.text?.includes(envelope.id))).toEqual([]);

    expect((await api('POST', `/v1/subscriptions/${id}/resume`)).body).toMatchObject({ status: 'active' });
    const mail = await eventually(
      async () => (await mailsTo(address)).find((m) => m.body.text?.includes(envelope.id)),
      30_000,
      'the held mail, sent',
    );
    expect(mail.subject).toBe('[Herald] alert.raised');
    expect(mail.body.text).toContain('"while": "paused"');
    expect(mail.headers?.find((h) => h.name === 'List-Unsubscribe')?.value).toMatch(
      /^<http\S+\/v1\/email\/unsubscribe\?token=\S+>$/,
    );
    expect(await decided(api, id, envelope.id)).toMatchObject({
      status: 'succeeded',
      attempts: [{ attempt: 1, outcome: 'succeeded' }],
    });
  }, 90_000);

  test('a confirmation mail SES refused at creation is sent by resend-confirmation, and its link confirms', async () => {
    const api = tenantApi(`it-mail-resend-${unique()}`);
    const address = `resend-${unique()}@example.com`;
    const accept = await refuseMail(address, 'MessageRejected');
    let id: string;
    try {
      // Created all the same, pending, and the answer says the mail did not go.
      const created = await api('POST', '/v1/subscriptions', { email: address, eventTypes: ['alert.*'] });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'pending', confirmationMail: { sent: false } });
      expect(created.body.confirmationSentAt).toBeUndefined();
      id = created.body.id as string;

      // Asked again while SES still refuses: 503, nothing sent, nothing recorded.
      const refused = await api('POST', `/v1/subscriptions/${id}/resend-confirmation`);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ type: 'https://herald.dev/problems/mail-not-sent' });
      expect(await mailsTo(address)).toEqual([]);
    } finally {
      await accept();
    }

    // SES accepts the address now: the mail goes, and when it went is recorded.
    const resent = await api('POST', `/v1/subscriptions/${id}/resend-confirmation`);
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ id, status: 'pending', confirmationSentAt: expect.any(String) });
    expect((await api('GET', `/v1/subscriptions/${id}`)).body.confirmationSentAt).toBe(
      resent.body.confirmationSentAt,
    );
    const [mail, ...more] = await eventually(async () => {
      const mails = await mailsTo(address);
      return mails.length > 0 ? mails : undefined;
    });
    expect(more).toEqual([]);
    expect(mail!.subject).toMatch(/confirm/i);
    expect(mail!.body.text).toContain(id);

    // Its link works: the subscription is active, and has nothing more to confirm.
    const confirmed = await fetch(confirmationLink(mail!)!);
    expect(confirmed.status).toBe(200);
    expect((await api('GET', `/v1/subscriptions/${id}`)).body).toMatchObject({
      status: 'active',
      confirmedAt: expect.any(String),
    });
    const again = await api('POST', `/v1/subscriptions/${id}/resend-confirmation`);
    expect(again.status).toBe(409);
  }, 90_000);
});
