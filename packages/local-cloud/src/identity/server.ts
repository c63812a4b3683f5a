/**
 * A development OpenID Connect issuer for the local cloud: publishes its public key as a JWKS for
 * Herald's auth middleware (AUTH_JWKS_URL), mints access tokens for any tenant and scopes, and signs
 * the web console in with the authorization code flow and PKCE (a sign-in page without passwords).
 * It listens on loopback only: anyone who can reach it can get a token.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_PORTS, portUse } from '../config';
import { listenOnLoopback } from '../ports';
import {
  createCodeStore,
  GRANTED_SCOPE,
  OAuthError,
  parseAuthorizationRequest,
  parseCodeExchange,
  parseSignIn,
  redeemCode,
  redirectTarget,
  SignInError,
  UnsafeRedirectError,
} from './authorization';
import type { AuthorizationRequest, RedirectTarget } from './authorization';
import { createClients } from './clients';
import type { ClientRegistrations } from './clients';
import { defaultKeyDir, loadOrCreateSigningKey } from './keys';
import { errorPage, pageHeaders, signedOutPage, signInPage } from './pages';
import {
  DEFAULT_EXPIRES_IN_SECONDS,
  issueIdToken,
  issueToken,
  KNOWN_SCOPES,
  normaliseScopes,
  SIGNING_ALGORITHM,
  TokenRequestError,
} from './tokens';
import type { TokenClaims } from './tokens';

const MAX_TOKEN_REQUEST_BYTES = 16 * 1024;
// A browser page that rebinds its own DNS name to 127.0.0.1 would otherwise be able to read minted
// tokens; its requests carry its own name in Host, so only loopback names are served.
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i;

export interface IdentityProviderOptions {
  /** A port, or 'auto' for a free one. Defaults to 4100. */
  port?: number | 'auto';
  /** Where the signing key is kept. Defaults to `.local-cloud/identity/` at the repository root. */
  keyDir?: string;
  /**
   * Public clients of the authorization code flow, by client id, with their exact redirect URIs.
   * Their origins may also read /token, discovery and the JWKS from a browser (CORS).
   */
  clients?: ClientRegistrations;
  /** The clock of authorization codes' expiry, in milliseconds; tests move it. Defaults to Date.now. */
  now?: () => number;
}

export interface IdentityProvider {
  /** `http://localhost:<port>`: the value for AUTH_ISSUER. */
  issuer: string;
  /** The value for AUTH_JWKS_URL. */
  jwksUrl: string;
  port: number;
  kid: string;
  keyDir: string;
  issueToken(claims: TokenClaims): Promise<string>;
  stop(): Promise<void>;
}

class BadRequest extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string>) {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

function redirect(res: ServerResponse, location: URL) {
  // 303: the browser follows with a GET, whatever method brought it here.
  res.writeHead(303, {
    location: location.href,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-length': 0,
  });
  res.end();
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

const FORM = 'application/x-www-form-urlencoded';

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BadRequest(413, 'invalid_request', 'request body too large'));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BadRequest(413, 'invalid_request', 'request body too large'));
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON `{ tenant, scope, subject?, expires_in?, audience? }`; a form-encoded body works as well. */
function parseTokenRequest(req: IncomingMessage, text: string): TokenClaims {
  let fields: Record<string, unknown>;
  if (mediaType(req) === FORM) {
    fields = Object.fromEntries(new URLSearchParams(text));
  } else {
    try {
      fields = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new BadRequest(
        400,
        'invalid_request',
        'the body must be JSON: {"tenant": "...", "scope": "..."}',
      );
    }
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      throw new BadRequest(400, 'invalid_request', 'the body must be a JSON object');
    }
  }
  // This grant predates the code flow and never needed a grant_type; client_credentials is what
  // discovery has always called it.
  const grantType = fields.grant_type;
  if (grantType === 'authorization_code') {
    throw new BadRequest(
      400,
      'invalid_request',
      'the authorization_code grant is form-encoded (RFC 6749 §4.1.3)',
    );
  }
  if (grantType !== undefined && grantType !== 'client_credentials') {
    throw new BadRequest(400, 'unsupported_grant_type', `grant_type ${String(grantType)} is not supported`);
  }
  const { tenant, scope, subject, audience } = fields;
  const expiresIn = fields.expires_in ?? fields.expiresIn;
  if (typeof tenant !== 'string') throw new BadRequest(400, 'invalid_request', 'tenant is required');
  const scopes = scope ?? fields.scopes ?? [];
  if (typeof scopes !== 'string' && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))) {
    throw new BadRequest(400, 'invalid_scope', 'scope must be a space-separated string or a list of strings');
  }
  const claims: TokenClaims = { tenant, scopes };
  if (subject !== undefined) {
    if (typeof subject !== 'string') throw new BadRequest(400, 'invalid_request', 'subject must be a string');
    claims.subject = subject;
  }
  if (expiresIn !== undefined) claims.expiresIn = Number(expiresIn);
  if (audience !== undefined) {
    if (typeof audience !== 'string')
      throw new BadRequest(400, 'invalid_request', 'audience must be a string');
    claims.audience = audience;
  }
  return claims;
}

