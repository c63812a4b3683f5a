/**
 * A tenant's webhook key set: the public keys of its `v1a` subscriptions as a JSON Web Key Set
 * (RFC 7517; Ed25519 keys as RFC 8037's OKP), served without a token at
 * `GET /v1/tenants/{tenantId}/webhook-keys.json` so a receiver can fetch the keys that verify
 * Herald's webhooks from Herald itself rather than trusting a copy it was handed.
 *
 * It shows public keys and nothing else: no URL, event type, status or secret of a subscription,
 * and a kid made of the subscription's id and the key's creation time (the id is what the receiver
 * already holds from the subscription it made). A tenant without a v1a key, an unknown one and a
 * tenant id that cannot exist get the same 404, so the route tells no more than "no keys here".
 *
 * Listed: every key that signs now, those of a rotation's overlap included; a key whose
 * expiresAt has passed is left out even before a later rotation drops it.
 */
import type { StoredPublicKey } from '../model/subscription';
import type { WebhookKeySet } from '../schemas/responses.types.generated';
import { PUBLIC_KEY_PREFIX } from './signing-keys';

/** The tenant ids tokens may carry (shared/src/middleware/auth.ts): nothing else has keys. */
const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The key set as the API documents it (responses.schema.json), and one of its keys. */
export type { WebhookKeySet };
export type OkpPublicJwk = WebhookKeySet['keys'][number];

/** The tenant's v1a subscriptions, each with its public keys: nothing else of them is read. */
export interface PublicKeySource {
  publicKeys(tenantId: string): Promise<Array<{ id: string; publicKeys: StoredPublicKey[] }>>;
}

export function keySet(
  subscriptions: ReadonlyArray<{ id: string; publicKeys: readonly StoredPublicKey[] }>,
  now: Date,
): WebhookKeySet {
  const keys = subscriptions.flatMap(({ id, publicKeys }) =>
    publicKeys
      .filter((key) => key.expiresAt === undefined || Date.parse(key.expiresAt) > now.getTime())
      .filter((key) => key.key.startsWith(PUBLIC_KEY_PREFIX))
      .map((key): OkpPublicJwk => ({
        kty: 'OKP',
        crv: 'Ed25519',
        alg: 'EdDSA',
        use: 'sig',
        kid: `${id}/${key.createdAt}`,
        x: Buffer.from(key.key.slice(PUBLIC_KEY_PREFIX.length), 'base64').toString('base64url'),
      })),
  );
  return { keys };
}

/** The tenant's key set, or undefined when there is nothing to show (answered 404). */
export async function tenantKeySet(
  tenantId: string,
  deps: { source: PublicKeySource; now: () => Date },
): Promise<WebhookKeySet | undefined> {
  if (!TENANT_ID.test(tenantId)) return undefined;
  const set = keySet(await deps.source.publicKeys(tenantId), deps.now());
  return set.keys.length > 0 ? set : undefined;
}

/**
 * Keeps each tenant's keys for a few seconds per container: the route is public, so repeated
 * requests for one tenant cost one read a container, not one each. A key made meanwhile shows once
 * the entry expires; a rotation's new key signs beside the old one, which is already listed.
 */
export function cachingKeySource(
  source: PublicKeySource,
  options: { ttlMs: number; maxEntries: number; now?: () => number },
): PublicKeySource {
  const now = options.now ?? Date.now;
  const cache = new Map<string, { value: ReturnType<PublicKeySource['publicKeys']>; until: number }>();
  return {
    publicKeys(tenantId) {
      const hit = cache.get(tenantId);
      if (hit && hit.until > now()) return hit.value;
      const value = source.publicKeys(tenantId);
      value.catch(() => cache.delete(tenantId));
      cache.delete(tenantId);
      if (cache.size >= options.maxEntries) cache.delete(cache.keys().next().value!);
      cache.set(tenantId, { value, until: now() + options.ttlMs });
      return value;
    },
  };
}
