/**
 * A development OpenID-style issuer for the local cloud: publishes its public key as a JWKS for
 * Herald's auth middleware (AUTH_JWKS_URL) and mints access tokens for any tenant and scopes.
 * It listens on loopback only: anyone who can reach it can get a token.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_PORTS, portUse } from '../config';
import { listenOnLoopback } from '../ports';
import { defaultKeyDir, loadOrCreateSigningKey } from './keys';
import {
  DEFAULT_EXPIRES_IN_SECONDS,
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
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  let fields: Record<string, unknown>;
  if (type === 'application/x-www-form-urlencoded') {
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

export async function startIdentityProvider(
  options: IdentityProviderOptions = {},
): Promise<IdentityProvider> {
  const keyDir = options.keyDir ?? defaultKeyDir();
  const key = await loadOrCreateSigningKey(keyDir);
  const jwks = { keys: [key.publicJwk] };
  let issuer = '';
  const mint = (claims: TokenClaims) => issueToken(key.privateKey, key.kid, issuer, claims);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!LOOPBACK_HOST.test(req.headers.host ?? '')) {
      return sendJson(res, 421, { error: 'misdirected_request', error_description: 'use localhost' });
    }
    const path = new URL(req.url ?? '/', issuer).pathname;
    const method = req.method ?? 'GET';
    if (path === '/.well-known/jwks.json' && (method === 'GET' || method === 'HEAD')) {
      return sendJson(res, 200, jwks, { 'cache-control': 'public, max-age=300' });
    }
    if (path === '/.well-known/openid-configuration' && (method === 'GET' || method === 'HEAD')) {
      return sendJson(res, 200, {
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        token_endpoint: `${issuer}/token`,
        scopes_supported: KNOWN_SCOPES,
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['none'],
        id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
        response_types_supported: ['token'],
        subject_types_supported: ['public'],
      });
    }
    if (path === '/token') {
      if (method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'POST' });
      const claims = parseTokenRequest(req, await readBody(req, MAX_TOKEN_REQUEST_BYTES));
      const token = await mint(claims);
      return sendJson(
        res,
        200,
        {
          access_token: token,
          token_type: 'Bearer',
          expires_in: claims.expiresIn ?? DEFAULT_EXPIRES_IN_SECONDS,
          scope: normaliseScopes(claims.scopes).join(' '),
        },
        // RFC 6749 §5.1: token responses must not be cached.
        { 'cache-control': 'no-store', pragma: 'no-cache' },
      );
    }
    sendJson(res, 404, { error: 'not_found', error_description: `no route for ${method} ${path}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof BadRequest) {
        return sendJson(res, error.status, { error: error.error, error_description: error.message });
      }
      if (error instanceof TokenRequestError) {
        const code = error.field === 'scope' ? 'invalid_scope' : 'invalid_request';
        return sendJson(res, 400, { error: code, error_description: error.message });
      }
      console.error('identity provider: request failed', error);
      sendJson(res, 500, { error: 'server_error' });
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
