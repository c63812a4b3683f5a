/**
 * The subscriptions API as plain logic: create, read, change, delete, pause and resume, and rotate
 * the signing secret. Every operation is scoped by the tenant the caller's token carries.
 */
import { filterProblems } from './event-filters';
import { Conflict, InvalidInput, NotFound, type FieldProblem } from './problems';
import {
  formatSecret,
  generateSecret,
  MAX_GRACE_SECONDS,
  rotateSecrets,
  secretContext,
  type SecretCipher,
  type StoredSecret,
} from './signing-secrets';
import {
  toView,
  type SubscriptionKind,
  type SubscriptionRecord,
  type SubscriptionStatus,
  type SubscriptionView,
} from './subscriptions-table';
import {
  checkResolvedAddresses,
  checkWebhookUrl,
  hostOf,
  isIpLiteral,
  type TargetPolicy,
} from './webhook-url';
import type { DispatchJob } from './delivery-task';

export interface UpdateCondition {
  kind?: SubscriptionKind;
  statusIn?: readonly SubscriptionStatus[];
  secretsVersion?: number;
}

export interface SubscriptionChange {
  set: Partial<SubscriptionRecord> & { secretsVersion?: number };
  remove?: readonly (keyof SubscriptionRecord)[];
}

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
  ): Promise<SubscriptionRecord | undefined>;
  delete(tenantId: string, id: string): Promise<boolean>;
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
}

export interface CreateInput {
  url?: string;
  email?: string;
  eventTypes: string[];
  description?: string;
}

export interface UpdateInput {
  url?: string;
  email?: string;
  eventTypes?: string[];
  description?: string | null;
}

async function urlProblems(url: string, deps: SubscriptionDeps): Promise<FieldProblem[]> {
  const checked = checkWebhookUrl(url, deps.targets);
  if (!checked.ok) return [{ pointer: '/body/url', message: checked.message }];
  if (isIpLiteral(checked.url)) return [];
  // A name that resolves to a refused address now is refused now; one that does not resolve yet is
  // accepted, since every send checks the addresses again.
  const addresses = await deps.resolver.resolve(hostOf(checked.url));
  const resolved =
    addresses === undefined ? { ok: true as const } : checkResolvedAddresses(addresses, deps.targets);
  return resolved.ok ? [] : [{ pointer: '/body/url', message: resolved.message }];
}

function eventTypeProblems(eventTypes: readonly string[]): FieldProblem[] {
  return filterProblems(eventTypes).map(({ index, message }) => ({
    pointer: `/body/eventTypes/${index}`,
    message,
  }));
}

export async function createSubscription(
  tenantId: string,
  input: CreateInput,
  deps: SubscriptionDeps,
): Promise<{ subscription: SubscriptionView; secret?: string }> {
  if ((input.url === undefined) === (input.email === undefined)) {
    throw new InvalidInput([
      {
        pointer: '/body',
        message: 'must have either url (a webhook subscription) or email (an e-mail subscription), not both',
      },
    ]);
  }
  const kind: SubscriptionKind = input.url !== undefined ? 'webhook' : 'email';
  const problems = [
    ...(input.url !== undefined ? await urlProblems(input.url, deps) : []),
    ...eventTypeProblems(input.eventTypes),
  ];
  if (problems.length > 0) throw new InvalidInput(problems);

  const id = deps.newId();
  const now = deps.now().toISOString();
  const record: SubscriptionRecord & { secretsVersion: number } = {
    tenantId,
    id,
    kind,
    ...(kind === 'webhook' ? { url: input.url! } : { email: input.email! }),
    eventTypes: [...input.eventTypes],
    ...(input.description === undefined ? {} : { description: input.description }),
    status: 'active',
    createdAt: now,
    updatedAt: now,
    secretsVersion: 0,
  };
  let secret: string | undefined;
  if (kind === 'webhook') {
    const bytes = generateSecret();
    record.secrets = [
      { ciphertext: await deps.cipher.encrypt(bytes, secretContext(tenantId, id)), createdAt: now },
    ];
    record.secretsVersion = 1;
    secret = formatSecret(bytes);
  }
  await deps.repository.create(record);
  return { subscription: toView(record), ...(secret === undefined ? {} : { secret }) };
}

export async function getSubscription(
  tenantId: string,
  id: string,
  repository: Pick<SubscriptionRepository, 'get'>,
): Promise<SubscriptionView> {
  const record = await repository.get(tenantId, id);
  if (!record) throw new NotFound('subscription');
  return toView(record);
}

