import canonicalize from 'canonicalize';
import type { Envelope } from '../contracts/envelope';

/**
 * RFC 8785 (JSON Canonicalization Scheme) text of a JSON value. Throws a TypeError for what JCS
 * cannot express (NaN, Infinity, lone surrogates, cycles, a bare undefined) rather than signing
 * something no receiver could reproduce.
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    throw new TypeError(`Value has no canonical JSON form: ${(error as Error).message}`, { cause: error });
  }
  if (text === undefined) throw new TypeError('Value has no canonical JSON form: it is not JSON');
  return text;
}

/**
 * The bytes an envelope signature covers: every attribute except `signature` itself, in JCS form,
 * UTF-8 encoded. `signaturekeyid` is included so the key id cannot be swapped after signing.
 */
export function signingInput(
  envelope: Omit<Envelope<unknown>, 'signature'> & { signature?: unknown },
): Buffer {
  const { signature: _signature, ...covered } = envelope;
  return Buffer.from(canonicalJson(covered), 'utf8');
}
