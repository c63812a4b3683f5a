import type { JsonWebKeySet } from './middleware/jwks';

export type JwksSource = { url: URL } | { keys: JsonWebKeySet };

export interface AuthConfig {
  issuer: string;
  /** Several audiences may be given in AUTH_AUDIENCE, comma-separated. */
  audience: string | string[];
  jwks: JwksSource;
  tenantClaim: string;
}

export const DEFAULT_TENANT_CLAIM = 'tenant';

type Env = Readonly<Record<string, string | undefined>>;

class AuthConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid auth configuration: ${variable} ${problem}`);
    this.name = 'AuthConfigError';
  }
}

function required(env: Env, variable: string): string {
  const value = env[variable]?.trim();
  if (!value) throw new AuthConfigError(variable, 'is not set');
  return value;
}

function parseAudience(raw: string): string | string[] {
  const audiences = raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  if (audiences.length === 0) throw new AuthConfigError('AUTH_AUDIENCE', 'is empty');
  return audiences.length === 1 ? audiences[0]! : audiences;
}

function parseJwksUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AuthConfigError('AUTH_JWKS_URL', 'is not a valid URL');
  }
  // Plain http would let anyone on the path substitute the signing keys; loopback is for local runs.
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new AuthConfigError('AUTH_JWKS_URL', 'must use https');
  }
  return url;
}

function parseInlineJwks(raw: string): JsonWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AuthConfigError('AUTH_JWKS', 'is not valid JSON');
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((key) => typeof key === 'object' && key)) {
    throw new AuthConfigError('AUTH_JWKS', 'must be a JSON Web Key Set with at least one key');
  }
  if (keys.some((key: { d?: unknown; k?: unknown }) => key.d !== undefined || key.k !== undefined)) {
    throw new AuthConfigError('AUTH_JWKS', 'must hold public keys only');
  }
  return parsed as JsonWebKeySet;
}

/** Reads and checks the auth settings; throws an error naming the first bad variable. */
export function readAuthConfig(env: Env = process.env): AuthConfig {
  const issuer = required(env, 'AUTH_ISSUER');
  const audience = parseAudience(required(env, 'AUTH_AUDIENCE'));
  const url = env.AUTH_JWKS_URL?.trim();
  const inline = env.AUTH_JWKS?.trim();
  if (url && inline) throw new AuthConfigError('AUTH_JWKS_URL', 'and AUTH_JWKS are both set; set only one');
  if (!url && !inline) throw new AuthConfigError('AUTH_JWKS_URL', '(or AUTH_JWKS) is not set');
  const jwks: JwksSource = url ? { url: parseJwksUrl(url) } : { keys: parseInlineJwks(inline!) };
  const tenantClaim = env.AUTH_TENANT_CLAIM?.trim() || DEFAULT_TENANT_CLAIM;
  return { issuer, audience, jwks, tenantClaim };
}

let cached: AuthConfig | undefined;

/** The container's auth settings, read from the environment on first use (at cold start). */
export function authConfig(): AuthConfig {
  cached ??= readAuthConfig();
  return cached;
}
