/**
 * A webhook subscription's custom headers and timeout on the local cloud (KMS, IAM and the
 * functions in their containers): the receiver sees the headers with every attempt, a secret
 * header's value is in no API answer and in no log line the service wrote, and a refused header is
 * a 422 naming it.
 */
import { describe, expect, test } from '@jest/globals';
import { serviceLog } from '../../../test/setup/local-cloud';
import {
  configureEndpoint,
  endpointName,
  endpointUrl,
  publishStored,
  receivedAtLeast,
  signedEvent,
  tenantApi,
} from './support/cloud';

const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
const tenant = `it-headers-${unique()}`;
const api = tenantApi(tenant);
// A value found nowhere else, so its absence from answers and logs means something.
const SECRET = `Bearer it-${unique()}-never-shown`;
// A secret header added by an update (encrypted by updateSubscription, not createSubscription).
const ADDED_SECRET = `key-${unique()}-never-shown`;

describe('custom headers on the local cloud', () => {
  test('the receiver sees them; the secret one is in no answer and no log line', async () => {
    const name = endpointName('headers');
    const created = await api('POST', '/v1/subscriptions', {
      url: endpointUrl(name),
      eventTypes: ['order.*'],
      headers: { Authorization: { value: SECRET, secret: true }, 'X-Team': 'payments' },
      timeoutSeconds: 5,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      headers: { authorization: { secret: true }, 'x-team': 'payments' },
      timeoutSeconds: 5,
    });
    const id = created.body.id as string;
    await configureEndpoint(name, { secret: created.body.secret });

    await publishStored(signedEvent(tenant, 'order.created', { n: 1 }));
    const [request] = await receivedAtLeast(name, 1, 30_000);
    expect(request!.verified).toBe(true);
    expect(request!.headers).toMatchObject({ authorization: SECRET, 'x-team': 'payments' });

    // `{ secret: true }` keeps the stored secret value; a new secret value is encrypted by the update.
    const changed = await api('PATCH', `/v1/subscriptions/${id}`, {
      headers: {
        authorization: { secret: true },
        'x-team': 'risk',
        'x-api-key': { value: ADDED_SECRET, secret: true },
      },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      headers: { authorization: { secret: true }, 'x-team': 'risk', 'x-api-key': { secret: true } },
    });
    await publishStored(signedEvent(tenant, 'order.created', { n: 2 }));
    const both = await receivedAtLeast(name, 2, 30_000);
    expect(both[1]!.headers).toMatchObject({
      authorization: SECRET,
      'x-team': 'risk',
      'x-api-key': ADDED_SECRET,
    });

    const answers = [
      created,
      changed,
      await api('GET', `/v1/subscriptions/${id}`),
      await api('GET', '/v1/subscriptions'),
    ];
    for (const answer of answers) {
      expect(JSON.stringify(answer.body)).not.toContain(SECRET.slice(7));
      expect(JSON.stringify(answer.body)).not.toContain(ADDED_SECRET);
    }
    const log = await serviceLog('notifications');
    expect(log).not.toContain(SECRET.slice(7));
    expect(log).not.toContain(ADDED_SECRET);
  }, 70_000);

  test('a refused header or timeout is a 422 naming it', async () => {
    const refused = await api('POST', '/v1/subscriptions', {
      url: endpointUrl(endpointName('refused')),
      eventTypes: ['order.*'],
      headers: { 'Webhook-Signature': 'v1,forged', 'x-ok': 'fine' },
      timeoutSeconds: 60,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/body/headers/Webhook-Signature' }),
        expect.objectContaining({ pointer: '/body/timeoutSeconds' }),
      ]),
    );
  });
});
