/**
 * Creating a subscription: a webhook (a URL, and a signing secret shown this once, or for the `v1a`
 * signature scheme an Ed25519 key pair whose public key is shown), an e-mail
 * address, or an AWS destination (a target ARN and the role to assume, tested before it is stored,
 * with a signing secret too), with its event-type filters. Every operation is scoped by the tenant the caller's token
 * carries.
 */
import {
  toView,
  type SubscriptionKind,
  type SubscriptionRecord,
  type SubscriptionView,
} from '../model/subscription';
import { checkTenantQuota } from '../model/tenant-limits';
import { Conflict, InvalidInput } from '../problems';
import type { CreateSubscriptionBody } from '../schemas/create-subscription.types.generated';
import { filterText } from '../fan-out/content-filter';
import { headerProblems, storedHeaders } from './custom-headers';
import {
  contentProblems,
  eventTypeProblems,
  rateLimitProblems,
  timeoutProblems,
  urlProblems,
} from './input-checks';
import { destinationProblems } from './destination-arn';
import { tenantExternalId } from './destination-external-id';
import { testDestination } from './destination-test';
import { requestConfirmation, type ConfirmationMail } from './email-confirmation';
import type { SubscriptionDeps } from './ports';
import { generateSigningKeyPair, publicKeysOf } from './signing-keys';
import { formatSecret, generateSecret, secretContext } from './signing-secrets';

/** Creations lost to others made at the same moment before the caller is asked to try again. */
const MAX_TRIES = 10;

