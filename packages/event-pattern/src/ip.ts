// IP address matching (`cidr`, and plain IP strings in a pattern) on top of ipaddr.js. Only the standard textual
// forms count as addresses: dotted-quad IPv4 and IPv6 (ipaddr.js alone would also accept "10" or "0x0a.1").
import ipaddr from 'ipaddr.js';
import type { IPv4, IPv6 } from 'ipaddr.js';

type Address = IPv4 | IPv6;

export interface CidrRange {
  readonly network: Address;
  readonly bits: number;
}

export function parseIpAddress(text: string): Address | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes('%') && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return undefined;
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
  const maxBits = network.kind() === 'ipv4' ? 32 : 128;
  if (bits > maxBits) return `${network.kind() === 'ipv4' ? 'IPv4' : 'IPv6'} mask bits must be <= ${maxBits}`;
  return { network, bits };
}

export function ipInCidr(value: string, range: CidrRange): boolean {
  const address = parseIpAddress(value);
  if (!address || address.kind() !== range.network.kind()) return false;
  // ipaddr.js types match() per family; the kinds were just checked to be equal.
  return (address as IPv4).match(range.network as IPv4, range.bits);
}

/** Same address in any textual form ("2001:db8::1" and "2001:0db8:0:0:0:0:0:1"). */
export function sameIpAddress(value: string, address: Address): boolean {
  const other = parseIpAddress(value);
  return (
    other !== undefined &&
    other.kind() === address.kind() &&
    other.toNormalizedString() === address.toNormalizedString()
  );
}
