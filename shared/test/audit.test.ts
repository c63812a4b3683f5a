import { afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import {
  AuditEntryError,
  auditEntry,
  auditEntryId,
  auditOutboxItem,
  auditBusEntry,
  auditSourceOf,
  parseAuditBusEvent,
  checkAuditEntry,
  parseAuditEntry,
  type AuditEntry,
} from '../src/audit';
import { httpHandler } from '../src/entry/http';
import { authFixture, captureLogs, httpEvent, lambdaContext, type AuthFixture } from '../src/testing/http';

const AT = new Date('2026-12-01T10:00:00.123Z');
const caller = { tenantId: 'acme', subject: 'user-42', credential: 'jwt' as const };
const request = {
  headers: { 'user-agent': 'herald-cli/1.0', authorization: 'Bearer secret-token' },
  requestContext: { http: { sourceIp: '203.0.113.7' } },
};
const change = {
  action: 'subscription.updated' as const,
  resource: { type: 'subscription' as const, id: 'sub_01' },
  changedFields: ['url', 'headers', 'url'],
};

describe('auditEntry', () => {
  test('records who, what, when and from where: names only, sorted and once', () => {
    const entry = auditEntry(caller, request, 'corr-1', change, AT);
    expect(entry).toEqual({
      tenantId: 'acme',
      id: expect.stringMatching(/^aud_[0-9a-z]{26}$/),
      at: '2026-12-01T10:00:00.123Z',
      actor: { subject: 'user-42', credential: 'jwt' },
      action: 'subscription.updated',
      resource: { type: 'subscription', id: 'sub_01' },
      changedFields: ['headers', 'url'],
      source: { ip: '203.0.113.7', userAgent: 'herald-cli/1.0' },
      correlationId: 'corr-1',
    });
    // No header's value but the user agent: the token never reaches an entry.
    expect(JSON.stringify(entry)).not.toContain('secret-token');
  });

  test('an API key names its id; the user agent is read whatever the case of its header, clipped', () => {
    const entry = auditEntry(
      { tenantId: 'acme', subject: 'key:k_1', credential: 'api_key', keyId: 'k_1' },
      { headers: { 'User-Agent': `x\u0001${'a'.repeat(600)}` } },
      'corr-2',
      { action: 'api_key.revoked', resource: { type: 'api_key', id: 'k_1' } },
      AT,
    );
    expect(entry.actor).toEqual({ subject: 'key:k_1', credential: 'api_key', keyId: 'k_1' });
    expect(entry.source).toEqual({ userAgent: `x${'a'.repeat(511)}` });
    expect(entry.changedFields).toEqual([]);
  });

  test('the id is the digest of the change: the same change gives the same id, another change another', () => {
    const first = auditEntry(caller, request, 'corr-1', change, AT);
    expect(auditEntry(caller, request, 'corr-1', change, AT).id).toBe(first.id);
    expect(auditEntryId(first)).toBe(first.id);
    expect(auditEntry(caller, request, 'corr-1', change, new Date(AT.getTime() + 1)).id).not.toBe(first.id);
    expect(auditEntry(caller, request, 'corr-1', { ...change, changedFields: ['url'] }, AT).id).not.toBe(
      first.id,
    );
  });

  test('refuses what the contract does not describe', () => {
    expect(() =>
      auditEntry(caller, request, 'corr-1', { ...change, action: 'subscription.read' as never }, AT),
    ).toThrow(AuditEntryError);
    expect(() => checkAuditEntry({ ...auditEntry(caller, request, 'c', change, AT), payload: {} })).toThrow(
      /payload/,
    );
  });
});

describe('parseAuditEntry', () => {
  const entry = auditEntry(caller, request, 'corr-1', change, AT);

  test('reads an entry; refuses one whose id is not its digest (altered on the way)', () => {
    expect(parseAuditEntry(JSON.parse(JSON.stringify(entry)))).toEqual(entry);
    const altered: AuditEntry = { ...entry, actor: { ...entry.actor, subject: 'someone-else' } };
    expect(() => parseAuditEntry(altered)).toThrow(/digest/);
  });
});

describe('auditOutboxItem', () => {
  test("under the tenant's partition, keyed by the entry's id, the entry as text, expiring after a day", () => {
    const entry = auditEntry(caller, request, 'corr-1', change, AT);
    expect(auditOutboxItem(entry)).toEqual({
      pk: 'TENANT#acme',
      sk: `AUDIT#${entry.id}`,
      auditEntry: JSON.stringify(entry),
      expiresAt: Math.floor(AT.getTime() / 1000) + 86_400,
    });
  });
});

describe('a refused request records nothing', () => {
  let fixture: AuthFixture;
  let logs: ReturnType<typeof captureLogs>;
  beforeAll(async () => {
    fixture = await authFixture();
  });
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.restore());

  test('a bad token or a missing scope never reaches the route, so no entry is built; the security log has it', async () => {
    const entries: AuditEntry[] = [];
    const handler = httpHandler(
      async (event, context) => {
        entries.push(auditEntry(context.auth, event, context.correlationId, change, AT));
        return { statusCode: 200 };
      },
      { scopes: ['subscriptions:write'], auth: { config: fixture.config } },
    );
    const wrongScope = await handler(
      httpEvent({ method: 'PATCH', headers: await fixture.headers({ claims: { scope: 'events:read' } }) }),
      lambdaContext(),
    );
    const badToken = await handler(
      httpEvent({ method: 'PATCH', headers: { authorization: 'Bearer not.a.token' } }),
      lambdaContext(),
    );
    expect([wrongScope.statusCode, badToken.statusCode]).toEqual([403, 401]);
    expect(entries).toEqual([]);
    expect(logs.text()).toContain('"securityEvent":"auth.failure"');

    const allowed = await handler(
      httpEvent({
        method: 'PATCH',
        headers: await fixture.headers({ claims: { scope: 'subscriptions:write' } }),
      }),
      lambdaContext(),
    );
    expect(allowed.statusCode).toBe(200);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.actor).toEqual({ subject: 'user-42', credential: 'jwt' });
  });
});

describe('audit.recorded on the bus', () => {
  const entry = auditEntry(caller, request, 'corr-1', change, AT);

  test('is put under the source that owns the resource, and read back from it alone', () => {
    const put = auditBusEntry(entry);
    expect(put).toEqual({
      Source: 'herald.notifications',
      DetailType: 'audit.recorded',
      Detail: JSON.stringify(entry),
    });
    const event = { source: put.Source, 'detail-type': put.DetailType, detail: JSON.parse(put.Detail) };
    expect(parseAuditBusEvent(event)).toEqual(entry);
    expect(() => parseAuditBusEvent({ ...event, source: 'herald.ingest' })).toThrow(/herald.notifications/);
    expect(() => parseAuditBusEvent({ ...event, 'detail-type': 'event.stored' })).toThrow(AuditEntryError);
  });

  test("each resource has one owner: event types ingest's, keys and tenants the tenants service's", () => {
    expect(auditSourceOf('event_type')).toBe('herald.ingest');
    expect(auditSourceOf('api_key')).toBe('herald.tenants');
    expect(auditSourceOf('replay')).toBe('herald.notifications');
  });
});
