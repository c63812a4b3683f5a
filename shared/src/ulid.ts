/**
 * ULIDs (https://github.com/ulid/spec): 48 bits of milliseconds then 80 random bits, 26 characters
 * of Crockford's base32 in upper case, so they sort by time. Written on node:crypto rather than
 * taken from the `ulid` package, whose module (an enum built at load, its error class, decoders,
 * UUID converters, a PRNG search) stayed in the bundle of nearly every function (1.9 KB) for the
 * two generators Herald uses. The ids are the package's: same alphabet, same layout, same
 * monotonic increment within a millisecond.
 */
import { randomBytes } from 'node:crypto';

const ENCODING = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_LENGTH = 10;
const RANDOM_LENGTH = 16;
const TIME_MAX = 2 ** 48 - 1;

function encodeTime(time: number): string {
  if (!Number.isInteger(time) || time < 0 || time > TIME_MAX)
    throw new RangeError(`A ULID's time must be a whole number of milliseconds from 0 to 2^48-1: ${time}`);
  let encoded = '';
  for (let left = time, length = 0; length < TIME_LENGTH; length++, left = Math.floor(left / 32))
    encoded = ENCODING[left % 32]! + encoded;
  return encoded;
}

/** 16 characters, each of 5 bits from its own random byte (32 divides 256: no bias). */
function encodeRandom(): string {
  let encoded = '';
  for (const byte of randomBytes(RANDOM_LENGTH)) encoded += ENCODING[byte & 31];
  return encoded;
}

/** The next base32 number of the same length; 2^80 ids in one millisecond is an error. */
function increment(random: string): string {
  for (let index = random.length - 1; index >= 0; index--) {
    const digit = ENCODING.indexOf(random[index]!);
    if (digit < 31)
      return random.slice(0, index) + ENCODING[digit + 1]! + '0'.repeat(random.length - index - 1);
  }
  throw new RangeError("A ULID's random part cannot be incremented any further in this millisecond");
}

// As the package: no time given (or 0, or NaN) is now.
const seedOf = (seedTime: number | undefined): number =>
  !seedTime || Number.isNaN(seedTime) ? Date.now() : seedTime;

/** A new ULID for now, or for `seedTime` (epoch milliseconds). */
export function ulid(seedTime?: number): string {
  return encodeTime(seedOf(seedTime)) + encodeRandom();
}

/**
 * A generator of ULIDs that sort in the order they were made: within one millisecond (or for a
 * time before the last one's), the previous id's random part plus one, under the last time.
 */
export function monotonicFactory(): (seedTime?: number) => string {
  let lastTime = 0;
  let lastRandom = '';
  return (seedTime) => {
    const time = seedOf(seedTime);
    if (time <= lastTime) {
      lastRandom = increment(lastRandom);
      return encodeTime(lastTime) + lastRandom;
    }
    lastTime = time;
    lastRandom = encodeRandom();
    return encodeTime(time) + lastRandom;
  };
}
