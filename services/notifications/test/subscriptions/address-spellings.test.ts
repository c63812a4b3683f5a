/**
 * Every spelling of a webhook host is judged, and none makes the check throw: an address the policy
 * cannot judge is refused (422 at the API), never a 500.
 */
import { describe, expect, test } from '@jest/globals';
import { judgeAddressText, STRICT_POLICY } from '../../src/subscriptions/address-policy';
import { checkWebhookUrl, STRICT_TARGETS } from '../../src/subscriptions/url-policy';

describe('IPv4-compatible IPv6 addresses (::a.b.c.d) are judged by the IPv4 host they name', () => {
  test.each([
    ['https://[::127.0.0.1]/', /loopback/],
    ['https://[::10.0.0.1]/', /private/],
    ['https://[::169.254.169.254]/', /metadata/],
    ['https://[::0.0.0.2]/', /unspecified/],
    ['https://[0:0:0:0:0:0:7f00:1]/', /loopback/],
  ])('%s is refused', (url, reason) => {
    expect(checkWebhookUrl(url, STRICT_TARGETS)).toEqual({
      ok: false,
      message: expect.stringMatching(reason),
    });
  });

  test('::8.8.8.8 names a public host', () => {
    expect(judgeAddressText('::8.8.8.8', STRICT_POLICY)).toEqual({ allowed: true });
  });
});

describe('no spelling makes the check throw', () => {
  test('5,000 generated IPv6 literals, IPv4 tails and odd hosts: each is judged', () => {
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    const group = () => random(0x10000).toString(16);
    const forms = [
      () => `[::${random(256)}.${random(256)}.${random(256)}.${random(256)}]`,
      () => `[${Array.from({ length: 6 }, group).join(':')}:${random(256)}.${random(256)}.0.${random(256)}]`,
      () => `[${Array.from({ length: 1 + random(7) }, group).join(':')}::${group()}]`,
      () => `[::ffff:${group()}:${group()}]`,
      () => `[64:ff9b::${group()}:${group()}]`,
      () => `${random(2 ** 31)}`,
      () => `0x${random(2 ** 31).toString(16)}.${random(9)}`,
    ];
    for (let i = 0; i < 5000; i++) {
      const url = `https://${forms[i % forms.length]!()}/`;
      let result: unknown;
      expect(() => (result = checkWebhookUrl(url, STRICT_TARGETS))).not.toThrow();
      expect(result).toEqual(expect.objectContaining({ ok: expect.any(Boolean) }));
    }
  });
});
