/**
 * An in-memory stand-in for the API behind fetch: each request is recorded and answered by the
 * test's handler, so the client's batching and retries can be followed request by request.
 */
export interface Recorded {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

export type Handler = (request: Recorded, index: number) => Response | Promise<Response>;

export function memoryFetch(handler: Handler) {
  const requests: Recorded[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const recorded = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body ? await request.text() : '',
    };
    requests.push(recorded);
    return handler(recorded, requests.length - 1);
  };
  return { fetch, requests };
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export const problem = (status: number, slug: string, members: Record<string, unknown> = {}, headers = {}) =>
  new Response(
    JSON.stringify({ type: `https://herald.dev/problems/${slug}`, title: 'Problem', status, ...members }),
    { status, headers: { 'content-type': 'application/problem+json', ...headers } },
  );

export const bodyOf = (request: Recorded) =>
  JSON.parse(request.body) as { events: Array<{ type: string; data: unknown }> };

/** Ids as ingest gives them: the batch's key and each event's place in it. */
export const idsFor = (request: Recorded) =>
  bodyOf(request).events.map((_, index) => `${request.headers.get('idempotency-key')}-${index}`);
