/**
 * A subscription's life after creation: read, delete, pause (deliveries are held) and resume
 * (active again, failure record cleared, held deliveries released). An e-mail subscription whose
 * address has not confirmed (pending) or has unsubscribed is neither paused nor resumed: 409.
 */
import { toView, type SubscriptionView } from '../model/subscription';
import { Conflict, NotFound } from '../problems';
import type { AuditOf } from '@herald/shared/audit';
import type { JobQueue, SubscriptionDeps, SubscriptionRepository } from './ports';

/** Resuming releases held deliveries a little later, so those being put on hold now are in the index. */
export const RELEASE_DELAY_SECONDS = 2;

export async function getSubscription(
  tenantId: string,
  id: string,
  repository: Pick<SubscriptionRepository, 'get'>,
): Promise<SubscriptionView> {
  const record = await repository.get(tenantId, id);
  if (!record) throw new NotFound('subscription');
  return toView(record);
}

export async function deleteSubscription(
  tenantId: string,
  id: string,
  repository: Pick<SubscriptionRepository, 'delete'>,
  audit?: AuditOf,
  now: Date = new Date(),
): Promise<void> {
  const entry = audit?.({ action: 'subscription.deleted', resource: { type: 'subscription', id } }, now);
  if (!(await repository.delete(tenantId, id, entry))) throw new NotFound('subscription');
}

/** Pausing holds deliveries (they wait, nothing is sent) until the subscription is resumed. */
export async function pauseSubscription(
  tenantId: string,
  id: string,
  deps: Pick<SubscriptionDeps, 'repository' | 'now' | 'audit'>,
): Promise<SubscriptionView> {
  const now = deps.now();
  const updated = await deps.repository.update(
    tenantId,
    id,
    { set: { status: 'paused', updatedAt: now.toISOString() } },
    { statusIn: ['active', 'paused'] },
    deps.audit?.({ action: 'subscription.paused', resource: { type: 'subscription', id } }, now),
  );
  if (updated) return toView(updated);
  const current = await deps.repository.get(tenantId, id);
  if (!current) throw new NotFound('subscription');
  refuseUnconfirmed(current.status);
  throw new Conflict('subscription-disabled', 'The subscription is disabled; resume it to deliver again');
}

/**
 * Pausing and resuming are for subscriptions whose address agreed: a pending one is sent nothing
 * anyway, and resuming must never make an unconfirmed address active (only its link does); an
 * unsubscribed one stays so (a new subscription, confirmed again, sends to it again).
 */
function refuseUnconfirmed(status: string): void {
  if (status === 'pending') {
    throw new Conflict(
      'not-confirmed',
      'The address has not confirmed the subscription yet; it becomes active only through the link in its confirmation mail (resend-confirmation)',
    );
  }
  if (status === 'unsubscribed') {
    throw new Conflict(
      'unsubscribed',
      'The address unsubscribed; only a new subscription, confirmed again, sends to it',
    );
  }
}

/**
 * Resuming makes a paused or disabled subscription active, clears its failure record, and releases
 * the deliveries held while it was paused (a job, so a long backlog is paged through off the request).
 */
export async function resumeSubscription(
  tenantId: string,
  id: string,
  deps: Pick<SubscriptionDeps, 'repository' | 'now' | 'newId' | 'audit'> & {
    jobs: JobQueue;
    correlationId: string;
  },
): Promise<SubscriptionView> {
  const now = deps.now();
  const updated = await deps.repository.update(
    tenantId,
    id,
    {
      set: { status: 'active', updatedAt: now.toISOString() },
      remove: [
        'consecutiveFailures',
        'failingSince',
        'disabledAt',
        'disabledReason',
        'disabledByDelivery',
        'slowSince',
      ],
    },
    // Never pending or unsubscribed: in the same conditional write, so no confirmation is skipped.
    { statusIn: ['active', 'paused', 'disabled'] },
    deps.audit?.({ action: 'subscription.resumed', resource: { type: 'subscription', id } }, now),
  );
  if (!updated) {
    const current = await deps.repository.get(tenantId, id);
    if (!current) throw new NotFound('subscription');
    refuseUnconfirmed(current.status);
    // Changed between the write and the read (deleted and made again cannot happen: ids are new).
    throw new Conflict('concurrent-change', 'The subscription changed meanwhile; try again');
  }
  await deps.jobs.send(
    {
      v: 1,
      job: 'release',
      id: deps.newId(),
      tenantId,
      subscriptionId: id,
      correlationId: deps.correlationId,
    },
    RELEASE_DELAY_SECONDS,
  );
  return toView(updated);
}
