/**
 * One openapi-fetch client per service (each deploys on its own, at its own URL), each sending the
 * bearer token, and `unwrap`, which makes every answer either its typed 2xx body or a thrown
 * HeraldProblem / HeraldNetworkError.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './herald-api.generated';
import { HeraldNetworkError, problemFromAnswer } from './problem';

export type ServiceName = 'ingest' | 'processing' | 'notifications' | 'tenants';
/** The services every client needs a URL for; the tenants service's is optional (see ClientOptions). */
export type CoreServiceName = Exclude<ServiceName, 'tenants'>;
export type Fetch = (input: Request) => Promise<Response>;

export interface ClientOptions {
  /**
   * Each service's URL (a deployed stage's HttpApiUrl outputs, or the local cloud's ports)... The
   * tenants service's may be left out by a caller that needs none of its routes (tenants, API keys,
   * portal tokens, the audit log): those methods then throw a TypeError naming it.
   */
  baseUrls?: Record<CoreServiceName, string> & { tenants?: string };
  /** ...or one URL serving all four (a custom domain that maps every path). */
  baseUrl?: string;
  /** A bearer token, or a function that gives a current one before each request (e.g. refreshing it). */
  token?: string;
  getToken?: () => string | Promise<string>;
  /** The fetch to call the API with; the runtime's own by default. */
  fetch?: Fetch;
}

export type ApiClient = Client<paths>;

export interface Transport {
  api: Record<ServiceName, ApiClient>;
  fetch: Fetch;
}

export function createTransport(options: ClientOptions): Transport {
  const { baseUrls, baseUrl, token, getToken } = options;
  if (!baseUrls && !baseUrl) throw new TypeError('createHeraldClient needs baseUrls or baseUrl');
  if (token === undefined && getToken === undefined)
    throw new TypeError('createHeraldClient needs token or getToken');
  // Looked up at each call, so a fetch replaced after the client was made (a test's) is the one used.
  const fetch: Fetch = options.fetch ?? ((request) => globalThis.fetch(request));
  const bearer = getToken ?? (() => token!);
  const clientOf = (service: ServiceName): ApiClient => {
    const url = baseUrls?.[service] ?? baseUrl;
    if (url === undefined) return missingUrl(service);
    const client = createClient<paths>({
      baseUrl: url.replace(/\/+$/, ''),
      fetch,
    });
    client.use({
      async onRequest({ request }) {
        request.headers.set('authorization', `Bearer ${await bearer()}`);
        return request;
      },
    });
    return client;
  };
  return {
    api: {
      ingest: clientOf('ingest'),
      processing: clientOf('processing'),
      notifications: clientOf('notifications'),
      tenants: clientOf('tenants'),
    },
    fetch,
  };
}

/** A client of a service without a URL: every call throws, so only its own methods fail. */
function missingUrl(service: ServiceName): ApiClient {
  const refuse = () => {
    throw new TypeError(
      `createHeraldClient was given no URL for the ${service} service (baseUrls.${service})`,
    );
  };
  return new Proxy({} as ApiClient, { get: () => refuse });
}

export interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** Sends one request: its 2xx body, or throws what went wrong. */
export async function unwrap<D>(
  request: Promise<Answer<D>>,
  what: { method: string; path: string },
): Promise<Exclude<D, undefined>> {
  const answer = await sent(request, what);
  if (!answer.response.ok) throw problemFromAnswer(answer.response, answer.error);
  return answer.data as Exclude<D, undefined>;
}

/** The answer whatever its status; a request that got none throws HeraldNetworkError. */
export async function sent<D>(
  request: Promise<Answer<D>>,
  what: { method: string; path: string },
): Promise<Answer<D>> {
  try {
    return await request;
  } catch (error) {
    throw new HeraldNetworkError(what.method, what.path, error);
  }
}
