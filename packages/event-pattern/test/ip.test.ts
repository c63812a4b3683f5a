// The IP address parser and CIDR matcher behind `cidr` and plain IP strings in a pattern, held to what
// EventBridge documents (IPv4 and IPv6 CIDR blocks, an address matched in any of its standard spellings)
// and to ipaddr.js, which the package used before: the same address and the same CIDR verdict for every
// standard spelling, and nothing for the spellings that are not addresses here.
import { describe, expect, test } from '@jest/globals';
import ipaddr from 'ipaddr.js';
import { ipInCidr, parseCidr, parseIpAddress, sameIpAddress, type CidrRange } from '../src/ip';

/** A small deterministic generator, so a failure names its case and runs again the same. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const next = random(11);
const int = (below: number) => Math.floor(next() * below);

/** An IPv6 address in a random standard spelling: zero runs compressed or not, groups padded or not,
 *  upper or lower case, the last 32 bits as a dotted quad or not. */
function ipv6Spelling(groups: number[]): string {
  const hex = groups.map((group) => {
    const text = group.toString(16);
    const padded = int(2) === 0 ? text : text.padStart(4, '0');
    return int(4) === 0 ? padded.toUpperCase() : padded;
  });
  const quad = int(3) === 0;
  const tail = quad
    ? [`${groups[6]! >> 8}.${groups[6]! & 0xff}.${groups[7]! >> 8}.${groups[7]! & 0xff}`]
    : hex.slice(6);
  const parts = [...hex.slice(0, 6), ...tail];
  // Compress the longest run of zero groups (before the quad) when there is one, sometimes.
  let best: [number, number] | undefined;
  for (let start = 0; start < (quad ? 6 : 8); start++) {
    let end = start;
    while (end < (quad ? 6 : 8) && groups[end] === 0) end++;
    if (end > start && (!best || end - start > best[1] - best[0])) best = [start, end];
  }
  if (!best || int(3) === 0) return parts.join(':');
  const [start, end] = best;
  return `${parts.slice(0, start).join(':')}::${parts.slice(end).join(':')}`;
}

function randomGroups(): number[] {
  // Many zeros, so compression and the special ranges come up often.
  return Array.from({ length: 8 }, () => (int(3) === 0 ? 0 : int(4) === 0 ? int(0x10) : int(0x10000)));
}

describe('parseIpAddress', () => {
  test.each([
    ['10.0.0.1', [10, 0, 0, 1]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['0.0.0.0', [0, 0, 0, 0]],
  ])('IPv4 %s', (text, bytes) => {
    expect(parseIpAddress(text)).toEqual({ kind: 'ipv4', bytes });
  });

  test.each([
    ['::', '0:0:0:0:0:0:0:0'],
    ['::1', '0:0:0:0:0:0:0:1'],
    ['2001:db8::1', '2001:db8:0:0:0:0:0:1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:00FF', '2001:db8:0:0:0:0:0:ff'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
    ['::ffff:10.0.0.1', '0:0:0:0:0:ffff:a00:1'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0:0:0:c000:221'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
    ['::1.2.3.4', '0:0:0:0:0:0:102:304'],
  ])('IPv6 %s', (text, normalized) => {
    const address = parseIpAddress(text);
    expect(address?.kind).toBe('ipv6');
    expect(sameIpAddress(normalized, address!)).toBe(true);
  });

  test.each([
    '10',
    '10.1',
    '10.0.1',
    '0x0a.0.0.1',
    '010.0.0.1',
    '10.0.0.256',
    '10.0.0.1.',
    ' 10.0.0.1',
    '1.2.3.4/8',
    ':',
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8::',
    '::1:2:3:4:5:6:7:8',
    '12345::',
    'g::1',
    ':1::',
    '1::2:',
    'fe80::1%eth0',
    '::ffff:010.0.0.1',
    '::ffff:0x7f.0.0.1',
    '::ffff:1.2.3',
    '1.2.3.4::',
    '',
    'not-an-address',
  ])('%j is not an address', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });

  test('every standard IPv6 spelling is the address ipaddr.js reads, and every dotted quad', () => {
    for (let i = 0; i < 3000; i++) {
      const groups = randomGroups();
      const text = ipv6Spelling(groups);
      const address = parseIpAddress(text);
      expect({ text, bytes: address?.bytes }).toEqual({
        text,
        bytes: ipaddr.IPv6.parse(text).toByteArray(),
      });
      const quad = [int(256), int(256), int(256), int(256)].join('.');
      expect(parseIpAddress(quad)?.bytes).toEqual(ipaddr.IPv4.parse(quad).toByteArray());
    }
  });
});

describe('CIDR blocks', () => {
  test.each([
    ['10.0.0.0', "Malformed CIDR, one '/' required"],
    ['10.0.0.0/8/8', "Malformed CIDR, one '/' required"],
    ['10.0.0.0/x', 'Malformed CIDR, mask bits must be an integer'],
    ['10.0.0.0/-1', 'Malformed CIDR, mask bits must be an integer'],
    ['10.0.0/8', 'Invalid IP address: 10.0.0'],
    ['10.0.0.0/33', 'IPv4 mask bits must be <= 32'],
    ['::/129', 'IPv6 mask bits must be <= 128'],
  ])('%s is refused: %s', (text, reason) => {
    expect(parseCidr(text)).toBe(reason);
  });

  test.each([
    ['10.0.0.0/24', '10.0.0.255', true],
    ['10.0.0.0/24', '10.0.1.0', false],
    ['10.0.0.7/32', '10.0.0.7', true],
    ['10.0.0.7/32', '10.0.0.8', false],
    ['0.0.0.0/0', '255.1.2.3', true],
    ['0.0.0.0/0', '::1', false],
    ['::/0', '10.0.0.1', false],
    ['::/0', '2001:db8::1', true],
    ['2001:db8::/64', '2001:db8::ffff:ffff:ffff:ffff', true],
    ['2001:db8::/64', '2001:db8:0:1::', false],
    ['172.16.0.0/12', '172.31.255.255', true],
    ['172.16.0.0/12', '172.32.0.0', false],
    ['fe80::/10', 'febf::1', true],
    ['fe80::/10', 'fec0::1', false],
    ['::ffff:0:0/96', '::ffff:10.0.0.1', true],
    ['::ffff:0:0/96', '10.0.0.1', false],
  ])('%s holds %s: %s', (block, address, holds) => {
    expect(ipInCidr(address, parseCidr(block) as CidrRange)).toBe(holds);
  });

  test('every prefix length holds what ipaddr.js says it holds', () => {
    for (let i = 0; i < 3000; i++) {
      const v6 = int(2) === 0;
      const network = v6 ? ipv6Spelling(randomGroups()) : [int(256), int(256), int(256), int(256)].join('.');
      const bits = int(v6 ? 129 : 33);
      // An address near the network (sharing a random number of leading bits) as often as not.
      const bytes = [...parseIpAddress(network)!.bytes];
      const flip = int(bytes.length * 8);
      if (int(2) === 0) bytes[flip >> 3]! ^= 0x80 >> (flip & 7);
      const address = ipaddr.fromByteArray(bytes).toString();
      const expected = ipaddr.parse(address).match(ipaddr.parse(network), bits);
      expect({
        network,
        bits,
        address,
        holds: ipInCidr(address, parseCidr(`${network}/${bits}`) as CidrRange),
      }).toEqual({
        network,
        bits,
        address,
        holds: expected,
      });
    }
  });
});
