/** What the overview's counters need from outside: the counter items, written and read. */
import type { CounterUpdate } from './aggregate';

/** A counter item as read: its counters and times by attribute name (see COUNTERS). */
export type CounterItem = Record<string, number | string>;

export interface StatsStore {
  /** Applies one item's update (adding to its counters, setting its times). */
  apply(update: CounterUpdate): Promise<void>;
  /** The tenant's counter items whose sort keys are between `from` and `to`, both included. */
  between(tenantId: string, from: string, to: string): Promise<CounterItem[]>;
  /** The tenant's retrying gauge item, if any delivery ever waited for a retry. */
  retrying(tenantId: string): Promise<CounterItem | undefined>;
}

/** A subscription as the overview shows its health (subscriptions/…: delivery/health.ts keeps it). */
export interface SubscriptionHealthView {
  id: string;
  kind: 'webhook' | 'email' | 'aws';
  status: string;
  url?: string;
  email?: string;
  description?: string;
  consecutiveFailures?: number;
  failingSince?: string;
  disabledReason?: string;
}

export interface TenantSubscriptions {
  /** Every subscription of the tenant, all pages. */
  health(tenantId: string): Promise<SubscriptionHealthView[]>;
}
