/**
 * JSON Web Key Sets (RFC 7517) as the JWT verifier reads them: the keys that may have signed a token,
 * chosen by its header as jose's key sets choose them (same kid if it names one, the algorithm's key
 * type and curve, no other `alg`, `use` or `key_ops`). A remote set is fetched once and kept for ten
 * minutes; a kid it does not hold fetches it again, at most every 30 seconds, so a rotated key is
 * found without letting tokens with made-up kids hammer the issuer.
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { JWS_ALGORITHMS, type JwtHeader, type KeySet } from './jwt';

export interface JsonWebKeySet {
  keys: JsonWebKey[];
}

const CACHE_MAX_AGE_MS = 10 * 60_000;
const COOLDOWN_MS = 30_000;
const TIMEOUT_MS = 5_000;

const imported = new WeakMap<JsonWebKey, KeyObject>();

function matches(jwk: JsonWebKey, header: JwtHeader): boolean {
  const algorithm = JWS_ALGORITHMS[header.alg];
  if (!algorithm || jwk.kty !== algorithm.kty) return false;
  if (header.kid !== undefined && jwk.kid !== header.kid) return false;
  if (typeof jwk.alg === 'string' && jwk.alg !== header.alg) return false;
  if (typeof jwk.use === 'string' && jwk.use !== 'sig') return false;
  if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify')) return false;
  return algorithm.crv === undefined || jwk.crv === algorithm.crv;
}

/** The keys of `jwks` that may have signed a token with `header`, imported once each. */
export function keysFor(jwks: JsonWebKeySet, header: JwtHeader): KeyObject[] {
  return jwks.keys
    .filter((jwk) => matches(jwk, header))
    .map((jwk) => {
      let key = imported.get(jwk);
      if (!key) {
        key = createPublicKey({ key: jwk, format: 'jwk' });
        imported.set(jwk, key);
      }
      return key;
    });
}

export function localKeySet(jwks: JsonWebKeySet): KeySet {
  return (header) => Promise.resolve(keysFor(jwks, header));
}

async function fetchKeySet(url: URL): Promise<JsonWebKeySet> {
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    redirect: 'error',
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`The key set at ${url.href} answered ${response.status}`);
  const body = (await response.json()) as { keys?: unknown } | null;
  if (!Array.isArray(body?.keys) || !body.keys.every((key) => typeof key === 'object' && key !== null)) {
    throw new Error(`The key set at ${url.href} is not a JSON Web Key Set`);
  }
  return body as JsonWebKeySet;
}

export function remoteKeySet(url: URL): KeySet {
  let jwks: JsonWebKeySet | undefined;
  let fetchedAt = 0;
  let pending: Promise<JsonWebKeySet> | undefined;
  // Concurrent requests of a cold container share one fetch.
  const reload = () =>
    (pending ??= fetchKeySet(url)
      .then((fetched) => {
        jwks = fetched;
        fetchedAt = Date.now();
        return fetched;
      })
      .finally(() => {
        pending = undefined;
      }));
  return async (header) => {
    const current = jwks && Date.now() - fetchedAt < CACHE_MAX_AGE_MS ? jwks : await reload();
    const keys = keysFor(current, header);
    if (keys.length > 0 || Date.now() - fetchedAt < COOLDOWN_MS) return keys;
    return keysFor(await reload(), header);
  };
}
