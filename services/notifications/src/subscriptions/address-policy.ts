/**
 * Which network addresses a webhook may reach. Only globally routable unicast addresses pass:
 * private, loopback, link-local (and with it the cloud metadata address 169.254.169.254), CGNAT,
 * multicast, broadcast, unspecified, documentation and reserved ranges are refused, in IPv4 and
 * IPv6 alike. IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4,
 * Teredo) are refused or judged by the IPv4 address inside, so no spelling reaches a refused host.
 * Checking what is allowed rather than listing what is not means a range nobody thought of is refused.
 */
import ipaddr from 'ipaddr.js';

export interface AddressPolicy {
  /**
   * Loopback (127.0.0.0/8, ::1) is reachable. Only the local stage turns this on, so the local
   * webhook receiver on 127.0.0.1 can be used; every deployed stage refuses loopback.
   */
  allowLoopback: boolean;
}

export const STRICT_POLICY: AddressPolicy = { allowLoopback: false };

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

// Cloud metadata services, named so the refusal says what was hit. All are already outside the
// unicast ranges (link-local, unique-local, CGNAT, reserved); the names only improve the message.
const METADATA = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', '192.0.0.192']);

/** Parses an address as written in a URL host or returned by DNS: `1.2.3.4`, `::1`, `[::1]`. */
export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // Only the four-part dotted form is an IPv4 address here: URL parsing already turned the other
  // spellings (2130706433, 0x7f.1, 0177.0.0.1) into it, and DNS answers are always dotted quads.
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (ipaddr.IPv6.isValid(bare) && bare.includes(':')) return ipaddr.IPv6.parse(bare);
  return undefined;
}

function judgeIPv4(address: ipaddr.IPv4, policy: AddressPolicy): AddressVerdict {
  const text = address.toString();
  if (METADATA.has(text)) return { allowed: false, reason: 'a cloud metadata address' };
  const range = address.range();
  if (range === 'unicast') return { allowed: true };
  if (range === 'loopback' && policy.allowLoopback) return { allowed: true };
  return { allowed: false, reason: `a ${describe(range)} address` };
}

export function judgeAddress(address: ipaddr.IPv4 | ipaddr.IPv6, policy: AddressPolicy): AddressVerdict {
  if (address.kind() === 'ipv4') return judgeIPv4(address as ipaddr.IPv4, policy);
  const v6 = address as ipaddr.IPv6;
  // ::ffff:a.b.c.d and ::a.b.c.d reach the IPv4 host: judge that host.
  if (v6.isIPv4MappedAddress() || isIPv4Compatible(v6)) return judgeIPv4(embeddedIPv4(v6), policy);
  if (isEc2Metadata(v6)) return { allowed: false, reason: 'a cloud metadata address' };
  const range = v6.range();
  if (range === 'unicast') return { allowed: true };
  if (range === 'loopback' && policy.allowLoopback) return { allowed: true };
  return { allowed: false, reason: `a ${describe(range)} address` };
}

/**
 * Judges an address given as text; text that is not an address is refused, and so, failing closed,
 * is one the parser cannot judge.
 */
export function judgeAddressText(text: string, policy: AddressPolicy): AddressVerdict {
  try {
    const address = parseAddress(text);
    if (!address) return { allowed: false, reason: 'not an IP address' };
    return judgeAddress(address, policy);
  } catch {
    return { allowed: false, reason: 'an address that cannot be checked' };
  }
}

/**
 * The IPv4 address in the last 32 bits. ipaddr.js converts only the IPv4-mapped form (::ffff:a.b.c.d)
 * and throws for the IPv4-compatible one (::a.b.c.d), which names the same host.
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 {
  const [high = 0, low = 0] = address.parts.slice(6);
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

function isIPv4Compatible(address: ipaddr.IPv6): boolean {
  const parts = address.parts;
  return parts.slice(0, 6).every((part) => part === 0) && (parts[6] !== 0 || (parts[7] ?? 0) > 1);
}

function isEc2Metadata(address: ipaddr.IPv6): boolean {
  return address.toNormalizedString() === 'fd00:ec2:0:0:0:0:0:254';
}

const RANGE_NAMES: Record<string, string> = {
  private: 'private',
  loopback: 'loopback',
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade NAT (shared)',
  multicast: 'multicast',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  reserved: 'reserved',
  uniqueLocal: 'unique-local (private)',
  ipv4Mapped: 'IPv4-mapped',
  rfc6145: 'IPv4-translated',
  rfc6052: 'NAT64',
  '6to4': '6to4',
  teredo: 'Teredo',
  discard: 'discard-only',
  deprecatedSiteLocal: 'site-local',
  benchmarking: 'benchmarking',
  amt: 'AMT',
  as112v6: 'AS112',
  orchid2: 'ORCHIDv2',
  droneRemoteIdProtocolEntityTags: 'reserved',
};

function describe(range: string): string {
  return RANGE_NAMES[range] ?? `non-public (${range})`;
}
