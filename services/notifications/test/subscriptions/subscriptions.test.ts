import { describe, expect, test } from '@jest/globals';
import { Conflict, InvalidInput, NotFound } from '../../src/problems';
import { createSubscription } from '../../src/subscriptions/create';
import {
  deleteSubscription,
  getSubscription,
  pauseSubscription,
  resumeSubscription,
  RELEASE_DELAY_SECONDS,
} from '../../src/subscriptions/lifecycle';
import { rotateSecret } from '../../src/subscriptions/rotate-secret';
import { activeSecrets, secretContext } from '../../src/subscriptions/signing-secrets';
import { updateSubscription } from '../../src/subscriptions/update';
import { memoryCipher, MemoryQueues } from '../support/memory';
import { world } from '../support/world';

async function problemsOf(work: Promise<unknown>) {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInput);
  return (error as InvalidInput).problems;
}

describe('creating subscriptions', () => {
  test('a webhook gets a whsec_ secret once; only its ciphertext, bound to tenant and id, is stored', async () => {
    const w = world();
    const { subscription, secret } = await w.subscribe({ description: 'orders to the warehouse' });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(subscription).toMatchObject({
      kind: 'webhook',
      url: 'https://hooks.example.com/herald',
      eventTypes: ['order.*'],
      description: 'orders to the warehouse',
      status: 'active',
    });
    expect(JSON.stringify(subscription)).not.toContain('secret');
    const stored = (await w.subscriptions.get('acme', subscription.id))!;
    expect(JSON.stringify(stored)).not.toContain(secret!.slice('whsec_'.length));
    const [only] = stored.secrets!;
    const bytes = await memoryCipher.decrypt(only!.ciphertext, secretContext('acme', subscription.id));
    expect(`whsec_${Buffer.from(bytes).toString('base64')}`).toBe(secret);
    await expect(
      memoryCipher.decrypt(only!.ciphertext, secretContext('globex', subscription.id)),
    ).rejects.toThrow();
  });

  test('an e-mail subscription has an address and no secret', async () => {
    const w = world();
    const { subscription, secret } = await w.subscribe({ url: undefined, email: 'ops@example.com' });
    expect(subscription).toMatchObject({ kind: 'email', email: 'ops@example.com' });
    expect(secret).toBeUndefined();
  });

  test.each([
    [{ url: undefined }, '/body', /exactly one of url/],
    [{ email: 'ops@example.com' }, '/body', /exactly one of url \(a webhook subscription\), email/],
    [{ url: 'http://hooks.example.com/' }, '/body/url', /https/],
    [{ url: 'https://[::ffff:192.168.0.1]/' }, '/body/url', /private/],
    [{ eventTypes: ['order.*', 'Order'] }, '/body/eventTypes/1', /event type/],
  ])('%j is refused', async (input, pointer, message) => {
    const w = world();
    const problems = await problemsOf(w.subscribe(input));
    expect(problems).toEqual([expect.objectContaining({ pointer, message: expect.stringMatching(message) })]);
    expect(w.subscriptions.items.size).toBe(0);
  });

  test('a name resolving to a private address is refused; one that does not resolve yet is accepted', async () => {
    const w = world();
    const privateDns = { ...w.subscriptionDeps, resolver: { resolve: async () => ['8.8.8.8', '10.1.1.1'] } };
    const problems = await problemsOf(
      createSubscription('acme', { url: 'https://internal.example.com/', eventTypes: ['a.b'] }, privateDns),
    );
    expect(problems[0]!.message).toBe('resolves to a private address');
    const unresolved = { ...w.subscriptionDeps, resolver: { resolve: async () => undefined } };
    await expect(
      createSubscription('acme', { url: 'https://soon.example.com/', eventTypes: ['a.b'] }, unresolved),
    ).resolves.toMatchObject({ subscription: { url: 'https://soon.example.com/' } });
  });
});

