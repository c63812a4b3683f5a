/**
 * A tenant of its own for each end-to-end test, talking to the three services over HTTP as a
 * producer and a subscriber would: one token with every scope, JSON in and out.
 */
import { randomBytes } from 'node:crypto';
import { callService, tokenFor, type Answer, type CallOptions, type Service } from '../../setup/local-cloud';
import { endpointUrl, newEndpoint, setEndpointSecret } from './receiver';

export type { Answer, CallOptions, Service };

const SCOPES = ['events:write', 'events:read', 'subscriptions:read', 'subscriptions:write'];

export interface WebhookSubscription {
  id: string;
  /** The `whsec_…` secret, shown once at creation. */
  secret: string;
  /** The receiver endpoint its webhooks go to. */
  endpoint: string;
}

export interface Tenant {
  id: string;
  call<T = Record<string, unknown>>(
    service: Service,
    method: string,
    path: string,
    options?: CallOptions,
  ): Promise<Answer<T>>;
  /** A webhook subscription to a fresh receiver endpoint that verifies with its secret. */
  subscribeWebhook(eventTypes: string[]): Promise<WebhookSubscription>;
}

export async function newTenant(): Promise<Tenant> {
  const id = `e2e-${randomBytes(6).toString('hex')}`;
  const token = await tokenFor({ tenant: id, scopes: SCOPES });
  const call: Tenant['call'] = (service, method, path, options) =>
    callService(service, token, method, path, options);

  return {
    id,
    call,
    async subscribeWebhook(eventTypes) {
      const endpoint = newEndpoint(id);
      const created = await call<{ id: string; secret: string }>(
        'notifications',
        'POST',
        '/v1/subscriptions',
        {
          body: { url: endpointUrl(endpoint), eventTypes },
        },
      );
      if (created.status !== 201) {
        throw new Error(`subscription refused: ${created.status} ${JSON.stringify(created.body)}`);
      }
      await setEndpointSecret(endpoint, created.body.secret);
      return { id: created.body.id, secret: created.body.secret, endpoint };
    },
  };
}

/** A correlation id of this test's own, to follow one request through every service. */
export const newCorrelationId = () => `e2e-${randomBytes(8).toString('hex')}`;
