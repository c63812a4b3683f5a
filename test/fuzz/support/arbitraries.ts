/**
 * Every generator of the fuzz suite: odd characters, strings, numbers, times, member names, JSON
 * documents (as written text, see raw-text.ts), malformed and oversized bodies, headers and cursors.
 * Two kinds of each where it matters: `odd…` for anything a client could send, and `carriable…` for
 * values Herald promises to take and deliver exactly (I-JSON: no lone surrogates, no U+FFFE/U+FFFF,
 * numbers a double holds, at most 64 levels, times inside years 0000-9999 UTC and no leap second).
 */
import fc from 'fast-check';
import { jsonText, wtf8, type Escaping, type JsonNode, type RawBody } from './raw-text';

// ---------------------------------------------------------------------------------------------
// Characters and strings

/** Characters that break naive code: astral, ZWJ sequences, noncharacters, surrogates, RTL, NUL. */
const ODD_CHARACTERS = [
  '😀',
  '👍🏽',
  '👨‍👩‍👧‍👦',
  '🏳️‍🌈',
  '\u{10FFFF}',
  '\u{1FFFE}',
  '𝕏',
  '\uFFFE',
  '\uFFFF',
  '\uFDD0',
  '\uFEFF',
  '\uFFFD',
  '\u0000',
  '\u0001',
  '\u001F',
  '\u007F',
  '\u0085',
  '\u00A0',
  '\u2028',
  '\u2029',
  '\u200B',
  '\u200D',
  '\u202E',
  '\u2066',
  '\u0301',
  '\u036F',
  '\u0489',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
  'א',
  'ب',
  'ﷺ',
  'ß',
  'İ',
  'ﬀ',
  'Ω',
  '\\',
  '"',
  '/',
  '\r',
  '\n',
  '\t',
  '%',
  '#',
  '&',
  '?',
  '+',
  '<',
  "'",
  '`',
  '$',
  '{',
];
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const hasLoneSurrogate = (text: string): boolean => LONE_SURROGATE.test(text);

export const oddChar: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...ODD_CHARACTERS), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 1 },
);

/** A letter drowned in combining marks. */
const zalgo = fc
  .tuple(fc.constantFrom('a', 'Z', 'ي', '😀'), fc.integer({ min: 1, max: 300 }))
  .map(([base, marks]) => base + '\u0301\u0308\u036F'.repeat(marks).slice(0, marks));

/** Any string a client could send, lone surrogates included. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 24 }), weight: 3 },
  { arbitrary: fc.string({ unit: oddChar, maxLength: 24 }), weight: 4 },
  { arbitrary: zalgo, weight: 1 },
  { arbitrary: fc.integer({ min: 200, max: 4000 }).map((n) => 'ẍ'.repeat(n)), weight: 1 },
);

/** What SQS and I-JSON take: no lone surrogate, no U+FFFE or U+FFFF. */
export const isCarriable = (text: string): boolean =>
  !LONE_SURROGATE.test(text) && !/[\uFFFE\uFFFF]/.test(text);

export const carriableString: fc.Arbitrary<string> = oddString.filter(isCarriable);

// ---------------------------------------------------------------------------------------------
// Numbers, as JSON number tokens

const EDGE_NUMBERS = [
  '0',
  '-0',
  '0.0',
  '-0.0',
  '1',
  '-1',
  '9007199254740991',
  '-9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '-9007199254740993',
  '18446744073709551616',
  '1e308',
  '-1e308',
  '1.7976931348623157e308',
  '1.7976931348623159e308',
  '1e309',
  '-2e308',
  '1e-400',
  '-1e-400',
  '5e-324',
  '4.9e-324',
  '2e-324',
  '2.2250738585072014e-308',
  '1.5e-300',
  '0e-400',
  '0e400',
  '1E+2',
  '1e-7',
  '0.1',
  '0.30000000000000004',
  '123456789012345678',
  '1.0000000000000002',
  '9007199254740993.0',
  '0.000000000000000000000000000001',
  `1${'0'.repeat(400)}`,
  `0.${'0'.repeat(400)}1`,
  `${'9'.repeat(17)}.${'9'.repeat(17)}`,
];

