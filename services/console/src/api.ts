/**
 * The console's one way to the APIs: @herald/client with each service's URL from config.json and
 * the session's token asked before every request.
 */
import { createHeraldClient, HeraldProblem, type Delivery, type HeraldClient } from '@herald/client';
import type { ConsoleConfig } from './config';
import type { Stats, StatsWindow } from './lib/stats';

export type Api = HeraldClient;

export function createApi(config: ConsoleConfig, getToken: () => string): Api {
  return createHeraldClient({ baseUrls: config.apis, getToken });
}

/** A route this build of the API does not offer yet: the page says so instead of failing. */
export class NotAvailable extends Error {
  override readonly name = 'NotAvailable';
}

// Routes newer than some clients and stages (the overview, an event's deliveries, a replay's dry
// run): looked up on the client at run time, so the console shows a "not available" state against a
// client without them, and a 404 from a stage without the route says the same.
type Newer = {
  overview?: (window: StatsWindow) => Promise<Stats>;
  deliveries: { ofEvent?: (eventId: string) => Promise<{ items: Delivery[] }> };
  subscriptions: {
    previewReplay?: (id: string, window: { since: string; until?: string }) => Promise<{ events: number }>;
  };
};

async function newer<T>(what: string, call: (() => Promise<T>) | undefined): Promise<T> {
  if (!call) throw new NotAvailable(`${what} are not available from this API yet.`);
  try {
    return await call();
  } catch (error) {
    // A route the stage does not have: API Gateway's (or serverless-offline's) 404 without a problem type.
    if (error instanceof HeraldProblem && error.status === 404 && error.type === 'about:blank')
      throw new NotAvailable(`${what} are not available from this API yet.`);
    throw error;
  }
}

export function getStats(api: Api, window: StatsWindow): Promise<Stats> {
  const { overview } = api as unknown as Newer;
  return newer('Delivery statistics', overview && (() => overview(window)));
}

export async function getEventDeliveries(api: Api, eventId: string): Promise<Delivery[]> {
  const { ofEvent } = (api as unknown as Newer).deliveries;
  return (await newer("An event's deliveries", ofEvent && (() => ofEvent(eventId)))).items;
}

/** How many events a replay of the window would send, without starting it. */
export async function countReplay(
  api: Api,
  subscriptionId: string,
  window: { since: string; until?: string },
): Promise<number> {
  const { previewReplay } = (api as unknown as Newer).subscriptions;
  return (await newer('Replay counts', previewReplay && (() => previewReplay(subscriptionId, window))))
    .events;
}
