import { describe, expect, test } from '@jest/globals';
import type { ErasureRequestedDetail } from '@herald/shared/contracts/tenant-data';
import { orderLine } from '../../src/ordering/subject-order';
import { notificationsSteps, type TenantTables } from '../../src/tenant-data/steps';

type Item = Record<string, unknown>;

/** Both tables as sorted maps of one partition each, paged two items at a time. */
function tables(items: { subscriptions: Item[]; deliveries: Item[] }): TenantTables & { left: typeof items } {
  const left = { subscriptions: [...items.subscriptions], deliveries: [...items.deliveries] };
  return {
    left,
    async page(table, _tenantId, prefix, _attributes, cursor) {
      const all = left[table]
        .filter((item) => prefix === undefined || String(item.sk).startsWith(prefix))
        .sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1)); // by code unit, as DynamoDB and the cursor
      const after = cursor === undefined ? all : all.filter((item) => String(item.sk) > cursor);
      const page = after.slice(0, 2);
      return { items: page, ...(after.length > 2 ? { cursor: String(page.at(-1)!.sk) } : {}) };
    },
    async envelopes(_tenantId, sortKeys) {
      return new Map(
        left.deliveries.filter((i) => sortKeys.includes(String(i.sk))).map((i) => [String(i.sk), i]),
      );
    },
    async delete(table, gone) {
      const keys = new Set(gone.map((item) => String(item.sk)));
      left[table] = left[table].filter((item) => !keys.has(String(item.sk)));
      return gone.length;
    },
  };
}

const envelope = (id: string, subject?: string) =>
  JSON.stringify({ id, type: 'order.created', ...(subject ? { subject } : {}), data: {} });
const stored = () => ({
  subscriptions: [
    {
      sk: 'SUB#sub_1',
      id: 'sub_1',
      url: 'https://example.com',
      secrets: ['encrypted'],
      headers: { 'x-key': { ciphertext: 'c' } },
    },
    { sk: 'USAGE', version: 1 },
  ],
  deliveries: [
    { sk: 'EVT#2026-12-01T10:00:00Z#e1', envelope: envelope('e1', 'users/1') },
    { sk: 'EVT#2026-12-01T10:00:01Z#e2', envelope: envelope('e2', 'users/2') },
    { sk: 'EVT#2026-12-01T10:00:02Z#e3', envelope: envelope('e3') },
    { sk: 'DLV#msg_A', eventId: 'e1', eventKey: 'EVT#2026-12-01T10:00:00Z#e1', attempts: [], claimUntil: 1 },
    { sk: 'DLV#msg_B', eventId: 'e2', eventKey: 'EVT#2026-12-01T10:00:01Z#e2', attempts: [] },
    { sk: 'DLV#msg_C', eventId: 'e3', eventKey: 'EVT#2026-12-01T10:00:02Z#e3', attempts: [] },
    { sk: 'STATS#M#2026-12-01T10:00', delivered: 3 },
  ],
});

async function run(
  steps: ReturnType<typeof notificationsSteps>['erasureSteps'],
  request: ErasureRequestedDetail,
) {
  const counts: Record<string, number> = {};
  for (const step of steps) {
    let cursor: string | undefined;
    do {
      const page = await step.page(request, cursor);
      counts[step.name] = (counts[step.name] ?? 0) + page.erased;
      cursor = page.cursor;
    } while (cursor !== undefined);
  }
  return counts;
}

const request = (scope: 'tenant' | 'subject', subject?: string): ErasureRequestedDetail => ({
  requestId: 'era_1',
  tenantId: 'acme',
  scope,
  ...(subject ? { subject } : {}),
  time: '2026-12-01T17:00:00Z',
});