describe('reading, changing and deleting', () => {
  test('another tenant cannot see, change or delete a subscription', async () => {
    const w = world();
    const { subscription } = await w.subscribe();
    await expect(getSubscription('globex', subscription.id, w.subscriptions)).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(
      updateSubscription('globex', subscription.id, { eventTypes: ['x.y'] }, w.subscriptionDeps),
    ).rejects.toBeInstanceOf(NotFound);
    await expect(deleteSubscription('globex', subscription.id, w.subscriptions)).rejects.toBeInstanceOf(
      NotFound,
    );
    expect(await getSubscription('acme', subscription.id, w.subscriptions)).toMatchObject({
      status: 'active',
    });
  });

  test('an update checks what it changes, and null removes the description', async () => {
    const w = world();
    const { subscription } = await w.subscribe({ description: 'old' });
    const updated = await updateSubscription(
      'acme',
      subscription.id,
      { url: 'https://new.example.com/h', eventTypes: ['invoice.*'], description: null },
      w.subscriptionDeps,
    );
    expect(updated).toMatchObject({ url: 'https://new.example.com/h', eventTypes: ['invoice.*'] });
    expect(updated.description).toBeUndefined();
    const problems = await problemsOf(
      updateSubscription('acme', subscription.id, { url: 'https://127.0.0.1/' }, w.subscriptionDeps),
    );
    expect(problems[0]).toMatchObject({ pointer: '/body/url', message: expect.stringMatching(/loopback/) });
  });

  test('a URL cannot be given to an e-mail subscription', async () => {
    const w = world();
    const { subscription } = await w.subscribe({ url: undefined, email: 'ops@example.com' });
    await expect(
      updateSubscription('acme', subscription.id, { url: 'https://hooks.example.com/' }, w.subscriptionDeps),
    ).rejects.toBeInstanceOf(Conflict);
  });

  test('delete removes it', async () => {
    const w = world();
    const { subscription } = await w.subscribe();
    await deleteSubscription('acme', subscription.id, w.subscriptions);
    await expect(getSubscription('acme', subscription.id, w.subscriptions)).rejects.toBeInstanceOf(NotFound);
  });
});

describe('pause and resume', () => {
  test('resume clears the failure record and queues a release of held deliveries', async () => {
    const w = world();
    const { subscription } = await w.subscribe();
    await w.subscriptions.update('acme', subscription.id, {
      set: { status: 'disabled', consecutiveFailures: 40, disabledReason: 'x', slowSince: 'y' },
    });
    await expect(pauseSubscription('acme', subscription.id, w.subscriptionDeps)).rejects.toBeInstanceOf(
      Conflict,
    );
    const jobs = new MemoryQueues();
    const resumed = await resumeSubscription('acme', subscription.id, {
      ...w.subscriptionDeps,
      jobs: { send: (job, delay) => jobs.sendJob(job, delay) },
      correlationId: 'corr-1',
    });
    expect(resumed).toMatchObject({ status: 'active' });
    expect(resumed.consecutiveFailures).toBeUndefined();
    expect(resumed.disabledReason).toBeUndefined();
    expect((await w.subscriptions.get('acme', subscription.id))!.slowSince).toBeUndefined();
    expect(jobs.jobs).toEqual([
      {
        job: expect.objectContaining({ job: 'release', tenantId: 'acme', subscriptionId: subscription.id }),
        delaySeconds: RELEASE_DELAY_SECONDS,
      },
    ]);
  });

  test('pausing twice is harmless', async () => {
    const w = world();
    const { subscription } = await w.subscribe();
    await pauseSubscription('acme', subscription.id, w.subscriptionDeps);
    expect(await pauseSubscription('acme', subscription.id, w.subscriptionDeps)).toMatchObject({
      status: 'paused',
    });
  });
});

describe('secret rotation', () => {
  test('a new secret signs first; the old one keeps signing for the grace period', async () => {
    const w = world();
    const { subscription } = await w.subscribe();
    const rotated = await rotateSecret(
      'acme',
      subscription.id,
      { gracePeriodSeconds: 600 },
      w.subscriptionDeps,
    );
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(Date.parse(rotated.previousSecretsExpireAt!) - w.now().getTime()).toBe(600_000);
    const stored = (await w.subscriptions.get('acme', subscription.id))!;
    expect(activeSecrets(stored.secrets!, w.now())).toHaveLength(2);
    w.advance(601);
    expect(activeSecrets(stored.secrets!, w.now())).toHaveLength(1);
  });

  test('the default grace period is the stage setting; an e-mail subscription has no secret to rotate', async () => {
    const w = world();
    const { subscription } = await w.subscribe();
    const rotated = await rotateSecret('acme', subscription.id, {}, w.subscriptionDeps);
    expect(Date.parse(rotated.previousSecretsExpireAt!) - w.now().getTime()).toBe(3600_000);
    const email = await w.subscribe({ url: undefined, email: 'a@example.com' });
    await expect(rotateSecret('acme', email.subscription.id, {}, w.subscriptionDeps)).rejects.toBeInstanceOf(
      Conflict,
    );
  });

  test('two rotations at once: one wins, the other is told to try again', async () => {
    const w = world();
    const { subscription } = await w.subscribe();
    const results = await Promise.allSettled([
      rotateSecret('acme', subscription.id, {}, w.subscriptionDeps),
      rotateSecret('acme', subscription.id, {}, w.subscriptionDeps),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ slug: 'concurrent-rotation' });
  });
});
