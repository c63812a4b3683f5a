/**
 * The identity provider's signing key, kept on disk so tokens survive restarts of the local cloud
 * and the `token` CLI signs with the key the running provider publishes.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { CryptoKey, JWK } from 'jose';
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

async function fromJwk(jwk: JWK, file: string, created: boolean): Promise<SigningKey> {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string' || typeof jwk.kid !== 'string') {
    throw new Error(`${file} does not hold a P-256 private JWK with a kid; delete it to generate a new key`);
  }
  const privateKey = (await importJWK(jwk, SIGNING_ALGORITHM)) as CryptoKey;
  return { kid: jwk.kid, alg: SIGNING_ALGORITHM, privateKey, publicJwk: publicPart(jwk), file, created };
}

async function readKey(file: string): Promise<SigningKey | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw new Error(`${file} is not valid JSON; delete it to generate a new key`);
  }
  return fromJwk(jwk, file, false);
}

async function generate(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  // The thumbprint (RFC 7638) as kid: stable for the key, different for any other.
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' };
}

/**
 * Reads the key from `keyDir`, generating it on first use. Safe when the local cloud and the CLI
 * start at once: the file appears complete or not at all (written aside, then hard-linked into
 * place), and whoever loses the race reads the winner's key.
 */
export async function loadOrCreateSigningKey(keyDir: string = defaultKeyDir()): Promise<SigningKey> {
  const file = join(keyDir, KEY_FILE);
  const existing = await readKey(file);
  if (existing) return existing;

  await mkdir(keyDir, { recursive: true, mode: 0o700 });
  const jwk = await generate();
  const temporary = join(keyDir, `.${KEY_FILE}.${randomUUID()}.tmp`);
  await writeFile(temporary, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readKey(file);
    if (winner) return winner;
    throw error;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
  return fromJwk(jwk, file, true);
}
