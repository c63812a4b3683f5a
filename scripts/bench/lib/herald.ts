/**
 * How a benchmark talks to Herald as a user would: tokens from the local identity provider's key,
 * subscriptions through the notifications API, events through ingest's API.
 */
import { issueToken, loadOrCreateSigningKey, type LocalCloud } from '@herald/local-cloud';

export interface Subscription {
  id: string;
  /** The signing secret (`whsec_...`) the subscriber checks webhooks with. */
  secret: string;
}

export interface SubscriptionRequest {
  url: string;
  eventTypes: string[];
  /** Deliveries per second at most; the stage default (50) when absent, never above its maximum (500). */
  rateLimit?: number;
}

export interface HeraldClient {
  /** A bearer token for the tenant with these scopes (issued once, then reused). */
  token(tenant: string, scopes: string[]): Promise<string>;
  /** Creates a subscription for the tenant, or throws with the API's answer. */
  subscribe(tenant: string, request: SubscriptionRequest): Promise<Subscription>;
  /** ingest's POST /v1/events URL. */
  eventsUrl: string;
}

/** What the client needs of a local cloud, in this process or another (lib/cloud-process.ts). */
export interface CloudAddress {
  endpoints: LocalCloud['endpoints'];
  identity: Pick<LocalCloud['identity'], 'keyDir'>;
}

export async function heraldClient(cloud: CloudAddress): Promise<HeraldClient> {
  const key = await loadOrCreateSigningKey(cloud.identity.keyDir);
  const tokens = new Map<string, Promise<string>>();
  const token = (tenant: string, scopes: string[]) => {
    const cacheKey = `${tenant} ${[...scopes].sort().join(' ')}`;
    let issued = tokens.get(cacheKey);
    if (!issued) {
      issued = issueToken(key.privateKey, key.kid, cloud.endpoints.issuer, { tenant, scopes });
      tokens.set(cacheKey, issued);
    }
    return issued;
  };
  return {
    token,
    eventsUrl: `${cloud.endpoints.services.ingest}/v1/events`,
    async subscribe(tenant, request) {
      const response = await fetch(`${cloud.endpoints.services.notifications}/v1/subscriptions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await token(tenant, ['subscriptions:write'])}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(request),
      });
      if (response.status !== 201)
        throw new Error(`subscription failed: ${response.status} ${await response.text()}`);
      return (await response.json()) as Subscription;
    },
  };
}
