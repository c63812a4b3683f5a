/**
 * The console's one way to the APIs: @herald/client with each service's URL from config.json and
 * the session's token asked before every request.
 */
import { createHeraldClient, type Delivery, type HeraldClient } from '@herald/client';
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

// Routes newer than some deployed APIs: looked up on the client at run time, so the console works
// (with a "not available" state) against a client or stage without them.
type Newer = {
  stats?: (window: StatsWindow) => Promise<Stats>;
  events: { deliveries?: (id: string) => Promise<{ items: Delivery[] } | Delivery[]> };
  subscriptions: {
    replayPreview?: (id: string, window: { since: string; until?: string }) => Promise<{ events: number }>;
  };
};

export async function getStats(api: Api, window: StatsWindow): Promise<Stats> {
  const stats = (api as unknown as Newer).stats;
  if (!stats) throw new NotAvailable('Delivery statistics are not available from this API yet.');
  return stats(window);
}

export async function getEventDeliveries(api: Api, eventId: string): Promise<Delivery[]> {
  const deliveries = (api as unknown as Newer).events.deliveries;
  if (!deliveries) throw new NotAvailable("An event's deliveries are not available from this API yet.");
  const answer = await deliveries(eventId);
  return Array.isArray(answer) ? answer : answer.items;
}

/** How many events a replay of the window would send, without starting it. */
export async function countReplay(
  api: Api,
  subscriptionId: string,
  window: { since: string; until?: string },
): Promise<number> {
  const preview = (api as unknown as Newer).subscriptions.replayPreview;
  if (!preview)
    throw new NotAvailable('Counting a replay before it starts is not available from this API yet.');
  return (await preview(subscriptionId, window)).events;
}
