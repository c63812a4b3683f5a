/**
 * The notifications ports in memory, with the same conditions as the DynamoDB, SQS, KMS and
 * EventBridge adapters, so the logic can be tested without AWS or mocks of its SDK. The port
 * contract suites (test/contract/) run each against its adapter, so neither promises more than the other.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { AuditEntry } from '@herald/shared/audit';
import {
  busEntry,
  type BusCodec,
  type BusDetails,
  type DetailTypeName,
  type Envelope,
} from '@herald/shared/contracts';
import { createEnvelopeSigner, generateSigningKeyPair, createEnvelopeVerifier } from '@herald/shared/signing';
import type {
  BusPublisher,
  Claim,
  DeliveryStore,
  HealthStore,
  HoldWhile,
  OutcomeCounter,
  RecordUpdate,
  SubscriptionHealthState,
  TaskQueue,
} from '../../src/delivery/ports';
import type {
  DispatchQueue,
  DispatchSubscription,
  DispatchSubscriptions,
  EventLog,
  HeldDeliveries,
  HeldDelivery,
  StoredEvent,
} from '../../src/fan-out/ports';
import type { DeliveryHistory } from '../../src/history/ports';
import type { TenantStateStore, TenantStatusStamp } from '../../src/tenant-state/ports';
import type { TenantSettings } from '@herald/shared/tenants/authorizer-context';
import type { DeliveryRecord } from '../../src/model/delivery';
import type { DeliveryTask, DispatchJob } from '../../src/model/delivery-task';
import type { Lane } from '../../src/model/lanes';
import type { IndexPageKey, PageKey } from '../../src/model/pages';
import { toView, type SubscriptionRecord } from '../../src/model/subscription';
import {
  deliverySortKey,
  subscriptionIndexKey,
  subscriptionIndexSortKey,
  subscriptionSortKey,
  tenantPartition,
  RETRYING_STATS_SORT_KEY,
} from '../../src/model/table-keys';
import type {
  SubscriptionChange,
  SubscriptionPage,
  SubscriptionRepository,
  SubscriptionStore,
  UpdateCondition,
} from '../../src/subscriptions/ports';
import type { SecretCipher } from '../../src/subscriptions/signing-secrets';
import type { CounterUpdate } from '../../src/stats/aggregate';
import type { CounterItem, StatsStore, SubscriptionHealthView } from '../../src/stats/ports';

/**
 * One page as a DynamoDB query gives it: the items after the key `after` in key order (whether or not
 * an item still sits at that key), at most `limit`, and the last item's key whenever the page is full:
 * DynamoDB does not look ahead, so a full last page is followed by an empty one.
 */
function queryPage<T>(
  items: readonly T[],
  position: (item: T) => string,
  options: { limit: number; after?: string; descending?: boolean },
): { items: T[]; last?: T } {
  const order = options.descending ? -1 : 1;
  // Binary order, as DynamoDB sorts string keys (not the locale's).
  const compare = (a: string, b: string) => order * (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...items].sort((a, b) => compare(position(a), position(b)));
  const { after } = options;
  const rest = after === undefined ? sorted : sorted.filter((item) => compare(position(item), after) > 0);
  const page = rest.slice(0, options.limit);
  const last = page.length === options.limit ? page.at(-1) : undefined;
  return { items: page, ...(last === undefined ? {} : { last }) };
}

/** DynamoDB refuses a conditional write with ConditionalCheckFailedException. */
function conditionFailure(): Error {
  return Object.assign(new Error('The conditional request failed'), {
    name: 'ConditionalCheckFailedException',
  });
}

type Stored = SubscriptionRecord & { secretsVersion?: number };

