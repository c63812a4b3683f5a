/**
 * A subscription's life after creation: read, delete, pause (deliveries are held) and resume
 * (active again, failure record cleared, held deliveries released).
 */
import { toView, type SubscriptionView } from '../model/subscription';
import { Conflict, NotFound } from '../problems';
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
): Promise<void> {
  if (!(await repository.delete(tenantId, id))) throw new NotFound('subscription');
}

/** Pausing holds deliveries (they wait, nothing is sent) until the subscription is resumed. */
export async function pauseSubscription(
  tenantId: string,
  id: string,
  deps: Pick<SubscriptionDeps, 'repository' | 'now'>,
): Promise<SubscriptionView> {
  const updated = await deps.repository.update(
    tenantId,
    id,
    { set: { status: 'paused', updatedAt: deps.now().toISOString() } },
    { statusIn: ['active', 'paused'] },
  );
  if (updated) return toView(updated);
  const current = await deps.repository.get(tenantId, id);
  if (!current) throw new NotFound('subscription');
  throw new Conflict('subscription-disabled', 'The subscription is disabled; resume it to deliver again');
}

/**
 * Resuming makes a paused or disabled subscription active, clears its failure record, and releases
 * the deliveries held while it was paused (a job, so a long backlog is paged through off the request).
 */
export async function resumeSubscription(
  tenantId: string,
  id: string,
  deps: Pick<SubscriptionDeps, 'repository' | 'now' | 'newId'> & { jobs: JobQueue; correlationId: string },
): Promise<SubscriptionView> {
  const updated = await deps.repository.update(
    tenantId,
    id,
    {
      set: { status: 'active', updatedAt: deps.now().toISOString() },
      remove: [
        'consecutiveFailures',
        'failingSince',
        'disabledAt',
        'disabledReason',
        'disabledByDelivery',
        'slowSince',
      ],
    },
    { statusIn: ['active', 'paused', 'disabled'] },
  );
  if (!updated) throw new NotFound('subscription');
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
