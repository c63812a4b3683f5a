import type { DeliverDeps } from '../delivery/ports';
import { deliveryQueueHandler } from './delivery-queue';
import { deliverDeps, deliveryMetrics, emailCap, emails } from '../wiring';

export const createHandler = (
  deps: () => Omit<DeliverDeps, 'log'>,
  metrics: ReturnType<typeof deliveryMetrics>,
) => deliveryQueueHandler(deps, () => 'email', metrics);

export const handler = createHandler(
  () => ({ ...deliverDeps('email', emails()), emailCap: emailCap() }),
  deliveryMetrics(),
);
