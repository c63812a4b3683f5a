/**
 * Double opt-in and unsubscribing, on the in-memory world: an e-mail subscription is pending until
 * its signed link is followed, gets nothing meanwhile, and stops getting mail once unsubscribed.
 */
import { describe, expect, test } from '@jest/globals';
import { deliverTask } from '../../src/delivery/pipeline';
import type { EmailMessage } from '../../src/delivery/ports';
import { createSubscription } from '../../src/subscriptions/create';
import {
  confirmEmail,
  emailLink,
  resendConfirmation,
  ResendTooSoon,
  unsubscribeEmail,
  type EmailLinkDeps,
} from '../../src/subscriptions/email-confirmation';
import { updateSubscription } from '../../src/subscriptions/update';
import { world } from '../support/world';

function optInWorld() {
  const w = world();
  const mails: EmailMessage[] = [];
  const links: EmailLinkDeps = {
    repository: w.subscriptions,
    keys: async () => ({ current: new Uint8Array(32).fill(3) }),
    mailer: {
      async send(message) {
        mails.push(message);
        return { statusCode: 200, durationMs: 1 };
      },
    },
    linkBaseUrl: 'https://api.herald.example',
    now: w.now,
  };
  const subscribe = (email = 'ops@example.com') =>
    createSubscription(
      'acme',
      { email, eventTypes: ['order.*'] },
      { ...w.subscriptionDeps, emailLinks: () => links },
    );
  const tokenIn = (text: string) => /\?token=([^\s]+)/.exec(text)![1]!;
  return { w, mails, links, subscribe, tokenIn };
}

describe('e-mail double opt-in', () => {
  test('a new e-mail subscription is pending and its address gets a signed confirmation link', async () => {
    const { w, mails, subscribe } = optInWorld();
    const { subscription } = await subscribe();
    expect(subscription).toMatchObject({
      kind: 'email',
      status: 'pending',
      confirmationSentAt: w.now().toISOString(),
    });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toBe('ops@example.com');
    expect(mails[0]!.text).toMatch(
      /https:\/\/api\.herald\.example\/v1\/email\/confirm\?token=[\w-]+\.[\w-]{43}/,
    );
  });

  test('following the link activates it; again is harmless; a forged or expired one changes nothing', async () => {
    const { w, mails, links, subscribe, tokenIn } = optInWorld();
    const { subscription } = await subscribe();
    const token = tokenIn(mails[0]!.text);
    expect(await confirmEmail(`${token.slice(0, -2)}AA`, links)).toEqual({
      outcome: 'refused',
      reason: 'forged',
    });
    expect((await w.subscriptions.get('acme', subscription.id))!.status).toBe('pending');
    expect(await confirmEmail(token, links)).toEqual({ outcome: 'confirmed' });
    expect((await w.subscriptions.get('acme', subscription.id))!.status).toBe('active');
    expect(await confirmEmail(token, links)).toEqual({ outcome: 'already-confirmed' });

    const second = await subscribe('late@example.com');
    w.advance(3 * 86_400);
    expect(await confirmEmail(tokenIn(mails[1]!.text), links)).toEqual({
      outcome: 'refused',
      reason: 'expired',
    });
    expect((await w.subscriptions.get('acme', second.subscription.id))!.status).toBe('pending');
  });

  test('a pending subscription is sent nothing: its deliveries are cancelled', async () => {
    const { w, subscribe } = optInWorld();
    const { subscription } = await subscribe();
    await w.publish(w.keys.sign());
    const tasks = w.queues.tasks.splice(0);
    expect(tasks).toHaveLength(1);
    const sent: string[] = [];
    const channel = {
      async attempt() {
        sent.push('mail');
        return { statusCode: 200, durationMs: 1 };
      },
    };
    const outcome = await deliverTask(tasks[0]!.task, tasks[0]!.messageId, {
      ...w.deliverDeps('email'),
      channel,
    });
    expect(outcome).toBe('cancelled');
    expect(sent).toEqual([]);
    expect((await w.subscriptions.get('acme', subscription.id))!.status).toBe('pending');
  });

  test('unsubscribing stops it, once or twice; a confirm link cannot bring it back', async () => {
    const { w, mails, links, subscribe, tokenIn } = optInWorld();
    const { subscription } = await subscribe();
    const confirm = tokenIn(mails[0]!.text);
    await confirmEmail(confirm, links);
    const record = (await w.subscriptions.get('acme', subscription.id))!;
    const unsubscribe = tokenIn(await emailLink('unsubscribe', record, links));
    expect(await confirmEmail(unsubscribe, links)).toEqual({ outcome: 'refused', reason: 'wrong-purpose' });
    expect(await unsubscribeEmail(unsubscribe, links)).toEqual({ outcome: 'unsubscribed' });
    expect(await unsubscribeEmail(unsubscribe, links)).toEqual({ outcome: 'already-unsubscribed' });
    expect((await w.subscriptions.get('acme', subscription.id))!.status).toBe('unsubscribed');
    expect(await confirmEmail(confirm, links)).toEqual({ outcome: 'refused', reason: 'unsubscribed' });
  });

  test('a changed address is pending again until it confirms', async () => {
    const { w, mails, links, subscribe, tokenIn } = optInWorld();
    const { subscription } = await subscribe();
    await confirmEmail(tokenIn(mails[0]!.text), links);
    const changed = await updateSubscription(
      'acme',
      subscription.id,
      { email: 'victim@example.com' },
      w.subscriptionDeps,
    );
    expect(changed).toMatchObject({ email: 'victim@example.com', status: 'pending' });
    // The old address's link does not confirm the new one.
    expect(await confirmEmail(tokenIn(mails[0]!.text), links)).toEqual({
      outcome: 'refused',
      reason: 'gone',
    });
  });

  test('the tenant may have the confirmation sent again, once a minute, while it is pending', async () => {
    const { w, mails, links, subscribe } = optInWorld();
    const { subscription } = await subscribe();
    await expect(resendConfirmation('acme', subscription.id, links)).rejects.toBeInstanceOf(ResendTooSoon);
    w.advance(60);
    await resendConfirmation('acme', subscription.id, links);
    expect(mails).toHaveLength(2);
    await expect(resendConfirmation('other', subscription.id, links)).rejects.toMatchObject({
      name: 'NotFound',
    });
  });
});
