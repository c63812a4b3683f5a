/**
 * Walks a tenant's chain oldest first and reports the first broken link. Retention ends the chain's
 * oldest entries (TTL is the only deletion any role can make), so the walk starts at the oldest
 * entry left, named in the verdict; from there every entry must follow the one before it.
 */
import { AuditEntryError, parseAuditEntry } from '@herald/shared/audit';
import { GENESIS_HASH, linkHash, type ChainedEntry } from './chain';

export type BrokenLinkReason =
  /** The entry's members are not those its id was made from, or not an entry at all. */
  | 'entry-altered'
  /** The entry belongs to another tenant. */
  | 'wrong-tenant'
  /** Its hash is not the hash of its previous hash, sequence number and entry. */
  | 'hash-mismatch'
  /** Its previous hash is not the hash of the entry before it. */
  | 'link-mismatch'
  /** A sequence number is missing or out of order: an entry was removed or moved. */
  | 'sequence-gap';

export type ChainVerdict =
  | { ok: true; entries: number; firstSeq?: number; lastSeq?: number; headHash?: string }
  | { ok: false; entries: number; brokenAt: number; entryId?: string; reason: BrokenLinkReason };

export async function verifyChain(
  tenantId: string,
  chain: AsyncIterable<ChainedEntry> | Iterable<ChainedEntry>,
): Promise<ChainVerdict> {
  let previous: ChainedEntry | undefined;
  let first: number | undefined;
  let entries = 0;
  for await (const link of chain) {
    const broken = (reason: BrokenLinkReason): ChainVerdict => ({
      ok: false,
      entries,
      brokenAt: link.seq,
      ...(typeof link.entry?.id === 'string' ? { entryId: link.entry.id } : {}),
      reason,
    });
    try {
      parseAuditEntry(link.entry);
    } catch (error) {
      if (error instanceof AuditEntryError) return broken('entry-altered');
      throw error;
    }
    if (link.entry.tenantId !== tenantId) return broken('wrong-tenant');
    if (linkHash(link.prevHash, link.seq, link.entry) !== link.hash) return broken('hash-mismatch');
    if (previous === undefined) {
      if (link.seq === 1 && link.prevHash !== GENESIS_HASH) return broken('link-mismatch');
      first = link.seq;
    } else {
      if (link.seq !== previous.seq + 1) return broken('sequence-gap');
      if (link.prevHash !== previous.hash) return broken('link-mismatch');
    }
    previous = link;
    entries += 1;
  }
  return previous === undefined
    ? { ok: true, entries }
    : { ok: true, entries, firstSeq: first!, lastSeq: previous.seq, headHash: previous.hash };
}
