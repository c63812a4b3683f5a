/**
 * Rotating a webhook's signing secret: a new secret signs first, the replaced ones keep signing
 * beside it until the grace period ends. A `v1a` subscription gets a new Ed25519 key pair under the
 * same rule (its secrets are the keys' seeds), and its public keys follow in the same write.
 */
import type { StoredSecret } from '../model/subscription';
import { Conflict, NotFound } from '../problems';
import type { RotatedSecret } from '../schemas/responses.types.generated';
import type { RotateSecretBody } from '../schemas/rotate-secret.types.generated';
import type { SubscriptionDeps } from './ports';
import { generateSigningKeyPair, publicKeysOf } from './signing-keys';
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
  deps: Pick<SubscriptionDeps, 'repository' | 'cipher' | 'now' | 'graceSeconds' | 'audit'>,
): Promise<RotatedSecret> {
  const grace = Math.min(input.gracePeriodSeconds ?? deps.graceSeconds, MAX_GRACE_SECONDS);
  const current = await deps.repository.get(tenantId, id);
  if (!current) throw new NotFound('subscription');
  // Webhooks and AWS destinations are signed alike; an address has nothing to sign with.
  if (current.kind === 'email') {
    throw new Conflict(
      'wrong-subscription-kind',
      'Only webhook and AWS destination subscriptions have a signing secret',
    );
  }
  const now = deps.now();
  const asymmetric = current.signatureScheme === 'v1a';
  const pair = asymmetric ? generateSigningKeyPair() : undefined;
  const bytes = pair?.seed ?? generateSecret();
  const added: StoredSecret = {
    ciphertext: await deps.cipher.encrypt(bytes, secretContext(tenantId, id)),
    createdAt: now.toISOString(),
    ...(pair ? { publicKey: pair.publicKey } : {}),
  };
  const secrets = rotateSecrets(current.secrets ?? [], added, now, grace);
  const version = current.secretsVersion ?? 0;
  const updated = await deps.repository.update(
    tenantId,
    id,
    {
      set: {
        secrets,
        // Written with the secrets, so the public keys shown and published are always theirs.
        ...(asymmetric ? { publicKeys: publicKeysOf(secrets) } : {}),
        secretsVersion: version + 1,
        updatedAt: now.toISOString(),
      },
    },
    { secretsVersion: version },
    deps.audit?.({ action: 'subscription.secret_rotated', resource: { type: 'subscription', id } }, now),
  );
  if (!updated) {
    throw new Conflict('concurrent-rotation', 'The secret was rotated at the same time; try again');
  }
  const previous = secrets
    .slice(1)
    .map((s) => s.expiresAt!)
    .sort();
  return {
    ...(pair ? { publicKey: pair.publicKey } : { secret: formatSecret(bytes) }),
    ...(previous.length > 0 ? { previousSecretsExpireAt: previous.at(-1)! } : {}),
  };
}