export class MemorySubscriptions
  implements SubscriptionRepository, SubscriptionStore, DispatchSubscriptions, HealthStore
{
  readonly items = new Map<string, Stored>();
  /** Audit entries written with the changes they record (the table's outbox items), in order. */
  readonly outbox: AuditEntry[] = [];
  private key = (tenantId: string, id: string) => `${tenantId}|${id}`;

  /** An entry alone (AuditOutbox, the redelivery's): one already there is no error. */
  async recordAudit(entry: AuditEntry): Promise<void> {
    this.recordEntry(entry);
  }

  /** As the outbox item's conditional put: an entry already written cancels its change. */
  recordEntry(audit: AuditEntry | undefined): 'recorded' | 'already' | 'none' {
    if (!audit) return 'none';
    if (this.outbox.some((entry) => entry.tenantId === audit.tenantId && entry.id === audit.id))
      return 'already';
    this.outbox.push(structuredClone(audit));
    return 'recorded';
  }

  put(record: Stored): void {
    this.items.set(this.key(record.tenantId, record.id), structuredClone(record));
  }

  async create(record: Stored): Promise<void> {
    if (this.items.has(this.key(record.tenantId, record.id))) throw conditionFailure();
    this.put(record);
  }

  async get(tenantId: string, id: string): Promise<Stored | undefined> {
    const found = this.items.get(this.key(tenantId, id));
    return found ? structuredClone(found) : undefined;
  }

  async update(
    tenantId: string,
    id: string,
    change: SubscriptionChange,
    condition: UpdateCondition = {},
    audit?: AuditEntry,
  ) {
    const current = this.items.get(this.key(tenantId, id));
    if (!current) return undefined;
    if (condition.kind && current.kind !== condition.kind) return undefined;
    if (condition.statusIn && !condition.statusIn.includes(current.status)) return undefined;
    if (
      condition.secretsVersion !== undefined &&
      (current.secretsVersion ?? 0) !== condition.secretsVersion
    ) {
      return undefined;
    }
    // DynamoDB writes no attribute for an undefined value (the client drops it).
    const set = Object.entries(change.set).filter(([, value]) => value !== undefined);
    const next = { ...current, ...structuredClone(Object.fromEntries(set)) } as Stored;
    for (const name of change.remove ?? []) delete (next as unknown as Record<string, unknown>)[name];
    if (this.recordEntry(audit) === 'already') return structuredClone(current);
    this.items.set(this.key(tenantId, id), next);
    return structuredClone(next);
  }

  async delete(tenantId: string, id: string, audit?: AuditEntry): Promise<boolean> {
    if (!this.items.has(this.key(tenantId, id))) return false;
    this.recordEntry(audit);
    return this.items.delete(this.key(tenantId, id));
  }

  async listByPartition(partition: string, limit: number, after?: PageKey): Promise<SubscriptionPage> {
    const mine = [...this.items.values()].filter((item) => tenantPartition(item.tenantId) === partition);
    const sortKey = (item: Stored) => subscriptionSortKey(item.id);
    const page = queryPage(mine, sortKey, { limit, ...(after ? { after: after.sk } : {}) });
    return {
      items: page.items.map((item) => toView(structuredClone(item))),
      ...(page.last ? { next: { pk: partition, sk: sortKey(page.last) } } : {}),
    };
  }

  async health(tenantId: string): Promise<SubscriptionHealthView[]> {
    return [...this.items.values()]
      .filter((item) => item.tenantId === tenantId)
      .map((item) => {
        const {
          id,
          kind,
          status,
          url,
          email,
          description,
          consecutiveFailures,
          failingSince,
          disabledReason,
        } = item;
        return Object.fromEntries(
          Object.entries({
            id,
            kind,
            status,
            url,
            email,
            description,
            consecutiveFailures,
            failingSince,
            disabledReason,
          }).filter(([, value]) => value !== undefined),
        ) as unknown as SubscriptionHealthView;
      });
  }

  async all(tenantId: string): Promise<DispatchSubscription[]> {
    return [...this.items.values()]
      .filter((item) => item.tenantId === tenantId)
      .map(({ id, kind, eventTypes, filterJson, status, slowSince, ordering, orderedSince }) => ({
        id,
        kind,
        eventTypes,
        ...(filterJson === undefined ? {} : { filterJson }),
        status,
        ...(slowSince ? { slowSince } : {}),
        ...(ordering && orderedSince ? { ordering, orderedSince } : {}),
      }));
  }

  async failed(
    tenantId: string,
    id: string,
    at: { now: Date; slow: boolean },
  ): Promise<SubscriptionHealthState | undefined> {
    const current = this.items.get(this.key(tenantId, id));
    if (!current || current.status !== 'active') return undefined;
    current.consecutiveFailures = (current.consecutiveFailures ?? 0) + 1;
    current.failingSince ??= at.now.toISOString();
    if (at.slow) current.slowSince ??= at.now.toISOString();
    return {
      status: 'active',
      consecutiveFailures: current.consecutiveFailures,
      failingSince: current.failingSince,
    };
  }

  async recovered(tenantId: string, id: string, at: { now: Date; slow: boolean }): Promise<void> {
    const current = this.items.get(this.key(tenantId, id));
    if (!current) return;
    current.consecutiveFailures = 0;
    delete current.failingSince;
    if (at.slow) current.slowSince ??= at.now.toISOString();
    else delete current.slowSince;
  }

  async markSlow(tenantId: string, id: string, now: Date): Promise<void> {
    const current = this.items.get(this.key(tenantId, id));
    if (current) current.slowSince ??= now.toISOString();
  }

  async disable(
    tenantId: string,
    id: string,
    why: { reason: string; deliveryId: string; now: Date },
  ): Promise<boolean> {
    const current = this.items.get(this.key(tenantId, id));
    if (!current || current.status !== 'active') return false;
    Object.assign(current, {
      status: 'disabled',
      disabledAt: why.now.toISOString(),
      disabledReason: why.reason,
      disabledByDelivery: why.deliveryId,
      updatedAt: why.now.toISOString(),
    });
    return true;
  }
}