/** 17 significant digits: how many languages print a double. */
const seventeenDigits = fc
  .tuple(
    fc.bigInt({ min: 10n ** 16n, max: 10n ** 17n - 1n }),
    fc.integer({ min: -340, max: 320 }),
    fc.boolean(),
  )
  .map(([digits, exponent, negative]) => `${negative ? '-' : ''}${digits.toString()}e${exponent}`);

/** Any number token, including those a double cannot hold (refused by ingest, never a 500). */
export const oddNumber: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...EDGE_NUMBERS), weight: 4 },
  { arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), weight: 2 },
  { arbitrary: fc.integer().map(String), weight: 1 },
  { arbitrary: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String), weight: 1 },
  { arbitrary: seventeenDigits, weight: 1 },
);

/**
 * Numbers a double holds exactly as written (or as the nearest double, for decimal fractions).
 * JavaScript prints doubles from 1e16 to 1e21 as integer literals beyond 2^53 (1.2345678901234568e20
 * as 123456789012345680000), which I-JSON tells producers to send as strings: not among these.
 */
const INTEGER_LITERAL = /^-?\d+$/;
const holdsExactly = (token: string) => !INTEGER_LITERAL.test(token) || Number.isSafeInteger(Number(token));

export const carriableNumber: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      '0',
      '-0',
      '9007199254740991',
      '-9007199254740991',
      '1.7976931348623157e308',
      '5e-324',
      '2.2250738585072014e-308',
      '1.5e-300',
      '0.30000000000000004',
      '1E+2',
      '0e-400',
    ),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    fc.maxSafeInteger().map(String),
    fc
      .tuple(fc.bigInt({ min: 10n ** 16n, max: 10n ** 17n - 1n }), fc.integer({ min: -300, max: 290 }))
      .map(
        ([digits, exponent]) => `${digits.toString().slice(0, 1)}.${digits.toString().slice(1)}e${exponent}`,
      ),
  )
  .filter(holdsExactly);

// ---------------------------------------------------------------------------------------------
// Times (RFC 3339 and what is almost RFC 3339)

const pad = (n: number, width: number) => String(Math.abs(n)).padStart(width, '0');

const ODD_TIMES = [
  '2016-12-31T23:59:60Z',
  '1990-12-31T23:59:60+00:00',
  '2015-06-30T23:59:60.999Z',
  '0000-01-01T00:00:00Z',
  '0000-01-01T00:00:00+01:00',
  '0000-01-01T00:59:59+01:00',
  '0000-01-01T00:00:00-01:00',
  '9999-12-31T23:59:59Z',
  '9999-12-31T23:59:59-00:01',
  '9999-12-31T23:59:59.999999999Z',
  '2026-01-01T00:00:00',
  '2026-01-01',
  '2026-01-01T00:00Z',
  '2026-01-01 00:00:00Z',
  '2026-01-01t00:00:00z',
  '2026-02-29T00:00:00Z',
  '2024-02-29T00:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-01-32T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01T23:60:00Z',
  '2026-01-01T00:00:00+24:00',
  '2026-01-01T00:00:00+14:00',
  '2026-01-01T00:00:00-12:00',
  '2026-01-01T00:00:00+23:59',
  '2026-01-01T00:00:00+0100',
  '2026-01-01T00:00:00.Z',
  `2026-01-01T00:00:00.${'9'.repeat(30)}Z`,
  '+002026-01-01T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '1970-01-01T00:00:00Z',
  '1969-12-31T23:59:59.999Z',
  '',
  ' 2026-01-01T00:00:00Z',
  '２０２６-01-01T00:00:00Z',
  '2026-01-01T00:00:00Z\u0000',
  'now',
];

/** An instant with an offset and some fraction digits, formatted by hand (toISOString cannot). */
const withOffset = (date: Date, offsetMinutes: number, fractionDigits: number): string => {
  const shifted = new Date(date.getTime() + offsetMinutes * 60_000);
  const year = shifted.getUTCFullYear();
  const yearText = year >= 0 && year <= 9999 ? pad(year, 4) : `${year < 0 ? '-' : '+'}${pad(year, 6)}`;
  const fraction =
    fractionDigits === 0
      ? ''
      : `.${pad(shifted.getUTCMilliseconds(), 3).padEnd(fractionDigits, '7').slice(0, fractionDigits)}`;
  const zone =
    offsetMinutes === 0
      ? 'Z'
      : `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(offsetMinutes) / 60), 2)}:${pad(Math.abs(offsetMinutes) % 60, 2)}`;
  return (
    `${yearText}-${pad(shifted.getUTCMonth() + 1, 2)}-${pad(shifted.getUTCDate(), 2)}` +
    `T${pad(shifted.getUTCHours(), 2)}:${pad(shifted.getUTCMinutes(), 2)}:${pad(shifted.getUTCSeconds(), 2)}${fraction}${zone}`
  );
};

