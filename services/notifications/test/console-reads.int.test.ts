/**
 * The console's reads on the local cloud (real DynamoDB Local and its stream, the functions in
 * their containers, every call judged by IAM, every answer by the OpenAPI document): a tenant's
 * events reach three subscriptions, one refusing them (400, failed at once), one failing once (503)
 * then taking them, one taking them; then the overview counts them from the deliveries table's
 * stream, an event's deliveries list one per subscription, and a replay's dry run counts exactly the
 * stored events it would send.
 */
import { describe, expect, test, beforeAll } from '@jest/globals';
import {
  eventually,
  publishStored,
  receivedAtLeast,
  signedEvent,
  tenantApi,
  webhookSubscription,
  type ApiResponse,
} from './support/cloud';

const unique = () => `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

interface OverviewBody {
  events: { dispatched: number };
  deliveries: { succeeded: number; failed: number; retrying: number };
  latencyMs: { count: number; p50?: number; p99?: number };
  series: Array<{ start: string; succeeded: number; failed: number }>;
  subscriptions: Array<{
    id: string;
    health: string;
    succeeded: number;
    failed: number;
    consecutiveFailures: number;
  }>;
}

const tenant = `it-console-${unique()}`;
const api = tenantApi(tenant);
const started = new Date(Date.now() - 1000).toISOString();
const subscriptions: Record<'ok' | 'refusing' | 'flaky', { id: string; name: string }> = {} as never;
const events = [0, 1, 2].map((n) => signedEvent(tenant, 'order.created', { n }));
const other = signedEvent(tenant, 'invoice.sent', {});

/** The deliveries of a subscription once all three events are final there. */
async function finalDeliveries(id: string) {
  return eventually(
    async () => {
      const page = await api('GET', `/v1/subscriptions/${id}/deliveries?limit=20`);
      const items = (page.body.items ?? []) as Array<{
        eventId: string;
        status: string;
        attempts: Array<{ at: string; durationMs: number; outcome: string }>;
      }>;
      return items.length === 3 && items.every((d) => d.status === 'succeeded' || d.status === 'failed')
        ? items
        : undefined;
    },
    40_000,
    `three final deliveries for ${id}`,
  );
}

function overview(window: '1h' | '24h', as: (method: string, path: string) => Promise<ApiResponse> = api) {
  return as('GET', `/v1/stats?window=${window}`);
}

beforeAll(async () => {
  const [ok, refusing, flaky] = await Promise.all([
    webhookSubscription(api, 'console-ok', ['order.*']),
    webhookSubscription(api, 'console-refusing', ['order.*'], { status: 400 }),
    webhookSubscription(api, 'console-flaky', ['order.*'], { failTimes: 1, status: 503 }),
  ]);
  Object.assign(subscriptions, { ok, refusing, flaky });
  await publishStored(...events, other);
  await receivedAtLeast(ok.name, 3, 30_000);
  await Promise.all([ok, refusing, flaky].map((s) => finalDeliveries(s.id)));
}, 90_000);

describe("the console's reads on the local cloud", () => {
  test('the overview counts what was stored and delivered, from the stream, failing subscriptions first', async () => {
    const body = await eventually(
      async () => {
        const answer = await overview('1h');
        expect(answer.status).toBe(200);
        const stats = answer.body as unknown as OverviewBody;
        // Four events, and Herald's own four about their deliveries (herald.delivery.failed for each
        // of the refusing subscription's, herald.subscription.recovered for the flaky one's retry):
        // events of the tenant too, which no subscription here names.
        return stats.deliveries.succeeded === 6 &&
          stats.deliveries.failed === 3 &&
          stats.events.dispatched === 8
          ? stats
          : undefined;
      },
      30_000,
      'the overview to count every outcome',
    );
    expect(body.deliveries).toEqual({ succeeded: 6, failed: 3, retrying: 0 });
    expect(body.series).toHaveLength(60);
    expect(body.series.reduce((sum, b) => sum + b.succeeded, 0)).toBe(6);
    expect(body.series.reduce((sum, b) => sum + b.failed, 0)).toBe(3);

    // Latency: the six successes, from the bus time (the event's stored time, whole seconds at most
    // before its signing time here) to the end of the attempt that delivered it.
    const delivered = (
      await Promise.all([subscriptions.ok.id, subscriptions.flaky.id].map((id) => finalDeliveries(id)))
    ).flat();
    const ends = delivered.map((d) => {
      const last = d.attempts.at(-1)!;
      return Date.parse(last.at) + last.durationMs;
    });
    const signedAt = Math.min(...events.map((e) => Date.parse(e.time)));
    const longest = Math.max(...ends) - signedAt + 1000;
    expect(body.latencyMs.count).toBe(6);
    expect(body.latencyMs.p50).toBeGreaterThan(0);
    expect(body.latencyMs.p50!).toBeLessThanOrEqual(body.latencyMs.p99!);
    expect(body.latencyMs.p99!).toBeLessThanOrEqual(longest * 1.1);

    const rows = body.subscriptions;
    expect(rows.map((r) => r.id)).toEqual([
      subscriptions.refusing.id,
      // Healthy ones, by id.
      ...[subscriptions.ok.id, subscriptions.flaky.id].sort(),
    ]);
    expect(rows[0]).toMatchObject({ health: 'failing', failed: 3, succeeded: 0, consecutiveFailures: 3 });
    expect(rows.find((r) => r.id === subscriptions.flaky.id)).toMatchObject({
      health: 'healthy',
      succeeded: 3,
      failed: 0,
    });

    const day = (await overview('24h')).body as unknown as OverviewBody;
    expect(day.series).toHaveLength(24);
    expect(day.deliveries).toEqual(body.deliveries);
    expect(day.events).toEqual(body.events);
  });

  test('another tenant sees zeros', async () => {
    const stranger = tenantApi(`it-console-other-${unique()}`);
    const answer = await overview('1h', stranger);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      events: { dispatched: 0 },
      deliveries: { succeeded: 0, failed: 0, retrying: 0 },
      latencyMs: { count: 0 },
      subscriptions: [],
    });
  });

  test("an event's deliveries: one per subscription it reached; none for another tenant or an unknown id", async () => {
    // The flaky receiver refuses the first webhook it gets, whichever event that is (the three
    // events travel side by side): the event to look at is the one whose flaky delivery took two.
    const flaky = await finalDeliveries(subscriptions.flaky.id);
    const retried = flaky.find((d) => d.attempts.length === 2);
    const event = events.find((e) => e.id === retried?.eventId)!;
    expect(event).toBeDefined();
    const answer = await api('GET', `/v1/events/${event.id}/deliveries`);
    expect(answer.status).toBe(200);
    const items = answer.body.items as Array<{ subscriptionId: string; status: string; attempts: unknown[] }>;
    expect(items.map((d) => d.subscriptionId).sort()).toEqual(
      [subscriptions.ok.id, subscriptions.refusing.id, subscriptions.flaky.id].sort(),
    );
    const status = Object.fromEntries(items.map((d) => [d.subscriptionId, [d.status, d.attempts.length]]));
    expect(status[subscriptions.refusing.id]).toEqual(['failed', 1]);
    expect(status[subscriptions.flaky.id]).toEqual(['succeeded', 2]);

    expect((await api('GET', `/v1/events/${other.id}/deliveries`)).body.items).toEqual([]);
    expect((await api('GET', '/v1/events/evt-never-sent/deliveries')).body).toEqual({
      eventId: 'evt-never-sent',
      items: [],
    });
    const stranger = tenantApi(`it-console-other-${unique()}`);
    expect((await stranger('GET', `/v1/events/${event.id}/deliveries`)).body.items).toEqual([]);
    const invalid = await api('GET', `/v1/events/${encodeURIComponent('not an id!')}/deliveries`);
    expect(invalid.status).toBe(422);
    expect(invalid.contentType).toContain('application/problem+json');
  });

  test("a replay's dry run counts exactly the stored events it would send, and starts nothing", async () => {
    const window = { since: started, dryRun: true };
    const answer = await api('POST', `/v1/subscriptions/${subscriptions.ok.id}/replay`, window);
    expect(answer.status).toBe(200);
    // Three order.created; the invoice.sent is not for this subscription.
    expect(answer.body).toMatchObject({ dryRun: true, events: 3, since: started });
    const none = await api('POST', `/v1/subscriptions/${subscriptions.ok.id}/replay`, {
      since: new Date(Date.now() - 10 * 3600_000).toISOString(),
      until: new Date(Date.now() - 9 * 3600_000).toISOString(),
      dryRun: true,
    });
    expect(none.body).toMatchObject({ events: 0 });
    // Same window checks as a replay.
    const tooLong = await api('POST', `/v1/subscriptions/${subscriptions.ok.id}/replay`, {
      since: new Date(Date.now() - 13 * 3600_000).toISOString(),
      dryRun: true,
    });
    expect(tooLong.status).toBe(422);
    // Nothing started: a real replay is admitted (one runs at a time per subscription).
    const replay = await api('POST', `/v1/subscriptions/${subscriptions.ok.id}/replay`, { since: started });
    expect(replay.status).toBe(202);
  });
});
