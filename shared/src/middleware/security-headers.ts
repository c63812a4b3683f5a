import type { MiddlewareObj, Request } from '@middy/core';
import { responseWithHeaders, setHeader } from './headers';

/** An API that only ever returns JSON: nothing may be framed, sniffed, cached or embedded. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * Adds the security headers to every response, overriding a handler's own values. Use it outside
 * the errors middleware: middy runs onError hooks inside-out, and it must see the problem response.
 */
export function securityHeaders(): MiddlewareObj {
  const apply = (request: Request): void => {
    if (request.response === undefined && request.error) return;
    const response = responseWithHeaders(request.response);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) setHeader(response.headers, name, value);
    request.response = response;
  };
  return { name: 'securityHeaders', after: apply, onError: apply };
}