type StoredDelivery = DeliveryRecord & { heldpk?: string; gsi1pk: string; gsi1sk: string };

/** A delivery as the store gives it out: without its index keys. */
function toRecord(stored: StoredDelivery): DeliveryRecord {
  const { heldpk: _heldpk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, ...record } = structuredClone(stored);
  return record;
}

export class MemoryDeliveries implements DeliveryStore, DeliveryHistory, HeldDeliveries, EventLog {
  readonly deliveries = new Map<string, StoredDelivery>();
  readonly events = new Map<string, StoredEvent>();
  /** Makes the next record() call throw, as a function crashing after its attempt would. */
  failNextRecord = false;

  constructor(private readonly subscriptions: MemorySubscriptions) {}

  private key = (tenantId: string, id: string) => `${tenantId}|${id}`;

  async claim(task: DeliveryTask, claim: Claim): Promise<DeliveryRecord | undefined> {
    const key = this.key(task.tenantId, task.deliveryId);
    const current = this.deliveries.get(key);
    const now = claim.now.getTime();
    const claimFree = (d: StoredDelivery) => d.claimUntil === undefined || d.claimUntil < now;
    if (task.start) {
      if (current) {
        if (task.start.reason === 'dispatch') return undefined;
        if (current.startId === task.start.id || !claimFree(current)) return undefined;
        if (task.start.reason === 'release' && current.status !== 'held') return undefined;
      }
      const created = claim.now.toISOString();
      const next: StoredDelivery = {
        ...(current ?? {
          id: task.deliveryId,
          tenantId: task.tenantId,
          subscriptionId: task.subscriptionId,
          kind: task.kind,
          eventId: task.eventId,
          eventType: task.eventType,
          eventKey: task.eventKey,
          createdAt: created,
          attempts: [],
          ...(task.order ? { order: task.order } : {}),
          gsi1pk: subscriptionIndexKey(task.tenantId, task.subscriptionId),
          gsi1sk: subscriptionIndexSortKey(created, task.deliveryId),
        }),
        run: (current?.run ?? 0) + 1,
        attemptCount: 0,
        status: 'pending',
        startId: task.start.id,
        startReason: task.start.reason,
        claimMessageId: claim.messageId,
        claimUntil: now + claim.leaseMs,
        updatedAt: created,
      } as StoredDelivery;
      delete next.heldpk;
      delete next.reason;
      delete next.nextAttemptAt;
      delete next.heldUntil;
      this.deliveries.set(key, next);
      return toRecord(next);
    }
    if (!current) return undefined;
    const owners = [claim.messageId, ...(task.forwardedFrom ? [task.forwardedFrom] : [])];
    const ok =
      current.run === task.run &&
      current.attemptCount === task.attempt - 1 &&
      (current.status === 'pending' || (current.status === 'held' && current.heldUntil !== undefined)) &&
      (claimFree(current) || owners.includes(current.claimMessageId ?? ''));
    if (!ok) return undefined;
    Object.assign(current, {
      claimMessageId: claim.messageId,
      claimUntil: now + claim.leaseMs,
      updatedAt: claim.now.toISOString(),
      status: 'pending',
    });
    delete current.heldUntil;
    return toRecord(current);
  }

