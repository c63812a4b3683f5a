/**
 * JSON message bodies as every SQS Herald talks to takes them. SQS accepts the characters #x9, #xA,
 * #xD, #x20-#xD7FF, #xE000-#xFFFD and #x10000-#x10FFFF; JSON.stringify leaves U+FFFE and U+FFFF as
 * they are (valid JSON, refused by SQS), and the SQS emulator of the local cloud checks UTF-16 code
 * units, so it refuses every character above U+FFFF (emoji) as well. Each of those is written as a
 * JSON `\u` escape instead (a character above U+FFFF as its surrogate pair), which any JSON parser
 * reads back as the very same string: the value, and so an envelope's signature (made over the JCS
 * form of the parsed value), is unchanged. Every other character is left as it is, so a body only
 * grows where it must: 6 bytes for U+FFFE or U+FFFF instead of 3, 12 for an emoji instead of 4.
 *
 * Only the JSON text of a value may go through this: outside a string JSON has no such characters,
 * so escaping them can never change what the text means. Lone surrogates cannot occur in the output
 * of JSON.stringify (it escapes them since ES2019); were one handed in, it is escaped too.
 */
const OUTSIDE_WHAT_EVERY_QUEUE_TAKES = /[\uD800-\uDFFF\uFFFE\uFFFF]/g;

const escape = (unit: string) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `json` with every character some SQS refuses written as a JSON escape. */
export function queueSafeJson(json: string): string {
  return json.replace(OUTSIDE_WHAT_EVERY_QUEUE_TAKES, escape);
}

/** A value as a queue message body: its JSON, safe for every queue. */
export function toQueueBody(value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) throw new TypeError('A queue message body must be a JSON value');
  return queueSafeJson(json);
}