// Browsers may read these from a registered client's origin; the SPA exchanges its code with /token.
const CORS_PATHS = new Set(['/token', '/.well-known/openid-configuration', '/.well-known/jwks.json']);

export async function startIdentityProvider(
  options: IdentityProviderOptions = {},
): Promise<IdentityProvider> {
  const keyDir = options.keyDir ?? defaultKeyDir();
  const key = await loadOrCreateSigningKey(keyDir);
  const clients = createClients(options.clients);
  const headers = pageHeaders(clients.redirectOrigins());
  const page = (res: ServerResponse, status: number, html: string) => sendHtml(res, status, html, headers);
  const codes = createCodeStore({ now: options.now });
  const jwks = { keys: [key.publicJwk] };
  let issuer = '';
  const mint = (claims: TokenClaims) => issueToken(key.privateKey, key.kid, issuer, claims);

  /** Sends the authorization response (a code, or an error the client may see) to the client. */
  const redirectBack = (res: ServerResponse, target: RedirectTarget, params: Record<string, string>) => {
    const location = new URL(target.redirectUri);
    for (const [name, value] of Object.entries(params)) location.searchParams.append(name, value);
    if (target.state !== undefined) location.searchParams.append('state', target.state);
    // RFC 9207: names the issuer, so a client talking to several cannot be fed another's code.
    location.searchParams.append('iss', issuer);
    redirect(res, location);
  };

  /**
   * The authorization request in `params`, or undefined once the answer is sent: an error page when
   * the client or redirect URI is not registered (never a redirect there), else an error redirect.
   */
  const authorizationRequest = (
    res: ServerResponse,
    params: URLSearchParams,
  ): AuthorizationRequest | undefined => {
    let target: RedirectTarget;
    try {
      target = redirectTarget(params, clients);
    } catch (error) {
      if (!(error instanceof UnsafeRedirectError)) throw error;
      page(res, 400, errorPage(issuer, error.message));
      return undefined;
    }
    try {
      return parseAuthorizationRequest(params, target);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      redirectBack(res, target, { error: error.error, error_description: error.message });
      return undefined;
    }
  };

  const authorize = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (req.method === 'GET') {
      // Opened as 127.0.0.1 the form would post from an origin the Origin check below refuses: the
      // page is served under the issuer's own name only.
      if (req.headers.host?.toLowerCase() !== new URL(issuer).host) return redirect(res, url);
      const request = authorizationRequest(res, url.searchParams);
      if (request) page(res, 200, signInPage({ issuer, request }));
      return;
    }
    // Only the sign-in page may post here: a cross-site form would otherwise mint codes for its own
    // PKCE challenge without anyone seeing the page. Browsers always send Origin with a POST.
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== issuer) {
      return page(
        res,
        403,
        errorPage(issuer, `Sign-in forms are only accepted from ${issuer}, not from ${origin}.`),
      );
    }
    if (mediaType(req) !== FORM) {
      return page(res, 415, errorPage(issuer, `The sign-in form is posted as ${FORM}.`));
    }
    const form = new URLSearchParams(await readBody(req, MAX_TOKEN_REQUEST_BYTES));
    const request = authorizationRequest(res, form);
    if (!request) return;
    if (form.get('decision') === 'deny') {
      return redirectBack(res, request, { error: 'access_denied', error_description: 'sign-in cancelled' });
    }
    try {
      const signIn = parseSignIn(form);
      const code = codes.issue({
        ...signIn,
        clientId: request.clientId,
        redirectUri: request.redirectUri,
        codeChallenge: request.codeChallenge,
        ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
      });
      redirectBack(res, request, { code });
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      // The person can correct a field: the page again, with what they typed.
      const values = {
        tenant: form.get('tenant') ?? '',
        subject: form.get('subject') ?? '',
        scopes: form.getAll(GRANTED_SCOPE),
      };
      page(
        res,
        400,
        signInPage({ issuer, request, values, error: { field: error.field, message: error.message } }),
      );
    }
  };

  const exchangeCode = async (form: URLSearchParams) => {
    const grant = redeemCode(codes, clients, parseCodeExchange(form));
    const claims = { tenant: grant.tenant, scopes: grant.scopes, subject: grant.subject };
    return {
      // The same token the JSON grant mints: Herald's middleware cannot tell them apart.
      access_token: await mint(claims),
      token_type: 'Bearer',
      expires_in: DEFAULT_EXPIRES_IN_SECONDS,
      scope: grant.scopes.join(' '),
      id_token: await issueIdToken(key.privateKey, key.kid, issuer, {
        subject: grant.subject,
        tenant: grant.tenant,
        clientId: grant.clientId,
        ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
      }),
    };
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const text = await readBody(req, MAX_TOKEN_REQUEST_BYTES);
    const form = mediaType(req) === FORM ? new URLSearchParams(text) : undefined;
    const grantTypes = form?.getAll('grant_type') ?? [];
    if (grantTypes.length > 1) throw new OAuthError('invalid_request', 'grant_type is repeated');
    let body: Record<string, unknown>;
    if (grantTypes[0] === 'authorization_code') {
      body = await exchangeCode(form!);
    } else {
      const claims = parseTokenRequest(req, text);
      body = {
        access_token: await mint(claims),
        token_type: 'Bearer',
        expires_in: claims.expiresIn ?? DEFAULT_EXPIRES_IN_SECONDS,
        scope: normaliseScopes(claims.scopes).join(' '),
      };
    }
    // RFC 6749 §5.1: token responses must not be cached.
    sendJson(res, 200, body, { 'cache-control': 'no-store', pragma: 'no-cache' });
  };

  const logout = (res: ServerResponse, params: URLSearchParams) => {
    const [uri, ...moreUris] = params.getAll('post_logout_redirect_uri');
    const [clientId, ...moreClients] = params.getAll('client_id');
    const state = params.get('state');
    const known = moreUris.length === 0 && moreClients.length === 0 && uri && clientId;
    if (known && clients.logoutRedirectAllowed(clientId, uri)) {
      const location = new URL(uri);
      if (state) location.searchParams.append('state', state);
      return redirect(res, location);
    }
    page(res, 200, signedOutPage(issuer));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!LOOPBACK_HOST.test(req.headers.host ?? '')) {
      return sendJson(res, 421, { error: 'misdirected_request', error_description: 'use localhost' });
    }
    const url = new URL(req.url ?? '/', issuer);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (CORS_PATHS.has(path)) {
      // Set before any answer, errors included, so the browser lets the client read why it failed.
      const origin = req.headers.origin;
      const allowed = origin !== undefined && clients.corsAllowed(origin);
      res.setHeader('vary', 'origin');
      if (allowed) res.setHeader('access-control-allow-origin', origin);
      if (method === 'OPTIONS') {
        if (!allowed) {
          return sendJson(res, 403, {
            error: 'origin_not_allowed',
            error_description: "only registered clients' origins may call this from a browser",
          });
        }
        res.writeHead(204, {
          'access-control-allow-methods': path === '/token' ? 'POST' : 'GET, HEAD',
          'access-control-allow-headers': 'content-type',
          'access-control-max-age': '600',
          'content-length': 0,
        });
        return void res.end();
      }
    }
    if (path === '/.well-known/jwks.json' && (method === 'GET' || method === 'HEAD')) {
      return sendJson(res, 200, jwks, { 'cache-control': 'public, max-age=300' });
    }
    if (path === '/.well-known/openid-configuration' && (method === 'GET' || method === 'HEAD')) {
      return sendJson(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        end_session_endpoint: `${issuer}/logout`,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        scopes_supported: ['openid', ...KNOWN_SCOPES],
        response_types_supported: ['code'],
        response_modes_supported: ['query'],
        grant_types_supported: ['authorization_code', 'client_credentials'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
        id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
        subject_types_supported: ['public'],
        claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'nonce', 'tenant'],
        authorization_response_iss_parameter_supported: true,
      });
    }
    if (path === '/authorize') {
      if (method !== 'GET' && method !== 'POST') {
        return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'GET, POST' });
      }
      return authorize(req, res, url);
    }
    if (path === '/token') {
      if (method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'POST' });
      return token(req, res);
    }
    if (path === '/logout') {
      if (method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'GET' });
      return logout(res, url.searchParams);
    }
    sendJson(res, 404, { error: 'not_found', error_description: `no route for ${method} ${path}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      // Errors of the token endpoint are token responses too (RFC 6749 §5.1): never cached.
      const noStore = { 'cache-control': 'no-store' };
      if (error instanceof OAuthError) {
        // RFC 6749 §5.2: every token error is a 400 here (no client authenticates, so no 401).
        return sendJson(res, 400, { error: error.error, error_description: error.message }, noStore);
      }
      if (error instanceof BadRequest) {
        return sendJson(res, error.status, { error: error.error, error_description: error.message }, noStore);
      }
      if (error instanceof TokenRequestError) {
        const code = error.field === 'scope' ? 'invalid_scope' : 'invalid_request';
        return sendJson(res, 400, { error: code, error_description: error.message }, noStore);
      }
      console.error('identity provider: request failed', error);
      sendJson(res, 500, { error: 'server_error' }, noStore);
    });
  });
  server.requestTimeout = 10_000;

  const port = await listenOnLoopback(server, options.port ?? DEFAULT_PORTS.identity, portUse('identity'));
  issuer = `http://localhost:${port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    port,
    kid: key.kid,
    keyDir,
    issueToken: mint,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets (e.g. a verifier's JWKS fetches) would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