  async get(tenantId: string, deliveryId: string): Promise<DeliveryRecord | undefined> {
    const found = this.deliveries.get(this.key(tenantId, deliveryId));
    return found ? toRecord(found) : undefined;
  }

  /** Off: every first delivery is claimed before its attempt, as a store without recordFirst does. */
  deferFirstClaims = true;

  get recordFirst() {
    return this.deferFirstClaims ? this.createRecorded : undefined;
  }

  private createRecorded = async (
    delivery: DeliveryRecord,
    update: RecordUpdate,
    messageId: string,
  ): Promise<boolean> => {
    if (this.failNextRecord) {
      this.failNextRecord = false;
      throw new Error('DynamoDB unavailable');
    }
    const key = this.key(delivery.tenantId, delivery.id);
    const existing = this.deliveries.get(key);
    // The same record again (a write applied whose answer was lost, sent again) is not a loss.
    const own =
      existing?.claimMessageId === messageId &&
      existing.startId === delivery.startId &&
      existing.attemptCount === update.attemptCount;
    if (existing && !own) return false;
    const stored = {
      ...structuredClone(delivery),
      ...structuredClone(update),
      claimMessageId: messageId,
      gsi1pk: subscriptionIndexKey(delivery.tenantId, delivery.subscriptionId),
      gsi1sk: subscriptionIndexSortKey(delivery.createdAt, delivery.id),
    } as StoredDelivery;
    delete stored.claimUntil;
    this.deliveries.set(key, stored);
    return true;
  };

  async record(delivery: DeliveryRecord, update: RecordUpdate, messageId: string): Promise<boolean> {
    if (this.failNextRecord) {
      this.failNextRecord = false;
      throw new Error('DynamoDB unavailable');
    }
    const current = this.deliveries.get(this.key(delivery.tenantId, delivery.id));
    if (!current || current.claimMessageId !== messageId || current.run !== delivery.run) return false;
    // The last attempt's time stays when an update makes no attempt (a cancellation).
    delete current.claimUntil;
    delete current.nextAttemptAt;
    delete current.reason;
    delete current.heldUntil;
    Object.assign(current, structuredClone(update));
    return true;
  }

  async hold(
    delivery: DeliveryRecord,
    messageId: string,
    now: Date,
    whileStatus: HoldWhile = 'paused',
  ): Promise<'held' | 'not-paused' | 'lost'> {
    const subscription = await this.subscriptions.get(delivery.tenantId, delivery.subscriptionId);
    const current = this.deliveries.get(this.key(delivery.tenantId, delivery.id));
    // A lost claim wins over a resumed subscription: the task must not go on to send.
    if (!current || current.claimMessageId !== messageId || current.run !== delivery.run) return 'lost';
    const still =
      whileStatus === 'tenant'
        ? subscription?.tenantStatus === 'suspended' || subscription?.tenantStatus === 'deleted'
        : subscription?.status === whileStatus;
    if (!still) return 'not-paused';
    current.status = 'held';
    current.heldpk = subscriptionIndexKey(delivery.tenantId, delivery.subscriptionId);
    current.updatedAt = now.toISOString();
    delete current.claimUntil;
    return 'held';
  }

