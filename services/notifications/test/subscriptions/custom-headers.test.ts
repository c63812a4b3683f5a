/**
 * A webhook subscription's custom headers and timeout: what is refused (422 naming the header),
 * secret values kept as ciphertext and shown as { secret: true }, PATCH merging into them, and every
 * attempt sending them, within the subscription's timeout.
 */
import { describe, expect, test } from '@jest/globals';
import { InvalidInput, Conflict } from '../../src/problems';
import { headerContext, headerProblems } from '../../src/subscriptions/custom-headers';
import { getSubscription } from '../../src/subscriptions/lifecycle';
import { listSubscriptions } from '../../src/subscriptions/list';
import { updateSubscription } from '../../src/subscriptions/update';
import { memoryCipher } from '../support/memory';
import { world } from '../support/world';

const TOKEN = 'Bearer s3cr3t-t0ken-for-the-receiver';

async function problemsOf(work: Promise<unknown>) {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInput);
  return (error as InvalidInput).problems;
}

describe('which headers may be set', () => {
  test.each([
    'webhook-id',
    'Webhook-Signature',
    'webhook-anything',
    'content-type',
    'Content-Length',
    'content-encoding',
    'host',
    'connection',
    'keep-alive',
    'proxy-authorization',
    'te',
    'trailer',
    'transfer-encoding',
    'upgrade',
    'expect',
    'user-agent',
    'x-correlation-id',
    'bad name',
    'semi;colon',
    '',
    'x'.repeat(65),
  ])('%j is refused, naming it', (name) => {
    expect(headerProblems({ [name]: 'v' })).toEqual([
      { pointer: `/body/headers/${name}`, message: expect.any(String) },
    ]);
  });

  test.each(['authorization', 'x-api-key', 'Cookie', 'X-Tenant', "x-!#$%&'*+-.^_`|~"])(
    '%j is allowed',
    (name) => {
      expect(headerProblems({ [name]: 'v' })).toEqual([]);
    },
  );

  test.each([
    'a\r\nx-injected: 1',
    'a\nb',
    'a\u0000b',
    ' leading',
    'trailing ',
    'caf\u00e9',
    '',
    'x'.repeat(1025),
  ])('the value %j is refused', (value) => {
    expect(headerProblems({ 'x-a': value })).toEqual([
      { pointer: '/body/headers/x-a', message: expect.any(String) },
    ]);
    expect(headerProblems({ 'x-a': { value, secret: true } })).toEqual([
      { pointer: '/body/headers/x-a/value', message: expect.any(String) },
    ]);
  });

  test('at most 20, and one name once whatever its case', () => {
    const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`x-h${i}`, 'v']));
    expect(headerProblems(twenty)).toEqual([]);
    expect(headerProblems({ ...twenty, 'x-h20': 'v' })).toEqual([
      { pointer: '/body/headers', message: 'must be at most 20 headers' },
    ]);
    expect(headerProblems({ 'X-Key': 'a', 'x-key': 'b' })).toEqual([
      { pointer: '/body/headers/x-key', message: expect.stringMatching(/case-insensitive/) },
    ]);
  });
});

