/**
 * PATCH /v1/subscriptions/{id} builds the same subscription deps as create and rotate-secret, but
 * its function changes no secret and is given no SECRETS_KEY_ID (nor KMS rights): the cipher must
 * be made when a route uses it, not when the deps are built, or every PATCH answers 500.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type * as Wiring from '../src/wiring';

const saved = { ...process.env };
let wiring: typeof Wiring;

beforeAll(async () => {
  process.env.SUBSCRIPTIONS_TABLE = 'herald-test-subscriptions';
  delete process.env.SECRETS_KEY_ID;
  wiring = await import('../src/wiring');
});

afterAll(() => {
  process.env = saved;
});

test('subscription deps are built without a secrets key; the cipher asks for one only when used', async () => {
  const deps = wiring.subscriptionDeps();
  expect(deps.repository).toBeDefined();
  await expect(deps.cipher.encrypt(new Uint8Array([1]), {})).rejects.toThrow('SECRETS_KEY_ID');
  await expect(deps.cipher.decrypt('x', {})).rejects.toThrow('SECRETS_KEY_ID');
});
