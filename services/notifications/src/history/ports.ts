/** What delivery history and re-sending read: the deliveries and the subscription they belong to. */
import type { AuditEntry } from '@herald/shared/audit';
import type { DeliveryRecord } from '../model/delivery';
import type { IndexPageKey } from '../model/pages';
import type { RunningReplay } from '../model/replays';
import type { SubscriptionKind, SubscriptionStatus } from '../model/subscription';

export interface DeliveryHistory {
  /** Newest first. */
  listBySubscription(
    tenantId: string,
    subscriptionId: string,
    limit: number,
    after?: IndexPageKey,
  ): Promise<{ items: DeliveryRecord[]; next?: IndexPageKey }>;
  get(tenantId: string, deliveryId: string): Promise<DeliveryRecord | undefined>;
}

export interface LookedUpSubscription {
  id: string;
  kind: SubscriptionKind;
  status: SubscriptionStatus;
  slowSince?: string;
}

export interface SubscriptionLookup {
  get(tenantId: string, id: string): Promise<LookedUpSubscription | undefined>;
}

/** The replays recorded as running on the tenant's usage item (see model/replays). */
export interface ReplayRegistry {
  /** The tenant's recorded replays (some may be past their lease), and the version of that record. */
  running(tenantId: string): Promise<{ replays: RunningReplay[]; version: number }>;
  /**
   * Records `replay` as running and drops the records of the `expired` subscriptions, if the record
   * is still at `version`; false if it moved meanwhile.
   */
  start(
    tenantId: string,
    replay: RunningReplay,
    expired: readonly string[],
    version: number,
    /** The start's audit entry, written in the same transaction (the outbox, shared/src/audit.ts). */
    audit?: AuditEntry,
  ): Promise<boolean>;
  /** The replay is over: frees its subscription's record if replay `id` still holds it. */
  finish(tenantId: string, subscriptionId: string, id: string): Promise<void>;
}

/**
 * A change that is no write of ours (a redelivery is a queued task) records its audit entry alone,
 * before the change: an entry already there (the same request again) is no error.
 */
export interface AuditOutbox {
  recordAudit(entry: AuditEntry): Promise<void>;
}
