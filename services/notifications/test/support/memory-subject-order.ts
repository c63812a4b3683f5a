/**
 * Ordered subscriptions' heads and marks in memory, with the promises subject-order.ts relies on
 * (test/contract/subject-order.contract.test.ts holds it and the DynamoDB adapter to them alike).
 */
import type { NewMark, OrderMark, SubjectOrderStore } from '../../src/ordering/subject-order';

export class MemorySubjectOrder implements SubjectOrderStore {
  readonly heads = new Map<string, number>();
  readonly marks = new Map<string, Map<number, OrderMark>>();
  /** Called before each write, so a test can interleave another writer's steps. */
  beforeWrite?: (what: string) => Promise<void> | void;

  private static key(tenantId: string, subscriptionId: string, line: string): string {
    return `${tenantId}|${subscriptionId}|${line}`;
  }

  async head(tenantId: string, subscriptionId: string, line: string) {
    return this.heads.get(MemorySubjectOrder.key(tenantId, subscriptionId, line));
  }

  async start(tenantId: string, subscriptionId: string, line: string, at: number) {
    await this.beforeWrite?.('start');
    const key = MemorySubjectOrder.key(tenantId, subscriptionId, line);
    if (!this.heads.has(key)) this.heads.set(key, at);
    return this.heads.get(key)!;
  }

  async advance(tenantId: string, subscriptionId: string, line: string, from: number, to: number) {
    await this.beforeWrite?.('advance');
    const key = MemorySubjectOrder.key(tenantId, subscriptionId, line);
    if (this.heads.get(key) !== from) return false;
    this.heads.set(key, to);
    return true;
  }

  async mark(tenantId: string, subscriptionId: string, line: string, mark: NewMark) {
    await this.beforeWrite?.('mark');
    const key = MemorySubjectOrder.key(tenantId, subscriptionId, line);
    const marks = this.marks.get(key) ?? new Map<number, OrderMark>();
    if (!marks.has(mark.sequence)) marks.set(mark.sequence, structuredClone(mark));
    this.marks.set(key, marks);
  }

  async queue(tenantId: string, subscriptionId: string, line: string, sequence: number, by: string) {
    await this.beforeWrite?.('queue');
    const marks = this.marks.get(MemorySubjectOrder.key(tenantId, subscriptionId, line));
    const mark = marks?.get(sequence);
    if (mark?.state === 'waiting') {
      marks!.set(sequence, { ...mark, state: 'queued', by });
      return true;
    }
    return mark?.state === 'queued' && mark.by === by;
  }

  async after(tenantId: string, subscriptionId: string, line: string, after: number, limit: number) {
    const marks = this.marks.get(MemorySubjectOrder.key(tenantId, subscriptionId, line)) ?? new Map();
    return [...marks.values()]
      .filter((mark) => mark.sequence > after)
      .sort((a, b) => a.sequence - b.sequence)
      .slice(0, limit)
      .map((mark) => structuredClone(mark));
  }
}
