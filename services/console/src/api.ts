/**
 * The console's one way to the APIs: @herald/client with each service's URL from config.json and
 * the session's token asked before every request.
 */
import {
  createHeraldClient,
  HeraldNetworkError,
  HeraldProblem,
  type components,
  type Delivery,
  type FilterTest,
  type FilterTestRequest,
  type HeraldClient,
} from '@herald/client';
import type { ConsoleConfig } from './config';
import type { Stats, StatsWindow } from './lib/stats';

export type DestinationExternalId = components['schemas']['DestinationExternalId'];
export type DestinationTest = components['schemas']['DestinationTest'];

/**
 * @herald/client, and the two AWS-destination routes it has no method for yet (the ExternalId to
 * trust and test connection), called over fetch with the same token and the same errors.
 */
export type Api = HeraldClient & {
  destinations: {
    /** GET /v1/destinations/external-id: what the tenant's destination roles must name. */
    externalId: () => Promise<DestinationExternalId>;
    /** POST /v1/subscriptions/{id}/test: an AWS destination's test connection, run again. */
    test: (subscriptionId: string) => Promise<DestinationTest>;
  };
};

export function createApi(config: ConsoleConfig, getToken: () => string): Api {
  const call = notificationsCall(config.apis.notifications, getToken);
  return {
    ...createHeraldClient({ baseUrls: config.apis, getToken }),
    destinations: {
      externalId: () => call<DestinationExternalId>('GET', '/v1/destinations/external-id'),
      test: (id) => call<DestinationTest>('POST', `/v1/subscriptions/${encodeURIComponent(id)}/test`),
    },
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * One JSON call of the notifications API, answered as the client answers: its 2xx body, a
 * HeraldProblem for any other status (Herald's problem as it is, anything else by its status), a
 * HeraldNetworkError when no answer came.
 */
function notificationsCall(baseUrl: string, getToken: () => string) {
  return async <T>(method: 'GET' | 'POST', path: string): Promise<T> => {
    const url = `${baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${getToken()}`, accept: 'application/json' },
      });
    } catch (error) {
      throw new HeraldNetworkError(method, url, error);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.ok) return body as T;
    if (isRecord(body) && typeof body.type === 'string' && typeof body.title === 'string')
      throw new HeraldProblem(
        { ...body, type: body.type, title: body.title, status: response.status },
        response.headers,
      );
    const title =
      isRecord(body) && typeof body.message === 'string'
        ? body.message
        : response.statusText || `HTTP ${response.status}`;
    throw new HeraldProblem({ type: 'about:blank', title, status: response.status }, response.headers);
  };
}

/** A route this stage of the API does not offer yet: the page says so instead of failing. */
export class NotAvailable extends Error {
  override readonly name = 'NotAvailable';
}

/**
 * The overview, an event's deliveries, a replay's dry run and a filter's test are newer than some stages: a stage
 * without the route answers 404 without a Herald problem type (API Gateway's or serverless-offline's
 * own), which becomes NotAvailable; Herald's own problems are passed on.
 */
async function newer<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof HeraldProblem && error.status === 404 && error.type === 'about:blank')
      throw new NotAvailable(`${what} are not available from this API yet.`);
    throw error;
  }
}

export function getStats(api: Api, window: StatsWindow): Promise<Stats> {
  return newer('Delivery statistics', () => api.overview(window));
}

export async function getEventDeliveries(api: Api, eventId: string): Promise<Delivery[]> {
  return (await newer("An event's deliveries", () => api.deliveries.ofEvent(eventId))).items;
}

/** How many events a replay of the window would send, without starting it. */
export async function countReplay(
  api: Api,
  subscriptionId: string,
  window: { since: string; until?: string },
): Promise<number> {
  return (await newer('Replay counts', () => api.subscriptions.previewReplay(subscriptionId, window))).events;
}

/** Which of the tenant's recent stored events a content filter (and event types) would match. */
export function testFilter(api: Api, request: FilterTestRequest): Promise<FilterTest> {
  return newer('Filter previews', () => api.subscriptions.testFilter(request));
}

/** The ExternalId, role path and principals a destination role must name. */
export function getExternalId(api: Api): Promise<DestinationExternalId> {
  return newer('AWS destinations', () => api.destinations.externalId());
}

/** The public keys URL of a tenant's v1a webhooks (a JSON Web Key Set, served without a token). */
export function webhookKeysUrl(config: ConsoleConfig, tenant: string): string {
  return `${config.apis.notifications}/v1/tenants/${encodeURIComponent(tenant)}/webhook-keys.json`;
}
