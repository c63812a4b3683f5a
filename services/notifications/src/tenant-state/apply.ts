/**
 * A tenant's status and settings, applied from the tenants service's events.
 *
 * Suspending holds the tenant's deliveries exactly as pausing holds a subscription's (no second
 * mechanism): the status is stamped on each of the tenant's subscriptions (`tenantStatus`,
 * `tenantStatusAt`), which dispatch, every delivery function, replays and redeliveries already read
 * for each task; a task of a held tenant is put on hold by the same conditional write as a paused
 * subscription's (delivery/pipeline.ts), and released by the same job. So the hold costs nothing per
 * delivery: no call beyond the subscription read each task makes anyway.
 *
 * Resuming stamps `active` and queues a release job per subscription whose own status lets it send
 * (active): the job pages through its held deliveries, each claimed only while still held, so a
 * release run twice (a redelivered event) sends nothing twice. A subscription paused by its owner
 * stays held until its own resume releases it. Deleting stamps `deleted`, held for good (the
 * tenant's erasure removes the deliveries); nothing later undoes it.
 *
 * The bus and the queue bring events in any order and more than once: each stamp is written only
 * over an older one (by the event's `time`), so the latest change wins whatever the order. The
 * tenant's status is stamped on its usage item first, which every subscription's creation reads and
 * conditions on (subscriptions/create.ts): a subscription created while the authorizer still lets
 * the tenant in (its cache) carries the status too.
 */
import type { TenantSettings } from '@herald/shared/tenants/authorizer-context';
import { RELEASE_DELAY_SECONDS } from '../subscriptions/lifecycle';
import type { TenantStateDeps, TenantStatusStamp } from './ports';

export interface StatusApplied {
  tenantId: string;
  status: TenantStatusStamp['status'];
  /** Subscriptions stamped with this change (fewer than the tenant has when a later one is there). */
  stamped: number;
  /** Release jobs queued (a resume). */
  released: number;
}

export async function applyTenantStatus(
  tenantId: string,
  stamp: TenantStatusStamp,
  correlationId: string,
  deps: TenantStateDeps,
): Promise<StatusApplied> {
  const applied: StatusApplied = { tenantId, status: stamp.status, stamped: 0, released: 0 };
  // The tenant first, then its subscriptions: none created meanwhile escapes the change.
  if (!(await deps.store.stampTenant(tenantId, stamp))) return applied;
  let after: Record<string, unknown> | undefined;
  do {
    const page = await deps.store.subscriptions(tenantId, after);
    for (const subscription of page.items) {
      if (!(await deps.store.stamp(tenantId, subscription.id, stamp))) continue;
      applied.stamped += 1;
      // Released a little later, as a subscription's own resume does: a task being put on hold
      // now (it read the subscription before the stamp) is in the held index by then.
      // Its owner cannot change it while the tenant is refused: the status read with the page holds.
      if (stamp.status === 'active' && subscription.status === 'active') {
        await deps.jobs.send(
          {
            v: 1,
            job: 'release',
            id: deps.newId(),
            tenantId,
            subscriptionId: subscription.id,
            correlationId,
          },
          RELEASE_DELAY_SECONDS,
        );
        applied.released += 1;
      }
    }
    after = page.next;
  } while (after);
  return applied;
}

/** Keeps the tenant's settings, the latest by time; false when a later write is kept already. */
export async function applyTenantSettings(
  tenantId: string,
  settings: TenantSettings,
  at: string,
  deps: Pick<TenantStateDeps, 'store'>,
): Promise<boolean> {
  return deps.store.putSettings(tenantId, settings, at);
}

/** Whether a subscription's tenant holds its deliveries (suspended, or deleted for good). */
export function tenantHolds(subscription: { tenantStatus?: string } | undefined): boolean {
  return subscription?.tenantStatus === 'suspended' || subscription?.tenantStatus === 'deleted';
}
