/**
 * Key design of the two tables, partitioned by tenant like every Herald table: what a token's
 * tenant can query is that tenant's items and nothing else.
 *
 * subscriptions table:
 *   subscription  pk = TENANT#<t>  sk = SUB#<subscription id>
 *   usage         pk = TENANT#<t>  sk = USAGE   what counts toward the tenant's limits: a version
 *                                               each subscription created moves on, and its
 *                                               running replays
 *   ExternalId    pk = TENANT#<t>  sk = EXTERNALID  the ExternalId Herald assumes the tenant's AWS
 *                                               destination roles with (written once)
 *   settings      pk = TENANT#<t>  sk = SETTINGS    the tenant's settings as the tenants service last
 *                                               published them (tenant.settings_updated), for the
 *                                               queue-driven functions' limits (tenant-state/)
 *
 * deliveries table:
 *   event     pk = TENANT#<t>  sk = EVT#<bus time>#<event id>   the signed envelope, for replay
 *   delivery  pk = TENANT#<t>  sk = DLV#<delivery id>           one event to one subscription,
 *                                                                with its attempts
 *   e-mail day pk = TENANT#<t>  sk = EMAILDAY#<UTC day>            the tenant's mails that day,
 *                                                                under its daily e-mail cap
 *   stats     pk = TENANT#<t>  sk = STATS#M#<UTC minute>        counters of that minute, and of
 *             pk = TENANT#<t>  sk = STATS#H#<UTC hour>          that hour (aggregateStats, from the
 *                                                                table's stream; expire after days)
 *   retrying  pk = TENANT#<t>  sk = STATS#NOW                   deliveries waiting for a retry now
 *   order     pk = TENANT#<t>  sk = ORDER#<sub>#<line>          an ordered subscription's head in one
 *             pk = TENANT#<t>  sk = ORDER#<sub>#<line>#<seq>    subject's order, and a mark per event
 *                                                                (ordering/subject-order.ts)
 *   index bySubscription: gsi1pk = TENANT#<t>#SUB#<id>, gsi1sk = <created at>#<delivery id>
 *   index held (sparse):  heldpk = TENANT#<t>#SUB#<id> while the delivery waits for a resume
 *
 * A delivery's id is derived from (tenant, subscription, event): the same event reaching the same
 * subscription twice (the bus and queues deliver at least once) is the same delivery, and its id is
 * the `webhook-id` the receiver dedupes on.
 */
import { createHash } from 'node:crypto';

export const tenantPartition = (tenantId: string): string => `TENANT#${tenantId}`;
export const subscriptionSortKey = (subscriptionId: string): string => `SUB#${subscriptionId}`;
export const SUBSCRIPTION_PREFIX = 'SUB#';
export const USAGE_SORT_KEY = 'USAGE';
export const EXTERNAL_ID_SORT_KEY = 'EXTERNALID';
export const TENANT_SETTINGS_SORT_KEY = 'SETTINGS';

export const eventSortKey = (busTime: string, eventId: string): string => `EVT#${busTime}#${eventId}`;
export const EVENT_PREFIX = 'EVT#';
export const deliverySortKey = (deliveryId: string): string => `DLV#${deliveryId}`;
export const DELIVERY_PREFIX = 'DLV#';
export const orderHeadSortKey = (subscriptionId: string, line: string): string =>
  `ORDER#${subscriptionId}#${line}`;
/** 16 digits: marks sort by sequence (a safe integer has at most 16). */
export const orderMarkSortKey = (subscriptionId: string, line: string, sequence: number): string =>
  `${orderHeadSortKey(subscriptionId, line)}#${String(sequence).padStart(16, '0')}`;
/** `minute` is `YYYY-MM-DDTHH:MM`, `hour` `YYYY-MM-DDTHH` (UTC): they sort by time. */
export const minuteStatsSortKey = (minute: string): string => `STATS#M#${minute}`;
export const hourStatsSortKey = (hour: string): string => `STATS#H#${hour}`;
export const RETRYING_STATS_SORT_KEY = 'STATS#NOW';
export const emailDaySortKey = (day: string): string => `EMAILDAY#${day}`;
export const subscriptionIndexKey = (tenantId: string, subscriptionId: string): string =>
  `${tenantPartition(tenantId)}#SUB#${subscriptionId}`;
export const subscriptionIndexSortKey = (createdAt: string, deliveryId: string): string =>
  `${createdAt}#${deliveryId}`;

export const BY_SUBSCRIPTION_INDEX = 'bySubscription';
export const HELD_INDEX = 'held';

// Crockford's base32: no I, L, O, U; the same alphabet as ULIDs.
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const DELIVERY_ID = /^msg_[0-9A-HJKMNP-TV-Z]{26}$/;

export function deliveryId(tenantId: string, subscriptionId: string, eventId: string): string {
  const digest = createHash('sha256').update(`${tenantId}\n${subscriptionId}\n${eventId}`).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length === 26) break;
  }
  return `msg_${out}`;
}
