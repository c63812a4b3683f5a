/**
 * Changing a subscription: where it points (same kind only), its filters, a webhook's headers and
 * timeout, its rate limit, its description.
 */
import {
  toView,
  type SubscriptionKind,
  type SubscriptionRecord,
  type SubscriptionView,
} from '../model/subscription';
import { Conflict, InvalidInput, NotFound } from '../problems';
import type { UpdateSubscriptionBody } from '../schemas/update-subscription.types.generated';
import { filterText } from '../fan-out/content-filter';
import { headerProblems, storedHeaders } from './custom-headers';
import {
  contentProblems,
  eventTypeProblems,
  rateLimitProblems,
  timeoutProblems,
  urlProblems,
} from './input-checks';
import type { SubscriptionChange, SubscriptionDeps } from './ports';

export async function updateSubscription(
  tenantId: string,
  id: string,
  input: UpdateSubscriptionBody,
  deps: Pick<
    SubscriptionDeps,
    'repository' | 'resolver' | 'targets' | 'now' | 'rateLimits' | 'cipher' | 'maxTimeoutSeconds' | 'audit'
  >,
): Promise<SubscriptionView> {
  // Headers merge into the subscription's own (a secret one can be kept without its value), so they
  // are read first. Two PATCHes of headers at once: the later write wins, as for any other field.
  const webhookOnly = input.headers !== undefined || input.timeoutSeconds !== undefined;
  // Turning ordering on starts its subject lines afresh, unless it is on already (then nothing changes).
  const current =
    webhookOnly || input.ordering !== undefined ? await deps.repository.get(tenantId, id) : undefined;
  if ((webhookOnly || input.ordering !== undefined) && !current) throw new NotFound('subscription');
  if (webhookOnly && current && current.kind !== 'webhook')
    throw new Conflict('wrong-subscription-kind', 'An e-mail subscription has no headers or timeout');
  const problems = [
    ...(input.url !== undefined ? await urlProblems(input.url, deps) : []),
    ...(input.eventTypes !== undefined ? eventTypeProblems(input.eventTypes) : []),
    ...(input.filter !== undefined && input.filter !== null ? contentProblems(input.filter) : []),
    ...rateLimitProblems(input.rateLimit, deps.rateLimits),
    ...timeoutProblems(input.timeoutSeconds, deps.maxTimeoutSeconds),
    ...(input.headers !== undefined ? headerProblems(input.headers, current?.headers) : []),
  ];
  if (problems.length > 0) throw new InvalidInput(problems);

  const now = deps.now();
  const set: SubscriptionChange['set'] = { updatedAt: now.toISOString() };
  if (input.url !== undefined) set.url = input.url;
  // A new address has not agreed to anything: pending until it confirms (resend-confirmation).
  if (input.email !== undefined) Object.assign(set, { email: input.email, status: 'pending' });
  if (input.eventTypes !== undefined) set.eventTypes = [...input.eventTypes];
  if (input.rateLimit !== undefined) set.rateLimit = input.rateLimit;
  // A new filter applies from the next event dispatched: the cache keys compiled filters by their text.
  if (input.filter !== undefined && input.filter !== null) set.filterJson = filterText(input.filter);
  if (typeof input.description === 'string') set.description = input.description;
  if (typeof input.timeoutSeconds === 'number') set.timeoutSeconds = input.timeoutSeconds;
  if (input.ordering === 'subject' && current?.ordering !== 'subject')
    Object.assign(set, { ordering: 'subject', orderedSince: set.updatedAt });
  let headers: SubscriptionRecord['headers'];
  if (input.headers !== undefined)
    headers = await storedHeaders(tenantId, id, input.headers, deps.cipher, current?.headers);
  if (headers !== undefined && Object.keys(headers).length > 0) set.headers = headers;
  const remove: (keyof SubscriptionRecord)[] = [
    ...(input.description === null ? (['description'] as const) : []),
    ...(input.filter === null ? (['filterJson'] as const) : []),
    ...(input.timeoutSeconds === null ? (['timeoutSeconds'] as const) : []),
    // Off: new events go at once; those already waiting still go in turn, as the ones before settle.
    ...(input.ordering === 'none' ? (['ordering', 'orderedSince'] as const) : []),
    ...(headers !== undefined && Object.keys(headers).length === 0 ? (['headers'] as const) : []),
  ];
  // A URL belongs to a webhook and an address to an e-mail subscription: the kind never changes.
  const kind: SubscriptionKind | undefined =
    input.url !== undefined ? 'webhook' : input.email !== undefined ? 'email' : undefined;
  // The request's members name what changed (the API's names, not the table's); never their values.
  const entry = deps.audit?.(
    {
      action: 'subscription.updated',
      resource: { type: 'subscription', id },
      changedFields: Object.keys(input),
    },
    now,
  );
  const updated = await deps.repository.update(tenantId, id, { set, remove }, kind ? { kind } : {}, entry);
  if (updated) return toView(updated);
  if (!(await deps.repository.get(tenantId, id))) throw new NotFound('subscription');
  throw new Conflict(
    'wrong-subscription-kind',
    kind === 'webhook'
      ? 'An e-mail subscription has no URL; create a webhook subscription instead'
      : 'A webhook subscription has no e-mail address; create an e-mail subscription instead',
  );
}
