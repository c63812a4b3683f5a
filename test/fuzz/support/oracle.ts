/**
 * What every answer of every route must be, whatever was sent: a 2xx, or a 4xx that is an RFC 9457
 * problem (`application/problem+json` with `type`, `title` and the same `status`); never a 5xx,
 * never a dropped connection; nothing secret echoed back; another tenant's resource never a 2xx.
 * Requests beyond what API Gateway itself takes (headers over 10 KiB, a malformed percent-escape
 * in the path) never reach a function in AWS: for those, any 4xx (or a closed connection) is
 * accepted, and still never a 5xx.
 */
import { isAnswer, type Answer, type NoAnswer } from './http';

export interface Secrets {
  /** Values no answer may contain: tokens, their signatures, private keys. */
  never: Set<string>;
  /** Webhook signing secrets issued so far: only the answer issuing one may show it. */
  webhook: Set<string>;
}

export interface Expectation {
  /** Why API Gateway would answer this request itself, if it would. */
  gateway?: string | undefined;
  /** The request names another tenant's resource: it must not succeed. */
  crossTenant?: boolean | undefined;
  /** This answer may carry a new webhook signing secret (creation, rotation). */
  issuesSecret?: boolean | undefined;
  /** The request carries no token the route may accept: it must not succeed. */
  refused?: boolean | undefined;
  /**
   * The route answers people in a browser with HTML pages (e-mail links), not problems: every
   * answer with a body is `text/html`, and none shows these values (what the request carried) raw.
   */
  page?: { unescaped: string[] } | undefined;
}

const WEBHOOK_SECRET = /whsec_[A-Za-z0-9+/=]+/g;

function problemViolation(answer: Answer): string | undefined {
  const type = String(answer.headers['content-type'] ?? '');
  if (!type.toLowerCase().startsWith('application/problem+json'))
    return `a ${answer.status} that is not application/problem+json (content-type ${JSON.stringify(type)})`;
  let problem: unknown;
  try {
    problem = JSON.parse(answer.body);
  } catch {
    return `a ${answer.status} problem whose body is not JSON`;
  }
  const { type: kind, title, status } = (problem ?? {}) as Record<string, unknown>;
  if (typeof kind !== 'string' || typeof title !== 'string' || status !== answer.status)
    return `a ${answer.status} problem without type, title and the same status: ${answer.body.slice(0, 300)}`;
  return undefined;
}

function secretViolation(answer: Answer, secrets: Secrets, expect: Expectation): string | undefined {
  const text = `${JSON.stringify(answer.headers)}\n${answer.body}`;
  for (const value of secrets.never) if (text.includes(value)) return 'an answer that echoes a token or key';
  for (const match of text.matchAll(WEBHOOK_SECRET)) {
    const issued = expect.issuesSecret && answer.status < 300 && !secrets.webhook.has(match[0]);
    if (!issued) return `an answer that shows a webhook secret (${match[0].slice(0, 12)}…)`;
  }
  return undefined;
}

function pageViolation(answer: Answer, unescaped: readonly string[]): string | undefined {
  if (answer.body === '') return undefined;
  const type = String(answer.headers['content-type'] ?? '');
  if (!type.toLowerCase().startsWith('text/html'))
    return `a ${answer.status} page that is not text/html (${JSON.stringify(type)})`;
  for (const value of unescaped)
    if (/[<>"']/.test(value) && answer.body.includes(value))
      return `a page that shows ${JSON.stringify(value.slice(0, 80))} unescaped`;
  return undefined;
}

/** Why the answer breaks the contract, or undefined when it keeps it. */
export function violation(
  result: Answer | NoAnswer,
  secrets: Secrets,
  expect: Expectation = {},
): string | undefined {
  if (!isAnswer(result)) return expect.gateway ? undefined : `no answer: ${result.error}`;
  const { status } = result;
  if (status >= 500) return `${status}: ${result.body.slice(0, 300)}`;
  if (status < 200 || (status >= 300 && status < 400)) return `unexpected status ${status}`;
  if (expect.page && !expect.gateway)
    return pageViolation(result, expect.page.unescaped) ?? secretViolation(result, secrets, expect);
  if (status >= 400 && !expect.gateway) {
    const problem = problemViolation(result);
    if (problem) return problem;
  }
  if (status < 300 && expect.refused) return `${status} without a token the route accepts`;
  if (status < 300 && expect.crossTenant)
    return `${status} for another tenant's resource: ${result.body.slice(0, 200)}`;
  if (status < 300 && result.body !== '' && !expect.page) {
    try {
      JSON.parse(result.body);
    } catch {
      return `a ${status} whose body is not JSON`;
    }
  }
  return secretViolation(result, secrets, expect);
}

/** Remembers the webhook secrets an answer issued, so no later answer may show them. */
export function rememberIssuedSecrets(result: Answer | NoAnswer, secrets: Secrets): void {
  if (!isAnswer(result) || result.status >= 300) return;
  for (const match of result.body.matchAll(WEBHOOK_SECRET)) secrets.webhook.add(match[0]);
}
