/** What the subscriptions API needs from outside: the table, DNS, the dispatch queue, KMS. */
import type { AuditEntry, AuditOf } from '@herald/shared/audit';
import type { DispatchJob } from '../model/delivery-task';
import type { PageKey } from '../model/pages';
import type { RateLimits } from '../model/rate-limit';
import type { TenantLimits } from '../model/tenant-limits';
import type {
  SubscriptionKind,
  SubscriptionRecord,
  SubscriptionStatus,
  SubscriptionView,
} from '../model/subscription';
import type { DestinationDeps } from './destination-test';
import type { EmailLinkDeps } from './email-confirmation';
import type { SecretCipher } from './signing-secrets';
import type { TargetPolicy } from './url-policy';

export interface UpdateCondition {
  kind?: SubscriptionKind;
  statusIn?: readonly SubscriptionStatus[];
  secretsVersion?: number;
}

export interface SubscriptionChange {
  set: Partial<SubscriptionRecord> & { secretsVersion?: number };
  remove?: readonly (keyof SubscriptionRecord)[];
}

/**
 * `audit`, when given, is the change's audit entry: the adapter writes it in the same transaction as
 * the change (an outbox item the table's stream carries to the bus), so no change is made without
 * its entry, and a change retried after it was made writes no second one.
 */
export interface SubscriptionRepository {
  /** Writes a new subscription; the id is fresh, so an existing item is a bug and throws. */
  create(record: SubscriptionRecord & { secretsVersion: number }): Promise<void>;
  /** Strongly consistent read, secrets included. */
  get(tenantId: string, id: string): Promise<(SubscriptionRecord & { secretsVersion?: number }) | undefined>;
  /** Applies the change if the item exists and meets the condition; the item after, or undefined. */
  update(
    tenantId: string,
    id: string,
    change: SubscriptionChange,
    condition?: UpdateCondition,
    audit?: AuditEntry,
  ): Promise<SubscriptionRecord | undefined>;
  delete(tenantId: string, id: string, audit?: AuditEntry): Promise<boolean>;
}

/**
 * A tenant's subscriptions counted, and a new one created only while that count still holds, so
 * subscriptions created at the same time can never take a tenant past its limit.
 */
export interface SubscriptionQuota {
  /**
   * How many subscriptions the tenant has, and the version of its usage when they were counted; with
   * the tenant's status as notifications last stamped it (tenant-state/), which a new subscription
   * carries from its creation.
   */
  count(tenantId: string): Promise<{
    subscriptions: number;
    version: number;
    tenant?: { status: 'active' | 'suspended' | 'deleted'; at: string };
  }>;
  /**
   * Writes the new subscription if no other was created for the tenant since `version` and the
   * tenant's status is still the one the record carries (`tenantStatusAt`, or none) (false if either
   * changed); an existing id throws, as `create` does.
   */
  create(
    record: SubscriptionRecord & { secretsVersion: number },
    version: number,
    audit?: AuditEntry,
  ): Promise<boolean>;
}

export interface SubscriptionPage {
  items: SubscriptionView[];
  next?: PageKey;
}

/** The listing reads views only: a stored secret is never even read. */
export interface SubscriptionStore {
  listByPartition(partition: string, limit: number, after?: PageKey): Promise<SubscriptionPage>;
}

/** DNS for the check at creation: the addresses, or undefined when the name does not resolve now. */
export interface HostResolver {
  resolve(host: string): Promise<string[] | undefined>;
}

export interface JobQueue {
  send(job: DispatchJob, delaySeconds?: number): Promise<void>;
}

export interface SubscriptionDeps {
  repository: SubscriptionRepository;
  cipher: SecretCipher;
  resolver: HostResolver;
  targets: TargetPolicy;
  now: () => Date;
  newId: () => string;
  /** How long a replaced secret keeps signing after a rotation. */
  graceSeconds: number;
  /** A webhook URL was refused for where it points (a security signal). */
  onSsrfRefused?: () => void;
  /** Confirmation mails for new e-mail subscriptions (double opt-in); read only when one is created. */
  emailLinks?: () => EmailLinkDeps;
  /** AWS destinations: the tenant's ExternalId, the role prefix, the test message; read only for one. */
  destinations?: () => DestinationDeps;
  quota: SubscriptionQuota;
  tenantLimits: TenantLimits;
  rateLimits: RateLimits;
  /** The stage's maximum for a subscription's own timeoutSeconds. */
  maxTimeoutSeconds: number;
  /** The audit entry of each change the request makes (the handler binds it to the caller). */
  audit?: AuditOf;
}
