/**
 * The OAuth clients the identity provider knows: public clients (no secret, PKCE instead), each with
 * the redirect URIs it registered when the provider started. Pure: the server asks, these answer.
 */

/** The web console, a single-page app that signs in with the authorization code flow and PKCE. */
export const CONSOLE_CLIENT_ID = 'herald-console';

export interface ClientRegistration {
  /** Absolute http(s) URIs, compared as exact strings (RFC 6749 §3.1.2, OAuth 2.0 Security BCP §2.1). */
  redirectUris: readonly string[];
}

export type ClientRegistrations = Readonly<Record<string, ClientRegistration>>;

export interface Clients {
  /** True when `clientId` is registered and `redirectUri` is, character for character, one of its URIs. */
  redirectAllowed(clientId: string, redirectUri: string): boolean;
  isClient(clientId: string): boolean;
  /** Whether a browser page of `origin` may read the token, discovery and JWKS answers (CORS). */
  corsAllowed(origin: string): boolean;
  /**
   * Where `/logout` may send the browser back to: the origin of each of the client's redirect URIs,
   * followed by `/`. Nothing else, so the endpoint cannot be used as an open redirector.
   */
  logoutRedirectAllowed(clientId: string, uri: string): boolean;
  /** The origins of every registered redirect URI: where the sign-in form's answer may send the browser. */
  redirectOrigins(): readonly string[];
}

const CLIENT_ID = /^[\x21-\x7E]{1,128}$/;

function checkRedirectUri(clientId: string, uri: string): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new Error(`client ${clientId}: redirect URI ${JSON.stringify(uri)} is not an absolute URL`);
  }
  // RFC 6749 §3.1.2: absolute, no fragment. Only http(s): the console is a web page.
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || uri.includes('#')) {
    throw new Error(`client ${clientId}: redirect URI ${uri} must be an http(s) URL without a fragment`);
  }
  return url;
}

/** Checks the registrations once, at start, so a typo fails the start rather than every sign-in. */
export function createClients(registrations: ClientRegistrations = {}): Clients {
  const redirects = new Map<string, Set<string>>();
  const logoutTargets = new Map<string, Set<string>>();
  const origins = new Set<string>();
  for (const [clientId, registration] of Object.entries(registrations)) {
    if (!CLIENT_ID.test(clientId)) throw new Error(`client id ${JSON.stringify(clientId)} is not valid`);
    const uris = new Set<string>();
    const targets = new Set<string>();
    for (const uri of registration.redirectUris) {
      const url = checkRedirectUri(clientId, uri);
      uris.add(uri);
      targets.add(`${url.origin}/`);
      origins.add(url.origin);
    }
    redirects.set(clientId, uris);
    logoutTargets.set(clientId, targets);
  }
  return {
    redirectAllowed: (clientId, redirectUri) => redirects.get(clientId)?.has(redirectUri) ?? false,
    isClient: (clientId) => redirects.has(clientId),
    corsAllowed: (origin) => origins.has(origin),
    logoutRedirectAllowed: (clientId, uri) => logoutTargets.get(clientId)?.has(uri) ?? false,
    redirectOrigins: () => [...origins],
  };
}
