/**
 * Boot: read /config.json, finish a sign-in when the provider sent the browser back to /callback,
 * then render the console.
 */
import { render } from 'preact';
import { App } from './app';
import { CALLBACK_PATH, completeSignIn } from './auth/flow';
import { sessionFromTokens, type Session } from './auth/session';
import { loadConfig } from './config';
import './styles.css';

async function boot(root: HTMLElement): Promise<void> {
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
  if (location.pathname === CALLBACK_PATH) {
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
