/**
 * Webhook ports: 443 alone unless the stage allows others (the local stage adds its receiver's), when
 * a subscription is written and again at every send. A port refusal is about the URL's form, not an
 * SSRF signal, but a URL refused for its host still counts as one whatever its port.
 */
import { describe, expect, test } from '@jest/globals';
import { HttpWebhookSender } from '../../src/adapters/http-webhook-sender';
import { parsePorts, targetPolicy } from '../../src/config';
import { refusedForItsHost, urlProblems } from '../../src/subscriptions/input-checks';
import { checkWebhookUrl, STRICT_TARGETS, type TargetPolicy } from '../../src/subscriptions/url-policy';

const LOCAL: TargetPolicy = { allowHttp: true, allowLoopback: true, ports: [443, 4200] };

describe('the port of a webhook URL', () => {
  test.each(['https://hooks.example.com/h', 'https://hooks.example.com:443/h', 'https://8.8.8.8/h'])(
    '%s goes to 443: accepted',
    (url) => expect(checkWebhookUrl(url, STRICT_TARGETS).ok).toBe(true),
  );

  test.each([
    ['https://hooks.example.com:8443/h', 'must use port 443, not port 8443'],
    ['https://hooks.example.com:22/', 'must use port 443, not port 22'],
    ['https://8.8.8.8:25/', 'must use port 443, not port 25'],
  ])('%s is refused, naming the port', (url, message) => {
    expect(checkWebhookUrl(url, STRICT_TARGETS)).toEqual({ ok: false, message });
  });

  test('a stage may allow other ports, and then names them all', () => {
    const policy = { ...STRICT_TARGETS, ports: [443, 8443] };
    expect(checkWebhookUrl('https://hooks.example.com:8443/h', policy).ok).toBe(true);
    expect(checkWebhookUrl('https://hooks.example.com:9000/h', policy)).toEqual({
      ok: false,
      message: 'must use one of the ports 443, 8443, not port 9000',
    });
  });

  test('the local stage reaches its receiver’s port; plain http without a port is port 80', () => {
    expect(checkWebhookUrl('http://127.0.0.1:4200/hook', LOCAL).ok).toBe(true);
    expect(checkWebhookUrl('http://127.0.0.1:4201/hook', LOCAL).ok).toBe(false);
    expect(checkWebhookUrl('http://localhost/hook', LOCAL)).toMatchObject({ message: /not port 80/ });
  });

  test('a refused host is named first, whatever the port', () => {
    expect(checkWebhookUrl('https://10.0.0.1:6379/', STRICT_TARGETS)).toEqual({
      ok: false,
      message: 'must not point at a private address',
    });
  });
});

describe('as a security signal', () => {
  test('a port alone is not an SSRF refusal; a refused host on any port is', async () => {
    expect(refusedForItsHost('https://hooks.example.com:8443/h', STRICT_TARGETS)).toBe(false);
    expect(refusedForItsHost('https://10.0.0.1:6379/', STRICT_TARGETS)).toBe(true);
    expect(refusedForItsHost('https://localhost:22/', STRICT_TARGETS)).toBe(true);
    let refusals = 0;
    const deps = {
      targets: STRICT_TARGETS,
      resolver: { resolve: async () => ['93.184.216.34'] },
      onSsrfRefused: () => refusals++,
    };
    expect(await urlProblems('https://hooks.example.com:8443/h', deps)).toEqual([
      { pointer: '/body/url', message: 'must use port 443, not port 8443' },
    ]);
    expect(refusals).toBe(0);
  });
});

describe('at send time', () => {
  test('a URL stored on a port the stage no longer allows is refused without connecting', async () => {
    const looked: string[] = [];
    const sender = new HttpWebhookSender(STRICT_TARGETS, async (host) => {
      looked.push(host);
      return [{ address: '93.184.216.34', family: 4 }];
    });
    const result = await sender.post({
      url: 'https://hooks.example.com:8443/h',
      headers: {},
      body: '{}',
      timeoutMs: 500,
    });
    expect(result.error).toEqual({
      class: 'invalid-url',
      message: 'the URL must use port 443, not port 8443',
      retryable: false,
    });
    expect(looked).toEqual([]);
  });
});

describe('the stage setting', () => {
  test('443 alone unless set; a list of ports otherwise', () => {
    expect(parsePorts(undefined)).toEqual([443]);
    expect(parsePorts('')).toEqual([443]);
    expect(parsePorts('443, 8443,443')).toEqual([443, 8443]);
    expect(targetPolicy({ WEBHOOK_ALLOWED_PORTS: '443,4200' }).ports).toEqual([443, 4200]);
  });

  test.each(['0', '65536', '443,x', '443,,8443', '-1', '1e3'])('%s fails loudly', (text) => {
    expect(() => parsePorts(text)).toThrow(/WEBHOOK_ALLOWED_PORTS/);
  });
});
