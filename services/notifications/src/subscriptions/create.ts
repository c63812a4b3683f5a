/**
 * Creating a subscription: a webhook (a URL, and a signing secret shown this once) or an e-mail
 * address, with its event-type filters. Every operation is scoped by the tenant the caller's token
 * carries.
 */
import {
  toView,
  type SubscriptionKind,
  type SubscriptionRecord,
  type SubscriptionView,
} from '../model/subscription';
import { InvalidInput } from '../problems';
import type { CreateSubscriptionBody } from '../schemas/create-subscription.types.generated';
import { eventTypeProblems, urlProblems } from './input-checks';
import type { SubscriptionDeps } from './ports';
import { formatSecret, generateSecret, secretContext } from './signing-secrets';

export async function createSubscription(
  tenantId: string,
  input: CreateSubscriptionBody,
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
