/**
 * The SSRF rules: which addresses and URL spellings a webhook may and may not reach.
 */
import { describe, expect, test } from '@jest/globals';
import { judgeAddressText, STRICT_POLICY } from '../../src/subscriptions/address-policy';
import {
  checkResolvedAddresses,
  checkWebhookUrl,
  STRICT_TARGETS,
  type TargetPolicy,
} from '../../src/subscriptions/url-policy';

const LOCAL: TargetPolicy = { allowHttp: true, allowLoopback: true, ports: [443, 4200] };

describe('addresses', () => {
  test.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '2606:4700:4700::1111',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
  ])('%s is public: allowed', (address) => {
    expect(judgeAddressText(address, STRICT_POLICY)).toEqual({ allowed: true });
  });

  test.each([
    ['127.0.0.1', /loopback/],
    ['127.255.255.254', /loopback/],
    ['10.0.0.1', /private/],
    ['172.16.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.168.1.1', /private/],
    ['169.254.169.254', /metadata/],
    ['169.254.170.2', /metadata/],
    ['169.254.1.1', /link-local/],
    ['100.64.0.1', /carrier-grade/],
    ['100.100.100.200', /metadata/],
    ['0.0.0.0', /unspecified/],
    ['0.1.2.3', /unspecified/],
    ['224.0.0.1', /multicast/],
    ['239.255.255.250', /multicast/],
    ['255.255.255.255', /broadcast/],
    ['192.0.2.1', /reserved/],
    ['198.18.0.1', /reserved|benchmarking/],
    ['240.0.0.1', /reserved/],
    ['192.0.0.192', /metadata/],
    ['::1', /loopback/],
    ['::', /unspecified/],
    ['fe80::1', /link-local/],
    ['fc00::1', /unique-local/],
    ['fd12:3456::1', /unique-local/],
    ['fd00:ec2::254', /metadata/],
    ['ff02::1', /multicast/],
    ['2001:db8::1', /reserved/],
    ['::ffff:127.0.0.1', /loopback/],
    ['::ffff:7f00:1', /loopback/],
    ['::ffff:10.0.0.1', /private/],
    ['::ffff:169.254.169.254', /metadata/],
    ['::127.0.0.1', /loopback/],
    ['64:ff9b::7f00:1', /NAT64/],
    ['2002:7f00:1::', /6to4/],
    ['2001::1', /Teredo/],
    ['::ffff:0:7f00:1', /IPv4-translated/],
    ['not-an-address', /not an IP/],
  ])('%s is refused (%s)', (address, reason) => {
    const verdict = judgeAddressText(address, STRICT_POLICY);
    expect(verdict.allowed).toBe(false);
    expect(!verdict.allowed && verdict.reason).toMatch(reason);
  });

  test('the local policy lets loopback through, and nothing else that is refused', () => {
    for (const loopback of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect(judgeAddressText(loopback, LOCAL).allowed).toBe(true);
    }
    for (const refused of ['10.0.0.1', '169.254.169.254', '192.168.0.1', 'fd00::1', '0.0.0.0']) {
      expect(judgeAddressText(refused, LOCAL).allowed).toBe(false);
    }
  });
});

describe('webhook URLs', () => {
  test.each([
    'https://hooks.example.com/herald',
    'https://hooks.example.com:443/a/b?c=d',
    'https://8.8.8.8/hook',
    'https://[2606:4700:4700::1111]/hook',
  ])('%s is accepted', (url) => {
    expect(checkWebhookUrl(url, STRICT_TARGETS)).toMatchObject({ ok: true });
  });

  test.each([
    ['http://hooks.example.com/', /https/],
    ['ftp://hooks.example.com/', /https/],
    ['not a url', /valid absolute URL/],
    ['/relative/path', /valid absolute URL/],
    ['https://user:pass@hooks.example.com/', /credentials/],
    ['https://token@hooks.example.com/', /credentials/],
    ['https://hooks.example.com/#frag', /fragment/],
    ['https://127.0.0.1/', /loopback/],
    ['https://2130706433/', /loopback/],
    ['https://0x7f000001/', /loopback/],
    ['https://0x7f.1/', /loopback/],
    ['https://017700000001/', /loopback/],
    ['https://0177.0.0.1/', /loopback/],
    ['https://127.1/', /loopback/],
    ['https://%31%32%37.0.0.1/', /loopback/],
    ['https://0/', /unspecified/],
    ['https://[::1]/', /loopback/],
    ['https://[::ffff:127.0.0.1]/', /loopback/],
    ['https://[0:0:0:0:0:ffff:7f00:1]/', /loopback/],
    ['https://[::ffff:a9fe:a9fe]/', /metadata/],
    ['https://169.254.169.254/latest/meta-data/', /metadata/],
    ['https://[fd00:ec2::254]/', /metadata/],
    ['https://10.1.2.3/', /private/],
    ['https://0xa.1.2.3/', /private/],
    ['https://100.64.1.1/', /carrier-grade/],
    ['https://224.1.1.1/', /multicast/],
    ['https://[fe80::1%25eth0]/', /valid absolute URL/],
    ['https://localhost/', /loopback/],
    ['https://LOCALHOST./', /loopback/],
    ['https://api.localhost/', /loopback/],
    ['https://intranet/', /fully qualified/],
    [`https://example.com/${'a'.repeat(2100)}`, /at most 2048/],
    ['https://hooks.example.com:8443/a', /must use port 443, not port 8443/],
    ['https://hooks.example.com:22/', /port 22/],
  ])('%s is refused (%s)', (url, message) => {
    const checked = checkWebhookUrl(url, STRICT_TARGETS);
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.message).toMatch(message);
  });

  test('the local stage takes http and loopback, and still refuses private and metadata addresses', () => {
    expect(checkWebhookUrl('http://127.0.0.1:4200/hook', LOCAL).ok).toBe(true);
    expect(checkWebhookUrl('http://localhost:4200/hook', LOCAL).ok).toBe(true);
    expect(checkWebhookUrl('http://10.0.0.1/hook', LOCAL).ok).toBe(false);
    expect(checkWebhookUrl('http://169.254.169.254/', LOCAL).ok).toBe(false);
  });

  test('a name is refused when any address it resolves to is', () => {
    expect(checkResolvedAddresses(['8.8.8.8', '1.1.1.1'], STRICT_POLICY)).toEqual({ ok: true });
    expect(checkResolvedAddresses(['8.8.8.8', '10.0.0.5'], STRICT_POLICY)).toEqual({
      ok: false,
      message: 'resolves to a private address',
    });
  });
});