describe("notifications' tenant data steps", () => {
  test("a subject's erasure takes its events' deliveries and envelopes, and nothing else", async () => {
    const t = tables(stored());
    const steps = notificationsSteps(t).erasureSteps;
    expect(await run(steps, request('subject', 'users/1'))).toEqual({
      subscriptions: 0,
      ordering: 0,
      deliveries: 1,
      events: 1,
    });
    expect(t.left.deliveries.map((i) => i.sk)).not.toContain('DLV#msg_A');
    expect(t.left.deliveries.map((i) => i.sk)).not.toContain('EVT#2026-12-01T10:00:00Z#e1');
    expect(t.left.deliveries).toHaveLength(5);
    expect(t.left.subscriptions).toHaveLength(2);
    // Again: nothing more.
    expect(await run(steps, request('subject', 'users/1'))).toEqual({
      subscriptions: 0,
      ordering: 0,
      deliveries: 0,
      events: 0,
    });
  });

  test("a subject's erasure takes its ordering lines (heads and marks), found by the current line or a waiting mark's envelope", async () => {
    const since = '2026-12-01T09:00:00.000Z';
    const earlier = '2026-11-01T09:00:00.000Z';
    const mine = orderLine(since, 'users/1');
    const mineBefore = orderLine(earlier, 'users/1');
    const theirs = orderLine(since, 'users/2');
    const seq = (n: number) => String(n).padStart(16, '0');
    const task = (eventId: string, inline?: string) =>
      JSON.stringify({
        eventId,
        eventKey: `EVT#2026-12-01T10:00:00Z#${eventId}`,
        ...(inline ? { envelope: { id: eventId, subject: inline } } : {}),
      });
    const data = stored();
    data.subscriptions.push({ sk: 'SUB#sub_2', id: 'sub_2', orderedSince: since } as never);
    data.deliveries.push(
      // The current line: head, a skip mark, a waiting mark (the envelope inline).
      { sk: `ORDER#sub_2#${mine}`, head: 3 } as never,
      { sk: `ORDER#sub_2#${mine}#${seq(4)}`, state: 'skip' } as never,
      { sk: `ORDER#sub_2#${mine}#${seq(5)}`, state: 'waiting', task: task('e9', 'users/1') } as never,
      // A line of an earlier orderedSince: known by its waiting mark's kept envelope (e1 is users/1).
      { sk: `ORDER#sub_2#${mineBefore}`, head: 1 } as never,
      { sk: `ORDER#sub_2#${mineBefore}#${seq(2)}`, state: 'waiting', task: task('e1') } as never,
      { sk: `ORDER#sub_2#${mineBefore}#${seq(3)}`, state: 'skip' } as never,
      // Another subject's line stays.
      { sk: `ORDER#sub_2#${theirs}`, head: 1 } as never,
      { sk: `ORDER#sub_2#${theirs}#${seq(2)}`, state: 'waiting', task: task('e2') } as never,
    );
    const t = tables(data);
    const counts = await run(notificationsSteps(t).erasureSteps, request('subject', 'users/1'));
    expect(counts).toMatchObject({ ordering: 6, deliveries: 1, events: 1 });
    const left = t.left.deliveries.map((i) => String(i.sk)).filter((sk) => sk.startsWith('ORDER#'));
    expect(left).toEqual([`ORDER#sub_2#${theirs}`, `ORDER#sub_2#${theirs}#${seq(2)}`]);
    expect(JSON.stringify(t.left)).not.toContain('users/1');
  });

  test("a whole tenant's erasure empties both partitions", async () => {
    const t = tables(stored());
    expect(await run(notificationsSteps(t).erasureSteps, request('tenant'))).toEqual({
      subscriptions: 2,
      ordering: 0,
      deliveries: 7,
      events: 0,
    });
    expect(t.left).toEqual({ subscriptions: [], deliveries: [] });
  });

  test('an export shows subscriptions as the API does, without secrets, and deliveries without claims', async () => {
    const t = tables(stored());
    const [subscriptions, deliveries] = notificationsSteps(t).exportSteps;
    const first = await subscriptions!.page(
      { exportId: 'x', tenantId: 'acme', bucket: 'b', prefix: 'p/', time: '' },
      undefined,
    );
    expect(first.lines.join('\n')).not.toContain('encrypted');
    expect(first.lines.join('\n')).not.toContain('ciphertext');
    expect(JSON.parse(first.lines[0]!)).toMatchObject({
      id: 'sub_1',
      headers: { 'x-key': { secret: true } },
    });
    const page = await deliveries!.page(
      { exportId: 'x', tenantId: 'acme', bucket: 'b', prefix: 'p/', time: '' },
      undefined,
    );
    expect(JSON.parse(page.lines[0]!)).toEqual({
      eventId: 'e1',
      eventKey: 'EVT#2026-12-01T10:00:00Z#e1',
      attempts: [],
    });
  });
});