const anyDate = fc.date({ noInvalidDate: true });

export const oddTime: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...ODD_TIMES), weight: 4 },
  { arbitrary: anyDate.map((d) => d.toISOString()), weight: 1 },
  {
    arbitrary: fc
      .tuple(anyDate, fc.integer({ min: -1439, max: 1439 }), fc.integer({ min: 0, max: 12 }))
      .map(([d, offset, digits]) => withOffset(d, offset, digits)),
    weight: 2,
  },
);

/** Times ingest must take: well inside years 0000-9999 in UTC, offsets within ±14:00, no leap second. */
export const carriableTime: fc.Arbitrary<string> = fc
  .tuple(
    fc.date({
      min: new Date('0001-01-02T00:00:00Z'),
      max: new Date('9998-12-30T00:00:00Z'),
      noInvalidDate: true,
    }),
    fc.integer({ min: -840, max: 840 }),
    fc.integer({ min: 0, max: 9 }),
  )
  .map(([d, offset, digits]) => withOffset(d, offset, digits));

// ---------------------------------------------------------------------------------------------
// Member names

const ODD_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  '',
  ' ',
  '.',
  '..',
  'a.b',
  'a..b',
  '$',
  '$ref',
  '0',
  '-1',
  '1e3',
  'NaN',
  'null',
  'id',
  'type',
  'data',
  'tenantid',
  'signature',
  'pk',
  'TENANT#x',
  '/',
  '~1',
  'a/b',
];

export const oddKey: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...ODD_KEYS), weight: 4 },
  { arbitrary: oddString, weight: 3 },
  { arbitrary: fc.integer({ min: 256, max: 6000 }).map((n) => 'k'.repeat(n)), weight: 1 },
);

// ---------------------------------------------------------------------------------------------
// JSON documents

interface JsonOptions {
  strings: fc.Arbitrary<string>;
  numbers: fc.Arbitrary<string>;
  keys: fc.Arbitrary<string>;
  /** Depth of the `deep` nodes it may make. */
  deep: fc.Arbitrary<number>;
}

function jsonNodes(options: JsonOptions): fc.Arbitrary<JsonNode> {
  const leaf: fc.Arbitrary<JsonNode> = fc.oneof(
    options.numbers.map((num) => ({ num })),
    options.strings.map((str) => ({ str })),
    fc.constantFrom<'true' | 'false' | 'null'>('true', 'false', 'null').map((lit) => ({ lit })),
    oddTime.map((str) => ({ str })),
  );
  // The key is written once per level: a short one, or thousands of levels make megabytes.
  const deep: fc.Arbitrary<JsonNode> = fc
    .record({
      depth: options.deep,
      open: fc.constantFrom<'[' | '{'>('[', '{'),
      key: options.keys.filter((key) => key.length <= 16),
      leaf,
    })
    .map((spec) => ({ deep: spec }));
  const { node } = fc.letrec<{ node: JsonNode }>((tie) => ({
    node: fc.oneof(
      { maxDepth: 4, depthSize: 'small', withCrossShrink: true },
      { arbitrary: leaf, weight: 4 },
      { arbitrary: fc.array(tie('node'), { maxLength: 5 }).map((arr) => ({ arr })), weight: 2 },
      {
        arbitrary: fc.array(fc.tuple(options.keys, tie('node')), { maxLength: 5 }).map((obj) => ({ obj })),
        weight: 2,
      },
      { arbitrary: deep, weight: 1 },
    ),
  }));
  return node;
}

/** Anything JSON can say, and several things I-JSON forbids. */
export const oddJson: fc.Arbitrary<JsonNode> = jsonNodes({
  strings: oddString,
  numbers: oddNumber,
  keys: oddKey,
  deep: fc.oneof(fc.integer({ min: 30, max: 70 }), fc.integer({ min: 1000, max: 6000 })),
});

