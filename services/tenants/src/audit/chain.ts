/**
 * A tenant's audit log is a hash chain: entry n carries the hash of entry n-1 and its own, over its
 * sequence number and the RFC 8785 text of the entry. Changing, removing or reordering an entry in
 * the table breaks the link after it, which the verifier reports; nothing in the chain is a secret,
 * so anyone who can read it can check it.
 */
import { createHash } from 'node:crypto';
import type { AuditEntry } from '@herald/shared/audit';
import { canonicalJson } from '@herald/shared/signing/canonical';

/** The previous hash of a tenant's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainLink {
  seq: number;
  hash: string;
}

export interface ChainedEntry extends ChainLink {
  entry: AuditEntry;
  prevHash: string;
  /** When the tenants service appended it (the entry's `at` is when the change was made). */
  recordedAt: string;
}

export function linkHash(prevHash: string, seq: number, entry: AuditEntry): string {
  return createHash('sha256')
    .update(`${prevHash}\n${seq}\n${canonicalJson(entry)}`)
    .digest('hex');
}

/** The entry as the next link after `head` (none: the tenant's first). */
export function link(head: ChainLink | undefined, entry: AuditEntry, recordedAt: Date): ChainedEntry {
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  return { entry, seq, prevHash, hash: linkHash(prevHash, seq, entry), recordedAt: recordedAt.toISOString() };
}

/** Another writer took the link's sequence number: read the head again and link after it. */
export class ChainRace extends Error {
  override readonly name = 'ChainRace';
}
