/**
 * The identity provider's HTML: the sign-in page of the authorization endpoint, its error page and the
 * signed-out page. Plain HTML and no script, so the page's CSP can forbid everything but inline style.
 */
import type { AuthorizationRequest } from './authorization';
import {
  DEFAULT_TENANT,
  defaultSubject,
  GRANTED_SCOPE,
  offeredScopes,
  preselectedScopes,
} from './authorization';

/**
 * Sent with every page: no script, images or frames; never framed (clickjacking a sign-in); never
 * cached (the page carries the client's state and PKCE challenge). Forms post only to this provider,
 * and `redirectOrigins` are the registered clients' origins: browsers apply `form-action` to the
 * redirect that answers a form too, so the 303 back to a client's redirect URI must be allowed.
 * The referrer policy is same-origin, not no-referrer: under no-referrer a browser sends `Origin:
 * null` with the form's POST, and the provider refuses a sign-in whose Origin is not its own.
 */
export function pageHeaders(redirectOrigins: readonly string[] = []): Record<string, string> {
  const formAction = ["'self'", ...redirectOrigins].join(' ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action ${formAction}; frame-ancestors 'none'`,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
  };
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text and attribute values both: every value on these pages comes from the request. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
main { max-width: 34rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: 8px; }
h1 { font-size: 1.4rem; margin-top: 0; }
.notice { background: #fff4d6; border-left: 4px solid #b7791f; padding: 0.6rem 0.8rem; }
.error { background: #fde8e8; border-left: 4px solid #c53030; padding: 0.6rem 0.8rem; }
label { display: block; font-weight: 600; margin-top: 1rem; }
input[type=text] { width: 100%; box-sizing: border-box; padding: 0.45rem; font: inherit; margin-top: 0.3rem; }
fieldset { margin-top: 1rem; border: 1px solid #c9ced8; border-radius: 6px; }
fieldset label { display: inline; font-weight: normal; margin: 0 0 0 0.3rem; }
fieldset div { margin: 0.3rem 0; }
.hint { color: #4a5263; font-size: 0.9rem; margin: 0.2rem 0 0; }
button { margin-top: 1.4rem; margin-right: 0.6rem; padding: 0.5rem 1.2rem; font: inherit; }
:focus-visible { outline: 3px solid #2b6cb0; outline-offset: 2px; }
code { overflow-wrap: anywhere; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Herald local development issuer</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const DEVELOPMENT_NOTICE = (issuer: string) =>
  `<p class="notice">This is the <strong>local development issuer</strong> of Herald's local cloud ` +
  `(<code>${escapeHtml(issuer)}</code>). It has no passwords: it signs anyone in as any tenant, with ` +
  `any scopes. It only answers on this machine.</p>`;

export interface SignInPage {
  issuer: string;
  request: AuthorizationRequest;
  /** What the person typed, when the page is shown again after an error. */
  values?: { tenant?: string; subject?: string; scopes?: readonly string[] };
  error?: { field: 'tenant' | 'subject' | 'scope'; message: string };
}

function hidden(name: string, value: string | undefined): string {
  return value === undefined ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
}

/**
 * The sign-in form. It posts the authorization request back in hidden fields (the requested `scope`
 * among them), checked again on POST; the ticked scopes travel apart, as `granted_scope`.
 */
export function signInPage({ issuer, request, values = {}, error }: SignInPage): string {
  const tenant = values.tenant ?? DEFAULT_TENANT;
  const subject = values.subject ?? '';
  const ticked = new Set(values.scopes ?? preselectedScopes(request));
  const invalid = (field: string) =>
    error?.field === field ? ' aria-invalid="true" aria-describedby="form-error"' : '';
  const scopes = offeredScopes(request)
    .map(
      (scope, index) =>
        `<div><input type="checkbox" id="scope-${index}" name="${GRANTED_SCOPE}" value="${escapeHtml(scope)}"` +
        `${ticked.has(scope) ? ' checked' : ''}><label for="scope-${index}">${escapeHtml(scope)}</label></div>`,
    )
    .join('\n');
  return page(
    'Sign in',
    `<h1>Sign in to Herald</h1>
${DEVELOPMENT_NOTICE(issuer)}
<p>Signing in to <strong>${escapeHtml(request.clientId)}</strong>, which will receive the result at
<code>${escapeHtml(request.redirectUri)}</code>.</p>
${error ? `<p class="error" id="form-error" role="alert">${escapeHtml(error.message)}</p>` : ''}
<form method="post" action="/authorize">
${hidden('response_type', 'code')}
${hidden('client_id', request.clientId)}
${hidden('redirect_uri', request.redirectUri)}
${hidden('state', request.state)}
${hidden('code_challenge', request.codeChallenge)}
${hidden('code_challenge_method', 'S256')}
${hidden('nonce', request.nonce)}
${hidden('scope', request.scopes.join(' '))}
<label for="tenant">Tenant</label>
<input type="text" id="tenant" name="tenant" value="${escapeHtml(tenant)}" required maxlength="64"
 pattern="[A-Za-z0-9_\\-]{1,64}" autocomplete="off" spellcheck="false"${invalid('tenant')}>
<label for="subject">Subject</label>
<input type="text" id="subject" name="subject" value="${escapeHtml(subject)}" maxlength="256"
 placeholder="${escapeHtml(defaultSubject(tenant))}" autocomplete="off" spellcheck="false"
 aria-describedby="subject-hint"${invalid('subject')}>
<p class="hint" id="subject-hint">Who the tokens name (<code>sub</code>). Left empty: <code>dev@</code>
followed by the tenant, e.g. <code>${escapeHtml(defaultSubject(DEFAULT_TENANT))}</code>.</p>
<fieldset${invalid('scope')}>
<legend>Scopes</legend>
${scopes}
</fieldset>
<button type="submit" name="decision" value="allow">Sign in</button>
<button type="submit" name="decision" value="deny">Cancel</button>
</form>`,
  );
}

/** Shown instead of redirecting when the client or redirect URI cannot be trusted with the answer. */
export function errorPage(issuer: string, message: string): string {
  return page(
    'Sign-in error',
    `<h1>Sign-in error</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>
<p>The request was not sent back to the application that made it: the provider only redirects to
URIs registered for the client when it started.</p>
${DEVELOPMENT_NOTICE(issuer)}`,
  );
}

export function signedOutPage(issuer: string): string {
  return page(
    'Signed out',
    `<h1>Signed out</h1>
<p>There is nothing more to do here: this provider keeps no session, and the application's tokens
lived only in its page. You can close this tab.</p>
${DEVELOPMENT_NOTICE(issuer)}`,
  );
}
