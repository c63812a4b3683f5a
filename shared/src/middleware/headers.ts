import type { MiddlewareObj, Request } from '@middy/core';

type HeaderMap = Record<string, string | number | boolean | undefined>;

/** Case-insensitive lookup: some middlewares run before header normalisation. */
export function getHeader(headers: HeaderMap | null | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted && value !== undefined) return String(value);
  }
  return undefined;
}

/** Sets a header under its lower-case name, dropping other spellings so it is never sent twice. */
export function setHeader(headers: HeaderMap, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === lower && key !== lower) delete headers[key];
  }
  headers[lower] = value;
}

export interface HttpResponseLike {
  statusCode?: number;
  headers?: HeaderMap;
  body?: unknown;
}

/** The response as an object with a headers map, whatever shape the inner layers left it in. */
export function responseWithHeaders(
  response: unknown,
): HttpResponseLike & { headers: HeaderMap; statusCode: number } {
  const shaped: HttpResponseLike =
    typeof response === 'object' && response !== null && ('statusCode' in response || 'headers' in response)
      ? (response as HttpResponseLike)
      : { statusCode: 200, body: response };
  shaped.statusCode ??= 200;
  shaped.headers ??= {};
  return shaped as HttpResponseLike & { headers: HeaderMap; statusCode: number };
}

type HeadersEvent = {
  headers?: Record<string, unknown> | null;
  multiValueHeaders?: Record<string, unknown> | null;
};

/**
 * Lower-cases every request header name (and multi-value header name), so code reads
 * `headers['content-type']` whatever the client sent: what @middy/http-header-normalizer did with
 * its defaults (1.5 KB of every HTTP function, mostly its canonical-case table, unused), into an
 * object without a prototype as it made.
 */
export function headerNormalizer(): MiddlewareObj<HeadersEvent> {
  const lowerCased = (headers: Record<string, unknown>) => {
    const normalized: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const key in headers) normalized[key.toLowerCase()] = headers[key];
    return normalized;
  };
  const before = (request: Request<HeadersEvent>): void => {
    const { event } = request;
    if (event.headers) event.headers = lowerCased(event.headers);
    if (event.multiValueHeaders) event.multiValueHeaders = lowerCased(event.multiValueHeaders);
  };
  return { name: 'headerNormalizer', before };
}
