/** The checks a subscription's URL and filters pass before they are stored, as field problems. */
import { contentFilterProblems } from '../fan-out/content-filter';
import { filterProblems } from '../fan-out/event-filters';
import { rateLimitProblem, type RateLimits } from '../model/rate-limit';
import type { FieldProblem } from '../problems';
import type { SubscriptionDeps } from './ports';
import {
  checkResolvedAddresses,
  checkWebhookUrl,
  hostOf,
  isIpLiteral,
  type TargetPolicy,
} from './url-policy';

/** A host any policy accepts: standing in for a refused URL's host tells what refused it. */
const PUBLIC_HOST = 'example.com';

/**
 * True when the URL is refused for where it points (a refused address, a loopback or internal
 * name), not for its form: with a public host in its place it would pass.
 */
export function refusedForItsHost(raw: string, policy: TargetPolicy): boolean {
  if (checkWebhookUrl(raw, policy).ok) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  // A port the stage does not allow is a refusal for the URL's form, not for where it points.
  url.port = String(policy.ports[0] ?? '');
  if (checkWebhookUrl(url.href, policy).ok) return false;
  url.hostname = PUBLIC_HOST;
  return checkWebhookUrl(url.href, policy).ok;
}

export async function urlProblems(
  url: string,
  deps: Pick<SubscriptionDeps, 'targets' | 'resolver' | 'onSsrfRefused'>,
): Promise<FieldProblem[]> {
  const checked = checkWebhookUrl(url, deps.targets);
  if (!checked.ok) {
    if (refusedForItsHost(url, deps.targets)) deps.onSsrfRefused?.();
    return [{ pointer: '/body/url', message: checked.message }];
  }
  if (isIpLiteral(checked.url)) return [];
  // A name that resolves to a refused address now is refused now; one that does not resolve yet is
  // accepted, since every send checks the addresses again.
  const addresses = await deps.resolver.resolve(hostOf(checked.url));
  const resolved =
    addresses === undefined ? { ok: true as const } : checkResolvedAddresses(addresses, deps.targets);
  if (resolved.ok) return [];
  deps.onSsrfRefused?.();
  return [{ pointer: '/body/url', message: resolved.message }];
}

export function eventTypeProblems(eventTypes: readonly string[]): FieldProblem[] {
  return filterProblems(eventTypes).map(({ index, message }) => ({
    pointer: `/body/eventTypes/${index}`,
    message,
  }));
}

/** A content filter's problems, each at its place in the filter (`/body/filter/data/total/0`). */
export function contentProblems(filter: unknown, at = '/body/filter'): FieldProblem[] {
  return contentFilterProblems(filter).map(({ pointer, message }) => ({
    pointer: `${at}${pointer}`,
    message,
  }));
}

/** A subscription's own timeout, within the stage's maximum. */
export function timeoutProblems(timeoutSeconds: number | null | undefined, max: number): FieldProblem[] {
  return typeof timeoutSeconds === 'number' && timeoutSeconds > max
    ? [
        {
          pointer: '/body/timeoutSeconds',
          message: `must be at most ${max} seconds (the stage's maxWebhookTimeoutSeconds)`,
        },
      ]
    : [];
}

export function rateLimitProblems(rateLimit: number | undefined, limits: RateLimits): FieldProblem[] {
  const problem = rateLimit === undefined ? undefined : rateLimitProblem(rateLimit, limits);
  return problem === undefined ? [] : [{ pointer: '/body/rateLimit', message: problem }];
}
