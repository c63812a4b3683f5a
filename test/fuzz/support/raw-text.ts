/**
 * JSON written by hand, so that what is odd about a document survives until it reaches the server:
 * number tokens exactly as generated (JSON.stringify would round 9007199254740993 or print 1e-400
 * as 0), strings escaped one of three ways (lone surrogates as `\ud800` escapes, or left raw and
 * sent as their generalised UTF-8 bytes, which no UTF-8 encoder would produce), duplicate and
 * `__proto__` members kept, and nesting thousands deep written without recursion.
 */

/** A JSON document as generated: every node keeps the exact text it will be written as. */
export type JsonNode =
  | { num: string }
  | { str: string }
  | { lit: 'true' | 'false' | 'null' }
  | { arr: JsonNode[] }
  | { obj: Array<[string, JsonNode]> }
  /** `depth` arrays or objects around `leaf`, each object with the one member `key`. */
  | { deep: { depth: number; open: '[' | '{'; key: string; leaf: JsonNode } };

/**
 * How strings are written: `json` as JSON.stringify does (lone surrogates become `\udXXX`), `raw`
 * with only what JSON requires escaped (everything else, lone surrogates included, left as it is),
 * `ascii` with every character outside ASCII as `\uXXXX` escapes (surrogate pairs as two).
 */
export type Escaping = 'json' | 'raw' | 'ascii';

const hex4 = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;

export function quote(text: string, escaping: Escaping): string {
  if (escaping === 'json') return JSON.stringify(text);
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) out += '\\"';
    else if (code === 0x5c) out += '\\\\';
    else if (code < 0x20 || (escaping === 'ascii' && code > 0x7e)) out += hex4(code);
    else out += text[i];
  }
  return `${out}"`;
}

/** The document's text; iterative, so nesting of any depth is written. */
export function jsonText(root: JsonNode, escaping: Escaping): string {
  const parts: string[] = [];
  const stack: Array<JsonNode | string> = [root];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === 'string') {
      parts.push(item);
      continue;
    }
    if ('num' in item) parts.push(item.num);
    else if ('str' in item) parts.push(quote(item.str, escaping));
    else if ('lit' in item) parts.push(item.lit);
    else if ('arr' in item) {
      stack.push(']');
      for (let i = item.arr.length - 1; i >= 0; i--) {
        stack.push(item.arr[i]!);
        if (i > 0) stack.push(',');
      }
      stack.push('[');
    } else if ('obj' in item) {
      stack.push('}');
      for (let i = item.obj.length - 1; i >= 0; i--) {
        const [key, value] = item.obj[i]!;
        stack.push(value);
        stack.push(`${quote(key, escaping)}:`);
        if (i > 0) stack.push(',');
      }
      stack.push('{');
    } else {
      const { depth, open, key, leaf } = item.deep;
      const opening = open === '[' ? '[' : `{${quote(key, escaping)}:`;
      const closing = open === '[' ? ']' : '}';
      stack.push(closing.repeat(depth));
      stack.push(leaf);
      stack.push(opening.repeat(depth));
    }
  }
  return parts.join('');
}

/**
 * UTF-8, except that a lone surrogate is written as the three bytes its code point would take
 * (generalised UTF-8, "WTF-8"), which Buffer.from would replace with U+FFFD before sending.
 */
export function wtf8(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    if (code > 0xffff) i++;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000)
      bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else
      bytes.push(
        0xf0 | (code >> 18),
        0x80 | ((code >> 12) & 0x3f),
        0x80 | ((code >> 6) & 0x3f),
        0x80 | (code & 0x3f),
      );
  }
  return Buffer.from(bytes);
}

/** A request body, kept small enough to print when a case fails; made into bytes when sent. */
export type RawBody =
  /** Text, as UTF-8 (lone surrogates replaced, as any encoder does) or WTF-8 (kept), maybe after a BOM. */
  | { text: string; encoding: 'utf8' | 'wtf8'; bom?: boolean }
  /** Bytes that are not UTF-8 at all, as hex. */
  | { hex: string }
  /** A JSON document of this many bytes: an event whose data is a long string, or whitespace. */
  | { sized: number; fill: 'string' | 'whitespace' };

export function bodyBytes(body: RawBody): Buffer {
  if ('hex' in body) return Buffer.from(body.hex, 'hex');
  if ('sized' in body) {
    const head = '{"type":"fuzz.sized","data":"';
    const tail = '"}';
    const room = Math.max(0, body.sized - head.length - tail.length);
    return body.fill === 'string'
      ? Buffer.from(`${head}${'x'.repeat(room)}${tail}`)
      : Buffer.from(`{"type":"fuzz.sized","data":1}${' '.repeat(Math.max(0, body.sized - 30))}`);
  }
  const text = body.encoding === 'wtf8' ? wtf8(body.text) : Buffer.from(body.text, 'utf8');
  return body.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text]) : text;
}

/** How many bytes the body will be, without making them. */
export function bodySize(body: RawBody): number {
  if ('hex' in body) return body.hex.length / 2;
  if ('sized' in body) return body.sized;
  return (
    (body.bom ? 3 : 0) + (body.encoding === 'wtf8' ? wtf8(body.text).length : Buffer.byteLength(body.text))
  );
}

/** Percent-encodes every byte of the text's WTF-8 form outside the unreserved set. */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of wtf8(text)) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
