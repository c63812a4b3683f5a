/**
 * SecretCipher: webhook signing secrets at rest. A secret decrypts only under the context it was
 * encrypted with (its tenant and subscription, whatever the order of the context's keys, as KMS
 * compares it) and only with the key that made it; a tampered ciphertext never decrypts; the
 * ciphertext does not hold the secret. Run against the in-memory stand-in, KMS (the local cloud's),
 * and what deliver uses: KMS behind the per-container cache.
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from '@jest/globals';
import { contractAws, describePort, kmsKey } from '../../../../test/setup/contract';
import { KmsSecretCipher } from '../../src/adapters/kms-secret-cipher';
import { cachingCipher, secretContext, type SecretCipher } from '../../src/subscriptions/signing-secrets';
import { memoryCipherUnder } from '../support/memory';

/** A cipher, and one of another key (a ciphertext copied from another deployment). */
interface Ciphers {
  cipher: SecretCipher;
  otherKey: SecretCipher;
}

const kmsCiphers = async (): Promise<Ciphers> => ({
  cipher: new KmsSecretCipher(contractAws().kms, await kmsKey('secret cipher contract')),
  otherKey: new KmsSecretCipher(contractAws().kms, await kmsKey('another key')),
});

const implementations = [
  {
    name: 'in memory',
    make: (): Ciphers => ({ cipher: memoryCipherUnder('key-1'), otherKey: memoryCipherUnder('key-2') }),
  },
  { name: 'KMS', make: kmsCiphers },
  {
    name: 'KMS behind the per-container cache',
    make: async (): Promise<Ciphers> => {
      const { cipher, otherKey } = await kmsCiphers();
      const cache = { ttlMs: 60_000, maxEntries: 100 };
      return { cipher: cachingCipher(cipher, cache), otherKey: cachingCipher(otherKey, cache) };
    },
  },
];

const context = secretContext('acme', 'sub_1');
const secret = () => new Uint8Array(randomBytes(32));

describePort('SecretCipher', implementations, (make) => {
  test('decrypts what it encrypted, under the same context', async () => {
    const { cipher } = await make();
    const plaintext = secret();
    const ciphertext = await cipher.encrypt(plaintext, context);
    expect(Buffer.from(await cipher.decrypt(ciphertext, { ...context }))).toEqual(Buffer.from(plaintext));
    // Twice: a cached answer is the same secret.
    expect(Buffer.from(await cipher.decrypt(ciphertext, { ...context }))).toEqual(Buffer.from(plaintext));
  });

  test('the order of the context keys does not matter', async () => {
    const { cipher } = await make();
    const plaintext = secret();
    const ciphertext = await cipher.encrypt(plaintext, context);
    const reordered = Object.fromEntries(Object.entries(context).reverse());
    expect(Buffer.from(await cipher.decrypt(ciphertext, reordered))).toEqual(Buffer.from(plaintext));
  });

  test('the ciphertext does not hold the secret', async () => {
    const { cipher } = await make();
    const plaintext = secret();
    const ciphertext = Buffer.from(await cipher.encrypt(plaintext, context), 'base64');
    expect(ciphertext.includes(Buffer.from(plaintext))).toBe(false);
    expect(ciphertext.toString('latin1')).not.toContain(Buffer.from(plaintext).toString('base64'));
  });

  test.each([
    ['another subscription', secretContext('acme', 'sub_2')],
    ['another tenant', secretContext('globex', 'sub_1')],
    ['another purpose', { ...context, purpose: 'something-else' }],
    ['a key more', { ...context, extra: 'x' }],
    ['a key less', { tenant: 'acme', subscription: 'sub_1' }],
  ])('a ciphertext moved to %s does not decrypt, even after it was decrypted once', async (_name, other) => {
    const { cipher } = await make();
    const ciphertext = await cipher.encrypt(secret(), context);
    await cipher.decrypt(ciphertext, context);
    await expect(cipher.decrypt(ciphertext, other)).rejects.toThrow();
  });

  test('a ciphertext of another key does not decrypt', async () => {
    const { cipher, otherKey } = await make();
    const ciphertext = await otherKey.encrypt(secret(), context);
    await expect(cipher.decrypt(ciphertext, context)).rejects.toThrow();
  });

  test('a tampered ciphertext does not decrypt', async () => {
    const { cipher } = await make();
    const bytes = Buffer.from(await cipher.encrypt(secret(), context), 'base64');
    const last = bytes.length - 1;
    bytes[last] = bytes[last]! ^ 0x01;
    await expect(cipher.decrypt(bytes.toString('base64'), context)).rejects.toThrow();
  });

  test('each encryption is fresh: the same secret twice gives two ciphertexts', async () => {
    const { cipher } = await make();
    const plaintext = secret();
    const [first, second] = await Promise.all([
      cipher.encrypt(plaintext, context),
      cipher.encrypt(plaintext, context),
    ]);
    expect(first).not.toBe(second);
  });
});
