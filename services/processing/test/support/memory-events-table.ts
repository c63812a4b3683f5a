/**
 * The events table in memory, with the semantics the logic relies on: a conditional put that refuses
 * an existing key, GetItem by key, and index queries that read newest first, apply Limit before the
 * filter, resume after ExclusiveStartKey (refusing one outside the key condition, as DynamoDB does)
 * and return LastEvaluatedKey when Limit stopped them. test/contract/ holds it to the real table.
 */
import type { EventStore } from '../../src/consume-envelope';
import type { EventKey, StoredEvent } from '../../src/events-table';
import type { EventReader, IndexPage, IndexQuery } from '../../src/read-events';

export class MemoryEventsTable implements EventStore, EventReader {
  readonly items = new Map<string, StoredEvent>();
  readonly queries: IndexQuery[] = [];
  readonly gets: EventKey[] = [];
  /** Makes putIfAbsent throw for this event id, as a throttled or failing table would. */
  failOn?: string;

  private static key(key: EventKey): string {
    return `${key.pk}|${key.sk}`;
  }

  /** Each subject's last sequence number, by `<tenant>|<subject>` (the table's SUBJECTSEQ# items). */
  readonly sequences = new Map<string, { last: number; storedAt: string }>();

  async putIfAbsent(event: StoredEvent, subject?: string): Promise<'stored' | 'duplicate'> {
    if (event.eventId === this.failOn) throw new Error('ProvisionedThroughputExceededException');
    const key = MemoryEventsTable.key(event);
    if (this.items.has(key)) return 'duplicate';
    if (subject !== undefined) {
      const counter = `${event.tenantId}|${subject}`;
      const previous = this.sequences.get(counter);
      event.subjectSequence = (previous?.last ?? 0) + 1;
      if (previous) event.subjectPreviousStoredAt = previous.storedAt;
      this.sequences.set(counter, { last: event.subjectSequence, storedAt: event.storedAt });
    }
    this.items.set(key, structuredClone(event));
    return 'stored';
  }

  async get(key: EventKey): Promise<StoredEvent | undefined> {
    this.gets.push(key);
    const item = this.items.get(MemoryEventsTable.key(key));
    return item && structuredClone(item);
  }

  async query(query: IndexQuery): Promise<IndexPage> {
    this.queries.push(query);
    const { partitionKey, sortKey } = query.index;
    const sortOf = (item: StoredEvent) => String(item[sortKey as keyof StoredEvent]);
    const after = query.startKey?.[sortKey];
    if (query.startKey !== undefined && !withinKeyCondition(query, query.startKey)) {
      throw new Error(
        'ValidationException: The provided starting key does not match the range key predicate',
      );
    }
    const matching = [...this.items.values()]
      .filter((item) => item[partitionKey as keyof StoredEvent] === query.partition)
      .filter((item) => query.from === undefined || sortOf(item) >= query.from)
      .filter((item) => query.to === undefined || sortOf(item) <= query.to)
      .sort((a, b) => (sortOf(a) < sortOf(b) ? 1 : -1))
      .filter((item) => after === undefined || sortOf(item) < after);
    const evaluated = matching.slice(0, query.limit);
    const items = evaluated
      .filter((item) => item.expiresAt > query.liveAfter)
      .map((item) => structuredClone(item));
    const last = evaluated.at(-1);
    if (evaluated.length < query.limit || last === undefined) return { items };
    return {
      items,
      lastKey: { pk: last.pk, sk: last.sk, [partitionKey]: query.partition, [sortKey]: sortOf(last) },
    };
  }
}

/** DynamoDB resumes a query only from a key its key condition could have returned. */
function withinKeyCondition(query: IndexQuery, key: Record<string, string>): boolean {
  const sort = key[query.index.sortKey];
  return (
    key[query.index.partitionKey] === query.partition &&
    sort !== undefined &&
    (query.from === undefined || sort >= query.from) &&
    (query.to === undefined || sort < query.to)
  );
}
