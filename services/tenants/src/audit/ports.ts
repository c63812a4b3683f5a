import type { AuditAction, AuditResourceType } from '@herald/shared/audit';
import type { ChainedEntry, ChainLink } from './chain';

/** What GET /v1/audit can ask for; every filter is optional and they all hold together. */
export interface AuditQuery {
  action?: AuditAction;
  resource?: { type: AuditResourceType; id?: string };
  /** The actor's subject (`key:<id>` for an API key). */
  actor?: string;
  /** Inclusive bounds on the entry's `at`, RFC 3339 UTC with milliseconds. */
  since?: string;
  until?: string;
  limit: number;
  /** Resume below this sequence number (newest first). */
  beforeSeq?: number;
}

export interface AuditPage {
  items: ChainedEntry[];
  /** The sequence number to resume below, when more may match. */
  nextBeforeSeq?: number;
}

export type AppendOutcome = 'appended' | 'duplicate' | 'conflict';

/**
 * The audit table. Append is its only write: conditional, so the chain has one writer per link
 * (`conflict`: another writer took the sequence number, read the head again) and an entry already
 * in the chain is never added twice (`duplicate`, whatever its sequence number would be).
 */
export interface AuditLog {
  head(tenantId: string): Promise<ChainLink | undefined>;
  append(link: ChainedEntry, expiresAt: number): Promise<AppendOutcome>;
  /** Newest first, filtered. */
  page(tenantId: string, query: AuditQuery): Promise<AuditPage>;
  /** Oldest first, every entry left: what the verifier walks. */
  walk(tenantId: string): AsyncIterable<ChainedEntry>;
}
