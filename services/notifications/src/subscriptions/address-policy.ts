/**
 * Which network addresses a webhook may reach. Only globally routable unicast addresses pass:
 * private, loopback, link-local (and with it the cloud metadata address 169.254.169.254), CGNAT,
 * multicast, broadcast, unspecified, documentation and reserved ranges are refused, in IPv4 and
 * IPv6 alike. IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4,
 * Teredo) are refused or judged by the IPv4 address inside, so no spelling reaches a refused host.
 * Checking what is allowed rather than listing what is not means a range nobody thought of is refused.
 */
import {
  addressInCidr,
  parseCidr,
  parseIpAddress,
  type CidrRange,
  type IpAddress,
} from '@herald/event-pattern/ip';

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
const EC2_METADATA_V6 = parseIpAddress('fd00:ec2::254')!;

/**
 * The special-purpose ranges per family (IANA's registries, named and ordered as ipaddr.js 2.5.0
 * had them), each address judged by the first that holds it; an address in none is `unicast`. The
 * order matters where blocks nest: 2001::/32 is Teredo before it is in the reserved 2001::/23.
 */
const IPV4_RANGES: ReadonlyArray<readonly [string, ...string[]]> = [
  ['unspecified', '0.0.0.0/8'],
  ['broadcast', '255.255.255.255/32'],
  ['multicast', '224.0.0.0/4'], // RFC 3171
  ['linkLocal', '169.254.0.0/16'], // RFC 3927
  ['loopback', '127.0.0.0/8'], // RFC 5735
  ['carrierGradeNat', '100.64.0.0/10'], // RFC 6598
  ['private', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'], // RFC 1918
  // RFCs 5735, 5737, 2544, 1700
  [
    'reserved',
    '192.0.0.0/24',
    '192.0.2.0/24',
    '192.88.99.0/24',
    '198.18.0.0/15',
    '198.51.100.0/24',
    '203.0.113.0/24',
    '240.0.0.0/4',
  ],
  ['as112', '192.175.48.0/24', '192.31.196.0/24'], // RFC 7534, RFC 7535
  ['amt', '192.52.193.0/24'], // RFC 7450
];

const IPV6_RANGES: ReadonlyArray<readonly [string, ...string[]]> = [
  ['unspecified', '::/128'], // RFC 4291, here and after
  ['linkLocal', 'fe80::/10'],
  ['multicast', 'ff00::/8'],
  ['loopback', '::1/128'],
  ['uniqueLocal', 'fc00::/7'],
  ['ipv4Mapped', '::ffff:0:0/96'],
  ['deprecatedSiteLocal', 'fec0::/10'], // RFC 3879
  ['discard', '100::/64'], // RFC 6666
  ['rfc6145', '::ffff:0:0:0/96'],
  ['rfc6052', '64:ff9b::/96', '64:ff9b:1::/48'], // RFC 6052, RFC 8215
  ['6to4', '2002::/16'], // RFC 3056
  ['teredo', '2001::/32'], // RFC 6052, RFC 6146
  ['benchmarking', '2001:2::/48'], // RFC 5180
  ['amt', '2001:3::/32'], // RFC 7450
  ['as112v6', '2001:4:112::/48', '2620:4f:8000::/48'], // RFC 7535, RFC 7534
  ['deprecatedOrchid', '2001:10::/28'], // RFC 4843
  ['orchid2', '2001:20::/28'], // RFC 7343
  ['droneRemoteIdProtocolEntityTags', '2001:30::/28'], // RFC 9374
  ['segmentRouting', '5f00::/16'], // RFC 9602
  ['reserved', '2001::/23', '2001:db8::/32', '3fff::/20'], // RFC 3849, RFC 2928, RFC 9637
];

const compile = (ranges: ReadonlyArray<readonly [string, ...string[]]>) =>
  ranges.map(([name, ...blocks]) => ({ name, blocks: blocks.map((block) => parseCidr(block) as CidrRange) }));
const RANGES = { ipv4: compile(IPV4_RANGES), ipv6: compile(IPV6_RANGES) };

/** The name of the first special-purpose range of its family that holds the address, or `unicast`. */
export function rangeOf(address: IpAddress): string {
  for (const { name, blocks } of RANGES[address.kind]) {
    if (blocks.some((block) => addressInCidr(address, block))) return name;
  }
  return 'unicast';
}

/** Parses an address as written in a URL host or returned by DNS: `1.2.3.4`, `::1`, `[::1]`. */
export function parseAddress(text: string): IpAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // Only the four-part dotted form is an IPv4 address here: URL parsing already turned the other
  // spellings (2130706433, 0x7f.1, 0177.0.0.1) into it, and DNS answers are always dotted quads.
  return parseIpAddress(bare);
}

function judgeIPv4(address: IpAddress, policy: AddressPolicy): AddressVerdict {
  if (METADATA.has(address.bytes.join('.'))) return { allowed: false, reason: 'a cloud metadata address' };
  return judgeRange(rangeOf(address), policy);
}

function judgeRange(range: string, policy: AddressPolicy): AddressVerdict {
  if (range === 'unicast') return { allowed: true };
  if (range === 'loopback' && policy.allowLoopback) return { allowed: true };
  return { allowed: false, reason: `a ${describe(range)} address` };
}

export function judgeAddress(address: IpAddress, policy: AddressPolicy): AddressVerdict {
  if (address.kind === 'ipv4') return judgeIPv4(address, policy);
  const range = rangeOf(address);
  // ::ffff:a.b.c.d and ::a.b.c.d reach the IPv4 host: judge that host.
  if (range === 'ipv4Mapped' || isIPv4Compatible(address))
    return judgeIPv4({ kind: 'ipv4', bytes: address.bytes.slice(12) }, policy);
  if (address.bytes.every((byte, index) => byte === EC2_METADATA_V6.bytes[index]))
    return { allowed: false, reason: 'a cloud metadata address' };
  return judgeRange(range, policy);
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

/** ::a.b.c.d (the first 96 bits zero), but not :: or ::1, which are IPv6's own. */
function isIPv4Compatible(address: IpAddress): boolean {
  const { bytes } = address;
  return (
    bytes.slice(0, 12).every((byte) => byte === 0) &&
    (bytes.slice(12, 15).some((byte) => byte !== 0) || bytes[15]! > 1)
  );
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
