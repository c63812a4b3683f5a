/**
 * Which webhook URLs a subscription may hold: https, no credentials, a host that is not a refused
 * address in any spelling. The URL is checked again, against what its name resolves to, every time
 * a webhook is sent (see the webhook sender): a name can be re-pointed after it was accepted.
 */
import { judgeAddressText, type AddressPolicy } from './address-policy';

export interface TargetPolicy extends AddressPolicy {
  /** Plain http is accepted. Only the local stage turns it on; deployed stages take https alone. */
  allowHttp: boolean;
  /**
   * The ports a webhook may be sent to (443 alone unless a stage allows more): a subscription cannot
   * aim Herald at a third party's SSH, SMTP or database port.
   */
  ports: readonly number[];
}

export const HTTPS_PORT = 443;
export const STRICT_TARGETS: TargetPolicy = { allowHttp: false, allowLoopback: false, ports: [HTTPS_PORT] };

export const MAX_URL_LENGTH = 2048;

export type UrlCheck = { ok: true; url: URL } | { ok: false; message: string };

const LOOPBACK_NAMES = /(^|\.)localhost$/;

/** The URL's host without IPv6 brackets and without a trailing root dot, lower-case. */
export function hostOf(url: URL): string {
  const host = url.hostname.toLowerCase();
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

export function isIpLiteral(url: URL): boolean {
  return url.hostname.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(url.hostname);
}

/**
 * Syntax and literal checks, no DNS. The WHATWG parser has already turned decimal, hex, octal and
 * shortened IPv4 spellings (2130706433, 0x7f.1, 0177.0.0.1, 127.1) into dotted quads and normalised
 * IPv6, so the address policy sees every spelling of a host in one form.
 */
export function checkWebhookUrl(raw: string, policy: TargetPolicy): UrlCheck {
  const checked = checkTarget(raw, policy);
  if (!checked.ok) return checked;
  // Last, so a URL refused for its host says so (and counts as an SSRF refusal) whatever its port.
  const port = portOf(checked.url);
  return policy.ports.includes(port) ? checked : { ok: false, message: portMessage(port, policy.ports) };
}

function checkTarget(raw: string, policy: TargetPolicy): UrlCheck {
  if (raw.length > MAX_URL_LENGTH)
    return { ok: false, message: `must be at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: 'is not a valid absolute URL' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttp)) {
    return { ok: false, message: policy.allowHttp ? 'must use https or http' : 'must use https' };
  }
  if (url.username !== '' || url.password !== '') {
    return {
      ok: false,
      message: 'must not carry credentials (user:password@); authenticate with the signature',
    };
  }
  if (url.hash !== '') return { ok: false, message: 'must not have a #fragment, which is never sent' };
  const host = hostOf(url);
  if (host === '') return { ok: false, message: 'must name a host' };
  if (isIpLiteral(url)) {
    const verdict = judgeAddressText(url.hostname, policy);
    if (!verdict.allowed) return { ok: false, message: `must not point at ${verdict.reason}` };
    return { ok: true, url };
  }
  if (LOOPBACK_NAMES.test(host) && !policy.allowLoopback) {
    return { ok: false, message: 'must not point at a loopback address' };
  }
  // A single-label name (no dot) only resolves through a local search domain: an internal host.
  if (!host.includes('.') && !(host === 'localhost' && policy.allowLoopback)) {
    return { ok: false, message: 'must name a public host (a fully qualified domain name)' };
  }
  return { ok: true, url };
}

/** The port a request to the URL goes to: the one written, or the scheme's default. */
export function portOf(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? HTTPS_PORT : 80;
}

function portMessage(port: number, allowed: readonly number[]): string {
  const list = allowed.length === 1 ? `port ${allowed[0]}` : `one of the ports ${allowed.join(', ')}`;
  return `must use ${list}, not port ${port}`;
}

/** Judges every address a host resolved to: one refused address refuses the host. */
export function checkResolvedAddresses(
  addresses: readonly string[],
  policy: AddressPolicy,
): { ok: true } | { ok: false; message: string } {
  for (const address of addresses) {
    const verdict = judgeAddressText(address, policy);
    if (!verdict.allowed) return { ok: false, message: `resolves to ${verdict.reason}` };
  }
  return { ok: true };
}
