/**
 * The "random" parts of names and ids CloudFormation and AWS make up (`<stack>-<LogicalId>-1A2B3C4D5E6F`,
 * KMS key ids, secret ARN suffixes...). They have AWS's shape but are derived from a seed (stack name
 * and logical id), so a resource keeps its name every time the local cloud starts: URLs and names
 * written into a developer's notes or .env stay valid.
 */
import { createHash } from 'node:crypto';

export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function bytes(seed: string, count: number): Buffer {
  const blocks: Buffer[] = [];
  for (let block = 0; blocks.length * 32 < count; block++)
    blocks.push(createHash('sha256').update(`${seed}#${block}`).digest());
  return Buffer.concat(blocks).subarray(0, count);
}

/** `length` characters of `alphabet`, the same for the same seed. */
export function stableToken(seed: string, length: number, alphabet: string): string {
  return [...bytes(seed, length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}

/** A version-4-shaped UUID, the same for the same seed. */
export function stableUuid(seed: string): string {
  const b = bytes(`uuid:${seed}`, 16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
