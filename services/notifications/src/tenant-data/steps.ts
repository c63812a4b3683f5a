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
 * envelopes; the counters hold numbers only and stay. An export writes the subscriptions as the API
 * shows them (no secret, no secret header's value), and the deliveries with their attempts.
 */
import type { ErasureRequestedDetail } from '@herald/shared/contracts/tenant-data';
import type { ErasureStep, ExportStep } from '@herald/shared/tenant-data/job';
import { toView, type ViewSource } from '../model/subscription';
import { DELIVERY_PREFIX, EVENT_PREFIX, SUBSCRIPTION_PREFIX } from '../model/table-keys';

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

  return {
    erasureSteps: [
      {
        name: 'subscriptions',
        page: (request, cursor) =>
          wholeTenant(request) ? erasePartition('subscriptions')(request, cursor) : nothing(),
      },
      {
        // Scope tenant: the whole partition (deliveries, kept envelopes, counters).
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
