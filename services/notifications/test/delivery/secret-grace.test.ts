/**
 * After a rotation the replaced secret signs webhooks beside the new one until its grace period
 * ends, and from that moment never again: read off the `webhook-signature` of what deliver sends.
 */
import { describe, expect, test } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import type { WebhookRequest } from '../../src/delivery/ports';
import { rotateSecret } from '../../src/subscriptions/rotate-secret';
import { world } from '../support/world';

const GRACE_SECONDS = 600;

/**
 * Whether `secret` made one of the request's signatures. Computed rather than verified: the
 * verifier would refuse the timestamps of a clock moved days ahead.
 */
function signedWith(request: WebhookRequest, secret: string): boolean {
  const { headers } = request;
  const expected = new Webhook(secret).sign(
    headers['webhook-id']!,
    new Date(Number(headers['webhook-timestamp']) * 1000),
    request.body,
  );
  return headers['webhook-signature']!.split(' ').includes(expected);
}

/** A subscription rotated with a grace period, and one webhook sent `offsetMs` from the grace's end. */
async function webhookAround(offsetMs: number) {
  const w = world();
  const { subscription, secret: oldSecret } = await w.subscribe();
  const rotated = await rotateSecret(
    'acme',
    subscription.id,
    { gracePeriodSeconds: GRACE_SECONDS },
    w.subscriptionDeps,
  );
  const graceEnd = Date.parse(rotated.previousSecretsExpireAt!);
  w.advance((graceEnd + offsetMs - w.now().getTime()) / 1000);
  await w.publish(w.keys.sign());
  expect(await w.run()).toBe('succeeded');
  const [request] = w.requests;
  return { request: request!, oldSecret: oldSecret!, newSecret: rotated.secret! };
}

describe('a rotated-out signing secret', () => {
  test('signs beside the new one until the last moment of its grace period', async () => {
    const { request, oldSecret, newSecret } = await webhookAround(-1);
    expect(request.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(signedWith(request, newSecret)).toBe(true);
    expect(signedWith(request, oldSecret)).toBe(true);
  });

  test.each([
    ['when its grace period ends', 0],
    ['a day later', 86_400_000],
  ])('no longer signs %s: the new secret alone does', async (_when, offsetMs) => {
    const { request, oldSecret, newSecret } = await webhookAround(offsetMs);
    expect(request.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(signedWith(request, newSecret)).toBe(true);
    expect(signedWith(request, oldSecret)).toBe(false);
  });

  test('a retry after the grace period is signed with the new secret alone, under the same webhook-id', async () => {
    const w = world({ schedule: [0, GRACE_SECONDS * 2] });
    const { subscription, secret: oldSecret } = await w.subscribe();
    const rotated = await rotateSecret(
      'acme',
      subscription.id,
      { gracePeriodSeconds: GRACE_SECONDS },
      w.subscriptionDeps,
    );
    w.answers.push({ statusCode: 503, durationMs: 5 });
    await w.publish(w.keys.sign());
    expect(await w.run()).toBe('retrying');
    w.advance(GRACE_SECONDS * 2);
    expect(await w.run()).toBe('succeeded');

    const [first, retry] = w.requests;
    expect(retry!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect([signedWith(first!, oldSecret!), signedWith(first!, rotated.secret!)]).toEqual([true, true]);
    expect([signedWith(retry!, oldSecret!), signedWith(retry!, rotated.secret!)]).toEqual([false, true]);
  });
});
