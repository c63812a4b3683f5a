/**
 * The claim on a delivery as one conditional DynamoDB update (see delivery/claim.ts for what it
 * guarantees): a task that starts a run creates the delivery or starts its next run; a task that
 * continues a run takes the delivery only for the attempt it carries, while no other message holds it.
 */
import type { Claim } from '../delivery/ports';
import type { DeliveryTask } from '../model/delivery-task';
import { subscriptionIndexKey, subscriptionIndexSortKey } from '../model/table-keys';

export interface ClaimExpression {
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

function used<T>(placeholders: Record<string, T>, ...expressions: string[]): Record<string, T> {
  const text = expressions.join(' ');
  return Object.fromEntries(
    Object.entries(placeholders).filter(([name]) => new RegExp(`${name}(?![A-Za-z0-9_])`).test(text)),
  );
}

/** The update and condition claiming `task`'s delivery; `expiresAt` is the item's TTL (epoch seconds). */
export function claimExpression(task: DeliveryTask, claim: Claim, expiresAt: number): ClaimExpression {
  const now = claim.now;
  const names: Record<string, string> = { '#status': 'status', '#run': 'run' };
  const values: Record<string, unknown> = {
    ':me': claim.messageId,
    ':until': now.getTime() + claim.leaseMs,
    ':now': now.getTime(),
    ':updated': now.toISOString(),
    ':pending': 'pending',
    ':expires': expiresAt,
  };
  let update: string;
  let condition: string;
  if (task.start) {
    const created = now.toISOString();
    Object.assign(values, {
      ':sid': task.start.id,
      ':reason': task.start.reason,
      ':zero': 0,
      ':one': 1,
      ':empty': [],
      ':id': task.deliveryId,
      ':tenant': task.tenantId,
      ':subscription': task.subscriptionId,
      ':kind': task.kind,
      ':eventId': task.eventId,
      ':eventType': task.eventType,
      ':eventKey': task.eventKey,
      ':created': created,
      ':gsi1pk': subscriptionIndexKey(task.tenantId, task.subscriptionId),
      ':gsi1sk': subscriptionIndexSortKey(created, task.deliveryId),
    });
    names['#kind'] = 'kind';
    if (task.order) {
      names['#order'] = 'order';
      values[':order'] = task.order;
    }
    update = [
      'SET #run = if_not_exists(#run, :zero) + :one',
      'attemptCount = :zero',
      '#status = :pending',
      'startId = :sid',
      'startReason = :reason',
      'claimMessageId = :me',
      'claimUntil = :until',
      'updatedAt = :updated',
      'expiresAt = :expires',
      'attempts = if_not_exists(attempts, :empty)',
      'id = if_not_exists(id, :id)',
      'tenantId = if_not_exists(tenantId, :tenant)',
      'subscriptionId = if_not_exists(subscriptionId, :subscription)',
      '#kind = if_not_exists(#kind, :kind)',
      'eventId = if_not_exists(eventId, :eventId)',
      'eventType = if_not_exists(eventType, :eventType)',
      'eventKey = if_not_exists(eventKey, :eventKey)',
      'createdAt = if_not_exists(createdAt, :created)',
      'gsi1pk = if_not_exists(gsi1pk, :gsi1pk)',
      'gsi1sk = if_not_exists(gsi1sk, :gsi1sk)',
      // An ordered delivery's place in its subject's order, from the task that created it.
      ...(task.order ? ['#order = if_not_exists(#order, :order)'] : []),
    ].join(', ');
    update += ' REMOVE heldpk, reason, nextAttemptAt, heldUntil';
    if (task.start.reason === 'dispatch') {
      // The first delivery of an event: only if there is none yet (the bus may repeat an event).
      condition = 'attribute_not_exists(pk)';
    } else {
      const held = task.start.reason === 'release' ? ' AND #status = :held' : '';
      if (held) values[':held'] = 'held';
      condition = `attribute_not_exists(pk) OR (startId <> :sid AND (attribute_not_exists(claimUntil) OR claimUntil < :now)${held})`;
    }
  } else {
    values[':run'] = task.run;
    values[':prev'] = task.attempt - 1;
    let owner = 'claimMessageId = :me';
    if (task.forwardedFrom) {
      values[':from'] = task.forwardedFrom;
      owner = 'claimMessageId IN (:me, :from)';
    }
    // A delivery the daily e-mail cap held (status held, with heldUntil) is taken back by its own
    // task when it returns; one held for a paused subscription (no heldUntil) waits for a release.
    values[':held'] = 'held';
    update =
      'SET claimMessageId = :me, claimUntil = :until, updatedAt = :updated, #status = :pending REMOVE heldUntil';
    condition = `#run = :run AND attemptCount = :prev AND (#status = :pending OR (#status = :held AND attribute_exists(heldUntil))) AND (attribute_not_exists(claimUntil) OR claimUntil < :now OR ${owner})`;
  }
  return {
    UpdateExpression: update,
    ConditionExpression: condition,
    // DynamoDB refuses placeholders an expression does not use.
    ExpressionAttributeNames: used(names, update, condition),
    ExpressionAttributeValues: used(values, update, condition),
  };
}
