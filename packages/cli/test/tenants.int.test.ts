/**
 * herald keys, portal-token, tenant show, audit list and tenants against the shared local cloud, as a
 * user runs them: a key created (printed once), listed, used as the bearer of another command, read
 * with its last use and revoked (then refused); a subscription's changes found with audit list's
 * filters and pages; an operator's tenant through its whole life, refused to a tenant's token.
 */
import { beforeAll, describe, expect, jest, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { eventually, localCloud, tokenFor } from '../../../test/setup/local-cloud';
import { herald, heraldEnv, type Ran } from './run-herald';

/** A run that exited 0, or a failure saying what the command printed. */
function succeeded(ran: Ran): Ran {
  if (ran.code !== 0) throw new Error(`exit ${ran.code}\nstdout: ${ran.stdout}\nstderr: ${ran.stderr}`);
  return ran;
}

jest.setTimeout(120_000);

const suffix = () => randomBytes(6).toString('hex');
let tenant: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  tenant = `cli-tenants-${suffix()}`;
  env = heraldEnv(
    await tokenFor({
      tenant,
      subject: 'cli-user',
      scopes: ['keys:read', 'keys:write', 'audit:read', 'subscriptions:read', 'subscriptions:write'],
    }),
  );
});

describe('keys and portal tokens', () => {
  test('create prints the key once; the key works as a token until it is revoked', async () => {
    const created = await herald(['keys', 'create', '--name', 'ci', '--scopes', 'subscriptions:read'], env);
    succeeded(created);
    const key = /^key: (hk_live_\S+)$/m.exec(created.stdout)?.[1];
    expect(key).toBeDefined();
    expect(created.stderr).toContain('shown once');
    const id = /^id: +(\S+)$/m.exec(created.stdout)?.[1];
    expect(id).toBeDefined();

    const listed = await herald(['keys', 'list', '--json'], env);
    succeeded(listed);
    const keys = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(keys).toEqual([expect.objectContaining({ id, name: 'ci', scopes: ['subscriptions:read'] })]);
    expect(listed.stdout).not.toContain(key!);

    const withKey = { ...env, HERALD_TOKEN: key! };
    expect(await herald(['subscriptions', 'list'], withKey)).toMatchObject({ code: 0 });
    // Its scopes are its own: keys:read was not given to it.
    const refused = await herald(['keys', 'list'], withKey);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('(403)');

    // Its last use is written by the authorizer (once a minute at most), beside the request.
    await eventually(
      async () => {
        const got = JSON.parse(succeeded(await herald(['keys', 'get', id!, '--json'], env)).stdout) as {
          lastUsedAt?: string;
        };
        return got.lastUsedAt;
      },
      15_000,
      "the key's last use",
    );

    expect(await herald(['keys', 'revoke', id!], env)).toMatchObject({ code: 0 });
    expect(JSON.parse((await herald(['keys', 'get', id!, '--json'], env)).stdout)).toMatchObject({
      revokedAt: expect.any(String),
    });
    // Refused within the authorizer's caches (30 s in a container, and the local front's TTL).
    await eventually(
      async () => ((await herald(['subscriptions', 'list'], withKey)).code === 1 ? true : undefined),
      60_000,
      'the revoked key refused',
    );
  });

  test('portal-token prints a short-lived hk_portal_ token of the read scopes asked for', async () => {
    const minted = await herald(
      ['portal-token', '--scopes', 'subscriptions:read', '--ttl', '300', '--json'],
      env,
    );
    succeeded(minted);
    const token = JSON.parse(minted.stdout) as { token: string; scopes: string[]; expiresAt: string };
    expect(token.token).toMatch(/^hk_portal_/);
    expect(token.scopes).toEqual(['subscriptions:read']);
    const lifetime = Date.parse(token.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(200_000);
    expect(lifetime).toBeLessThanOrEqual(300_000);
    expect(await herald(['subscriptions', 'list'], { ...env, HERALD_TOKEN: token.token })).toMatchObject({
      code: 0,
    });
  });
});

describe('tenant show and audit list', () => {
  test("tenant show is the caller's tenant; audit list finds a subscription's changes by filter and page", async () => {
    const shown = await herald(['tenant', 'show', '--json'], env);
    succeeded(shown);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: tenant, status: 'active' });

    const created = await herald(
      [
        'subscriptions',
        'create',
        '--url',
        `${localCloud().endpoints.webhooks}/cli-audit-${suffix()}`,
        '--events',
        'order.*',
        '--json',
      ],
      env,
    );
    succeeded(created);
    const id = (JSON.parse(created.stdout) as { id: string }).id;

    const entries = async (args: string[]) => {
      const ran = await herald(['audit', 'list', '--json', ...args], env);
      succeeded(ran);
      return ran.stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { action?: string; nextCursor?: string });
    };
    // The keys' and the tenant's own entries are there too; the subscription's are these two.
    const ofSubscriptions = ['--resource-type', 'subscription'];
    // The log is newest recorded first, and two changes made moments apart may be recorded in either
    // order (the bus and the audit queue keep none, and two recorders run at once): pause once the
    // creation is recorded, so that the order below is the order of the changes.
    await eventually(
      async () => ((await entries(['--all', ...ofSubscriptions])).length >= 1 ? true : undefined),
      30_000,
      'the creation recorded',
    );
    expect(await herald(['subscriptions', 'pause', id], env)).toMatchObject({ code: 0 });
    await eventually(
      async () => ((await entries(['--all', ...ofSubscriptions])).length >= 2 ? true : undefined),
      30_000,
      'two audit entries',
    );
    expect((await entries(['--all', ...ofSubscriptions])).map((entry) => entry.action)).toEqual([
      'subscription.paused',
      'subscription.created',
    ]);
    expect(
      (
        await entries([
          '--action',
          'subscription.created',
          '--resource-type',
          'subscription',
          '--resource-id',
          id,
        ])
      ).map((entry) => entry.action),
    ).toEqual(['subscription.created']);
    expect((await entries(['--actor', 'someone-else'])).length).toBe(0);

    const first = await entries(['--limit', '1', ...ofSubscriptions]);
    expect(first).toEqual(
      [{ action: 'subscription.paused' }, { nextCursor: expect.any(String) }].map(expect.objectContaining),
    );
    const second = await entries(['--limit', '1', ...ofSubscriptions, '--cursor', first[1]!.nextCursor!]);
    expect(second.map((entry) => entry.action)).toEqual(['subscription.created']);

    const table = await herald(['audit', 'list', '--limit', '1', ...ofSubscriptions], env);
    expect(table.stdout).toMatch(/subscription\.paused +subscription\/\S+ +cli-user/);
    expect(table.stderr).toMatch(/next page: --cursor \S+/);

    const wrongScope = await herald(['audit', 'list'], {
      ...env,
      HERALD_TOKEN: await tokenFor({ tenant, scopes: ['subscriptions:read'] }),
    });
    expect(wrongScope.code).toBe(1);
  });
});

