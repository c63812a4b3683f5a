/**
 * API keys and portal tokens: `hk_<environment>_<random>`, shown once when made and kept only as
 * the SHA-256 of the whole key (the authorizer's lookup), with a short prefix to recognise it by.
 * A portal token is a key of environment `portal`, short-lived, for embedding the console.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ulid } from '@herald/shared/ulid';

export type KeyEnvironment = 'live' | 'test' | 'portal';

export interface ApiKey {
  id: string;
  tenantId: string;
  /** SHA-256 of the key, hex: the key itself is never stored. */
  hash: string;
  name: string;
  /** The key's first characters (`hk_live_AbCd`), to tell keys apart. */
  prefix: string;
  environment: KeyEnvironment;
  scopes: string[];
  createdAt: string;
  /** Who made it: a JWT's `sub` or `key:<id>`. */
  createdBy: string;
  expiresAt?: string;
  revokedAt?: string;
  lastUsedAt?: string;
}

/** 32 characters of base64url: 192 random bits. */
const RANDOM_BYTES = 24;
const PREFIX_RANDOM_CHARS = 4;
export const API_KEY = /^hk_(live|test|portal)_[A-Za-z0-9_-]{32}$/;

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export const newKeyId = (): string => `key_${ulid()}`;

/** A new key's secret text and what is stored of it. */
export function mintKey(environment: KeyEnvironment): { key: string; hash: string; prefix: string } {
  const head = `hk_${environment}_`;
  const key = `${head}${randomBytes(RANDOM_BYTES).toString('base64url')}`;
  return { key, hash: hashKey(key), prefix: key.slice(0, head.length + PREFIX_RANDOM_CHARS) };
}

export const looksLikeApiKey = (token: string): boolean => token.startsWith('hk_');

/** What the API shows of a key: never its hash. */
export function publicKey(key: ApiKey) {
  const { hash: _hash, ...shown } = key;
  void _hash;
  return shown;
}