export async function createSubscription(
  tenantId: string,
  input: CreateSubscriptionBody,
  deps: SubscriptionDeps,
): Promise<{
  subscription: SubscriptionView;
  secret?: string;
  publicKey?: string;
  confirmationMail?: ConfirmationMail;
}> {
  if ([input.url, input.email, input.destination].filter((given) => given !== undefined).length !== 1) {
    throw new InvalidInput([
      {
        pointer: '/body',
        message:
          'must have exactly one of url (a webhook subscription), email (an e-mail subscription) or destination (an AWS destination)',
      },
    ]);
  }
  const kind: SubscriptionKind =
    input.url !== undefined ? 'webhook' : input.email !== undefined ? 'email' : 'aws';
  const destinations = kind === 'aws' ? deps.destinations?.() : undefined;
  if (kind === 'aws' && !destinations) throw new Error('AWS destinations are not wired for this function');
  const problems = [
    ...(input.url !== undefined ? await urlProblems(input.url, deps) : []),
    ...(input.destination !== undefined && destinations
      ? destinationProblems(input.destination, destinations.rolePathPrefix)
      : []),
    ...eventTypeProblems(input.eventTypes),
    ...(input.filter !== undefined ? contentProblems(input.filter) : []),
    ...rateLimitProblems(input.rateLimit, deps.rateLimits),
    ...timeoutProblems(input.timeoutSeconds, deps.maxTimeoutSeconds),
    ...(input.headers !== undefined ? headerProblems(input.headers) : []),
    ...(kind !== 'webhook' && (input.headers !== undefined || input.timeoutSeconds !== undefined)
      ? [{ pointer: '/body', message: 'headers and timeoutSeconds are for webhook subscriptions only' }]
      : []),
    ...(kind !== 'webhook' && input.signatureScheme !== undefined
      ? [{ pointer: '/body/signatureScheme', message: 'is for webhook subscriptions only' }]
      : []),
  ];
  if (problems.length > 0) throw new InvalidInput(problems);
  // Before a secret is made: a tenant at its limit costs no KMS call.
  let usage = await deps.quota.count(tenantId);
  checkTenantQuota('subscriptions', usage.subscriptions, deps.tenantLimits);

  const id = deps.newId();
  const now = deps.now().toISOString();
  const record: SubscriptionRecord & { secretsVersion: number } = {
    tenantId,
    id,
    kind,
    ...(kind === 'webhook' ? { url: input.url! } : kind === 'email' ? { email: input.email! } : {}),
    eventTypes: [...input.eventTypes],
    ...(input.filter === undefined ? {} : { filterJson: filterText(input.filter) }),
    ...(input.description === undefined ? {} : { description: input.description }),
    rateLimit: input.rateLimit ?? deps.rateLimits.default,
    ...(input.timeoutSeconds === undefined ? {} : { timeoutSeconds: input.timeoutSeconds }),
    ...(input.ordering === 'subject' ? { ordering: 'subject' as const, orderedSince: now } : {}),
    // An address receives nothing before it confirms (double opt-in).
    status: kind === 'email' ? 'pending' : 'active',
    createdAt: now,
    updatedAt: now,
    secretsVersion: 0,
  };
  let secret: string | undefined;
  let publicKey: string | undefined;
  if (kind === 'webhook' && input.signatureScheme === 'v1a') {
    // The private key is kept as a secret is (same context, same list); only its public half shows.
    const pair = generateSigningKeyPair();
    record.signatureScheme = 'v1a';
    record.secrets = [
      {
        ciphertext: await deps.cipher.encrypt(pair.seed, secretContext(tenantId, id)),
        createdAt: now,
        publicKey: pair.publicKey,
      },
    ];
    record.publicKeys = publicKeysOf(record.secrets);
    record.secretsVersion = 1;
    publicKey = pair.publicKey;
  } else if (kind === 'webhook' || kind === 'aws') {
    const bytes = generateSecret();
    if (destinations && input.destination) {
      // The tenant's ExternalId, and a test message signed with the new secret: a role that cannot
      // be assumed or a target that refuses is a 422 now, and nothing is stored.
      record.destination = {
        arn: input.destination.arn,
        roleArn: input.destination.roleArn,
        externalId: await tenantExternalId(tenantId, destinations.externalIds),
      };
      const refused = await testDestination(
        { subscriptionId: id, destination: record.destination, secret: bytes, now: deps.now() },
        destinations,
      );
      if (refused.length > 0) throw new InvalidInput(refused);
    }
    record.secrets = [
      { ciphertext: await deps.cipher.encrypt(bytes, secretContext(tenantId, id)), createdAt: now },
    ];
    record.secretsVersion = 1;
    secret = formatSecret(bytes);
  }
  if (kind === 'webhook' && input.headers !== undefined && Object.keys(input.headers).length > 0)
    record.headers = await storedHeaders(tenantId, id, input.headers, deps.cipher);
  // Counted and created as one: a subscription created meanwhile sends us back to count again.
  const entry = deps.audit?.(
    {
      action: 'subscription.created',
      resource: { type: 'subscription', id },
      changedFields: Object.keys(input),
    },
    new Date(now),
  );
  // The tenant's status goes with the count: a suspension stamped meanwhile fails the creation, which
  // counts again and carries it (so no subscription escapes its tenant's hold).
  withTenantStatus(record, usage.tenant);
  for (let tries = 1; !(await deps.quota.create(record, usage.version, entry)); tries++) {
    if (tries >= MAX_TRIES) {
      throw new Conflict(
        'concurrent-change',
        'Other subscriptions were being created at the same time; try again',
      );
    }
    usage = await deps.quota.count(tenantId);
    checkTenantQuota('subscriptions', usage.subscriptions, deps.tenantLimits);
    withTenantStatus(record, usage.tenant);
  }
  if (kind === 'email' && deps.emailLinks) {
    // The subscription exists whatever happens to the mail: a failed send is said, not a 500 (a
    // client retrying the creation would make a second subscription).
    const { subscription, mail } = await requestConfirmation(record, deps.emailLinks());
    return { subscription, confirmationMail: mail };
  }
  return {
    subscription: toView(record),
    ...(secret === undefined ? {} : { secret }),
    ...(publicKey === undefined ? {} : { publicKey }),
  };
}

/** The tenant's status as stamped on its other subscriptions (tenant-state/apply.ts), or none. */
function withTenantStatus(
  record: SubscriptionRecord,
  tenant: { status: 'active' | 'suspended' | 'deleted'; at: string } | undefined,
): void {
  if (tenant) {
    record.tenantStatus = tenant.status;
    record.tenantStatusAt = tenant.at;
  } else {
    delete record.tenantStatus;
    delete record.tenantStatusAt;
  }
}