describe('tenants (operators)', () => {
  test("create, list, get, update, suspend, resume and delete a tenant; a tenant's token is refused", async () => {
    const operator = heraldEnv(
      await tokenFor({ tenant: 'herald-operators', subject: 'ops', scopes: ['tenants:admin'] }),
    );
    const id = `cli-op-${suffix()}`;
    const created = await herald(
      ['tenants', 'create', id, '--name', 'Acme', '--settings', '{"retentionDays":7}', '--json'],
      operator,
    );
    succeeded(created);
    expect(JSON.parse(created.stdout)).toMatchObject({
      id,
      name: 'Acme',
      status: 'active',
      settings: { retentionDays: 7 },
    });

    const listed = await herald(['tenants', 'list'], operator);
    expect(listed.stdout).toMatch(new RegExp(`^${id} +Acme +active`, 'm'));

    const updated = await herald(
      [
        'tenants',
        'update',
        id,
        '--settings',
        '{"retentionDays":null,"limits":{"maxSubscriptions":3}}',
        '--json',
      ],
      operator,
    );
    expect(JSON.parse(updated.stdout)).toMatchObject({ settings: { limits: { maxSubscriptions: 3 } } });
    expect(JSON.parse(updated.stdout).settings.retentionDays).toBeUndefined();

    expect(JSON.parse((await herald(['tenants', 'suspend', id, '--json'], operator)).stdout)).toMatchObject({
      status: 'suspended',
    });
    expect(JSON.parse((await herald(['tenants', 'get', id, '--json'], operator)).stdout)).toMatchObject({
      status: 'suspended',
    });
    expect(JSON.parse((await herald(['tenants', 'resume', id, '--json'], operator)).stdout)).toMatchObject({
      status: 'active',
    });

    expect((await herald(['tenants', 'delete', id], operator)).code).toBe(2);
    expect(await herald(['tenants', 'delete', id, '--yes'], operator)).toMatchObject({ code: 0 });
    expect(JSON.parse((await herald(['tenants', 'get', id, '--json'], operator)).stdout)).toMatchObject({
      status: 'deleted',
    });

    const refused = await herald(['tenants', 'list'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('(403)');
  });
});