/**
 * Data Herald must take and deliver as sent. Member names are carriable too, but not `__proto__`
 * or `constructor`, which the HTTP stack refuses by design (an upload line may carry them).
 */
export const carriableJson: fc.Arbitrary<JsonNode> = jsonNodes({
  strings: carriableString,
  numbers: carriableNumber,
  keys: oddKey.filter((key) => isCarriable(key) && key !== '__proto__' && key !== 'constructor'),
  deep: fc.integer({ min: 30, max: 58 }),
});

// ---------------------------------------------------------------------------------------------
// Events, as ingest takes them

export const eventType: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}(\.[a-z0-9_-]{1,8}){1,3}$/), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      'a',
      'A.B',
      'a.',
      '.a',
      'a..b',
      'a.b.',
      `a.${'b'.repeat(130)}`,
      'ü.b',
      '',
      '*',
    ),
    weight: 1,
  },
  { arbitrary: oddString, weight: 1 },
);

const eventId = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/), weight: 4 },
  { arbitrary: fc.constantFrom('', '.', '..', 'x'.repeat(129), 'a/b', 'a b', 'ü'), weight: 1 },
  { arbitrary: oddString, weight: 1 },
);

export interface EventParts {
  /** Member name → the value written as JSON; members in order, duplicates possible. */
  members: Array<[string, JsonNode]>;
}

const str = (value: string): JsonNode => ({ str: value });

/** One event object: mostly the members ingest knows, with odd values, sometimes others. */
export function eventObject(data: fc.Arbitrary<JsonNode>, strings: fc.Arbitrary<string>, valid: boolean) {
  const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 2, nil: undefined });
  const time = valid ? carriableTime : oddTime;
  return fc
    .record({
      id: optional(valid ? fc.constant(undefined) : eventId),
      type: valid ? fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}(\.[a-z0-9_-]{1,8}){1,3}$/) : eventType,
      data,
      subject: optional(valid ? strings.filter((s) => s.length >= 1 && s.length <= 200) : strings),
      time: optional(time),
      source: optional(
        valid
          ? fc.constantFrom('/orders', 'https://example.com/a?b=c', 'urn:x:y', 'rel/path')
          : fc.oneof(fc.constantFrom('/orders', 'not a uri', '::', 'http://[', ''), strings),
      ),
      extra: valid
        ? fc.constant([] as Array<[string, JsonNode]>)
        : fc.array(fc.tuple(oddKey, data), { maxLength: 2 }),
    })
    .map(({ id, type, data: value, subject, time: at, source, extra }): JsonNode => {
      const members: Array<[string, JsonNode]> = [
        ['type', str(type)],
        ['data', value],
      ];
      if (id !== undefined) members.push(['id', str(id)]);
      if (subject !== undefined) members.push(['subject', str(subject)]);
      if (at !== undefined) members.push(['time', str(at)]);
      if (source !== undefined) members.push(['source', str(source)]);
      return { obj: [...members, ...extra] };
    });
}

// ---------------------------------------------------------------------------------------------
// Bodies

const JS_ISMS = [
  "{'a':1}",
  '{a:1}',
  '[1,]',
  '{"a":1,}',
  'NaN',
  'Infinity',
  '-Infinity',
  'undefined',
  '01',
  '+1',
  '.5',
  '1.',
  '0x10',
  '"\\x41"',
  '"\\u12"',
  '"a\tb"',
  '"\u0000"',
  '{"a":1}{"b":2}',
  '{"a":1} x',
  '',
  ' ',
  'null',
  'true',
  '[]',
  '"x"',
  '1',
  '{}',
  '{"type":"a.b","data":1,"type":"c.d"}',
  '{"events":[]}',
  '{"events":{}}',
  '{"events":null,"type":"a.b","data":1}',
  '{"__proto__":{"type":"a.b"},"data":1}',
  '{"constructor":{"prototype":{"x":1}}}',
  '/* c */ {}',
  '{}//',
  '\u00a0{}',
];

/** Bytes that are not UTF-8: a stray continuation, an overlong '/', a surrogate, beyond U+10FFFF. */
const NOT_UTF8 = [
  '7b2261223a22ff227d',
  'c0af',
  '7b22ed a080227d',
  'f4908080',
  '80',
  'e282',
  'fffe7b007d00',
  '00',
];

