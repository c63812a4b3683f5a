/**
 * Boot: take a portal token out of the URL's fragment (first, so it leaves the address bar before
 * anything else runs), read /config.json, finish a sign-in when the provider sent the browser back
 * to /callback or sign in with the portal token, then render the console.
 */
import { render } from 'preact';
import { HeraldProblem } from '@herald/client';
import { createApi } from './api';
import { App } from './app';
import { CALLBACK_PATH, completeSignIn } from './auth/flow';
import { portalSession, portalTokenFromFragment, probeScopes, scopeProbes } from './auth/portal';
import { sessionFromTokens, type Session } from './auth/session';
import { loadConfig, type ConsoleConfig } from './config';
import './styles.css';

/** The session a portal token gives: its tenant, and the scopes the APIs say it holds. */
async function signInWithPortalToken(config: ConsoleConfig, token: string): Promise<Session> {
  const api = createApi(config, () => token);
  const tenant = await api.tenant.get();
  const scopes = await probeScopes(scopeProbes(api), (error) =>
    error instanceof HeraldProblem ? error.status : undefined,
  );
  return portalSession(token, tenant.id, scopes);
}

async function boot(root: HTMLElement): Promise<void> {
  // At once: the token must not stay in the address bar, the history or a copied link.
  const portal = portalTokenFromFragment(location.hash);
  if (portal) history.replaceState(null, '', location.pathname + location.search + portal.rest);
  let config;
  try {
    config = await loadConfig();
  } catch (error) {
    render(
      <main id="main" class="sign-in">
        <h1>Herald Console</h1>
        <p class="problem" role="alert">
          The console&apos;s configuration could not be read:{' '}
          {error instanceof Error ? error.message : String(error)}
        </p>
      </main>,
      root,
    );
    return;
  }
  let session: Session | undefined;
  let notice: string | undefined;
  if (portal && !portal.token) notice = 'The link’s sign-in token is not a portal token.';
  else if (portal?.token && !config.apis.tenants)
    notice = 'This console cannot sign in with a portal link: its configuration names no tenants API.';
  else if (portal?.token) {
    try {
      session = await signInWithPortalToken(config, portal.token);
    } catch (error) {
      // The problem's title only: never the token, nor a message that could hold it.
      notice = `The portal link could not sign you in${
        error instanceof HeraldProblem ? `: ${error.title} (HTTP ${error.status})` : ''
      }. Ask for a new link.`;
    }
  } else if (location.pathname === CALLBACK_PATH) {
    try {
      const { tokens, returnTo } = await completeSignIn(config);
      session = sessionFromTokens(tokens, config.tenantClaim);
      // Only a path of this origin: returnTo came back through storage, not from the provider.
      history.replaceState(null, '', returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/');
    } catch (error) {
      notice = `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`;
      history.replaceState(null, '', '/');
    }
  }
  render(<App config={config} session={session} notice={notice} />, root);
}

void boot(document.getElementById('app')!);
