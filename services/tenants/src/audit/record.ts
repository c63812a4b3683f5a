/**
 * Appends an entry to its tenant's chain. Entries reach the recorder at least once (the producer's
 * outbox stream, the bus and the queue each may repeat one), so a repeat is a no-op: the store keeps
 * one entry per id. Two recorders appending for the same tenant race for the next sequence number;
 * the loser reads the head again and links after the winner.
 */
import { AuditEntryError, parseAuditBusEvent, type AuditEntry } from '@herald/shared/audit';
import { ChainRace, link, type ChainedEntry } from './chain';
import type { AuditLog } from './ports';

export interface RecordDeps {
  log: AuditLog;
  /** Days the tenant's entries are kept: its retention setting, else the stage's. */
  retentionDays: (tenantId: string) => Promise<number>;
  now: () => Date;
}

/** Attempts at the head before giving up (the record is retried by its queue). */
const MAX_RACES = 8;

export class ChainContention extends Error {
  override readonly name = 'ChainContention';
}

export async function recordAuditEntry(
  entry: AuditEntry,
  deps: RecordDeps,
): Promise<'appended' | 'duplicate'> {
  const days = await deps.retentionDays(entry.tenantId);
  for (let race = 0; race < MAX_RACES; race += 1) {
    const now = deps.now();
    const head = await deps.log.head(entry.tenantId);
    const expiresAt = Math.floor(now.getTime() / 1000) + Math.ceil(days * 86_400);
    const outcome = await deps.log.append(link(head, entry, now), expiresAt);
    if (outcome !== 'conflict') return outcome;
  }
  throw new ChainContention(`Could not append to ${entry.tenantId}'s audit chain after ${MAX_RACES} races`);
}

/** An entry as the next link of its tenant's chain, and when the link expires (TTL). */
export interface LinkedAppend {
  link: ChainedEntry;
  expiresAt: number;
}

/** What a change of this service's own needs to record its entry in the change's own write. */
export interface AuditChain {
  head: AuditLog['head'];
  /** Days a tenant with these settings keeps its entries (auditRetentionDays with the stage's figures). */
  retentionDays: (settings: { retentionDays?: number } | undefined) => number;
  now: () => Date;
}

/**
 * A change of this service's own (a tenant, an API key, a portal token) and its entry are one write:
 * `write` puts the change and the entry's link in one TransactWriteItems (the stores'
 * `transactWithLink`), so neither is written without the other and the change is recorded exactly
 * once, with no outbox to carry. A writer that lost the link to another (recordAudit, or another of
 * this service's changes) reads the head again and writes after it.
 */
export async function writeWithAuditEntry<T>(
  entry: AuditEntry,
  settings: { retentionDays?: number } | undefined,
  chain: AuditChain,
  write: (append: LinkedAppend) => Promise<T>,
): Promise<T> {
  const days = chain.retentionDays(settings);
  for (let race = 0; race < MAX_RACES; race += 1) {
    const now = chain.now();
    const head = await chain.head(entry.tenantId);
    const expiresAt = Math.floor(now.getTime() / 1000) + Math.ceil(days * 86_400);
    try {
      return await write({ link: link(head, entry, now), expiresAt });
    } catch (error) {
      if (!(error instanceof ChainRace)) throw error;
    }
  }
  throw new ChainContention(`Could not append to ${entry.tenantId}'s audit chain after ${MAX_RACES} races`);
}

/** The change with its entry when the route records it (`entry` given), else the change alone. */
export function writeAudited<T>(
  entry: AuditEntry | undefined,
  settings: { retentionDays?: number } | undefined,
  chain: AuditChain | undefined,
  write: (append?: LinkedAppend) => Promise<T>,
): Promise<T> {
  if (entry === undefined) return write();
  if (!chain) throw new Error('A change recorded in the audit log needs the audit chain in its deps');
  return writeWithAuditEntry(entry, settings, chain, write);
}

/**
 * Days a tenant's entries are kept: its `retentionDays` setting, never below the stage's floor (an
 * audit trail kept shorter than the stage's policy is no trail), else the stage's default.
 */
export function auditRetentionDays(
  settings: { retentionDays?: number } | undefined,
  stage: { defaultDays: number; minimumDays: number },
): number {
  return Math.max(stage.minimumDays, settings?.retentionDays ?? stage.defaultDays);
}

/** Why a bus message is not an entry: it fails until its queue's DLQ takes it. */
export class RejectedAuditEvent extends Error {
  override readonly name = 'RejectedAuditEvent';
}

/** The recorder queue's message (an `audit.recorded` event, as the bus's rule put it) appended. */
export async function recordFromBus(
  body: string,
  deps: RecordDeps,
): Promise<{ outcome: 'appended' | 'duplicate'; tenantId: string; entryId: string; action: string }> {
  let entry: AuditEntry;
  try {
    entry = parseAuditBusEvent(JSON.parse(body) as Parameters<typeof parseAuditBusEvent>[0]);
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof AuditEntryError || error instanceof TypeError)
      throw new RejectedAuditEvent((error as Error).message, { cause: error });
    throw error;
  }
  const outcome = await recordAuditEntry(entry, deps);
  return { outcome, tenantId: entry.tenantId, entryId: entry.id, action: entry.action };
}

/** The correlation id of the change, for the record's log lines (a bus message has no attributes). */
export function correlationInBody(body: string): string | undefined {
  const detail = (JSON.parse(body) as { detail?: { correlationId?: unknown } }).detail;
  return typeof detail?.correlationId === 'string' ? detail.correlationId : undefined;
}
