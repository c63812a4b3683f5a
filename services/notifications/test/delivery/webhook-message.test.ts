/**
 * The signature bytes, judged by the reference `standardwebhooks` verifier as a subscriber's code
 * would judge them.
 */
import { describe, expect, test } from '@jest/globals';
import type { Envelope } from '@herald/shared/contracts';
import { Webhook } from 'standardwebhooks';
import { formatSecret, generateSecret } from '../../src/subscriptions/signing-secrets';
import { signatureHeader, webhookBody, webhookHeaders } from '../../src/delivery/webhook-message';

const envelope: Envelope = {
  specversion: '1.0',
  id: 'evt-1',
  source: '/herald/ingest',
  type: 'order.created',
  time: '2026-11-28T10:00:00.000Z',
  subject: 'order/42',
  datacontenttype: 'application/json',
  data: { total: 42, note: 'caf\u00e9 \u2713' },
  tenantid: 'acme',
  correlationid: 'corr-1',
  signaturekeyid: 'ingest-1',
  signature: 'A'.repeat(86),
};

function headersFor(secrets: Uint8Array[], at = new Date()) {
  const body = webhookBody(envelope);
  return {
    body,
    headers: webhookHeaders({ messageId: 'msg_1', timestamp: at, body, secrets, correlationId: 'corr-1' }),
  };
}

describe('webhook signatures', () => {
  test('verify with the standardwebhooks library, using the secret as the subscriber was given it', () => {
    const secret = generateSecret();
    const { body, headers } = headersFor([secret]);
    const payload = new Webhook(formatSecret(secret)).verify(body, headers);
    expect(payload).toEqual({
      id: 'evt-1',
      type: 'order.created',
      timestamp: '2026-11-28T10:00:00.000Z',
      subject: 'order/42',
      data: { total: 42, note: 'caf\u00e9 \u2713' },
    });
  });

  test('carry the Standard Webhooks headers, a JSON content type and the correlation id', () => {
    const at = new Date('2026-11-28T10:00:05.900Z');
    const { headers } = headersFor([generateSecret()], at);
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1795860005',
      'x-correlation-id': 'corr-1',
    });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  test('the internal envelope signature never reaches the subscriber', () => {
    const body = webhookBody(envelope);
    expect(body).not.toContain(envelope.signature);
    expect(body).not.toContain('signaturekeyid');
    expect(body).not.toContain('tenantid');
  });

  test('during a rotation both secrets sign, and either one verifies', () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    const { body, headers } = headersFor([current, previous]);
    const signatures = headers['webhook-signature']!.split(' ');
    expect(signatures).toHaveLength(2);
    expect(() => new Webhook(formatSecret(current)).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(formatSecret(previous)).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(formatSecret(generateSecret())).verify(body, headers)).toThrow(
      'No matching signature found',
    );
  });

  test('a changed body, id or timestamp does not verify', () => {
    const secret = generateSecret();
    const { body, headers } = headersFor([secret]);
    const hook = new Webhook(formatSecret(secret));
    expect(() => hook.verify(body.replace('42', '43'), headers)).toThrow();
    expect(() => hook.verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow();
    const later = String(Number(headers['webhook-timestamp']) + 1);
    expect(() => hook.verify(body, { ...headers, 'webhook-timestamp': later })).toThrow();
  });

  test('signing without a secret is an error, not an unsigned webhook', () => {
    expect(() => signatureHeader('msg_1', new Date(), '{}', [])).toThrow('No active signing secret');
  });
});