describe('storing and showing them', () => {
  test('a secret value is stored only as ciphertext bound to tenant, subscription and header, and never shown', async () => {
    const w = world();
    const { subscription } = await w.subscribe({
      headers: { Authorization: { value: TOKEN, secret: true }, 'X-Team': 'payments' },
      timeoutSeconds: 5,
    });
    expect(subscription).toMatchObject({
      headers: { authorization: { secret: true }, 'x-team': 'payments' },
      timeoutSeconds: 5,
    });
    const stored = (await w.subscriptions.get('acme', subscription.id))!;
    expect(JSON.stringify(stored)).not.toContain('s3cr3t');
    const { ciphertext } = stored.headers!.authorization as { ciphertext: string };
    const plain = await memoryCipher.decrypt(
      ciphertext,
      headerContext('acme', subscription.id, 'authorization'),
    );
    expect(new TextDecoder().decode(plain)).toBe(TOKEN);
    await expect(
      memoryCipher.decrypt(ciphertext, headerContext('acme', subscription.id, 'x-other')),
    ).rejects.toThrow();
    for (const shown of [
      await getSubscription('acme', subscription.id, w.subscriptions),
      (await listSubscriptions('acme', {}, w.subscriptions)).items[0],
    ])
      expect(JSON.stringify(shown)).not.toContain('s3cr3t');
  });

  test('refusals: a reserved header, a timeout over the stage maximum, headers on an e-mail subscription', async () => {
    const w = world();
    expect(await problemsOf(w.subscribe({ headers: { 'Webhook-Id': 'x' } }))).toEqual([
      { pointer: '/body/headers/Webhook-Id', message: expect.any(String) },
    ]);
    expect(await problemsOf(w.subscribe({ timeoutSeconds: 21 }))).toEqual([
      { pointer: '/body/timeoutSeconds', message: expect.stringMatching(/at most 20 seconds/) },
    ]);
    expect(
      await problemsOf(w.subscribe({ url: undefined, email: 'ops@example.com', headers: { 'x-a': 'b' } })),
    ).toEqual([{ pointer: '/body', message: expect.stringMatching(/webhook subscriptions only/) }]);
    expect(w.subscriptions.items.size).toBe(0);
  });

  test('PATCH merges: a name replaces, null removes, { secret: true } keeps a secret as it is', async () => {
    const w = world();
    const { subscription } = await w.subscribe({
      headers: { authorization: { value: TOKEN, secret: true }, 'x-team': 'payments', 'x-old': '1' },
    });
    const patch = (body: Parameters<typeof updateSubscription>[2]) =>
      updateSubscription('acme', subscription.id, body, w.subscriptionDeps);
    const before = (await w.subscriptions.get('acme', subscription.id))!.headers!.authorization;
    const changed = await patch({
      headers: { authorization: { secret: true }, 'x-team': 'risk', 'x-old': null },
    });
    expect(changed.headers).toEqual({ authorization: { secret: true }, 'x-team': 'risk' });
    expect((await w.subscriptions.get('acme', subscription.id))!.headers!.authorization).toEqual(before);
    expect((await patch({ description: 'kept' })).headers).toEqual(changed.headers);
    // Only an existing secret can be kept without its value.
    expect(await problemsOf(patch({ headers: { 'x-new': { secret: true } } }))).toEqual([
      { pointer: '/body/headers/x-new/value', message: expect.stringMatching(/required/) },
    ]);
    expect((await patch({ timeoutSeconds: 7 })).timeoutSeconds).toBe(7);
    expect(
      await patch({ timeoutSeconds: null, headers: { authorization: null, 'x-team': null } }),
    ).not.toHaveProperty('headers');
    const stored = (await w.subscriptions.get('acme', subscription.id))!;
    expect(stored).not.toHaveProperty('headers');
    expect(stored).not.toHaveProperty('timeoutSeconds');
  });

  test('an e-mail subscription has no headers to change', async () => {
    const w = world();
    const { subscription } = await w.subscribe({ url: undefined, email: 'ops@example.com' });
    await expect(
      updateSubscription('acme', subscription.id, { headers: { 'x-a': 'b' } }, w.subscriptionDeps),
    ).rejects.toBeInstanceOf(Conflict);
  });
});

describe('sending them', () => {
  test('each attempt carries the headers (secret ones decrypted) beside Herald’s own, within the timeout', async () => {
    const w = world();
    const { subscription } = await w.subscribe({
      headers: { Authorization: { value: TOKEN, secret: true }, 'X-Team': 'payments' },
      timeoutSeconds: 5,
    });
    await w.publish(w.keys.sign());
    await w.publish(w.keys.sign());
    await w.run();
    await w.run();
    expect(w.requests).toHaveLength(2);
    for (const request of w.requests) {
      expect(request.headers).toMatchObject({
        authorization: TOKEN,
        'x-team': 'payments',
        'content-type': 'application/json',
        'webhook-id': expect.any(String),
      });
      expect(request.timeoutMs).toBe(5000);
    }
    // Without a timeout of its own, the stage's default.
    await updateSubscription('acme', subscription.id, { timeoutSeconds: null }, w.subscriptionDeps);
    await w.publish(w.keys.sign());
    await w.run();
    expect(w.requests.at(-1)!.timeoutMs).toBe(1000);
  });
});