/** JSON that is not: cut short, after a BOM, with something after it, or JavaScript's idea of it. */
export function malformed(json: fc.Arbitrary<string>): fc.Arbitrary<RawBody> {
  return fc.oneof(
    fc.tuple(json, fc.nat()).map(([text, cut]) => ({
      text: text.slice(0, cut % Math.max(1, text.length)),
      encoding: 'utf8' as const,
    })),
    json.map((text) => ({ text, encoding: 'utf8' as const, bom: true })),
    fc
      .tuple(json, fc.constantFrom('x', '}', ']', ',', ' {}', '\u0000', '\n{"a":1}', '//', '/*', '\uFEFF'))
      .map(([text, tail]) => ({ text: text + tail, encoding: 'utf8' as const })),
    fc.constantFrom(...JS_ISMS).map((text) => ({ text, encoding: 'utf8' as const })),
    fc.constantFrom(...NOT_UTF8).map((hex) => ({ hex: hex.replaceAll(' ', '') })),
    json.map((text) => ({ hex: Buffer.from(`\uFEFF${text}`, 'utf16le').toString('hex') })),
  );
}

/** Bodies around and far beyond a limit, as a long string value or as trailing whitespace. */
export function oversized(limit: number): fc.Arbitrary<RawBody> {
  return fc.record({
    sized: fc.oneof(
      fc.constantFrom(limit - 1, limit, limit + 1, 2 * limit, 6 * 1024 * 1024),
      fc.integer({ min: limit, max: 3 * limit }),
    ),
    fill: fc.constantFrom<'string' | 'whitespace'>('string', 'whitespace'),
  });
}

// ---------------------------------------------------------------------------------------------
// Headers

export type Header = [name: string, value: string];

/** A header value HTTP can carry: latin-1 bytes, no control characters but tab (UTF-8 goes as its bytes). */
export const headerValue = (text: string): string =>
  Buffer.from(text, 'utf8')
    .toString('latin1')
    .replace(/[^\t\x20-\x7e\x80-\xff]/g, ' ');

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json;charset=UTF-8',
  'APPLICATION/JSON',
  'application/json; charset="utf-8"',
  'application/json; charset=utf-16',
  'application/json; charset=iso-8859-1',
  'application/json;;',
  ' application/json ',
  'application/json, text/plain',
  'application/cloudevents+json',
  'application/cloudevents-batch+json',
  'application/problem+json',
  'application/vnd.api+json',
  'application/x-ndjson',
  'application/jsonx',
  'application/json5',
  'text/json',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  '*/*',
  '',
  'json',
  `application/json; x=${'y'.repeat(3000)}`,
];

/** Content-Type as sent: usually JSON, else a variant, missing, or sent twice. */
export const contentTypeHeaders: fc.Arbitrary<Header[]> = fc.oneof(
  { arbitrary: fc.constant([['content-type', 'application/json']] as Header[]), weight: 20 },
  { arbitrary: fc.constantFrom(...CONTENT_TYPES).map((v): Header[] => [['content-type', v]]), weight: 6 },
  { arbitrary: fc.constant([] as Header[]), weight: 2 },
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...CONTENT_TYPES), fc.constantFrom(...CONTENT_TYPES))
      .map(([a, b]): Header[] => [
        ['content-type', a],
        ['content-type', b],
      ]),
    weight: 1,
  },
  { arbitrary: oddString.map((v): Header[] => [['content-type', headerValue(v)]]), weight: 1 },
);

/** Headers a client may add: correlation and trace ids, idempotency keys, encodings, padding. */
export const extraHeaders: fc.Arbitrary<Header[]> = fc.array(
  fc.oneof(
    oddString.map((v): Header => ['x-correlation-id', headerValue(v)]),
    fc
      .constantFrom('', 'x'.repeat(300), '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')
      .map((v): Header => ['x-correlation-id', v]),
    fc
      .constantFrom(
        '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        '00-00000000000000000000000000000000-b7ad6b7169203331-01',
        'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        '00-xyz',
        '',
      )
      .map((v): Header => ['traceparent', v]),
    oddString.map((v): Header => ['idempotency-key', headerValue(v)]),
    fc
      .constantFrom('"k"', '""', 'k'.repeat(256), ' k ', 'ключ')
      .map((v): Header => ['idempotency-key', headerValue(v)]),
    fc.constantFrom('gzip', 'br', 'identity', 'x').map((v): Header => ['content-encoding', v]),
    fc
      .constantFrom('application/xml', '*/*', 'application/problem+json', '')
      .map((v): Header => ['accept', v]),
    fc.constantFrom('1.2.3.4', '::1', 'x, y').map((v): Header => ['x-forwarded-for', v]),
    fc.integer({ min: 1000, max: 7000 }).map((n): Header => ['x-padding', 'p'.repeat(n)]),
  ),
  { maxLength: 3 },
);

