/** The signed-in shell (navigation, sign-out, routes) and the sign-in page. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import lazy, { ErrorBoundary } from 'preact-iso/lazy';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso/router';
import { createApi } from './api';
import { signOutUrl, startSignIn } from './auth/flow';
import { SCOPES, can, timeLeft, type Session } from './auth/session';
import type { ConsoleConfig } from './config';
import { App as AppContext, useApp } from './context';

// Each page is a chunk of its own, loaded when first visited: the first load stays small.
const Overview = lazy(() => import('./pages/overview'));
const Events = lazy(() => import('./pages/events'));
const EventDetail = lazy(() => import('./pages/event'));
const Subscriptions = lazy(() => import('./pages/subscriptions'));
const SubscriptionDetail = lazy(() => import('./pages/subscription'));
const SendTestEvent = lazy(() => import('./pages/send-test'));
const ApiKeys = lazy(() => import('./pages/api-keys'));
const AuditLog = lazy(() => import('./pages/audit'));
const TenantPage = lazy(() => import('./pages/tenant'));
const TenantData = lazy(() => import('./pages/tenant-data'));
const Tenants = lazy(() => import('./pages/tenants'));

/**
 * A link the session's scopes allow (any one of `scopes`); `tenantsApi`: only when config.json names
 * the tenants API.
 */
interface NavItem {
  href: string;
  label: string;
  scopes?: readonly string[];
  tenantsApi?: boolean;
}

const NAV: NavItem[] = [
  { href: '/', label: 'Overview' },
  { href: '/events', label: 'Events', scopes: [SCOPES.eventsRead] },
  { href: '/subscriptions', label: 'Subscriptions', scopes: [SCOPES.subscriptionsRead] },
  { href: '/send', label: 'Send test event', scopes: [SCOPES.eventsWrite] },
  { href: '/api-keys', label: 'API keys', scopes: [SCOPES.keysRead], tenantsApi: true },
  { href: '/audit', label: 'Audit log', scopes: [SCOPES.auditRead], tenantsApi: true },
  { href: '/tenant', label: 'Tenant', tenantsApi: true },
  {
    href: '/data',
    label: 'Data',
    scopes: [SCOPES.tenantExport, SCOPES.tenantErase],
    tenantsApi: true,
  },
  { href: '/tenants', label: 'Tenants', scopes: [SCOPES.tenantsAdmin], tenantsApi: true },
];

export function App({
  config,
  session: initial,
  notice: initialNotice,
}: {
  config: ConsoleConfig;
  session?: Session | undefined;
  notice?: string | undefined;
}) {
  const [session, setSession] = useState<Session | undefined>(initial);
  const [notice, setNotice] = useState<string | undefined>(initialNotice);
  const token = useRef(initial?.accessToken ?? '');
  token.current = session?.accessToken ?? '';
  const api = useMemo(() => createApi(config, () => token.current), [config]);

  const expire = () => {
    setSession(undefined);
    setNotice('Your session has ended. Sign in again to continue.');
  };
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(expire, timeLeft(session));
    return () => clearTimeout(timer);
  }, [session]);

  if (!session) return <SignIn config={config} notice={notice} />;
  const signOut = () => {
    const idToken = session.idToken;
    setSession(undefined);
    token.current = '';
    // A portal session has no identity provider session to end: forgetting the token is all.
    if (session.portal) setNotice('Signed out. Open your portal link again to come back.');
    else void signOutUrl(config, idToken).then((url) => location.assign(url));
  };
  return (
    <AppContext.Provider value={{ config, session, api, expire, signOut }}>
      <LocationProvider>
        <Shell />
      </LocationProvider>
    </AppContext.Provider>
  );
}

function Shell() {
  const { session, signOut, config } = useApp();
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);
  // A route change moves focus to the new page's content, as a page load would for a screen reader.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [path]);
  const current = (href: string) =>
    href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">Herald Console</span>
        <nav aria-label="Main">
          <ul>
            {NAV.filter(
              (item) =>
                (!item.scopes || item.scopes.some((scope) => can(session, scope))) &&
                (!item.tenantsApi || config.apis.tenants),
            ).map((item) => (
              <li key={item.href}>
                <a href={item.href} aria-current={current(item.href) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who">
          {session.tenant ? `Tenant ${session.tenant}` : 'No tenant'}
          {session.subject ? ` · ${session.subject}` : ''}
          {session.portal ? ' · portal' : ''}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <ErrorBoundary>
          <Router>
            <Route path="/" component={Overview} />
            <Route path="/events" component={Events} />
            <Route path="/events/:id" component={EventDetail} />
            <Route path="/subscriptions" component={Subscriptions} />
            <Route path="/subscriptions/:id" component={SubscriptionDetail} />
            <Route path="/send" component={SendTestEvent} />
            <Route path="/api-keys" component={ApiKeys} />
            <Route path="/audit" component={AuditLog} />
            <Route path="/tenant" component={TenantPage} />
            <Route path="/data" component={TenantData} />
            <Route path="/tenants" component={Tenants} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </main>
    </>
  );
}

function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        <a href="/">Go to the overview</a>
      </p>
    </>
  );
}

function SignIn({ config, notice }: { config: ConsoleConfig; notice?: string | undefined }) {
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const signIn = () => {
    setBusy(true);
    setError(undefined);
    const returnTo = location.pathname === '/callback' ? '/' : location.pathname + location.search;
    startSignIn(config, returnTo).catch((failure: unknown) => {
      setBusy(false);
      setError(failure instanceof Error ? failure.message : String(failure));
    });
  };
  return (
    <main id="main" class="sign-in">
      <h1>Herald Console</h1>
      <p>Events, subscriptions and deliveries of your tenant.</p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p class="problem" role="alert">
          {error}
        </p>
      )}
      <button type="button" class="primary" disabled={busy} onClick={signIn}>
        Sign in
      </button>
      <p class="muted">
        You sign in with your organisation&apos;s identity provider. The console keeps your session in this
        tab&apos;s memory only: reloading the page or opening a new tab asks you to sign in again.
      </p>
    </main>
  );
}
