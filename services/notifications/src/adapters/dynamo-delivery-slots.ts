/**
 * Delivery slots on the subscription item (`rateSlotAt`, the next free slot in epoch ms), reserved
 * with one conditional update. DynamoDB has no max() in an update, so the two cases of a reservation
 * are two expressions, each guarded by its own condition: while slots are taken ahead of now, the next
 * one is taken and the mark moves on by one interval; once the mark has passed, the slot is now. The
 * caller says which case it expects; the other is tried when the condition says it guessed wrong.
 * Concurrent reservations each get their own slot: the mark only ever moves forward.
 */
import { UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DeliverySlots } from '../delivery/ports';
import { subscriptionSortKey, tenantPartition } from '../model/table-keys';
import { isConditionFailure } from './dynamo-support';

export class DynamoDeliverySlots implements DeliverySlots {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async reserve(
    tenantId: string,
    id: string,
    at: { now: number; intervalMs: number; busy?: boolean; count?: number },
  ): Promise<number | undefined> {
    // `count` slots in a row are one reservation `count` intervals long.
    const span = { now: at.now, intervalMs: at.intervalMs * Math.max(1, at.count ?? 1) };
    // The mark only moves forward, so after one guess of each kind fails the third cannot, unless the
    // subscription is gone.
    const order = at.busy ? [true, false, true] : [false, true, false];
    for (const busy of order) {
      const slot = busy ? await this.next(tenantId, id, span) : await this.now(tenantId, id, span);
      if (slot !== undefined) return slot;
    }
    return undefined;
  }

  /** Slots are taken ahead of now: the next one, moving the mark on by one interval. */
  private async next(tenantId: string, id: string, at: { now: number; intervalMs: number }) {
    const moved = await this.conditionally(tenantId, id, {
      UpdateExpression: 'SET rateSlotAt = rateSlotAt + :interval',
      ConditionExpression: 'rateSlotAt > :now',
      ExpressionAttributeValues: { ':interval': at.intervalMs, ':now': at.now },
      ReturnValues: 'UPDATED_NEW',
    });
    return moved && Number(moved.rateSlotAt) - at.intervalMs;
  }

  /** The mark has passed (or was never set): the slot is now, and the next one an interval later. */
  private async now(tenantId: string, id: string, at: { now: number; intervalMs: number }) {
    const set = await this.conditionally(tenantId, id, {
      UpdateExpression: 'SET rateSlotAt = :next',
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(rateSlotAt) OR rateSlotAt <= :now)',
      ExpressionAttributeValues: { ':next': at.now + at.intervalMs, ':now': at.now },
    });
    return set && at.now;
  }

  /** One conditional update of the subscription: its updated attributes, or undefined if the condition failed. */
  private async conditionally(
    tenantId: string,
    id: string,
    expression: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: tenantPartition(tenantId), sk: subscriptionSortKey(id) },
          ...expression,
        }),
      );
      return out.Attributes ?? {};
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}