export async function updateSubscription(
  tenantId: string,
  id: string,
  input: UpdateInput,
  deps: SubscriptionDeps,
): Promise<SubscriptionView> {
  const problems = [
    ...(input.url !== undefined ? await urlProblems(input.url, deps) : []),
    ...(input.eventTypes !== undefined ? eventTypeProblems(input.eventTypes) : []),
  ];
  if (problems.length > 0) throw new InvalidInput(problems);

  const set: SubscriptionChange['set'] = { updatedAt: deps.now().toISOString() };
  if (input.url !== undefined) set.url = input.url;
  if (input.email !== undefined) set.email = input.email;
  if (input.eventTypes !== undefined) set.eventTypes = [...input.eventTypes];
  if (typeof input.description === 'string') set.description = input.description;
  const remove: (keyof SubscriptionRecord)[] = input.description === null ? ['description'] : [];
  // A URL belongs to a webhook and an address to an e-mail subscription: the kind never changes.
  const kind: SubscriptionKind | undefined =
    input.url !== undefined ? 'webhook' : input.email !== undefined ? 'email' : undefined;
  const updated = await deps.repository.update(tenantId, id, { set, remove }, kind ? { kind } : {});
  if (updated) return toView(updated);
  if (!(await deps.repository.get(tenantId, id))) throw new NotFound('subscription');
  throw new Conflict(
    'wrong-subscription-kind',
    kind === 'webhook'
      ? 'An e-mail subscription has no URL; create a webhook subscription instead'
      : 'A webhook subscription has no e-mail address; create an e-mail subscription instead',
  );
}

export async function deleteSubscription(
  tenantId: string,
  id: string,
  repository: Pick<SubscriptionRepository, 'delete'>,
): Promise<void> {
  if (!(await repository.delete(tenantId, id))) throw new NotFound('subscription');
}

/** Pausing holds deliveries (they wait, nothing is sent) until the subscription is resumed. */
export async function pauseSubscription(
  tenantId: string,
  id: string,
  deps: Pick<SubscriptionDeps, 'repository' | 'now'>,
): Promise<SubscriptionView> {
  const updated = await deps.repository.update(
    tenantId,
    id,
    { set: { status: 'paused', updatedAt: deps.now().toISOString() } },
    { statusIn: ['active', 'paused'] },
  );
  if (updated) return toView(updated);
  const current = await deps.repository.get(tenantId, id);
  if (!current) throw new NotFound('subscription');
  throw new Conflict('subscription-disabled', 'The subscription is disabled; resume it to deliver again');
}

/**
 * Resuming makes a paused or disabled subscription active, clears its failure record, and releases
 * the deliveries held while it was paused (a job, so a long backlog is paged through off the request).
 */
export async function resumeSubscription(
  tenantId: string,
  id: string,
  deps: Pick<SubscriptionDeps, 'repository' | 'now' | 'newId'> & { jobs: JobQueue; correlationId: string },
): Promise<SubscriptionView> {
  const updated = await deps.repository.update(
    tenantId,
    id,
    {
      set: { status: 'active', updatedAt: deps.now().toISOString() },
      remove: [
        'consecutiveFailures',
        'failingSince',
        'disabledAt',
        'disabledReason',
        'disabledByDelivery',
        'slowSince',
      ],
    },
    { statusIn: ['active', 'paused', 'disabled'] },
  );
  if (!updated) throw new NotFound('subscription');
  // Delayed a little so deliveries being put on hold as the status changed are in the index.
  await deps.jobs.send(
    {
      v: 1,
      job: 'release',
      id: deps.newId(),
      tenantId,
      subscriptionId: id,
      correlationId: deps.correlationId,
    },
    RELEASE_DELAY_SECONDS,
  );
  return toView(updated);
}

export const RELEASE_DELAY_SECONDS = 2;

export async function rotateSecret(
  tenantId: string,
  id: string,
  input: { gracePeriodSeconds?: number },
  deps: SubscriptionDeps,
): Promise<{ secret: string; previousSecretsExpireAt?: string }> {
  const grace = Math.min(input.gracePeriodSeconds ?? deps.graceSeconds, MAX_GRACE_SECONDS);
  const current = await deps.repository.get(tenantId, id);
  if (!current) throw new NotFound('subscription');
  if (current.kind !== 'webhook') {
    throw new Conflict('wrong-subscription-kind', 'Only webhook subscriptions have a signing secret');
  }
  const now = deps.now();
  const bytes = generateSecret();
  const added: StoredSecret = {
    ciphertext: await deps.cipher.encrypt(bytes, secretContext(tenantId, id)),
    createdAt: now.toISOString(),
  };
  const secrets = rotateSecrets(current.secrets ?? [], added, now, grace);
  const version = current.secretsVersion ?? 0;
  const updated = await deps.repository.update(
    tenantId,
    id,
    { set: { secrets, secretsVersion: version + 1, updatedAt: now.toISOString() } },
    { secretsVersion: version },
  );
  if (!updated) {
    throw new Conflict('concurrent-rotation', 'The secret was rotated at the same time; try again');
  }
  const previous = secrets
    .slice(1)
    .map((s) => s.expiresAt!)
    .sort();
  return {
    secret: formatSecret(bytes),
    ...(previous.length > 0 ? { previousSecretsExpireAt: previous.at(-1)! } : {}),
  };
}