  async listBySubscription(tenantId: string, subscriptionId: string, limit: number, after?: IndexPageKey) {
    const index = subscriptionIndexKey(tenantId, subscriptionId);
    const mine = [...this.deliveries.values()].filter((d) => d.gsi1pk === index);
    const page = queryPage(mine, (d) => d.gsi1sk, {
      limit,
      descending: true,
      ...(after ? { after: after.gsi1sk } : {}),
    });
    const { last } = page;
    const next: IndexPageKey | undefined = last && {
      gsi1pk: last.gsi1pk,
      gsi1sk: last.gsi1sk,
      pk: tenantPartition(tenantId),
      sk: deliverySortKey(last.id),
    };
    return { items: page.items.map(toRecord), ...(next ? { next } : {}) };
  }

  /** The held index's cursor carries its keys beside the table's, as DynamoDB's LastEvaluatedKey does. */
  async list(tenantId: string, subscriptionId: string, limit: number, after?: PageKey) {
    const index = subscriptionIndexKey(tenantId, subscriptionId);
    const held = [...this.deliveries.values()].filter((d) => d.heldpk === index);
    const position = (after as { gsi1sk?: string } | undefined)?.gsi1sk;
    const page = queryPage(held, (d) => d.gsi1sk, { limit, ...(position ? { after: position } : {}) });
    const items: HeldDelivery[] = page.items.map(
      ({ id, subscriptionId: s, kind, eventId, eventType, eventKey }) => ({
        id,
        subscriptionId: s,
        kind,
        eventId,
        eventType,
        eventKey,
      }),
    );
    const { last } = page;
    const next = last && {
      pk: tenantPartition(tenantId),
      sk: deliverySortKey(last.id),
      heldpk: index,
      gsi1sk: last.gsi1sk,
    };
    return { items, ...(next ? { next } : {}) };
  }

  async put(event: StoredEvent): Promise<void> {
    this.events.set(this.key(event.tenantId, event.eventKey), structuredClone(event));
  }

  async putAll(events: readonly StoredEvent[]): Promise<Array<Error | undefined>> {
    for (const event of events) await this.put(event);
    return events.map(() => undefined);
  }

  async between(tenantId: string, range: { from: string; to: string }, limit: number, after?: PageKey) {
    const from = `EVT#${range.from}`;
    const to = `EVT#${range.to}~`;
    const mine = [...this.events.values()].filter(
      (e) => e.tenantId === tenantId && e.eventKey >= from && e.eventKey <= to,
    );
    const page = queryPage(mine, (e) => e.eventKey, { limit, ...(after ? { after: after.sk } : {}) });
    return {
      items: page.items.map((e) => structuredClone(e)),
      ...(page.last ? { next: { pk: tenantPartition(tenantId), sk: page.last.eventKey } } : {}),
    };
  }

  async newest(tenantId: string, range: { from: string; to: string }, limit: number) {
    const from = `EVT#${range.from}`;
    const to = `EVT#${range.to}~`;
    const mine = [...this.events.values()]
      .filter((e) => e.tenantId === tenantId && e.eventKey >= from && e.eventKey <= to)
      .sort((a, b) => (a.eventKey < b.eventKey ? 1 : a.eventKey > b.eventKey ? -1 : 0));
    // As DynamoDB's LastEvaluatedKey: set whenever the limit was reached.
    return { items: mine.slice(0, limit).map((e) => structuredClone(e)), more: mine.length >= limit };
  }

  async load(tenantId: string, eventKey: string): Promise<Envelope | undefined> {
    return structuredClone(this.events.get(this.key(tenantId, eventKey))?.envelope);
  }

  /** Read calls of getMany and count, as the adapters would make them (one a page or 100 keys). */
  readonly reads = { getMany: 0, count: 0 };

  async getMany(tenantId: string, deliveryIds: readonly string[]): Promise<DeliveryRecord[]> {
    this.reads.getMany += Math.ceil(deliveryIds.length / 100);
    return deliveryIds.flatMap((id) => {
      const found = this.deliveries.get(this.key(tenantId, id));
      return found ? [toRecord(found)] : [];
    });
  }

