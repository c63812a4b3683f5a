/**
 * POST /v1/subscriptions/test-filter as plain logic: which of the tenant's newest stored events a
 * content filter (and event types, if given) would match, so a filter can be tried on real events
 * before a subscription carries it. Reads at most MAX_EXAMINED stored events, newest first, one
 * query; matches them as dispatch would (fan-out/content-filter.ts).
 */
import type { Envelope } from '@herald/shared/contracts';
import { filterText, matchesSubscription } from '../fan-out/content-filter';
import { InvalidInput, type FieldProblem } from '../problems';
import type { FilterTest } from '../schemas/responses.types.generated';
import type { TestFilterBody } from '../schemas/test-filter.types.generated';
import { contentProblems, eventTypeProblems } from '../subscriptions/input-checks';

export const MAX_EXAMINED = 100;

export interface RecentEvents {
  /**
   * The tenant's stored events with a bus time in [from, to], newest first, at most `limit`;
   * `more` when older ones in the range were left unread.
   */
  newest(
    tenantId: string,
    range: { from: string; to: string },
    limit: number,
  ): Promise<{ items: Array<{ eventKey: string; envelope: Envelope }>; more: boolean }>;
}

export interface TestFilterDeps {
  events: RecentEvents;
  now: () => Date;
  retentionDays: number;
}

/** The bus time an event was stored at, from its key `EVT#<time>#<id>`. */
const storedTime = (eventKey: string) => eventKey.slice('EVT#'.length, eventKey.lastIndexOf('#'));

export async function testFilter(
  tenantId: string,
  input: TestFilterBody,
  deps: TestFilterDeps,
): Promise<FilterTest> {
  const now = deps.now();
  const oldest = new Date(now.getTime() - deps.retentionDays * 86400_000);
  const since = input.since === undefined ? oldest : new Date(input.since);
  const problems: FieldProblem[] = [
    ...contentProblems(input.filter),
    ...(input.eventTypes === undefined ? [] : eventTypeProblems(input.eventTypes)),
  ];
  if (Number.isNaN(since.getTime()))
    problems.push({ pointer: '/body/since', message: 'must be a time that can be represented' });
  else if (since.getTime() > now.getTime())
    problems.push({ pointer: '/body/since', message: 'must not be in the future' });
  if (problems.length > 0) throw new InvalidInput(problems);

  // Older than the retention is allowed and reads what is left: no stored event is older.
  const from = (since < oldest ? oldest : since).toISOString();
  const limit = Math.min(input.limit ?? MAX_EXAMINED, MAX_EXAMINED);
  const page = await deps.events.newest(tenantId, { from, to: now.toISOString() }, limit);
  const subscription = { eventTypes: input.eventTypes ?? ['*'], filterJson: filterText(input.filter) };
  return {
    matched: page.items
      .filter((event) => matchesSubscription(subscription, event.envelope))
      .map((event) => ({
        id: event.envelope.id,
        type: event.envelope.type,
        time: storedTime(event.eventKey),
      })),
    examined: page.items.length,
    truncated: page.more,
  };
}
