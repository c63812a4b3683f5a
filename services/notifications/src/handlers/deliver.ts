import { deliverDeps, deliveryMetrics, webhookLaneOf, webhooks } from '../wiring';
import { deliveryQueueHandler } from './delivery-queue';

/**
 * One function for both webhook lanes (its two queues are two event sources, polled apart): the
 * lane a task came from decides whether a slow subscription's task moves to the slow lane.
 */
export const createHandler = deliveryQueueHandler;

export const handler = createHandler(
  (lane) => deliverDeps(lane, webhooks()),
  webhookLaneOf,
  deliveryMetrics(),
);
