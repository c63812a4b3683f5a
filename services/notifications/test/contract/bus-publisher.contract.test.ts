/**
 * BusPublisher: notifications' events reach the bus from notifications' source with the detail as
 * given, and a detail its consumers would refuse is never published.
 */
import { expect, test } from '@jest/globals';
import {
  deliveryFailedCodec,
  subscriptionDisabledCodec,
  type DeliveryFailedDetail,
  type SubscriptionDisabledDetail,
} from '@herald/shared/contracts';
import { describePort } from '../../../../test/setup/contract';
import { busImplementations, freshEach } from './implementations';

describePort('BusPublisher', busImplementations, (make) => {
  const port = freshEach(make);

  const failed: DeliveryFailedDetail = {
    subscriptionId: 'sub_1',
    tenantid: 'acme',
    eventId: 'evt-1',
    reason: 'every attempt failed',
    time: '2026-11-28T10:00:00.000Z',
  };
  const disabled: SubscriptionDisabledDetail = { ...failed, reason: 'HTTP 410' };

  test('publishes each event from notifications’ source, its detail as given', async () => {
    await port().bus.publish(deliveryFailedCodec, failed);
    await port().bus.publish(subscriptionDisabledCodec, disabled);
    const events = await port().published(2);
    expect([...events].sort((a, b) => (a.detailType < b.detailType ? -1 : 1))).toEqual([
      { source: 'herald.notifications', detailType: 'delivery.failed', detail: failed },
      { source: 'herald.notifications', detailType: 'subscription.disabled', detail: disabled },
    ]);
  });

  test('refuses a detail its consumers would reject, and publishes nothing of it', async () => {
    const tooLong = { ...failed, reason: 'x'.repeat(513) };
    await expect(port().bus.publish(deliveryFailedCodec, tooLong)).rejects.toMatchObject({
      reason: 'schema',
    });
    const unknownField = { ...failed, secret: 'whsec_…' } as DeliveryFailedDetail;
    await expect(port().bus.publish(deliveryFailedCodec, unknownField)).rejects.toMatchObject({
      reason: 'schema',
    });
    // Absence shown by a later event that must arrive: it arrives alone.
    await port().bus.publish(subscriptionDisabledCodec, disabled);
    expect(await port().published(1)).toEqual([
      { source: 'herald.notifications', detailType: 'subscription.disabled', detail: disabled },
    ]);
  });
});