// ---------------------------------------------------------------------------------------------
// Cursors

const BASE64URL = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'];
const base64url = (text: string | Buffer) => Buffer.from(text).toString('base64url');

export interface CursorSources {
  /** Cursors this tenant was given for this list. */
  own: string[];
  /** Cursors other tenants were given, or given for other lists. */
  foreign: string[];
  /** Key parts that look right: partitions and sort keys of this tenant and others. */
  parts: string[];
}

export function oddCursor(sources: CursorSources): fc.Arbitrary<string> {
  const parts = [...sources.parts, 'TENANT#other', 'EVENT#x'];
  const part = fc.oneof(
    fc.constantFrom(...parts, '', 'x'.repeat(1100)),
    oddString,
    fc.tuple(fc.constantFrom(...parts), oddString).map(([p, s]) => p + s),
  );
  const arms: Array<fc.WeightedArbitrary<string>> = [
    {
      arbitrary: fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 1, maxLength: 120 }),
      weight: 2,
    },
    { arbitrary: fc.base64String({ minLength: 4, maxLength: 80 }), weight: 1 },
    {
      arbitrary: fc.array(part, { maxLength: 5 }).map((parts) => base64url(JSON.stringify(parts))),
      weight: 3,
    },
    {
      arbitrary: oddJson.map((node) => base64url(wtf8(jsonText(node, 'raw'))).slice(0, 2000)),
      weight: 1,
    },
    { arbitrary: fc.constantFrom('', ' ', '%', '..', '=', 'A'.repeat(3000)), weight: 1 },
  ];
  if (sources.own.length > 0)
    arms.push(
      { arbitrary: fc.constantFrom(...sources.own), weight: 4 },
      {
        arbitrary: fc
          .tuple(fc.constantFrom(...sources.own), fc.nat(), fc.constantFrom(...BASE64URL))
          .map(([c, at, char]) => c.slice(0, at % c.length) + char + c.slice((at % c.length) + 1)),
        weight: 2,
      },
      { arbitrary: fc.constantFrom(...sources.own).map((c) => `${c}=`), weight: 1 },
    );
  if (sources.foreign.length > 0) arms.push({ arbitrary: fc.constantFrom(...sources.foreign), weight: 2 });
  return fc.oneof(...arms);
}

// ---------------------------------------------------------------------------------------------
// Queue messages: what each consumer may find on its queue, as specs that consumers.ts signs and
// serialises (signing needs the run's key).

/** Characters the local SQS takes in a body or attribute (it refuses everything above U+FFFF too). */
export const sqsText = (text: string): string => text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/g, '?');

/** Carriable data that keeps `__proto__` and `constructor` members: uploads and queues carry them. */
export const carriableJsonAnyKey: fc.Arbitrary<JsonNode> = jsonNodes({
  strings: carriableString,
  numbers: carriableNumber,
  keys: oddKey.filter(isCarriable),
  deep: fc.integer({ min: 30, max: 58 }),
});

/** A body no consumer can take: not JSON, JSON of the wrong kind, or nearly right. */
export const garbageBody: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(...JS_ISMS, '{"v":1}', '{"v":2}', '{"job":"replay"}', '{"detail":{}}', '[{}]'),
    oddString,
    oddJson.map((node) => jsonText(node, 'json')),
    fc.integer({ min: 1000, max: 200_000 }).map((n) => '['.repeat(n)),
  )
  .map(sqsText)
  .filter((text) => text.length > 0);

