/** What processing stored and notifications delivered for a tenant, read through their APIs. */
import { eventually } from '../../setup/local-cloud';
import type { Service, Tenant } from './tenant';

/** An event as processing's read API shows it. */
export interface StoredEvent {
  id: string;
  type: string;
  source: string;
  subject?: string;
  time: string;
  data: unknown;
  correlationId: string;
  receivedAt: string;
  storedAt: string;
}

/** Waits until processing serves the event to its tenant, and returns it. */
export function storedEvent(tenant: Tenant, id: string, timeoutMs = 90_000): Promise<StoredEvent> {
  return eventually(
    async () => {
      const answer = await tenant.call<StoredEvent>(
        'processing',
        'GET',
        `/v1/events/${encodeURIComponent(id)}`,
      );
      return answer.status === 200 ? answer.body : undefined;
    },
    timeoutMs,
    `event ${id} stored`,
  );
}

/** Every item of a paginated list (`{ items, nextCursor? }`), following the cursor to the end. */
async function allPages<T>(tenant: Tenant, service: Service, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const query = `limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await tenant.call<{ items: T[]; nextCursor?: string }>(service, 'GET', `${path}?${query}`);
    if (page.status !== 200) throw new Error(`GET ${path}: ${page.status} ${JSON.stringify(page.body)}`);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

/** Every event processing holds for the tenant, newest first. */
export const storedEvents = (tenant: Tenant) => allPages<StoredEvent>(tenant, 'processing', '/v1/events');

/** A delivery as notifications' history API shows it. */
export interface Delivery {
  id: string;
  eventId: string;
  status: string;
  attempts: Array<{ run: number; attempt: number; outcome: string; statusCode?: number }>;
}

/** The subscription's whole delivery history, newest first. */
export const deliveries = (tenant: Tenant, subscriptionId: string) =>
  allPages<Delivery>(tenant, 'notifications', `/v1/subscriptions/${subscriptionId}/deliveries`);
