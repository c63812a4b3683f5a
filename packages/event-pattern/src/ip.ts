/**
 * IP addresses as text: parsing, CIDR blocks, and the same address written two ways. Used for
 * `cidr` and plain IP strings in a pattern, and by notifications' webhook address policy.
 *
 * Written here rather than taken from ipaddr.js (12.5 KB of every bundle that matched a pattern or
 * checked a webhook address), which also read spellings no address is given in here: only the
 * standard textual forms count. IPv4 is the dotted quad of decimals (no leading zeros, no octal or
 * hex parts, no fewer than four parts: "10" and "0x0a.1" are not addresses). IPv6 is RFC 4291's
 * text: eight groups of one to four hex digits, one `::` standing for one or more zero groups, and
 * a dotted quad for the last 32 bits (`::ffff:10.0.0.1`, `64:ff9b::1.2.3.4`); no zone index
 * (`fe80::1%eth0`).
 */

/** An address's bytes: 4 for IPv4, 16 for IPv6. */
export interface IpAddress {
  readonly kind: 'ipv4' | 'ipv6';
  readonly bytes: readonly number[];
}

export interface CidrRange {
  readonly network: IpAddress;
  readonly bits: number;
}

const DOTTED_QUAD = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

function parseIPv4(text: string): number[] | undefined {
  const match = DOTTED_QUAD.exec(text);
  if (!match) return undefined;
  const bytes = match.slice(1).map(Number);
  return bytes.every((byte) => byte <= 255) ? bytes : undefined;
}

/** The 16-bit groups of one side of `::` (or of the whole address); undefined when one is not a group. */
function groups(text: string): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  return parts.every((part) => HEX_GROUP.test(part)) ? parts.map((part) => parseInt(part, 16)) : undefined;
}

function parseIPv6(text: string): number[] | undefined {
  // A dotted quad may stand for the last two groups.
  let head = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseIPv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    // Keep the colon of a `::` before the quad (`::1.2.3.4`), drop a single one (`::ffff:1.2.3.4`).
    head = text.endsWith('::', lastColon + 1) ? text.slice(0, lastColon + 1) : text.slice(0, lastColon);
  }
  const halves = head.split('::');
  let parts: number[] | undefined;
  if (halves.length === 1) {
    parts = groups(head);
    if (parts && parts.length + tail.length !== 8) return undefined;
  } else if (halves.length === 2) {
    const before = groups(halves[0]!);
    const after = groups(halves[1]!);
    if (!before || !after) return undefined;
    const missing = 8 - before.length - after.length - tail.length;
    // `::` stands for at least one group.
    if (missing < 1) return undefined;
    parts = [...before, ...Array<number>(missing).fill(0), ...after];
  }
  if (!parts) return undefined;
  return [...parts, ...tail].flatMap((group) => [group >> 8, group & 0xff]);
}

/** The address the text is, in the standard forms only; undefined for anything else. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (!text.includes(':')) {
    const bytes = parseIPv4(text);
    return bytes && { kind: 'ipv4', bytes };
  }
  const bytes = parseIPv6(text);
  return bytes && { kind: 'ipv6', bytes };
}

/** Parses "address/bits"; returns the reason as a string when the text is not a CIDR block. */
export function parseCidr(text: string): CidrRange | string {
  const parts = text.split('/');
  if (parts.length !== 2) return "Malformed CIDR, one '/' required";
  const [addressText = '', bitsText = ''] = parts;
  if (!/^\d+$/.test(bitsText)) return 'Malformed CIDR, mask bits must be an integer';
  const network = parseIpAddress(addressText);
  if (!network) return `Invalid IP address: ${addressText}`;
  const bits = Number(bitsText);
  const maxBits = network.bytes.length * 8;
  if (bits > maxBits) return `${network.kind === 'ipv4' ? 'IPv4' : 'IPv6'} mask bits must be <= ${maxBits}`;
  return { network, bits };
}

/** Whether the address is in the block: same family, same first `bits` bits. */
export function addressInCidr(address: IpAddress, range: CidrRange): boolean {
  if (address.kind !== range.network.kind) return false;
  for (let bit = 0; bit < range.bits; bit += 8) {
    const shift = Math.max(0, 8 - (range.bits - bit));
    if (address.bytes[bit / 8]! >> shift !== range.network.bytes[bit / 8]! >> shift) return false;
  }
  return true;
}

export function ipInCidr(value: string, range: CidrRange): boolean {
  const address = parseIpAddress(value);
  return address !== undefined && addressInCidr(address, range);
}

/** Same address in any textual form ("2001:db8::1" and "2001:0db8:0:0:0:0:0:1"). */
export function sameIpAddress(value: string, address: IpAddress): boolean {
  const other = parseIpAddress(value);
  return (
    other !== undefined &&
    other.kind === address.kind &&
    other.bytes.every((byte, index) => byte === address.bytes[index])
  );
}
