import { describe, expect, test } from '@jest/globals';
import { GENESIS_HASH, link, linkHash, type ChainedEntry } from '../../src/audit/chain';
import { recordAuditEntry } from '../../src/audit/record';
import { verifyChain } from '../../src/audit/verify';
import { entryOf, T0 } from './examples';
import { MemoryAuditLog } from './memory-audit-log';

function chainOf(count: number): ChainedEntry[] {
  const links: ChainedEntry[] = [];
  for (let n = 1; n <= count; n += 1) links.push(link(links.at(-1), entryOf(n), new Date(T0 + n * 1000)));
  return links;
}

describe('the chain', () => {
  test('each link carries the previous hash and its own over seq and entry; the first follows the genesis', () => {
    const [first, second] = chainOf(2) as [ChainedEntry, ChainedEntry];
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
    expect(first.hash).toBe(linkHash(GENESIS_HASH, 1, first.entry));
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(second.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(linkHash(first.hash, 2, { ...second.entry, changedFields: [] })).not.toBe(second.hash);
  });
});

describe('verifyChain', () => {
  test('an intact chain passes, and says where it starts and ends', async () => {
    const links = chainOf(5);
    expect(await verifyChain('acme', links)).toEqual({
      ok: true,
      entries: 5,
      firstSeq: 1,
      lastSeq: 5,
      headHash: links[4]!.hash,
    });
    expect(await verifyChain('acme', [])).toEqual({ ok: true, entries: 0 });
  });

  test('a chain whose oldest entries expired starts at the oldest left', async () => {
    expect(await verifyChain('acme', chainOf(5).slice(2))).toMatchObject({
      ok: true,
      entries: 3,
      firstSeq: 3,
    });
  });

  const tampered: Array<[string, (links: ChainedEntry[]) => ChainedEntry[], string, number]> = [
    [
      'an entry changed (its id no longer its digest)',
      (links) =>
        links.map((l) =>
          l.seq === 3 ? { ...l, entry: { ...l.entry, actor: { subject: 'mallory', credential: 'jwt' } } } : l,
        ),
      'entry-altered',
      3,
    ],
    [
      'an entry replaced by another valid entry, hash left as it was',
      (links) => links.map((l) => (l.seq === 3 ? { ...l, entry: entryOf(99) } : l)),
      'hash-mismatch',
      3,
    ],
    [
      'an entry replaced and rehashed (the next link no longer follows it)',
      (links) =>
        links.map((l) =>
          l.seq === 3 ? { ...l, entry: entryOf(99), hash: linkHash(l.prevHash, 3, entryOf(99)) } : l,
        ),
      'link-mismatch',
      4,
    ],
    ['an entry removed', (links) => links.filter((l) => l.seq !== 3), 'sequence-gap', 4],
    [
      'two entries swapped',
      (links) => [links[0]!, links[2]!, links[1]!, ...links.slice(3)],
      'sequence-gap',
      3,
    ],
    [
      "another tenant's entry",
      (links) => links.map((l) => (l.seq === 2 ? { ...l, entry: entryOf(2, { tenantId: 'globex' }) } : l)),
      'wrong-tenant',
      2,
    ],
  ];
  test.each(tampered)('%s is reported at its link', async (_name, tamper, reason, brokenAt) => {
    const verdict = await verifyChain('acme', tamper(chainOf(5)));
    expect(verdict).toMatchObject({ ok: false, reason, brokenAt });
  });
});

describe('recordAuditEntry', () => {
  const deps = (log: MemoryAuditLog) => ({
    log,
    retentionDays: async () => 30,
    now: () => new Date(T0),
  });

  test('appends each entry after the head; a repeat is a no-op; the chain verifies', async () => {
    const log = new MemoryAuditLog();
    expect(await recordAuditEntry(entryOf(1), deps(log))).toBe('appended');
    expect(await recordAuditEntry(entryOf(2), deps(log))).toBe('appended');
    expect(await recordAuditEntry(entryOf(1), deps(log))).toBe('duplicate');
    expect(log.chains.get('acme')?.size).toBe(2);
    expect(await verifyChain('acme', log.walk('acme'))).toMatchObject({ ok: true, entries: 2 });
  });

  test('recorders racing for the same tenant each link after the other', async () => {
    const log = new MemoryAuditLog();
    await Promise.all(Array.from({ length: 6 }, (_, i) => recordAuditEntry(entryOf(i + 1), deps(log))));
    expect(log.chains.get('acme')?.size).toBe(6);
    expect(await verifyChain('acme', log.walk('acme'))).toMatchObject({ ok: true, entries: 6, lastSeq: 6 });
  });
});
