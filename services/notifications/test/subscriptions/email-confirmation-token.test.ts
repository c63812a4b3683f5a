/** Signed e-mail links: they check only as signed, for their purpose, until they expire. */
import { describe, expect, test } from '@jest/globals';
import {
  signEmailToken,
  tokenKeyFromSecret,
  verifyEmailToken,
  type EmailTokenClaims,
} from '../../src/subscriptions/email-confirmation-token';

const key = new Uint8Array(32).fill(7);
const otherKey = new Uint8Array(32).fill(8);
const now = new Date('2026-11-30T12:00:00Z');
const claims: EmailTokenClaims = {
  purpose: 'confirm',
  subscriptionId: 'sub_1',
  tenantId: 'tenant-a',
  email: 'ops@example.com',
  expiresAt: now.getTime() / 1000 + 3600,
};

describe('e-mail tokens', () => {
  test('a signed token checks and gives back what it says', () => {
    const token = signEmailToken(claims, { current: key });
    expect(verifyEmailToken(token, 'confirm', { current: key }, now)).toEqual({ ok: true, claims });
  });

  test('an expired token is refused from its expiry second on', () => {
    const token = signEmailToken(claims, { current: key });
    const at = new Date(claims.expiresAt * 1000);
    expect(verifyEmailToken(token, 'confirm', { current: key }, at)).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyEmailToken(token, 'confirm', { current: key }, new Date(at.getTime() - 1)).ok).toBe(true);
  });

  test('another key, a changed payload or a changed MAC is forged', () => {
    const token = signEmailToken(claims, { current: key });
    expect(verifyEmailToken(token, 'confirm', { current: otherKey }, now)).toEqual({
      ok: false,
      reason: 'forged',
    });
    const [payload, mac] = token.split('.') as [string, string];
    const changed = Buffer.from(
      JSON.stringify(['confirm', 'sub_1', 'tenant-b', 'ops@example.com', claims.expiresAt]),
    ).toString('base64url');
    expect(verifyEmailToken(`${changed}.${mac}`, 'confirm', { current: key }, now)).toEqual({
      ok: false,
      reason: 'forged',
    });
    const flipped = `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    expect(verifyEmailToken(`${payload}.${flipped}`, 'confirm', { current: key }, now)).toEqual({
      ok: false,
      reason: 'forged',
    });
  });

  test('a token for one purpose does not serve another', () => {
    const token = signEmailToken({ ...claims, purpose: 'unsubscribe' }, { current: key });
    expect(verifyEmailToken(token, 'confirm', { current: key }, now)).toEqual({
      ok: false,
      reason: 'wrong-purpose',
    });
    expect(verifyEmailToken(token, 'unsubscribe', { current: key }, now).ok).toBe(true);
  });

  test.each(['', 'abc', 'a.b', '.'.repeat(3), 'x'.repeat(3000), 'é.é'])('%j is malformed', (token) => {
    expect(verifyEmailToken(token, 'confirm', { current: key }, now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  test('a token signed with the previous key still checks while it is kept', () => {
    const token = signEmailToken(claims, { current: otherKey });
    expect(verifyEmailToken(token, 'confirm', { current: key, previous: otherKey }, now).ok).toBe(true);
    expect(verifyEmailToken(token, 'confirm', { current: key }, now).ok).toBe(false);
  });

  test('a key from a secret needs 32 bytes', () => {
    expect(() => tokenKeyFromSecret('short')).toThrow(/32 bytes/);
    expect(tokenKeyFromSecret('k'.repeat(64))).toHaveLength(64);
  });
});
