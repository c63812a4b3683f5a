/**
 * What must hold once the fuzz has run and Herald's queues have drained: every event a producer
 * was told was accepted is stored exactly once and delivered with the data it was sent with;
 * nothing refused is stored; every stored event was published (its delivery exists); no delivery
 * record is left without its task (none `pending` with nothing queued, every `succeeded` one
 * matched by a webhook the receiver got).
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
} from '@aws-sdk/client-sqs';
import { awsClients, eventually, localCloud } from '../../setup/local-cloud';
import { drained, pipelineQueues } from '../../e2e/support/barrier';
import { canonicalJson, type Ledger, type TenantKey } from './ledger';
import { call, type FuzzTenant, type FuzzWorld, type Service } from './world';

interface Webhook {
  seq: number;
  endpoint: string;
  headers: Record<string, string>;
  json?: { id?: string; data?: unknown };
  verified?: boolean;
}

/**
 * Keeps every webhook the local receiver records for this run's endpoints, polling it: the
 * receiver itself keeps only its last 1,000 requests.
 */
export class WebhookCollector {
  private readonly seen = new Map<number, Webhook>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly prefix: string) {}

  start(everyMs = 1000): void {
    this.stopped = false;
    const tick = () => {
      // A poll under way when stop() is called must not arm the next one: that timer would keep
      // Jest's process alive after the run.
      if (!this.stopped) this.timer = setTimeout(() => void this.poll().finally(tick), everyMs);
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  async poll(): Promise<void> {
    const response = await fetch(`${localCloud().endpoints.webhooks}/_requests`).catch(() => undefined);
    if (!response?.ok) return;
    for (const request of (await response.json()) as Webhook[])
      if (request.endpoint.startsWith(this.prefix)) this.seen.set(request.seq, request);
  }

  at(endpoint: string): Webhook[] {
    return [...this.seen.values()].filter((w) => w.endpoint === endpoint);
  }

  byWebhookId(): Map<string, Webhook> {
    return new Map([...this.seen.values()].map((w) => [w.headers['webhook-id'] ?? '', w]));
  }
}

async function allPages<T>(token: string, service: Service, path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(token, service, 'GET', `${path}?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    if (page.status !== 200) throw new Error(`GET ${path}: ${page.status} ${JSON.stringify(page.body)}`);
    items.push(...(page.body.items as T[]));
    cursor = page.body.nextCursor as string | undefined;
  } while (cursor);
  return items;
}

interface Delivery {
  id: string;
  eventId: string;
  status: string;
  subscriptionId: string;
}

/** Waits until nothing is queued, delayed or in flight anywhere between ingest and the receivers. */
export async function quiet(timeoutMs = 180_000): Promise<void> {
  const email = localCloud().outputs.notifications.EmailQueueUrl;
  await drained([...pipelineQueues('inbound'), ...(email ? [email] : [])], timeoutMs);
}

export interface ProducerOutcome {
  tenant: TenantKey;
  accepted: number;
  missing: string[];
  notAccepted: string[];
  undelivered: string[];
  wrongData: string[];
  unverified: string[];
  unpublished: string[];
  halfWritten: string[];
}

/** Waits for every accepted event's webhook, then compares the store and the history with the ledger. */
export async function producerOutcome(
  world: FuzzWorld,
  ledger: Ledger,
  webhooks: WebhookCollector,
  tenantKey: TenantKey,
  timeoutMs: number,
): Promise<ProducerOutcome> {
  const tenant: FuzzTenant = world[tenantKey];
  const expected = ledger.ids(tenantKey);
  const delivered = () => new Set(webhooks.at(tenant.subscription.endpoint).map((w) => w.json?.id ?? ''));
  await eventually(
    async () => {
      await webhooks.poll();
      const got = delivered();
      return [...expected.keys()].every((id) => got.has(id)) ? true : undefined;
    },
    timeoutMs,
    `every event accepted for ${tenantKey} delivered`,
  ).catch(() => undefined);
  await quiet();
  await webhooks.poll();

  // Herald's own events about the tenant (herald.upload.completed after a fuzzed upload, notices
  // about failing deliveries) are stored too; the ledger holds what producers sent.
  const stored = new Set(
    (await allPages<{ id: string; type: string }>(tenant.token, 'processing', '/v1/events'))
      .filter((e) => !e.type.startsWith('herald.'))
      .map((e) => e.id),
  );
  const received = webhooks.at(tenant.subscription.endpoint);
  const got = delivered();
  const history = await allPages<Delivery>(
    tenant.token,
    'notifications',
    `/v1/subscriptions/${tenant.subscription.id}/deliveries`,
  );
  const webhookIds = new Set(received.map((w) => w.headers['webhook-id']));
  const deliveredEvents = new Set(history.map((d) => d.eventId));
  return {
    tenant: tenantKey,
    accepted: expected.size,
    missing: [...expected.keys()].filter((id) => !stored.has(id)),
    notAccepted: [...stored].filter((id) => !expected.has(id)),
    undelivered: [...expected.keys()].filter((id) => !got.has(id)),
    wrongData: received
      .filter((w) => {
        const candidates = expected.get(w.json?.id ?? '');
        return candidates !== undefined && !candidates.has(canonicalJson(w.json?.data));
      })
      .map((w) => w.json?.id ?? ''),
    unverified: received.filter((w) => w.verified !== true).map((w) => w.json?.id ?? `seq ${w.seq}`),
    unpublished: [...stored].filter((id) => !deliveredEvents.has(id)),
    halfWritten: history
      .filter((d) => d.status === 'pending' || (d.status === 'succeeded' && !webhookIds.has(d.id)))
      .map((d) => `${d.id} (${d.status}, event ${d.eventId})`),
  };
}

/**
 * A subscriber's deliveries after the routes were fuzzed (replays, redeliveries, pauses,
 * resumes, changed URLs): none left pending with nothing queued, every succeeded webhook delivery
 * matched by a request the receiver recorded.
 */
export async function subscriberHalfWritten(
  tenant: FuzzTenant,
  webhooks: WebhookCollector,
): Promise<string[]> {
  await quiet();
  await webhooks.poll();
  const received = webhooks.byWebhookId();
  const subscriptions = await allPages<{ id: string; kind: string }>(
    tenant.token,
    'notifications',
    '/v1/subscriptions',
  );
  const found: string[] = [];
  for (const subscription of subscriptions) {
    const history = await allPages<Delivery>(
      tenant.token,
      'notifications',
      `/v1/subscriptions/${subscription.id}/deliveries`,
    );
    for (const d of history)
      if (
        d.status === 'pending' ||
        (subscription.kind === 'webhook' && d.status === 'succeeded' && !received.has(d.id))
      )
        found.push(`${subscription.id}/${d.id} (${d.status}, event ${d.eventId})`);
  }
  return found;
}

/** How many messages a queue holds, visible or not: for the dead-letter checks. */
export async function depth(queueUrl: string): Promise<number> {
  const out = await awsClients().sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/**
 * Whatever this run's requests started and then could not finish, found in every dead-letter queue
 * of the stage (a body naming one of the run's tenants), and taken out so it troubles no other
 * test. An accepted request whose work dies on the way (a replay job dispatch cannot read, a task
 * deliver keeps failing) shows here, not in any answer.
 */
export async function strandedLetters(prefix: string): Promise<string[]> {
  const { sqs } = awsClients();
  const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'herald-local', MaxResults: 1000 }));
  const found: string[] = [];
  for (const url of (listed.QueueUrls ?? []).filter((u) => u.endsWith('-dlq'))) {
    for (;;) {
      const out = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 10 }),
      );
      const messages = out.Messages ?? [];
      if (messages.length === 0) break;
      const mine = messages.filter((m) => (m.Body ?? '').includes(prefix));
      for (const m of mine) found.push(`${url.split('/').pop()}: ${(m.Body ?? '').slice(0, 400)}`);
      if (mine.length > 0)
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: url,
            Entries: mine.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
    }
  }
  return found;
}
