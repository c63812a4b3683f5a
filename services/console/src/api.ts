/**
 * The console's one way to the APIs: @herald/client with each service's URL from config.json and
 * the session's token asked before every request.
 */
import {
  createHeraldClient,
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

export type Api = HeraldClient;

export function createApi(config: ConsoleConfig, getToken: () => string): Api {
  return createHeraldClient({ baseUrls: config.apis, getToken });
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
