/**
 * Notifications' security signals as CloudWatch reads them (namespace Herald, by service), and where
 * they come from at send time: a target refused for where it points, never a network failure.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { captureLogs } from '@herald/shared/testing/http';
import { HttpWebhookSender, type Resolve } from '../../src/adapters/http-webhook-sender';
import { createSecuritySignals } from '../../src/adapters/security-metrics';
import { STRICT_TARGETS } from '../../src/subscriptions/url-policy';

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

const metricLines = () => logs.lines().filter((line) => '_aws' in line);

describe('createSecuritySignals', () => {
  test('each signal is one EMF line at once: RejectedEnvelopes by service, SsrfRefusals by service and by check', () => {
    const signals = createSecuritySignals();
    signals.rejectedEnvelope();
    signals.ssrfRefused('send');
    const [rejected, refused] = metricLines();
    expect(rejected).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Herald',
            Dimensions: [['service']],
            Metrics: [{ Name: 'RejectedEnvelopes', Unit: 'Count' }],
          },
        ],
      },
      service: expect.any(String),
      RejectedEnvelopes: 1,
    });
    expect(refused).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Herald',
            Dimensions: [['service'], ['service', 'check']],
            Metrics: [{ Name: 'SsrfRefusals', Unit: 'Count' }],
          },
        ],
      },
      check: 'send',
      SsrfRefusals: 1,
    });
    expect(metricLines()).toHaveLength(2);
  });
});

describe('HttpWebhookSender refusals', () => {
  const resolverTo =
    (...addresses: string[]): Resolve =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  const post = (sender: HttpWebhookSender, url: string) =>
    sender.post({ url, headers: {}, body: '{}', timeoutMs: 500 });

  test.each([
    ['a name that resolves to a private address', 'https://hooks.example.com/h', resolverTo('10.0.0.8')],
    ['an address literal it may not reach', 'https://169.254.169.254/latest', resolverTo()],
    ['a loopback name', 'https://localhost/h', resolverTo('127.0.0.1')],
  ])('%s is refused and signalled', async (_, url, resolve) => {
    let refusals = 0;
    const result = await post(new HttpWebhookSender(STRICT_TARGETS, resolve, () => refusals++), url);
    expect(result.error).toMatchObject({ retryable: false });
    expect(refusals).toBe(1);
  });

  test.each([
    ['plain http', 'http://hooks.example.com/h'],
    ['a name that does not resolve', 'https://nowhere.example.com/h'],
  ])('%s fails without a signal', async (_, url) => {
    let refusals = 0;
    const missing: Resolve = async () => {
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    };
    await post(new HttpWebhookSender(STRICT_TARGETS, missing, () => refusals++), url);
    expect(refusals).toBe(0);
  });
});
