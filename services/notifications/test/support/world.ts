/**
 * A small notifications world in memory: subscriptions made through the API logic, events fanned
 * out by dispatch, tasks run by deliver against a scripted receiver, on a clock the test moves.
 */
import type { Envelope } from '@herald/shared/contracts';
import { deliverTask } from '../../src/delivery/pipeline';
import type {
  AttemptResult,
  DeliverConfig,
  DeliverDeps,
  WebhookRequest,
  WebhookSender,
} from '../../src/delivery/ports';
import { webhookChannel } from '../../src/delivery/webhook-channel';
import { dispatchMessage } from '../../src/fan-out/dispatch';
import type { DispatchDeps } from '../../src/fan-out/ports';
import type { Lane } from '../../src/model/lanes';
import type { CreateSubscriptionBody } from '../../src/schemas/create-subscription.types.generated';
import { createSubscription } from '../../src/subscriptions/create';
import type { SubscriptionDeps } from '../../src/subscriptions/ports';
import {
  envelopeKeys,
  memoryCipher,
  MemoryBus,
  MemoryDeliveries,
  MemoryOutcomes,
  MemoryQueues,
  MemorySubscriptions,
  silentLog,
  type QueuedTask,
} from './memory';
import { MemorySlots, MemoryTenantUsage } from './memory-limits';
import { MemorySubjectOrder } from './memory-subject-order';

export function world(config: Partial<DeliverConfig> = {}) {
  const subscriptions = new MemorySubscriptions();
  const deliveries = new MemoryDeliveries(subscriptions);
  const queues = new MemoryQueues();
  const bus = new MemoryBus();
  const outcomes = new MemoryOutcomes();
  const usage = new MemoryTenantUsage(subscriptions);
  const slots = new MemorySlots(subscriptions);
  const order = new MemorySubjectOrder();
  const rateLimits = { default: 50, max: 500 };
  const keys = envelopeKeys();
  // Real time, so the Standard Webhooks verifier's timestamp tolerance holds; tests move it on.
  let clock = Date.now();
  const now = () => new Date(clock);
  const requests: WebhookRequest[] = [];
  const answers: AttemptResult[] = [];
  // Requests the receiver answers only when the test says so, oldest first.
  const held: Promise<void>[] = [];
  let ids = 0;

  const sender: WebhookSender = {
    async post(request) {
      requests.push(request);
      await held.shift();
      const answer = answers.shift() ?? { statusCode: 200, durationMs: 5, responseBody: '{"ok":true}' };
      clock += answer.durationMs;
      return answer;
    },
  };

  const subscriptionDeps: SubscriptionDeps = {
    repository: subscriptions,
    cipher: memoryCipher,
    resolver: { resolve: async () => ['93.184.216.34'] },
    targets: { allowHttp: false, allowLoopback: false, ports: [443] },
    now,
    newId: () => `sub_${String(++ids).padStart(26, '0')}`,
    graceSeconds: 3600,
    quota: usage,
    tenantLimits: { subscriptions: 100, concurrentReplays: 5 },
    rateLimits,
    maxTimeoutSeconds: 20,
  };

  const deliverDeps = (lane: Lane = 'fast'): DeliverDeps => ({
    store: deliveries,
    subscriptions,
    health: subscriptions,
    events: deliveries,
    verifier: keys.verifier,
    queue: queues,
    bus,
    channel: webhookChannel({ sender, cipher: memoryCipher, timeoutMs: 1000, maxTimeoutMs: 20_000 }),
    outcomes,
    slots,
    order,
    config: {
      schedule: [0, 5, 300, 3600],
      lane,
      leaseMs: 60_000,
      slowThresholdMs: 1000,
      disableAfterMs: 0,
      disableAfterFailures: 0,
      rateLimits,
      ...config,
    },
    now,
    random: () => 0.5,
    // Waiting for a delivery slot moves the test's clock on.
    sleep: async (ms) => {
      clock += ms;
    },
    log: silentLog,
  });

  const dispatchDeps: DispatchDeps = {
    verifier: keys.verifier,
    events: deliveries,
    subscriptions,
    held: deliveries,
    queue: queues,
    replays: usage,
    order,
    retentionDays: 30,
    now,
  };

  return {
    subscriptions,
    deliveries,
    queues,
    bus,
    outcomes,
    usage,
    slots,
    order,
    keys,
    requests,
    answers,
    now,
    subscriptionDeps,
    dispatchDeps,
    deliverDeps,
    advance(seconds: number) {
      clock += seconds * 1000;
    },
    /** The next request is answered only once the function returned is called, in real time. */
    holdNextAnswer(): () => void {
      let release!: () => void;
      held.push(new Promise<void>((resolve) => (release = resolve)));
      return release;
    },
    async subscribe(input: Partial<CreateSubscriptionBody> = {}, tenantId = 'acme') {
      return createSubscription(
        tenantId,
        { url: 'https://hooks.example.com/herald', eventTypes: ['order.*'], ...input },
        subscriptionDeps,
      );
    },
    /**
     * The bus event processing would publish for this envelope, through dispatch; with `sequence`,
     * its subject's sequence number beside it, and when the subject's previous event was stored
     * (`previousTime`, by default now for any but the first).
     */
    async publish(envelope: Envelope, sequence?: number, previousTime?: string) {
      const previous =
        previousTime ?? (sequence !== undefined && sequence > 1 ? now().toISOString() : undefined);
      const body = JSON.stringify({
        version: '0',
        id: `bus-${envelope.id}`,
        source: 'herald.processing',
        'detail-type': 'event.stored',
        account: '000000000000',
        time: now().toISOString().replace('.000Z', 'Z'),
        region: 'us-east-1',
        resources: [],
        detail:
          sequence === undefined
            ? envelope
            : { ...envelope, sequence, ...(previous === undefined ? {} : { previoustime: previous }) },
      });
      return dispatchMessage(body, dispatchDeps);
    },
    /** Receives the oldest queued task and runs deliver on it, as the poller of its lane would. */
    async run(queued?: QueuedTask) {
      const next = queued ?? queues.take();
      return deliverTask(next.task, next.messageId, deliverDeps(next.lane === 'email' ? 'email' : next.lane));
    },
  };
}
