import { describe, expect, test } from '@jest/globals';
import type { StoredSecret } from '../../src/model/subscription';
import {
  activeSecrets,
  cachingCipher,
  formatSecret,
  generateSecret,
  MAX_SECRETS,
  rotateSecrets,
  type SecretCipher,
} from '../../src/subscriptions/signing-secrets';

const at = (iso: string) => new Date(iso);
const secret = (name: string, expiresAt?: string): StoredSecret => ({
  ciphertext: name,
  createdAt: '2026-11-01T00:00:00.000Z',
  ...(expiresAt ? { expiresAt } : {}),
});

describe('signing secrets', () => {
  test('are 32 random bytes shown as whsec_<base64>', () => {
    const bytes = generateSecret();
    expect(bytes).toHaveLength(32);
    expect(formatSecret(bytes)).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(formatSecret(generateSecret())).not.toBe(formatSecret(bytes));
  });

  test('rotation puts the new secret first and keeps the old one signing for the grace period', () => {
    const now = at('2026-11-28T10:00:00Z');
    const rotated = rotateSecrets([secret('old')], secret('new'), now, 3600);
    expect(rotated.map((s) => s.ciphertext)).toEqual(['new', 'old']);
    expect(rotated[1]!.expiresAt).toBe('2026-11-28T11:00:00.000Z');
    expect(activeSecrets(rotated, at('2026-11-28T10:59:59Z')).map((s) => s.ciphertext)).toEqual([
      'new',
      'old',
    ]);
    expect(activeSecrets(rotated, at('2026-11-28T11:00:00Z')).map((s) => s.ciphertext)).toEqual(['new']);
  });

  test('a zero grace period retires the old secret at once', () => {
    const rotated = rotateSecrets([secret('old')], secret('new'), at('2026-11-28T10:00:00Z'), 0);
    expect(rotated.map((s) => s.ciphertext)).toEqual(['new']);
  });

  test('rotating again drops expired secrets, never extends one, and keeps at most three', () => {
    const now = at('2026-11-28T10:00:00Z');
    const current = [
      secret('b'),
      secret('a', '2026-11-28T10:30:00.000Z'),
      secret('gone', '2026-11-28T09:00:00.000Z'),
    ];
    const rotated = rotateSecrets(current, secret('c'), now, 86400);
    expect(rotated.map((s) => s.ciphertext)).toEqual(['c', 'b', 'a']);
    expect(rotated[2]!.expiresAt).toBe('2026-11-28T10:30:00.000Z');
    const again = rotateSecrets(rotated, secret('d'), now, 86400);
    expect(again).toHaveLength(MAX_SECRETS);
    expect(again.map((s) => s.ciphertext)).toEqual(['d', 'c', 'b']);
  });

  test('decryption is cached by ciphertext and context, and a failure is not cached', async () => {
    let calls = 0;
    let fail = true;
    const cipher: SecretCipher = {
      encrypt: async () => 'x',
      decrypt: async (ciphertext) => {
        calls += 1;
        if (fail) throw new Error('KMS down');
        return Buffer.from(ciphertext);
      },
    };
    let clock = 0;
    const cached = cachingCipher(cipher, { ttlMs: 1000, maxEntries: 10, now: () => clock });
    await expect(cached.decrypt('a', { s: '1' })).rejects.toThrow('KMS down');
    fail = false;
    await cached.decrypt('a', { s: '1' });
    await cached.decrypt('a', { s: '1' });
    expect(calls).toBe(2);
    await cached.decrypt('a', { s: '2' });
    expect(calls).toBe(3);
    clock = 1001;
    await cached.decrypt('a', { s: '1' });
    expect(calls).toBe(4);
  });
});
