/**
 * A `v1a` webhook subscription: an Ed25519 key pair made at creation, the private key kept as a
 * signing secret is (KMS ciphertext under the subscription's context), the public key shown; its
 * rotation under the secrets' overlap rule; what deliver sends, verified with the shown key alone;
 * and the tenant's public key set.
 */
import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import type { WebhookRequest } from '../../src/delivery/ports';
import { toView } from '../../src/model/subscription';
import { InvalidInput } from '../../src/problems';
import { rotateSecret } from '../../src/subscriptions/rotate-secret';
import { privateKeyFromSeed } from '../../src/subscriptions/signing-keys';
import { secretContext } from '../../src/subscriptions/signing-secrets';
import { cachingKeySource, keySet, tenantKeySet } from '../../src/subscriptions/webhook-keys';
import { memoryCipher } from '../support/memory';
import { world } from '../support/world';

/** Whether `publicKey` (whpk_) verifies one of the request's v1a signatures (no time tolerance). */
function verifiedBy(request: WebhookRequest, publicKey: string, body = request.body): boolean {
  const key = createPublicKey({
    key: {
      kty: 'OKP',
      crv: 'Ed25519',
      x: Buffer.from(publicKey.slice('whpk_'.length), 'base64').toString('base64url'),
    },
    format: 'jwk',
  });
  const { headers } = request;
  const signed = Buffer.from(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`);
  return headers['webhook-signature']!.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    return version === 'v1a' && verify(null, signed, key, Buffer.from(signature!, 'base64'));
  });
}

describe('a v1a webhook subscription', () => {
  test('is created with a key pair: the public key shown, the private key stored encrypted, no secret', async () => {
    const w = world();
    const created = await w.subscribe({ signatureScheme: 'v1a' });
    expect(created.secret).toBeUndefined();
    expect(created.publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(created.subscription).toMatchObject({
      signatureScheme: 'v1a',
      publicKeys: [{ key: created.publicKey, createdAt: created.subscription.createdAt }],
    });
    const stored = (await w.subscriptions.get('acme', created.subscription.id))!;
    expect(stored.secrets).toHaveLength(1);
    // The seed decrypts under the subscription's own context only, and its public half is the one shown.
    const seed = await memoryCipher.decrypt(
      stored.secrets![0]!.ciphertext,
      secretContext('acme', created.subscription.id),
    );
    const derived = createPublicKey(privateKeyFromSeed(seed)).export({ format: 'jwk' });
    expect(`whpk_${Buffer.from(derived.x!, 'base64url').toString('base64')}`).toBe(created.publicKey);
    await expect(
      memoryCipher.decrypt(stored.secrets![0]!.ciphertext, secretContext('acme', 'sub_other')),
    ).rejects.toThrow();
    // GET shows the same keys, never the seed's ciphertext.
    const view = toView(stored);
    expect(view.publicKeys).toEqual([{ key: created.publicKey, createdAt: stored.createdAt }]);
    expect(JSON.stringify(view)).not.toContain(stored.secrets![0]!.ciphertext);
  });

  test('v1 stays the default, and an e-mail subscription cannot choose a scheme', async () => {
    const w = world();
    const v1 = await w.subscribe();
    expect(v1.secret).toMatch(/^whsec_/);
    expect(v1.publicKey).toBeUndefined();
    expect(v1.subscription.signatureScheme).toBeUndefined();
    const explicit = await w.subscribe({ signatureScheme: 'v1' });
    expect(explicit.secret).toMatch(/^whsec_/);
    const refused = await w
      .subscribe({ url: undefined, email: 'ops@example.com', signatureScheme: 'v1a' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidInput);
    expect((refused as InvalidInput).problems).toContainEqual({
      pointer: '/body/signatureScheme',
      message: 'is for webhook subscriptions only',
    });
  });

  test('deliveries are signed v1a, verified by the shown public key; a changed body is not', async () => {
    const w = world();
    const { publicKey } = await w.subscribe({ signatureScheme: 'v1a' });
    await w.publish(w.keys.sign());
    expect(await w.run()).toBe('succeeded');
    const [request] = w.requests;
    expect(request!.headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(verifiedBy(request!, publicKey!)).toBe(true);
    expect(verifiedBy(request!, publicKey!, request!.body.replace('"type"', '"typ"'))).toBe(false);
  });

  test('rotation: a new key pair; the old key signs beside it until its grace ends, then never', async () => {
    const w = world();
    const { subscription, publicKey: oldKey } = await w.subscribe({ signatureScheme: 'v1a' });
    const rotated = await rotateSecret(
      'acme',
      subscription.id,
      { gracePeriodSeconds: 600 },
      w.subscriptionDeps,
    );
    expect(rotated.secret).toBeUndefined();
    expect(rotated.publicKey).toMatch(/^whpk_/);
    expect(rotated.publicKey).not.toBe(oldKey);
    const stored = (await w.subscriptions.get('acme', subscription.id))!;
    expect(stored.publicKeys).toEqual([
      { key: rotated.publicKey, createdAt: w.now().toISOString() },
      { key: oldKey, createdAt: subscription.createdAt, expiresAt: rotated.previousSecretsExpireAt },
    ]);

    await w.publish(w.keys.sign());
    expect(await w.run()).toBe('succeeded');
    const during = w.requests.at(-1)!;
    expect(during.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect([verifiedBy(during, rotated.publicKey!), verifiedBy(during, oldKey!)]).toEqual([true, true]);

    w.advance(600);
    await w.publish(w.keys.sign());
    expect(await w.run()).toBe('succeeded');
    const after = w.requests.at(-1)!;
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect([verifiedBy(after, rotated.publicKey!), verifiedBy(after, oldKey!)]).toEqual([true, false]);
  });
});

describe("the tenant's public key set", () => {
  const now = new Date('2026-12-01T12:00:00.000Z');
  const key = `whpk_${Buffer.alloc(32, 7).toString('base64')}`;

  test('lists each key that signs now as an Ed25519 JWK, kid = subscription id / createdAt', () => {
    const set = keySet(
      [
        {
          id: 'sub_A',
          publicKeys: [
            { key, createdAt: '2026-12-01T11:00:00.000Z' },
            { key, createdAt: '2026-11-01T00:00:00.000Z', expiresAt: '2026-12-01T12:00:01.000Z' },
            { key, createdAt: '2026-10-01T00:00:00.000Z', expiresAt: '2026-12-01T12:00:00.000Z' },
          ],
        },
      ],
      now,
    );
    expect(set.keys).toEqual([
      {
        kty: 'OKP',
        crv: 'Ed25519',
        alg: 'EdDSA',
        use: 'sig',
        kid: 'sub_A/2026-12-01T11:00:00.000Z',
        x: Buffer.alloc(32, 7).toString('base64url'),
      },
      expect.objectContaining({ kid: 'sub_A/2026-11-01T00:00:00.000Z' }),
    ]);
    // Each JWK is a public key node:crypto takes as it is.
    expect(createPublicKey({ key: { ...set.keys[0]! }, format: 'jwk' }).asymmetricKeyType).toBe('ed25519');
  });

  test('nothing to show (no v1a key, only expired ones, an impossible tenant id): undefined, one read at most', async () => {
    const reads: string[] = [];
    const source = {
      async publicKeys(tenantId: string) {
        reads.push(tenantId);
        return tenantId === 'old'
          ? [
              {
                id: 'sub_A',
                publicKeys: [
                  { key, createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-02-01T00:00:00.000Z' },
                ],
              },
            ]
          : [];
      },
    };
    const deps = { source, now: () => now };
    expect(await tenantKeySet('nobody', deps)).toBeUndefined();
    expect(await tenantKeySet('old', deps)).toBeUndefined();
    expect(await tenantKeySet('../acme', deps)).toBeUndefined();
    expect(await tenantKeySet('', deps)).toBeUndefined();
    expect(reads).toEqual(['nobody', 'old']);
  });

  test('the per-container cache reads a tenant once per interval', async () => {
    let clock = 0;
    let reads = 0;
    const cached = cachingKeySource(
      {
        async publicKeys() {
          reads++;
          return [];
        },
      },
      { ttlMs: 30_000, maxEntries: 2, now: () => clock },
    );
    await cached.publicKeys('acme');
    await cached.publicKeys('acme');
    expect(reads).toBe(1);
    clock += 30_000;
    await cached.publicKeys('acme');
    expect(reads).toBe(2);
  });
});