export interface MessageSpec<K extends string = string> {
  kind: K;
  /** The event's data, for kinds that carry an event. */
  data: JsonNode;
  /** For kinds that change one member: which, and to what (`undefined`: removed). */
  field: string;
  value: JsonNode | undefined;
  /** The body of a garbage message. */
  garbage: string;
  /** Message attributes, correlation id included, as SQS takes them. */
  attributes: Array<[string, string]>;
}

const attributeName = fc.oneof(
  fc.constantFrom('correlationid', 'correlationid', 'traceparent', 'x', 'A.b-c_d'),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
);

const oddValue: fc.Arbitrary<JsonNode | undefined> = fc.oneof(
  fc.constant(undefined),
  oddNumber.map((num) => ({ num })),
  oddString.map((s) => ({ str: s })),
  oddTime.map((s) => ({ str: s })),
  fc.constantFrom<JsonNode>(
    { lit: 'null' },
    { lit: 'true' },
    { arr: [] },
    { obj: [] },
    { num: '0' },
    { num: '-1' },
    { num: '1.5' },
  ),
  oddJson,
);

/**
 * Specs for one consumer: `kinds` weighs what it is sent; data is carriable for `good`-like kinds
 * (those listed in `carriable`) and anything for the rest; `fields` are the members a mutation may touch.
 */
export function messageSpecs<K extends string>(
  kinds: Array<[K, number]>,
  carriable: readonly K[],
  fields: readonly string[],
): fc.Arbitrary<MessageSpec<K>> {
  return fc
    .oneof(...kinds.map(([kind, weight]) => ({ arbitrary: fc.constant(kind), weight })))
    .chain((kind) =>
      fc.record({
        kind: fc.constant(kind),
        data: carriable.includes(kind) ? carriableJsonAnyKey : oddJson,
        field: fc.constantFrom(...fields),
        value: oddValue,
        garbage: garbageBody,
        attributes: fc.array(
          fc.tuple(
            attributeName,
            oddString.map(sqsText).filter((v) => v.length > 0 && v.length <= 1000),
          ),
          { maxLength: 2 },
        ),
      }),
    );
}

/** One line of an NDJSON upload, and whether Herald must take it, refuse it, or may do either. */
export interface UploadLine {
  text: string;
  /** Bytes instead of text (not UTF-8). */
  hex?: string;
  must: 'accept' | 'refuse' | 'either' | 'blank';
}

export const uploadLine: fc.Arbitrary<UploadLine> = fc.oneof(
  {
    arbitrary: eventObject(carriableJsonAnyKey, carriableString, true).map((n): UploadLine => ({
      text: jsonText(n, 'json'),
      must: 'accept',
    })),
    weight: 5,
  },
  {
    arbitrary: fc
      .tuple(
        eventObject(carriableJsonAnyKey, carriableString, true),
        fc.constantFrom<Escaping>('raw', 'ascii'),
      )
      .map(([n, how]): UploadLine => ({ text: jsonText(n, how), must: 'accept' })),
    weight: 2,
  },
  {
    arbitrary: eventObject(oddJson, oddString, false).map((n): UploadLine => ({
      text: jsonText(n, 'raw'),
      must: 'either',
    })),
    weight: 4,
  },
  {
    arbitrary: fc
      .constantFrom(...JS_ISMS)
      .filter((t) => t.trim() !== '' && !/[\n\r]/.test(t))
      .map((text): UploadLine => ({ text, must: 'either' })),
    weight: 2,
  },
  {
    arbitrary: fc.constantFrom('', ' ', '\t', '\r').map((text): UploadLine => ({ text, must: 'blank' })),
    weight: 1,
  },
  {
    arbitrary: fc
      .constantFrom(...NOT_UTF8)
      .map((hex): UploadLine => ({ text: '', hex: hex.replaceAll(' ', ''), must: 'refuse' })),
    weight: 1,
  },
  {
    arbitrary: fc.integer({ min: 3000, max: 8000 }).map((n): UploadLine => ({
      text: `{"type":"fuzz.deep","data":${'['.repeat(n)}${']'.repeat(n)}}`,
      must: 'refuse',
    })),
    weight: 1,
  },
  {
    arbitrary: fc
      .constantFrom(300_000)
      .map((n): UploadLine => ({ text: `{"type":"fuzz.long","data":"${'x'.repeat(n)}"}`, must: 'refuse' })),
    weight: 1,
  },
);
