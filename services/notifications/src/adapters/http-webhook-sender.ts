/**
 * Sends a webhook with SSRF defence at the moment of sending: the host is resolved once, every
 * address it resolves to is judged, and the connection goes to the address that was judged (the
 * socket's lookup returns it; nothing resolves the name a second time between check and connect,
 * which is what a DNS-rebinding attack relies on). Redirects are never followed, the whole exchange
 * has one deadline, and at most the first KiB of the answer is read.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { AttemptResult, WebhookRequest, WebhookSender } from '../delivery/ports';
import { RESPONSE_BODY_LIMIT } from '../model/delivery';
import { refusedForItsHost } from '../subscriptions/input-checks';
import type { HostResolver } from '../subscriptions/ports';
import {
  checkResolvedAddresses,
  checkWebhookUrl,
  hostOf,
  isIpLiteral,
  type TargetPolicy,
} from '../subscriptions/url-policy';

export type Resolve = (host: string) => Promise<LookupAddress[]>;

export const systemResolve: Resolve = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

/** For the check when a subscription is written: undefined when the name does not resolve now. */
export class DnsHostResolver implements HostResolver {
  constructor(
    private readonly lookup: Resolve = systemResolve,
    private readonly timeoutMs = 2_000,
  ) {}

  async resolve(host: string): Promise<string[] | undefined> {
    try {
      const found = await withDeadline(this.lookup(host), this.timeoutMs);
      return found.map((entry) => entry.address);
    } catch {
      return undefined;
    }
  }
}

class Deadline extends Error {
  override readonly name = 'Deadline';
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Deadline()), Math.max(0, ms));
    }),
  ]).finally(() => clearTimeout(timer));
}

const CONNECTION = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EADDRNOTAVAIL',
]);

/** The class of a network failure; its code is all the detail the attempt record keeps. */
export function networkErrorClass(error: NodeJS.ErrnoException): {
  class: string;
  message: string;
  retryable?: boolean;
} {
  const code = error.code ?? '';
  if (error instanceof Deadline)
    return { class: 'timeout', message: 'no complete answer within the timeout' };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENODATA') {
    return { class: 'dns', message: `the host name did not resolve (${code})` };
  }
  if (CONNECTION.has(code) || error.message === 'socket hang up') {
    return { class: 'connection', message: `connection failed (${code || error.message})` };
  }
  if (
    /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_CERT)/.test(code) ||
    code === 'ERR_TLS_CERT_ALTNAME_INVALID'
  ) {
    return { class: 'tls', message: `TLS failed (${code})` };
  }
  return {
    class: 'other',
    message: (code || error.message || 'request failed').slice(0, 200),
    retryable: true,
  };
}

export class HttpWebhookSender implements WebhookSender {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 50, timeout: 30_000 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 50, timeout: 30_000 }),
  };

  constructor(
    private readonly policy: TargetPolicy,
    private readonly resolve: Resolve = systemResolve,
    /** A target refused for where it points (a security signal). */
    private readonly onRefused: () => void = () => {},
  ) {}

  async post(request: WebhookRequest): Promise<AttemptResult> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const failed = (error: { class: string; message: string; retryable?: boolean }): AttemptResult => ({
      durationMs: elapsed(),
      error,
    });

    const checked = checkWebhookUrl(request.url, this.policy);
    if (!checked.ok) {
      if (refusedForItsHost(request.url, this.policy)) this.onRefused();
      return failed({ class: 'invalid-url', message: `the URL ${checked.message}`, retryable: false });
    }
    const url = checked.url;

    let addresses: LookupAddress[];
    if (isIpLiteral(url)) {
      const literal = url.hostname.replace(/^\[|\]$/g, '');
      addresses = [{ address: literal, family: literal.includes(':') ? 6 : 4 }];
    } else {
      try {
        addresses = await withDeadline(this.resolve(hostOf(url)), request.timeoutMs);
      } catch (error) {
        return failed(networkErrorClass(error as NodeJS.ErrnoException));
      }
    }
    const verdict = checkResolvedAddresses(
      addresses.map((entry) => entry.address),
      this.policy,
    );
    if (!verdict.ok || addresses.length === 0) {
      if (!verdict.ok) this.onRefused();
      return failed({
        class: 'forbidden-address',
        message: verdict.ok ? 'the host resolved to no address' : `the host ${verdict.message}`,
        retryable: false,
      });
    }
    const target = addresses[0]!;
    // The socket connects to the address judged above, never to a fresh answer for the name.
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) {
        (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [target]);
      } else callback(null, target.address, target.family);
    };

    const remaining = request.timeoutMs - elapsed();
    if (remaining <= 0) return failed({ class: 'timeout', message: 'no complete answer within the timeout' });
    const transport = url.protocol === 'https:' ? https : http;
    const agent = this.agents[url.protocol as 'http:' | 'https:'];

    return new Promise<AttemptResult>((resolve) => {
      let settled = false;
      const finish = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const body = Buffer.from(request.body, 'utf8');
      const req = transport.request({
        method: 'POST',
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        headers: { ...request.headers, 'content-length': String(body.length) },
        lookup: pinned,
        agent,
        // A kept-alive socket is reused only for the same name and port, and it was itself opened
        // to an address judged by this same check.
        ...(url.protocol === 'https:' && !isIpLiteral(url) ? { servername: hostOf(url) } : {}),
      });
      const timer = setTimeout(() => req.destroy(new Deadline()), remaining);
      req.on('error', (error) => finish(failed(networkErrorClass(error as NodeJS.ErrnoException))));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          finish({
            durationMs: elapsed(),
            statusCode: res.statusCode ?? 0,
            responseBody: Buffer.concat(chunks).toString('utf8').slice(0, RESPONSE_BODY_LIMIT),
            ...(typeof res.headers['retry-after'] === 'string'
              ? { retryAfter: res.headers['retry-after'] }
              : {}),
          });
        res.on('data', (chunk: Buffer) => {
          if (size < RESPONSE_BODY_LIMIT) chunks.push(chunk);
          size += chunk.length;
          if (size >= RESPONSE_BODY_LIMIT) {
            // Enough to show what the receiver said; the rest is not worth waiting for.
            done();
            res.destroy();
          }
        });
        res.on('end', done);
        res.on('error', () => done());
      });
      req.end(body);
    });
  }
}
