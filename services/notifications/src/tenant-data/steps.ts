/**
 * What notifications holds of a tenant, for its export and erasure (the runner is
 * @herald/shared/tenant-data/job). Everything is in the tenant's partition TENANT#<tenant> of its two
 * tables (model/table-keys.ts), and the deliveries table's indexes (bySubscription, held) project
 * from the same items, so deleting an item removes its index entries:
 *
 * - subscriptions table: the subscriptions, with their encrypted signing secrets, v1a keys and
 *   secret headers; the usage item (limits, running replays); the ExternalId.
 * - deliveries table: the envelopes kept for replay (EVT#), the deliveries with their attempts
 *   (DLV#), the e-mail day counters and the overview's counters (STATS#).
 *
 * A whole tenant's erasure deletes both partitions. A subject's erasure deletes the deliveries of
 * the events whose envelope names the subject (a delivery does not carry the subject: its event's
 * envelope is read, so deliveries go first, while the envelopes are still there), then those
 * envelopes; the counters hold numbers only and stay. Per-subject ordering's items (ORDER#, heads and
 * marks, ordering/subject-order.ts) go too, first, while the envelopes are there: a waiting mark holds
 * its delivery task, often with the envelope inline, and a line's key is a digest of the subject. A
 * line is the subject's when it is the subject's line under a subscription's current `orderedSince`,
 * or when one of its waiting marks carries (or points at) an envelope of the subject; then the whole
 * line goes, head and marks. A line of an earlier `orderedSince` with skip marks alone holds numbers
 * only and expires with the events. An export writes the subscriptions as the API
 * shows them (no secret, no secret header's value), and the deliveries with their attempts.
 */
import type { ErasureRequestedDetail } from '@herald/shared/contracts/tenant-data';
import type { ErasureStep, ExportStep } from '@herald/shared/tenant-data/job';
import { toView, type ViewSource } from '../model/subscription';
import { orderLine } from '../ordering/subject-order';
import { DELIVERY_PREFIX, EVENT_PREFIX, SUBSCRIPTION_PREFIX, orderHeadSortKey } from '../model/table-keys';

type Item = Record<string, unknown>;

/** The envelope's `subject`, or undefined for an item without a readable one. */
export function envelopeSubject(item: Item | undefined): string | undefined {
  if (typeof item?.envelope !== 'string') return undefined;
  try {
    const subject = (JSON.parse(item.envelope) as { subject?: unknown }).subject;
    return typeof subject === 'string' ? subject : undefined;
  } catch {
    return undefined;
  }
}

/** What the steps need of the tables: a page of a partition, reads by key, deletes by key. */
export interface TenantTables {
  page(
    table: 'subscriptions' | 'deliveries',
    tenantId: string,
    sortKeyPrefix: string | undefined,
    attributes: readonly string[] | undefined,
    cursor: string | undefined,
  ): Promise<{ items: Item[]; cursor?: string }>;
  /** The kept envelopes with these sort keys (missing ones left out), by sort key. */
  envelopes(tenantId: string, sortKeys: readonly string[]): Promise<Map<string, Item>>;
  delete(table: 'subscriptions' | 'deliveries', items: readonly Item[]): Promise<number>;
}

const wholeTenant = (request: ErasureRequestedDetail) => request.scope === 'tenant';

const ORDER_PREFIX = 'ORDER#';

/** ORDER#<subscription>#<line>[#<sequence>]: the line, and the prefix every item of it shares. */
function orderKey(sk: string): { line: string; prefix: string } {
  const [, subscriptionId = '', line = ''] = sk.split('#');
  return { line, prefix: orderHeadSortKey(subscriptionId, line) };
}

/** A waiting mark's task (its envelope inline, or where it is kept); undefined for heads and skips. */
function waitingTask(item: Item): { envelope?: { subject?: unknown }; eventKey?: string } | undefined {
  if (typeof item.task !== 'string') return undefined;
  try {
    return JSON.parse(item.task) as { envelope?: { subject?: unknown }; eventKey?: string };
  } catch {
    return undefined;
  }
}

