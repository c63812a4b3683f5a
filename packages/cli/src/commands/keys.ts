/** herald keys create | list | get | revoke, and herald portal-token */
import type { ApiKey, CreatedApiKey } from '@herald/client';
import type { Command, Context } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import { fields, table } from '../format';
import { list as listOf, positiveInteger } from '../input';

const keyId = { min: 1, max: 1, names: 'KEY_ID' };

function showKey(context: Context, key: ApiKey) {
  const { key: _secret, ...shown } = key as CreatedApiKey;
  context.out(context.json ? JSON.stringify(key) : fields(shown));
}

/** An RFC 3339 instant as the API takes it; a usage error for anything Date cannot read. */
function instant(value: unknown, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value as string);
  if (typeof value !== 'string' || Number.isNaN(time.getTime()))
    throw new UsageError(
      `--${flag} must be a time such as 2026-12-31T00:00:00Z, not ${JSON.stringify(value)}`,
    );
  return time.toISOString();
}

export const create: Command = {
  words: ['keys', 'create'],
  summary: 'Create an API key for a machine producer or consumer (shown once)',
  usage: '--name NAME --scopes S [--expires T] [--environment live|test]',
  options: {
    name: { type: 'string', valueName: 'NAME', description: 'what the key is for (required)' },
    scopes: {
      type: 'string',
      multiple: true,
      valueName: 'SCOPES',
      description: 'its scopes, comma-separated or repeated, each one of your own (required)',
    },
    expires: {
      type: 'string',
      valueName: 'TIME',
      description: 'when it stops working (RFC 3339); never when absent',
    },
    environment: {
      type: 'string',
      valueName: 'live|test',
      description: 'its prefix, hk_live_ (default) or hk_test_: a label, both reach the same data',
    },
  },
  details: `The key is printed once, on its own line (key: hk_live_…), and never again: Herald keeps
only its SHA-256. Use it as a bearer token: Authorization: Bearer hk_live_…

Example:
  herald keys create --name ci-producer --scopes events:write`,
  async run(context, values) {
    const name = values.name as string | undefined;
    if (name === undefined) throw new UsageError('--name is required');
    const scopes = listOf(values.scopes);
    if (scopes.length === 0) throw new UsageError('--scopes is required (e.g. --scopes events:write)');
    const environment = values.environment as string | undefined;
    if (environment !== undefined && environment !== 'live' && environment !== 'test')
      throw new UsageError(`--environment must be live or test, not ${JSON.stringify(environment)}`);
    const expiresAt = instant(values.expires, 'expires');
    const created = await context.client().apiKeys.create({
      name,
      scopes,
      ...(expiresAt && { expiresAt }),
      ...(environment && { environment }),
    });
    showKey(context, created);
    if (!context.json) {
      context.out(`key: ${created.key}`);
      context.note('This key is shown once: store it now (Herald keeps only its hash).');
    }
    return EXIT.ok;
  },
};

export const list: Command = {
  words: ['keys', 'list'],
  summary: "List the tenant's API keys (never the keys themselves)",
  usage: '',
  details: 'With --json, one key per line (NDJSON).',
  async run(context) {
    const rows: ApiKey[] = [];
    for await (const key of context.client().apiKeys.list({ pageSize: 100 })) {
      if (context.json) context.out(JSON.stringify(key));
      else rows.push(key);
    }
    if (!context.json)
      context.out(
        rows.length === 0
          ? 'No API keys.'
          : table(rows, [
              { header: 'id', value: (row) => row.id },
              { header: 'name', value: (row) => row.name },
              { header: 'prefix', value: (row) => row.prefix },
              { header: 'scopes', value: (row) => row.scopes.join(',') },
              { header: 'status', value: (row) => (row.revokedAt ? 'revoked' : 'active') },
              { header: 'last used', value: (row) => row.lastUsedAt },
              { header: 'expires', value: (row) => row.expiresAt },
            ]),
      );
    return EXIT.ok;
  },
};

export const get: Command = {
  words: ['keys', 'get'],
  summary: 'Show one API key, with its last use',
  usage: 'KEY_ID',
  positionals: keyId,
  async run(context, _values, [id]) {
    showKey(context, await context.client().apiKeys.get(id!));
    return EXIT.ok;
  },
};

export const revoke: Command = {
  words: ['keys', 'revoke'],
  summary: 'Revoke an API key',
  usage: 'KEY_ID',
  positionals: keyId,
  details: `Idempotent. The key is refused (401 key_revoked) within the authorizer's caches: API
Gateway's result TTL plus 30 s.`,
  async run(context, _values, [id]) {
    await context.client().apiKeys.revoke(id!);
    if (context.json) context.out(JSON.stringify({ id, revoked: true }));
    else context.note(`Revoked ${id}.`);
    return EXIT.ok;
  },
};

export const portalToken: Command = {
  words: ['portal-token'],
  summary: 'Mint a short-lived token (and console link) for embedding the console',
  usage: '[--scopes S] [--ttl SECONDS]',
  options: {
    scopes: {
      type: 'string',
      multiple: true,
      valueName: 'SCOPES',
      description: 'its scopes, of your own (your read scopes when absent)',
    },
    ttl: { type: 'string', valueName: 'SECONDS', description: 'its lifetime, 60 to 3600 (900 by default)' },
  },
  details: `Prints the token (hk_portal_…) and, when the stage has a console, the console's URL carrying
it in its fragment, which the browser never sends to a server. Anyone holding either acts with its
scopes until it expires.`,
  async run(context, values) {
    const scopes = listOf(values.scopes);
    const ttlSeconds = positiveInteger(values.ttl, 'ttl');
    const token = await context.client().portalTokens.create({
      ...(scopes.length > 0 && { scopes }),
      ...(ttlSeconds !== undefined && { ttlSeconds }),
    });
    if (context.json) context.out(JSON.stringify(token));
    else {
      const { token: secret, url, ...shown } = token;
      context.out(fields({ ...shown, token: secret, url }));
      context.note(
        'The token and link are bearer credentials until they expire: share them only with their user.',
      );
    }
    return EXIT.ok;
  },
};
