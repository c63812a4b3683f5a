/**
 * The identity provider's signing key, kept on disk so tokens survive restarts of the local cloud
 * and the `token` CLI signs with the key the running provider publishes.
 */
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { readOrMakeJsonFile } from '../kept-file';
import { repositoryRoot } from '../repository';
import { SIGNING_ALGORITHM } from './tokens';

const KEY_FILE = 'signing-key.json';

/** `.local-cloud/identity/` at the repository root (gitignored), wherever the command runs from. */
export function defaultKeyDir(): string {
  return join(repositoryRoot, '.local-cloud', 'identity');
}

export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  /** Public members only, with kid, alg and use: what the JWKS serves. */
  publicJwk: JWK;
  /** The file the key lives in. */
  file: string;
  /** True when this call generated the key (nothing was on disk). */
  created: boolean;
}

function publicPart(jwk: JWK): JWK {
  const { kty, crv, x, y, kid, alg } = jwk;
  return { kty, crv, x, y, kid, alg, use: 'sig' };
}

/** The key file's JWK, if it is one the provider can sign with. */
function checkJwk(value: unknown, file: string): JWK {
  const jwk = value as JWK;
  if (jwk?.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string' || typeof jwk.kid !== 'string') {
    throw new Error(`${file} does not hold a P-256 private JWK with a kid; delete it to generate a new key`);
  }
  return jwk;
}

async function generate(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  // The thumbprint (RFC 7638) as kid: stable for the key, different for any other.
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
}

/**
 * Reads the key from `keyDir`, generating it on first use (safe when the local cloud and the CLI
 * start at once: see kept-file.ts).
 */
export async function loadOrCreateSigningKey(keyDir: string = defaultKeyDir()): Promise<SigningKey> {
  const file = join(keyDir, KEY_FILE);
  const { value: jwk, made } = await readOrMakeJsonFile(file, (value) => checkJwk(value, file), generate);
  const privateKey = (await importJWK(jwk, SIGNING_ALGORITHM)) as CryptoKey;
  return {
    kid: jwk.kid!,
    alg: SIGNING_ALGORITHM,
    privateKey,
    publicJwk: publicPart(jwk),
    file,
    created: made,
  };
}
