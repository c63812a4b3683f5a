/**
 * What an operator is shown of one dead letter: why it is there, when it was first sent, and its body
 * with every secret-looking value hidden and the rest cut short.
 */
import { CORRELATION_ATTRIBUTE } from '../correlation';
import type { CatalogEntry } from './catalog';
import type { DeadLetterPeek } from './dead-letter-responses.types.generated';
import type { DeadLetter } from './ports';

/** One sampled message of GET …/dead-letters/{queue} (dead-letter-responses.schema.json). */
export type LetterView = DeadLetterPeek['messages'][number];

export const PREVIEW_CHARS = 1024;
export const REDACTED = '[redacted]';

// Names whose values are secrets whatever the payload: credentials, tokens, keys, signatures (a key's
// id is not a secret and stays visible).
const SECRET_NAME =
  /(secret|passw(or)?d|token|authori[sz]ation|api[-_]?key|credential|private[-_]?key|cookie|^signatures?$)/i;

/** Why the message is in this queue, from what its producer recorded or from the queue's redrive. */
export function reasonOf(letter: DeadLetter, entry: Pick<CatalogEntry, 'source'>): string {
  if (entry.source)
    return entry.source.maxReceiveCount === undefined
      ? `dead-lettered by ${entry.source.name}'s redrive policy`
      : `exceeded maxReceiveCount ${entry.source.maxReceiveCount} on ${entry.source.name}`;
  // EventBridge writes these on what a bus or a rule's target dead-letters.
  const code = letter.attributes.ERROR_CODE;
  if (code !== undefined) {
    const message = letter.attributes.ERROR_MESSAGE;
    const exhausted = letter.attributes.EXHAUSTED_RETRY_CONDITION;
    const detail = message ? `${code}: ${message}` : code;
    return exhausted ? `${detail} (${exhausted})` : detail;
  }
  const body = parseObject(letter.body);
  // Lambda's on-failure destination record of a stream batch whose retries ran out.
  const context = body?.requestContext as { condition?: unknown } | undefined;
  if (typeof context?.condition === 'string')
    return `stream batch dead-lettered by Lambda: ${context.condition}`;
  if (typeof body?.reason === 'string')
    return typeof body.errorCode === 'string' ? `${body.reason} (${body.errorCode})` : body.reason;
  return 'not recorded';
}

export function viewOf(letter: DeadLetter, entry: Pick<CatalogEntry, 'source'>, now: Date): LetterView {
  const preview = bodyPreview(letter.body);
  const correlationId = letter.attributes[CORRELATION_ATTRIBUTE];
  return {
    messageId: letter.messageId,
    ...(letter.sentAt
      ? {
          sentAt: letter.sentAt.toISOString(),
          ageSeconds: Math.max(0, Math.floor((now.getTime() - letter.sentAt.getTime()) / 1000)),
        }
      : {}),
    ...(letter.receiveCount !== undefined ? { receiveCount: letter.receiveCount } : {}),
    reason: reasonOf(letter, entry),
    ...(correlationId !== undefined ? { correlationId } : {}),
    bodyBytes: Buffer.byteLength(letter.body),
    ...preview,
  };
}

/** JSON with secrets replaced and URLs stripped of credentials and queries; anything else is not shown. */
export function bodyPreview(body: string): { bodyPreview: string; truncated: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    // Free text cannot be searched for secrets reliably: say what it is, show none of it.
    return { bodyPreview: `[not JSON: ${Buffer.byteLength(body)} bytes]`, truncated: false };
  }
  const text = JSON.stringify(redact(value));
  return text.length > PREVIEW_CHARS
    ? { bodyPreview: text.slice(0, PREVIEW_CHARS), truncated: true }
    : { bodyPreview: text, truncated: false };
}

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value === 'string') return redactUrl(value);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, inner]) => [name, SECRET_NAME.test(name) ? REDACTED : redact(inner)]),
  );
}

function redactUrl(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  try {
    const url = new URL(text);
    if (url.username === '' && url.password === '' && url.search === '') return text;
    url.username = '';
    url.password = '';
    url.search = url.search === '' ? '' : `?${REDACTED}`;
    return url.toString();
  } catch {
    return text;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
