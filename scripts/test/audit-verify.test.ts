// The operator's audit verifier: the chain's status, or its first broken link, and a kept head looked up.
import { describe, expect, test } from '@jest/globals';
import { auditEntry } from '@herald/shared/audit';
import { link, type ChainedEntry } from '../../services/tenants/src/audit/chain';
import { describeReport, verifyTenantAudit } from '../audit-verify';

function chainOf(count: number, tenantId = 'acme'): ChainedEntry[] {
  const links: ChainedEntry[] = [];
  for (let n = 1; n <= count; n += 1) {
    const entry = auditEntry(
      { tenantId, subject: 'alice', credential: 'jwt' },
      { headers: {} },
      `corr-${n}`,
      { action: 'api_key.created', resource: { type: 'api_key', id: `key_${n}` } },
      new Date(Date.UTC(2026, 11, 1, 12, 0, n)),
    );
    links.push(link(links.at(-1), entry, new Date(Date.UTC(2026, 11, 1, 12, 0, n))));
  }
  return links;
}

const logOf = (links: ChainedEntry[]) => ({
  async *walk() {
    yield* links.map((item) => structuredClone(item));
  },
});

describe('audit:verify', () => {
  test('a whole chain verifies: its entries, its sequence and its head', async () => {
    const links = chainOf(3);
    const report = await verifyTenantAudit(logOf(links), 'acme');
    expect(report).toMatchObject({ ok: true, verdict: { ok: true, entries: 3, firstSeq: 1, lastSeq: 3 } });
    expect(describeReport(report)).toBe(
      `ok: tenant acme's chain verifies: 3 entries, seq 1 to 3\nhead: ${links[2]!.hash}`,
    );
  });

  test('an entry changed is named at its link, with why', async () => {
    const links = chainOf(4);
    links[1]!.entry = { ...links[1]!.entry, actor: { subject: 'mallory', credential: 'jwt' } };
    const report = await verifyTenantAudit(logOf(links), 'acme');
    expect(report).toMatchObject({ ok: false, verdict: { ok: false, brokenAt: 2, reason: 'entry-altered' } });
    expect(describeReport(report)).toMatch(
      new RegExp(
        `^BROKEN: tenant acme's chain breaks at seq 2 \\(entry ${links[1]!.entry.id}\\): entry-altered`,
      ),
    );
  });

  test('an entry removed is a sequence gap', async () => {
    const links = chainOf(4);
    links.splice(2, 1);
    expect((await verifyTenantAudit(logOf(links), 'acme')).verdict).toMatchObject({
      ok: false,
      brokenAt: 4,
      reason: 'sequence-gap',
    });
  });

  test('a kept head must still be in the chain', async () => {
    const links = chainOf(3);
    expect(await verifyTenantAudit(logOf(links), 'acme', links[1]!.hash)).toMatchObject({
      ok: true,
      keptHead: { found: true },
    });
    // Entry 2 replaced and every link after it recomputed: the chain verifies, but lost the head.
    const other = chainOf(2, 'acme')[1]!.entry;
    const replaced = { ...other, correlationId: 'corr-rewritten' };
    const { auditEntryId } = await import('@herald/shared/audit');
    replaced.id = auditEntryId(replaced);
    const rebuilt = [links[0]!];
    for (const entry of [replaced, links[2]!.entry]) rebuilt.push(link(rebuilt.at(-1), entry, new Date()));
    const report = await verifyTenantAudit(logOf(rebuilt), 'acme', links[2]!.hash);
    expect(report.verdict).toMatchObject({ ok: true, entries: 3 });
    expect(report).toMatchObject({ ok: false, keptHead: { found: false } });
    expect(describeReport(report)).toContain(`NOT FOUND: kept head ${links[2]!.hash}`);
  });

  test('an empty chain verifies', async () => {
    const report = await verifyTenantAudit(logOf([]), 'nobody');
    expect(describeReport(report)).toBe('ok: tenant nobody has no audit entries');
  });
});
