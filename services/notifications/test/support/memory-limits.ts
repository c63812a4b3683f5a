/**
 * In-memory stand-ins of the rate-limit and tenant-usage ports, over the subscriptions of a
 * MemorySubscriptions, with the same conditions as their DynamoDB adapters (dynamo-delivery-slots,
 * dynamo-tenant-usage); test/contract/tenant-limits.contract.test.ts runs both against one suite.
 * Each operation reads and writes without yielding in between, as one DynamoDB request is atomic.
 */
import type { TenantStatusStamp } from '../../src/tenant-state/ports';
import type { AuditEntry } from '@herald/shared/audit';
import type { EmailDayCounter } from '../../src/delivery/email-cap';
import { reserveSlot } from '../../src/delivery/pace';
import type { DeliverySlots } from '../../src/delivery/ports';
import type { ReplayLeases } from '../../src/fan-out/ports';
import type { ReplayRegistry } from '../../src/history/ports';
import type { RunningReplay } from '../../src/model/replays';
import type { SubscriptionRecord } from '../../src/model/subscription';
import type { SubscriptionQuota } from '../../src/subscriptions/ports';
import type { MemorySubscriptions } from './memory';

type Entry = Omit<RunningReplay, 'subscriptionId'>;

interface Usage {
  subscriptionsVersion?: number;
  /** The tenant's status as tenant-state stamps it on the usage item. */
  tenant?: { status: 'active' | 'suspended' | 'deleted'; at: string };
  replays?: Record<string, Entry>;
  replaysVersion?: number;
}

const find = (subscriptions: MemorySubscriptions, tenantId: string, id: string) =>
  [...subscriptions.items.values()].find((item) => item.tenantId === tenantId && item.id === id);

export class MemorySlots implements DeliverySlots {
  constructor(private readonly subscriptions: MemorySubscriptions) {}

  async reserve(tenantId: string, id: string, at: { now: number; intervalMs: number; count?: number }) {
    const item = find(this.subscriptions, tenantId, id);
    if (!item) return undefined;
    const { slot, nextFree } = reserveSlot(item.rateSlotAt, at.now, at.intervalMs * (at.count ?? 1));
    item.rateSlotAt = nextFree;
    return slot;
  }
}

export class MemoryTenantUsage implements SubscriptionQuota, ReplayRegistry, ReplayLeases {
  readonly usage = new Map<string, Usage>();

  constructor(private readonly subscriptions: MemorySubscriptions) {}

  /** Stamps the tenant's status on its usage item, as DynamoTenantState.stampTenant does. */
  stampTenant(tenantId: string, stamp: TenantStatusStamp): boolean {
    if (stamp.status === 'deleted' && !this.usage.has(tenantId)) return false;
    const usage = this.of(tenantId);
    if (usage.tenant?.status === 'deleted' && stamp.status !== 'deleted') return false;
    if (usage.tenant && usage.tenant.at > stamp.at) return false;
    usage.tenant = { ...stamp };
    return true;
  }

  private of(tenantId: string): Usage {
    const usage = this.usage.get(tenantId) ?? {};
    this.usage.set(tenantId, usage);
    return usage;
  }

  async count(tenantId: string) {
    const subscriptions = [...this.subscriptions.items.values()].filter(
      (s) => s.tenantId === tenantId,
    ).length;
    const usage = this.usage.get(tenantId);
    return {
      subscriptions,
      version: usage?.subscriptionsVersion ?? 0,
      ...(usage?.tenant ? { tenant: { ...usage.tenant } } : {}),
    };
  }

  async create(record: SubscriptionRecord & { secretsVersion: number }, version: number, audit?: AuditEntry) {
    if (find(this.subscriptions, record.tenantId, record.id)) {
      throw Object.assign(new Error('The subscription already exists'), {
        name: 'ConditionalCheckFailedException',
      });
    }
    const usage = this.of(record.tenantId);
    if ((usage.subscriptionsVersion ?? 0) !== version) return false;
    if (usage.tenant?.at !== record.tenantStatusAt) return false;
    usage.subscriptionsVersion = version + 1;
    this.subscriptions.recordEntry(audit);
    this.subscriptions.put(record);
    return true;
  }

  async running(tenantId: string) {
    const usage = this.usage.get(tenantId);
    return {
      replays: Object.entries(usage?.replays ?? {}).map(([subscriptionId, entry]) => ({
        subscriptionId,
        ...structuredClone(entry),
      })),
      version: usage?.replaysVersion ?? 0,
    };
  }

  async start(
    tenantId: string,
    replay: RunningReplay,
    expired: readonly string[],
    version: number,
    audit?: AuditEntry,
  ) {
    const usage = this.of(tenantId);
    if ((usage.replaysVersion ?? 0) !== version) return false;
    if (this.subscriptions.recordEntry(audit) === 'already') return true;
    const replays = (usage.replays ??= {});
    for (const subscriptionId of expired) delete replays[subscriptionId];
    const { subscriptionId, ...entry } = replay;
    replays[subscriptionId] = entry;
    usage.replaysVersion = version + 1;
    return true;
  }

  async renew(tenantId: string, replay: RunningReplay) {
    const usage = this.of(tenantId);
    const { subscriptionId, ...entry } = replay;
    const holder = usage.replays?.[subscriptionId];
    if (holder && holder.id !== replay.id) return false;
    if (holder) holder.leaseUntil = replay.leaseUntil;
    else if (usage.replays) usage.replays[subscriptionId] = entry;
    else {
      usage.replays = { [subscriptionId]: entry };
      usage.replaysVersion = (usage.replaysVersion ?? 0) + 1;
    }
    return true;
  }

  async finish(tenantId: string, subscriptionId: string, id: string) {
    const replays = this.usage.get(tenantId)?.replays;
    if (replays?.[subscriptionId]?.id === id) delete replays[subscriptionId];
  }
}

/** The tenants' e-mail day counters, with the DynamoDB counter's condition: below the limit, else refused. */
export class MemoryEmailDays implements EmailDayCounter {
  readonly counts = new Map<string, number>();

  async tryCount(tenantId: string, day: string, limit: number): Promise<boolean> {
    const key = `${tenantId}#${day}`;
    const count = this.counts.get(key) ?? 0;
    if (count >= limit) return false;
    this.counts.set(key, count + 1);
    return true;
  }
}
