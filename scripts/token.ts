/**
 * Prints an access token for the local cloud, signed with the identity provider's persisted key:
 *
 *   npm run -s token -- --tenant acme --scope events:write --scope events:read
 *
 * The token goes to stdout alone (so `TOKEN=$(npm run -s token -- ...)` works); notes go to stderr.
 * It verifies against the running local cloud's JWKS as long as both use the same key directory and
 * the issuer matches its port (4100 unless HERALD_PORT_IDENTITY or --issuer says otherwise).
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_AUDIENCE,
  DEFAULT_EXPIRES_IN_SECONDS,
  DEFAULT_PORTS,
  defaultKeyDir,
  issueToken,
  KNOWN_SCOPES,
  loadOrCreateSigningKey,
  normaliseScopes,
  TokenRequestError,
} from '@herald/local-cloud/client';

const USAGE = `Usage: npm run -s token -- --tenant <tenant> --scope <scope> [--scope <scope>...]
                          [--subject <sub>] [--expires-in <seconds>] [--audience <aud>]
                          [--issuer <url>] [--key-dir <dir>]

  --tenant      tenant id carried in the token (required)
  --scope       a scope to grant; repeat it, or give several space-separated
                (${KNOWN_SCOPES.join(', ')})
  --subject     the token's sub (default local-developer)
  --expires-in  lifetime in seconds (default ${DEFAULT_EXPIRES_IN_SECONDS})
  --audience    the token's aud (default ${DEFAULT_AUDIENCE})
  --issuer      the identity provider's issuer (default http://localhost:$HERALD_PORT_IDENTITY,
                port ${DEFAULT_PORTS.identity} when that is unset)
  --key-dir     where the signing key is kept (default $HERALD_IDENTITY_KEY_DIR or .local-cloud/identity/)`;

function fail(message: string): never {
  console.error(`token: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        tenant: { type: 'string' },
        scope: { type: 'string', multiple: true },
        subject: { type: 'string' },
        'expires-in': { type: 'string' },
        audience: { type: 'string' },
        issuer: { type: 'string' },
        'key-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}

function defaultIssuer(): string {
  const port = process.env.HERALD_PORT_IDENTITY?.trim() || String(DEFAULT_PORTS.identity);
  if (!/^\d+$/.test(port)) fail(`HERALD_PORT_IDENTITY must be a port number, not ${JSON.stringify(port)}`);
  return `http://localhost:${port}`;
}

/**
 * A token that the running provider would not accept is worse than an error, so say so when its
 * JWKS lacks our key. The provider not running is fine: the token will verify once it starts.
 */
async function checkAgainstRunningProvider(issuer: string, kid: string, keyDir: string): Promise<void> {
  let keys: Array<{ kid?: string }>;
  try {
    const response = await fetch(`${issuer}/.well-known/jwks.json`, { signal: AbortSignal.timeout(1500) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    keys = ((await response.json()) as { keys?: Array<{ kid?: string }> }).keys ?? [];
  } catch {
    console.error(`token: note: no identity provider answered at ${issuer}; the token verifies once it runs`);
    return;
  }
  if (!keys.some((key) => key.kid === kid)) {
    console.error(
      `token: warning: the identity provider at ${issuer} publishes other keys (kid ${keys.map((k) => k.kid).join(', ') || 'none'}); ` +
        `this token (kid ${kid}, key in ${keyDir}) will NOT verify there. Use its key directory (--key-dir) or issuer (--issuer).`,
    );
  }
}

async function main(): Promise<void> {
  const values = parse();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.tenant) fail('--tenant is required, e.g. --tenant acme');

  const scopes = normaliseScopes(values.scope ?? []);
  if (scopes.length === 0)
    console.error('token: warning: no --scope given; every Herald route will answer 403');
  const unknown = scopes.filter((scope) => !KNOWN_SCOPES.includes(scope));
  if (unknown.length > 0) console.error(`token: note: ${unknown.join(', ')} is not a scope Herald asks for`);

  let expiresIn: number | undefined;
  if (values['expires-in'] !== undefined) {
    if (!/^\d+$/.test(values['expires-in'])) fail('--expires-in must be a whole number of seconds');
    expiresIn = Number(values['expires-in']);
  }

  const issuer = (values.issuer ?? defaultIssuer()).replace(/\/+$/, '');
  const keyDir = values['key-dir'] ?? (process.env.HERALD_IDENTITY_KEY_DIR?.trim() || defaultKeyDir());
  const key = await loadOrCreateSigningKey(keyDir);
  if (key.created) console.error(`token: generated a new signing key in ${key.file}`);

  const token = await issueToken(key.privateKey, key.kid, issuer, {
    tenant: values.tenant,
    scopes,
    ...(values.subject !== undefined && { subject: values.subject }),
    ...(expiresIn !== undefined && { expiresIn }),
    ...(values.audience !== undefined && { audience: values.audience }),
  });
  await checkAgainstRunningProvider(issuer, key.kid, keyDir);
  console.log(token);
}

main().catch((error: unknown) => {
  if (error instanceof TokenRequestError) fail(error.message);
  console.error(`token: ${(error as Error).message}`);
  process.exit(1);
});
