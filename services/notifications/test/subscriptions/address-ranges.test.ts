/**
 * The special-purpose ranges the webhook address policy names: for every address, the range ipaddr.js
 * 2.5.0 (which the policy used before) gives, so no address moved from refused to allowed, or changed its
 * reason, when the policy stopped bundling it.
 */
import { describe, expect, test } from '@jest/globals';
import ipaddr from 'ipaddr.js';
import { judgeAddressText, rangeOf, STRICT_POLICY } from '../../src/subscriptions/address-policy';
import { parseIpAddress } from '@herald/event-pattern/ip';

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const next = random(7);
const int = (below: number) => Math.floor(next() * below);

/** Each special range's first and last address and its neighbours, and random ones inside and out. */
function candidates(): string[] {
  const out: string[] = [];
  for (const kind of ['IPv4', 'IPv6'] as const) {
    type Block = [ipaddr.IPv4 | ipaddr.IPv6, number];
    // ipaddr.js keeps its tables on the prototypes, untyped.
    const prototype = (kind === 'IPv4' ? ipaddr.IPv4 : ipaddr.IPv6).prototype as unknown as {
      SpecialRanges: Record<string, Block | Block[]>;
    };
    const ranges = prototype.SpecialRanges;
    for (const value of Object.values(ranges)) {
      const blocks = Array.isArray(value[0]) ? (value as Block[]) : [value as Block];
      for (const [network, bits] of blocks) {
        const bytes = network.toByteArray();
        const size = bytes.length * 8;
        for (let i = 0; i < 40; i++) {
          const copy = [...bytes];
          // Random host bits inside the block, and now and then one network bit flipped (just outside).
          for (let bit = bits; bit < size; bit++) if (int(2)) copy[bit >> 3]! ^= 0x80 >> (bit & 7);
          if (i % 4 === 3 && bits > 0) {
            const bit = int(bits);
            copy[bit >> 3]! ^= 0x80 >> (bit & 7);
          }
          out.push(ipaddr.fromByteArray(copy).toString());
        }
        const last = [...bytes];
        for (let bit = bits; bit < size; bit++) last[bit >> 3]! |= 0x80 >> (bit & 7);
        out.push(network.toString(), ipaddr.fromByteArray(last).toString());
      }
    }
  }
  for (let i = 0; i < 2000; i++) {
    out.push([int(256), int(256), int(256), int(256)].join('.'));
    out.push(
      ipaddr.fromByteArray(Array.from({ length: 16 }, () => (int(4) === 0 ? 0 : int(256)))).toString(),
    );
  }
  return out;
}

describe('special-purpose ranges', () => {
  test('every address is in the range ipaddr.js 2.5.0 puts it in', () => {
    const found = candidates().map((text) => ({ text, range: rangeOf(parseIpAddress(text)!) }));
    const expected = found.map(({ text }) => ({ text, range: ipaddr.parse(text).range() }));
    expect(found).toEqual(expected);
  });

  test('judged as before: by the IPv4 host inside an IPv4-mapped or compatible address', () => {
    for (const [text, reason] of [
      ['::ffff:7f00:1', 'a loopback address'],
      ['::7f00:1', 'a loopback address'],
      ['::ffff:a9fe:a9fe', 'a cloud metadata address'],
      ['::a00:1', 'a private address'],
      ['2001:4:112::1', 'a AS112 address'],
      ['192.175.48.1', 'a non-public (as112) address'],
      ['5f00::1', 'a non-public (segmentRouting) address'],
      ['2001:10::1', 'a non-public (deprecatedOrchid) address'],
    ] as const) {
      expect(judgeAddressText(text, STRICT_POLICY)).toEqual({ allowed: false, reason });
    }
  });
});