  async count(
    tenantId: string,
    range: { from: string; to: string },
    matches?: (envelope: Envelope) => boolean,
  ): Promise<number> {
    this.reads.count += 1;
    const from = `EVT#${range.from}`;
    const to = `EVT#${range.to}~`;
    return [...this.events.values()].filter(
      (e) =>
        e.tenantId === tenantId &&
        e.eventKey >= from &&
        e.eventKey <= to &&
        (matches === undefined || matches(e.envelope)),
    ).length;
  }
}

/** The overview's counter items, as the DynamoDB adapter keeps them (ADD and SET on one item). */
export class MemoryStats implements StatsStore {
  readonly items = new Map<string, CounterItem>();
  private key = (tenantId: string, sortKey: string) => `${tenantId}|${sortKey}`;

  async apply(update: CounterUpdate): Promise<void> {
    const key = this.key(update.tenantId, update.sortKey);
    const item: CounterItem = this.items.get(key) ?? {
      pk: tenantPartition(update.tenantId),
      sk: update.sortKey,
    };
    for (const [name, n] of Object.entries(update.add)) item[name] = (Number(item[name] ?? 0) || 0) + n;
    Object.assign(item, update.latest);
    if (update.expiresAt !== undefined) item.expiresAt = update.expiresAt;
    this.items.set(key, item);
  }

  async between(tenantId: string, from: string, to: string): Promise<CounterItem[]> {
    return [...this.items.entries()]
      .filter(([key]) => key.startsWith(`${tenantId}|`))
      .map(([, item]) => structuredClone(item))
      .filter((item) => String(item.sk) >= from && String(item.sk) <= to)
      .sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
  }

  async retrying(tenantId: string): Promise<CounterItem | undefined> {
    const item = this.items.get(this.key(tenantId, RETRYING_STATS_SORT_KEY));
    return item && structuredClone(item);
  }
}

export interface QueuedTask {
  task: DeliveryTask;
  lane: Lane;
  delaySeconds: number;
  messageId: string;
}

/** The queues: tasks by lane and jobs, each message with the id SQS would have given it. */
export class MemoryQueues implements TaskQueue, DispatchQueue {
  readonly tasks: QueuedTask[] = [];
  readonly jobs: Array<{ job: DispatchJob; delaySeconds: number }> = [];
  failNextSend = false;
  private sequence = 0;

  async send(task: DeliveryTask, options: { lane: Lane; delaySeconds?: number }): Promise<void> {
    if (this.failNextSend) {
      this.failNextSend = false;
      throw new Error('SQS unavailable');
    }
    this.tasks.push({
      task: structuredClone(task),
      lane: options.lane,
      delaySeconds: options.delaySeconds ?? 0,
      messageId: `m${++this.sequence}`,
    });
  }

  async sendTasks(tasks: ReadonlyArray<{ task: DeliveryTask; lane: Lane }>): Promise<void> {
    for (const { task, lane } of tasks) await this.send(task, { lane });
  }

  async sendJob(job: DispatchJob, delaySeconds = 0): Promise<void> {
    this.jobs.push({ job: structuredClone(job), delaySeconds });
  }

  /** Takes the oldest queued task (as a poller would receive it). */
  take(): QueuedTask {
    const next = this.tasks.shift();
    if (!next) throw new Error('no task queued');
    return next;
  }
}

export class MemoryBus implements BusPublisher {
  readonly published: Array<{ detailType: DetailTypeName; detail: unknown }> = [];
  async publish<T extends DetailTypeName>(codec: BusCodec<T>, detail: BusDetails[T]): Promise<void> {
    // The same checks as the EventBridge publisher's: a detail its consumers would refuse is never sent.
    const entry = busEntry(codec, detail);
    this.published.push({ detailType: codec.detailType, detail: JSON.parse(entry.Detail) as unknown });
  }
  types(): string[] {
    return this.published.map((p) => p.detailType);
  }
}

