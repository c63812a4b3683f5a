/**
 * A webhook subscription's own headers, sent with every attempt: `{ name: value }`, or
 * `{ name: { value, secret: true } }` for a value kept like a signing secret (KMS ciphertext bound to
 * the tenant, the subscription and the header's name; shown back as `{ secret: true }`, never again
 * as its value).
 *
 * Herald's own headers cannot be set or overridden: the Standard Webhooks headers (`webhook-*`),
 * what frames the body (`content-*`, `transfer-encoding`), `host`, the hop-by-hop headers (RFC 9110
 * section 7.6.1: `connection`, `keep-alive`, `proxy-*`, `te`, `trailer`, `upgrade`), `expect` (it
 * changes how the request is sent), and the two Herald identifies itself with (`user-agent`,
 * `x-correlation-id`). `cookie` is allowed: it is end to end, and a receiver may authenticate by it
 * (mark it secret).
 */
import type { StoredHeader } from '../model/subscription';
import type { FieldProblem } from '../problems';
import type { SecretCipher } from './signing-secrets';

export const MAX_HEADERS = 20;
export const MAX_HEADER_NAME = 64;
export const MAX_HEADER_VALUE = 1024;

/** RFC 9110 section 5.6.2: a token. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII, spaces and tabs inside: no CR, LF, NUL or other control character. */
const VALUE = /^[\x21-\x7e]([\t\x20-\x7e]*[\x21-\x7e])?$/;

const REFUSED = new Set([
  'host',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'user-agent',
  'x-correlation-id',
]);
const REFUSED_PREFIXES = ['webhook-', 'content-', 'proxy-'];

/** A header as the API takes it: its value, or its value marked secret (or, in PATCH, an existing secret kept). */
export type HeaderInput = string | { value?: string; secret: true } | null | undefined;

export function headerNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_HEADER_NAME || !TOKEN.test(name))
    return `must be a header name (an RFC 9110 token) of 1 to ${MAX_HEADER_NAME} characters`;
  const lower = name.toLowerCase();
  if (REFUSED.has(lower) || REFUSED_PREFIXES.some((prefix) => lower.startsWith(prefix)))
    return 'is a header Herald sets or one that cannot be sent end to end (webhook-*, content-*, host, hop-by-hop, expect, user-agent, x-correlation-id)';
  return undefined;
}

function valueProblem(value: string): string | undefined {
  if (value.length > MAX_HEADER_VALUE) return `must be at most ${MAX_HEADER_VALUE} characters`;
  if (!VALUE.test(value))
    return 'must be visible ASCII characters (spaces and tabs inside), without CR, LF, NUL or other control characters';
  return undefined;
}

/**
 * The problems of the headers a request gives, at `/body/headers/<name>`. `existing` is the
 * subscription's current headers (PATCH): a secret header given as `{ secret: true }` without a value
 * keeps its stored value, which only an existing secret header has.
 */
export function headerProblems(
  headers: Record<string, HeaderInput>,
  existing: Readonly<Record<string, StoredHeader>> = {},
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  const at = (name: string) => `/body/headers/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
  // What the subscription will have: its headers, with those given set or (null) removed.
  const names = new Set(Object.keys(existing));
  for (const [name, input] of Object.entries(headers)) {
    const nameProblem = headerNameProblem(name);
    if (nameProblem) {
      problems.push({ pointer: at(name), message: nameProblem });
      continue;
    }
    const lower = name.toLowerCase();
    if (seen.has(lower)) {
      problems.push({
        pointer: at(name),
        message: 'names a header given already (names are case-insensitive)',
      });
      continue;
    }
    seen.add(lower);
    if (input === null || input === undefined) {
      names.delete(lower);
      continue;
    }
    names.add(lower);
    if (typeof input === 'string') {
      const problem = valueProblem(input);
      if (problem) problems.push({ pointer: at(name), message: problem });
    } else if (input.value === undefined) {
      if (!('ciphertext' in (existing[lower] ?? {})))
        problems.push({
          pointer: `${at(name)}/value`,
          message: 'is required: only a secret header the subscription has already can be kept without it',
        });
    } else {
      const problem = valueProblem(input.value);
      if (problem) problems.push({ pointer: `${at(name)}/value`, message: problem });
    }
  }
  if (names.size > MAX_HEADERS)
    problems.push({ pointer: '/body/headers', message: `must be at most ${MAX_HEADERS} headers` });
  return problems;
}

export function headerContext(
  tenantId: string,
  subscriptionId: string,
  name: string,
): Record<string, string> {
  return { purpose: 'herald-webhook-header', tenant: tenantId, subscription: subscriptionId, header: name };
}

/**
 * The headers to store: names in lower case, plain values as they are, secret values encrypted; a
 * secret given without a value keeps its stored ciphertext; null drops a header. `existing` is the
 * subscription's current headers, which a PATCH merges into (RFC 7396: names it does not give stay).
 */
export async function storedHeaders(
  tenantId: string,
  subscriptionId: string,
  headers: Record<string, HeaderInput>,
  cipher: Pick<SecretCipher, 'encrypt'>,
  existing: Readonly<Record<string, StoredHeader>> = {},
): Promise<Record<string, StoredHeader>> {
  const stored: Record<string, StoredHeader> = { ...existing };
  for (const [name, input] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (input === null || input === undefined) delete stored[lower];
    else if (typeof input === 'string') stored[lower] = { value: input };
    else if (input.value === undefined) stored[lower] = existing[lower]!;
    else
      stored[lower] = {
        ciphertext: await cipher.encrypt(
          new TextEncoder().encode(input.value),
          headerContext(tenantId, subscriptionId, lower),
        ),
      };
  }
  return stored;
}

/** The headers to send, secret ones decrypted (the caller's cipher caches them like signing secrets). */
export async function headersToSend(
  tenantId: string,
  subscriptionId: string,
  stored: Readonly<Record<string, StoredHeader>>,
  cipher: Pick<SecretCipher, 'decrypt'>,
): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(stored).map(async ([name, header]) => [
      name,
      'value' in header
        ? header.value
        : new TextDecoder().decode(
            await cipher.decrypt(header.ciphertext, headerContext(tenantId, subscriptionId, name)),
          ),
    ]),
  );
  return Object.fromEntries(entries) as Record<string, string>;
}
