/** The audit table in memory, keeping the DynamoDB adapter's promises (audit-log.contract.test.ts). */
import { matches } from '../../src/audit/list';
import type { ChainedEntry, ChainLink } from '../../src/audit/chain';
import type { AppendOutcome, AuditLog, AuditPage, AuditQuery } from '../../src/audit/ports';

export class MemoryAuditLog implements AuditLog {
  /** Per tenant, by sequence number. */
  readonly chains = new Map<string, Map<number, ChainedEntry>>();
  private readonly ids = new Set<string>();

  private chain(tenantId: string): Map<number, ChainedEntry> {
    let chain = this.chains.get(tenantId);
    if (!chain) this.chains.set(tenantId, (chain = new Map()));
    return chain;
  }

  private ordered(tenantId: string): ChainedEntry[] {
    return [...this.chain(tenantId).values()].sort((a, b) => a.seq - b.seq);
  }

  async head(tenantId: string): Promise<ChainLink | undefined> {
    const last = this.ordered(tenantId).at(-1);
    return last ? { seq: last.seq, hash: last.hash } : undefined;
  }

  async append(link: ChainedEntry, _expiresAt: number): Promise<AppendOutcome> {
    const key = `${link.entry.tenantId}\n${link.entry.id}`;
    if (this.ids.has(key)) return 'duplicate';
    const chain = this.chain(link.entry.tenantId);
    if (chain.has(link.seq)) return 'conflict';
    chain.set(link.seq, structuredClone(link));
    this.ids.add(key);
    return 'appended';
  }

  async page(tenantId: string, query: AuditQuery): Promise<AuditPage> {
    const items = this.ordered(tenantId)
      .reverse()
      .filter((link) => (query.beforeSeq === undefined || link.seq < query.beforeSeq) && matches(link, query))
      .slice(0, query.limit)
      .map((link) => structuredClone(link));
    return items.length === query.limit ? { items, nextBeforeSeq: items.at(-1)!.seq } : { items };
  }

  async *walk(tenantId: string): AsyncIterable<ChainedEntry> {
    for (const link of this.ordered(tenantId)) yield structuredClone(link);
  }
}