/** The delivery metrics: each finished attempt's status, in order. */
export class MemoryOutcomes implements OutcomeCounter {
  readonly counted: Array<'succeeded' | 'failed'> = [];
  readonly latencies: number[] = [];
  rejectedEnvelopes = 0;
  count(status: 'succeeded' | 'failed', latencyMs?: number): void {
    this.counted.push(status);
    if (latencyMs !== undefined) this.latencies.push(latencyMs);
  }
  rejectedEnvelope(): void {
    this.rejectedEnvelopes += 1;
  }
}

/**
 * Stands in for KMS (test/contract/secret-cipher.contract.test.ts holds it to KMS's promises): AES-GCM
 * under a key named by `keyName`, the context (in any key order) as authenticated data, so another
 * context, another key or a changed byte does not decrypt, and each ciphertext is fresh.
 */
export function memoryCipherUnder(keyName: string): SecretCipher {
  const key = createHash('sha256').update(keyName).digest();
  const aad = (context: Record<string, string>) =>
    Buffer.from(JSON.stringify(Object.entries(context).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
  return {
    async encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad(context));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    async decrypt(ciphertext, context) {
      const bytes = Buffer.from(ciphertext, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12)).setAAD(aad(context));
      decipher.setAuthTag(bytes.subarray(12, 28));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
      } catch {
        throw new Error('InvalidCiphertextException');
      }
    },
  };
}

export const memoryCipher: SecretCipher = memoryCipherUnder('memory');

/** Ingest's envelope signing, with a verifier for its public key. */
export function envelopeKeys() {
  const pair = generateSigningKeyPair('test-ingest-1');
  const signer = createEnvelopeSigner(pair.privateJwk);
  const verifier = createEnvelopeVerifier([pair.publicJwk]);
  let sequence = 0;
  const sign = (
    fields: { tenantid?: string; type?: string; id?: string; data?: unknown; subject?: string } = {},
  ): Envelope =>
    signer.sign({
      specversion: '1.0',
      id: fields.id ?? `evt-${++sequence}`,
      source: '/herald/ingest',
      type: fields.type ?? 'order.created',
      time: '2026-11-28T10:00:00.000Z',
      datacontenttype: 'application/json',
      data: (fields.data ?? { total: 42 }) as never,
      tenantid: fields.tenantid ?? 'acme',
      correlationid: `corr-${sequence}`,
      ...(fields.subject === undefined ? {} : { subject: fields.subject }),
    });
  return { signer, verifier, sign };
}

export const silentLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * The tenant's copy in memory (tenant-state/ports.ts), over MemorySubscriptions' items as the
 * adapter is over the subscriptions table: the same conditions on the stamp's time.
 */
export class MemoryTenantState implements TenantStateStore {
  readonly kept = new Map<string, { settings: TenantSettings; at: string }>();
  constructor(
    private readonly subscriptionItems: MemorySubscriptions,
    private readonly usage?: { stampTenant(tenantId: string, stamp: TenantStatusStamp): boolean },
  ) {}

  async stampTenant(tenantId: string, stamp: TenantStatusStamp) {
    return this.usage ? this.usage.stampTenant(tenantId, stamp) : true;
  }

  async subscriptions(tenantId: string) {
    const items = [...this.subscriptionItems.items.values()]
      .filter((item) => item.tenantId === tenantId)
      .map((item) => ({ id: item.id, status: item.status }));
    return { items };
  }

  async stamp(tenantId: string, subscriptionId: string, stamp: TenantStatusStamp) {
    const item = [...this.subscriptionItems.items.values()].find(
      (candidate) => candidate.tenantId === tenantId && candidate.id === subscriptionId,
    );
    if (!item) return false;
    if (item.tenantStatus === 'deleted' && stamp.status !== 'deleted') return false;
    if (item.tenantStatusAt !== undefined && item.tenantStatusAt > stamp.at) return false;
    item.tenantStatus = stamp.status;
    item.tenantStatusAt = stamp.at;
    return true;
  }

  async putSettings(tenantId: string, settings: TenantSettings, at: string) {
    const current = this.kept.get(tenantId);
    if (current && current.at > at) return false;
    this.kept.set(tenantId, { settings: structuredClone(settings), at });
    return true;
  }

  async settings(tenantId: string) {
    return this.kept.get(tenantId)?.settings;
  }
}
