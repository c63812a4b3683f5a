/**
 * What notifications keeps of each tenant from the tenants service's events on processing's bus
 * (tenant.suspended / resumed / deleted, tenant.settings_updated): the tenants service's authorizer
 * hands a tenant's status and settings to HTTP functions only; dispatch and the delivery functions run
 * from queues and need their own copy.
 */
import type { TenantSettings } from '@herald/shared/tenants/authorizer-context';
import type { DispatchJob } from '../model/delivery-task';
import type { SubscriptionStatus } from '../model/subscription';

/** The tenant's status as a subscription carries it: `active` again after a resume. */
export type TenantStatus = 'active' | 'suspended' | 'deleted';

export interface TenantStatusStamp {
  status: TenantStatus;
  /** The status change's time (the event's `time`): a change older than the one stamped is ignored. */
  at: string;
}

export interface TenantStateStore {
  /**
   * The tenant's subscriptions, each with its own status (one page at a time, every status; a
   * consistent read, so every subscription created before the tenant's stamp is in it).
   */
  subscriptions(
    tenantId: string,
    after?: Record<string, unknown>,
  ): Promise<{ items: Array<{ id: string; status: SubscriptionStatus }>; next?: Record<string, unknown> }>;
  /**
   * Stamps the tenant's own status on its usage item, under the same conditions as `stamp`, before
   * its subscriptions are stamped: a subscription created from then on carries it (its creation is
   * conditional on the status it read), one created before is in the page read after. True when
   * written; false when a later change is stamped (its own pass stamps the subscriptions).
   */
  stampTenant(tenantId: string, stamp: TenantStatusStamp): Promise<boolean>;
  /**
   * Stamps the subscription with the tenant's status, only if it exists, no later change is stamped
   * on it (`tenantStatusAt` after `stamp.at`; the same time is written again, so a redelivered event
   * finishes what a crash left) and the tenant is not deleted on it (deleted is for good). True when
   * written.
   */
  stamp(tenantId: string, subscriptionId: string, stamp: TenantStatusStamp): Promise<boolean>;
  /** Keeps the settings if none written later are kept (the same rule by `at`); true when written. */
  putSettings(tenantId: string, settings: TenantSettings, at: string): Promise<boolean>;
  /** The tenant's settings as last kept, or undefined when none were ever published. */
  settings(tenantId: string): Promise<TenantSettings | undefined>;
}

export interface TenantStateDeps {
  store: TenantStateStore;
  /** The dispatch queue's jobs: a release per subscription the tenant's resume lets go. */
  jobs: { send(job: DispatchJob, delaySeconds?: number): Promise<void> };
  newId: () => string;
}
