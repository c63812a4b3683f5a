/** The checks a subscription's URL and filters pass before they are stored, as field problems. */
import { filterProblems } from '../fan-out/event-filters';
import type { FieldProblem } from '../problems';
import type { SubscriptionDeps } from './ports';
import { checkResolvedAddresses, checkWebhookUrl, hostOf, isIpLiteral } from './url-policy';

export async function urlProblems(
  url: string,
  deps: Pick<SubscriptionDeps, 'targets' | 'resolver'>,
): Promise<FieldProblem[]> {
  const checked = checkWebhookUrl(url, deps.targets);
  if (!checked.ok) return [{ pointer: '/body/url', message: checked.message }];
  if (isIpLiteral(checked.url)) return [];
  // A name that resolves to a refused address now is refused now; one that does not resolve yet is
  // accepted, since every send checks the addresses again.
  const addresses = await deps.resolver.resolve(hostOf(checked.url));
  const resolved =
    addresses === undefined ? { ok: true as const } : checkResolvedAddresses(addresses, deps.targets);
  return resolved.ok ? [] : [{ pointer: '/body/url', message: resolved.message }];
}

export function eventTypeProblems(eventTypes: readonly string[]): FieldProblem[] {
  return filterProblems(eventTypes).map(({ index, message }) => ({
    pointer: `/body/eventTypes/${index}`,
    message,
  }));
}