export function notificationsSteps(tables: TenantTables): {
  erasureSteps: ErasureStep[];
  exportSteps: ExportStep[];
} {
  const erasePartition = (table: 'subscriptions' | 'deliveries'): ErasureStep['page'] =>
    async function (request, cursor) {
      const page = await tables.page(table, request.tenantId, undefined, [], cursor);
      return { erased: await tables.delete(table, page.items), cursor: page.cursor };
    };
  const nothing = async () => ({ erased: 0 });

  /** The subject's lines under the subscriptions' current `orderedSince`. */
  async function currentLines(tenantId: string, subject: string): Promise<Set<string>> {
    const lines = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await tables.page(
        'subscriptions',
        tenantId,
        SUBSCRIPTION_PREFIX,
        ['orderedSince'],
        cursor,
      );
      for (const item of page.items) {
        if (typeof item.orderedSince === 'string') lines.add(orderLine(item.orderedSince, subject));
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
    return lines;
  }

  /** Every item of one line (its head sorts before its marks, maybe on an earlier page). */
  async function eraseLine(tenantId: string, prefix: string): Promise<number> {
    let erased = 0;
    let cursor: string | undefined;
    do {
      const page = await tables.page('deliveries', tenantId, prefix, [], cursor);
      erased += await tables.delete('deliveries', page.items);
      cursor = page.cursor;
    } while (cursor !== undefined);
    return erased;
  }

  const eraseSubjectOrdering: ErasureStep['page'] = async (request, cursor) => {
    const subject = request.subject!;
    const lines = await currentLines(request.tenantId, subject);
    const page = await tables.page('deliveries', request.tenantId, ORDER_PREFIX, ['task'], cursor);
    const items = page.items.map((item) => ({ item, ...orderKey(String(item.sk)) }));
    const tasks = items.map(({ item }) => waitingTask(item));
    const pointed = tasks.flatMap((task) => (task && !task.envelope && task.eventKey ? [task.eventKey] : []));
    const envelopes = pointed.length > 0 ? await tables.envelopes(request.tenantId, pointed) : new Map();
    const found = new Set<string>();
    items.forEach(({ line, prefix }, i) => {
      const task = tasks[i];
      if (!task || lines.has(line)) return;
      const carried = task.envelope ? task.envelope.subject : envelopeSubject(envelopes.get(task.eventKey!));
      if (carried === subject) found.add(prefix);
    });
    let erased = await tables.delete(
      'deliveries',
      items.filter(({ line, prefix }) => lines.has(line) && !found.has(prefix)).map(({ item }) => item),
    );
    for (const prefix of found) erased += await eraseLine(request.tenantId, prefix);
    return { erased, cursor: page.cursor };
  };

  return {
    erasureSteps: [
      {
        name: 'subscriptions',
        page: (request, cursor) =>
          wholeTenant(request) ? erasePartition('subscriptions')(request, cursor) : nothing(),
      },
      {
        // Scope tenant: nothing more (the deliveries partition holds these items).
        name: 'ordering',
        page: (request, cursor) => (wholeTenant(request) ? nothing() : eraseSubjectOrdering(request, cursor)),
      },
      {
        // Scope tenant: the whole partition (deliveries, kept envelopes, counters, ordering).
        name: 'deliveries',
        async page(request, cursor) {
          if (wholeTenant(request)) return erasePartition('deliveries')(request, cursor);
          const page = await tables.page(
            'deliveries',
            request.tenantId,
            DELIVERY_PREFIX,
            ['eventKey'],
            cursor,
          );
          const keys = [
            ...new Set(page.items.map((item) => item.eventKey).filter((k) => typeof k === 'string')),
          ];
          const envelopes = await tables.envelopes(request.tenantId, keys as string[]);
          const matching = page.items.filter(
            (item) => envelopeSubject(envelopes.get(item.eventKey as string)) === request.subject,
          );
          return { erased: await tables.delete('deliveries', matching), cursor: page.cursor };
        },
      },
      {
        name: 'events',
        async page(request, cursor) {
          if (wholeTenant(request)) return nothing();
          const page = await tables.page('deliveries', request.tenantId, EVENT_PREFIX, ['envelope'], cursor);
          const matching = page.items.filter((item) => envelopeSubject(item) === request.subject);
          return { erased: await tables.delete('deliveries', matching), cursor: page.cursor };
        },
      },
    ],
    exportSteps: [
      {
        name: 'subscriptions',
        async page(request, cursor) {
          const page = await tables.page(
            'subscriptions',
            request.tenantId,
            SUBSCRIPTION_PREFIX,
            undefined,
            cursor,
          );
          // toView keeps the attributes the API shows: no secret, a secret header as { secret: true }.
          return {
            lines: page.items.map((item) => JSON.stringify(toView(item as unknown as ViewSource))),
            cursor: page.cursor,
          };
        },
      },
      {
        name: 'deliveries',
        async page(request, cursor) {
          const page = await tables.page('deliveries', request.tenantId, DELIVERY_PREFIX, undefined, cursor);
          return {
            lines: page.items.map((item) => JSON.stringify(deliveryExport(item))),
            cursor: page.cursor,
          };
        },
      },
    ],
  };
}

/** A delivery and its attempts as exported: its own attributes, without the table's keys and claims. */
export function deliveryExport(item: Item): Item {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _gsi1pk,
    gsi1sk: _gsi1sk,
    heldpk: _heldpk,
    claimMessageId: _claim,
    claimUntil: _until,
    expiresAt: _expires,
    ...delivery
  } = item;
  return delivery;
}
