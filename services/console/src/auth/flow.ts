/**
 * The sign-in's browser steps: discovery, the redirect to the provider, the code exchange on
 * /callback, and sign-out. Only the round trip's state, nonce and code_verifier touch storage
 * (sessionStorage, removed on the way back); tokens stay in memory.
 */
import type { ConsoleConfig } from '../config';
import {
  authorizationUrl,
  codeFromCallback,
  endSessionUrl,
  newPendingSignIn,
  parseDiscovery,
  parseTokenResponse,
  savePending,
  SignInError,
  takePending,
  tokenRequestBody,
  type Discovery,
  type TokenSet,
} from './oidc';

export const CALLBACK_PATH = '/callback';

const redirectUri = () => `${location.origin}${CALLBACK_PATH}`;

let discovery: Promise<Discovery> | undefined;

export function discover(issuer: string): Promise<Discovery> {
  discovery ??= (async () => {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`).catch((error: unknown) => {
      throw new SignInError(`The issuer could not be reached (${String(error)})`);
    });
    if (!response.ok)
      throw new SignInError(`The issuer's discovery document answered HTTP ${response.status}`);
    return parseDiscovery(await response.json(), issuer);
  })();
  // A failed attempt is not kept: the next sign-in asks again.
  discovery.catch(() => (discovery = undefined));
  return discovery;
}

export async function startSignIn(config: ConsoleConfig, returnTo: string): Promise<void> {
  const provider = await discover(config.issuer);
  const pending = newPendingSignIn(returnTo);
  savePending(sessionStorage, pending);
  location.assign(
    await authorizationUrl(provider, {
      clientId: config.clientId,
      redirectUri: redirectUri(),
      scopes: config.scopes,
      pending,
    }),
  );
}

/** On /callback: the tokens for the code the provider sent back, and where the user was going. */
export async function completeSignIn(config: ConsoleConfig): Promise<{ tokens: TokenSet; returnTo: string }> {
  const pending = takePending(sessionStorage);
  const code = codeFromCallback(new URLSearchParams(location.search), pending);
  const provider = await discover(config.issuer);
  const response = await fetch(provider.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: tokenRequestBody({
      code,
      redirectUri: redirectUri(),
      clientId: config.clientId,
      codeVerifier: pending!.codeVerifier,
    }),
  }).catch((error: unknown) => {
    throw new SignInError(`The issuer could not be reached (${String(error)})`);
  });
  const body: unknown = await response.json().catch(() => ({}));
  if (!response.ok) {
    const { error, error_description } = body as { error?: string; error_description?: string };
    throw new SignInError(
      `The issuer refused the code: ${error_description ?? error ?? `HTTP ${response.status}`}`,
    );
  }
  const tokens = parseTokenResponse(body, {
    issuer: provider.issuer,
    clientId: config.clientId,
    nonce: pending!.nonce,
  });
  return { tokens, returnTo: pending!.returnTo };
}

export async function signOutUrl(config: ConsoleConfig, idToken: string | undefined): Promise<string> {
  const provider = await discover(config.issuer).catch(() => undefined);
  return endSessionUrl(provider, {
    clientId: config.clientId,
    postLogoutRedirectUri: `${location.origin}/`,
    ...(idToken ? { idToken } : {}),
  });
}
