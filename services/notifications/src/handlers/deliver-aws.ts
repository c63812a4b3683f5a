import type { DeliverDeps } from '../delivery/ports';
import { awsDestinations, deliverDeps, deliveryMetrics } from '../wiring';
import { deliveryQueueHandler } from './delivery-queue';

/** AWS destinations' tasks: its own queue and function, so only it bundles STS, SNS and the rest. */
export const createHandler = (
  deps: () => Omit<DeliverDeps, 'log'>,
  metrics: ReturnType<typeof deliveryMetrics>,
) => deliveryQueueHandler(deps, () => 'aws', metrics);

export const handler = createHandler(() => deliverDeps('aws', awsDestinations()), deliveryMetrics());
