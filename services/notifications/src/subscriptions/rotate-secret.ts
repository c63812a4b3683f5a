/**
 * Rotating a webhook's signing secret: a new secret signs first, the replaced ones keep signing
 * beside it until the grace period ends.
 */
import type { StoredSecret } from '../model/subscription';
import { Conflict, NotFound } from '../problems';
import type { RotateSecretBody } from '../schemas/rotate-secret.types.generated';
import type { SubscriptionDeps } from './ports';
import {
  formatSecret,
  generateSecret,
  MAX_GRACE_SECONDS,
  rotateSecrets,
  secretContext,
} from './signing-secrets';

export async function rotateSecret(
  tenantId: string,
  id: string,
  input: RotateSecretBody,
  deps: Pick<SubscriptionDeps, 'repository' | 'cipher' | 'now' | 'graceSeconds'>,
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
