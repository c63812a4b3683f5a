/**
 * The parts every route's cases are made of: who asks (a good token, a neighbour's, a narrow or a
 * refused one, odd Authorization headers), which resource (one's own, a neighbour's, a made-up or
 * an odd id, path-encoded as sent), a query string, and a body (the route's plausible shape with
 * odd values, any odd JSON, malformed or oversized bytes), assembled into one request.
 */
import fc from 'fast-check';
import {
  carriableString,
  hasLoneSurrogate,
  headerValue,
  malformed,
  oddJson,
  oddString,
  oversized,
  type Header,
} from './arbitraries';
import type { Expectation } from './oracle';
import { bodySize, jsonText, percentEncode, type Escaping, type JsonNode, type RawBody } from './raw-text';

export type Party = 'own' | 'neighbour' | 'nobody';

export interface RouteCase {
  /** Path and query, encoded as sent. */
  path: string;
  headers: Header[];
  body?: RawBody;
  /** Whose tenant the request acts for, if its token is accepted. */
  as: Party;
  expect: Expectation;
}

export interface Caller {
  headers: Header[];
  as: Party;
}

export interface Tokens {
  own: string;
  neighbour: string;
  narrow: string[];
  refused: string[];
}

const bearer = (token: string): Header => ['authorization', `Bearer ${token}`];

export function caller(tokens: Tokens): fc.Arbitrary<Caller> {
  const own = fc.constant<Caller>({ headers: [bearer(tokens.own)], as: 'own' });
  const refused = fc
    .constantFrom(...tokens.refused, ...tokens.narrow)
    .map((t): Caller => ({ headers: [bearer(t)], as: 'nobody' }));
  const oddHeaders = fc
    .constantFrom<Header[]>(
      [],
      [['authorization', 'Bearer']],
      [['authorization', 'Bearer ']],
      [['authorization', `Basic ${Buffer.from('a:b').toString('base64')}`]],
      [['authorization', tokens.own]],
      [['authorization', `Bearer ${tokens.own} extra`]],
      [
        ['authorization', `Bearer ${tokens.own}`],
        ['Authorization', 'Bearer x'],
      ],
    )
    .map((headers): Caller => ({ headers, as: 'nobody' }));
  // Sent twice: API Gateway joins the two with a comma (no bearer token then); serverless-offline
  // keeps the last. Either way the token is the caller's own or none.
  const twice = fc.constant<Caller>({ headers: [bearer(tokens.own), bearer(tokens.own)], as: 'own' });
  return fc.oneof(
    { arbitrary: own, weight: 30 },
    // Accepted spellings of the same token: the scheme is case-insensitive, spaces may repeat.
    {
      arbitrary: fc
        .constantFrom(`bearer ${tokens.own}`, `Bearer  ${tokens.own}`, `BEARER ${tokens.own}`)
        .map((value): Caller => ({ headers: [['authorization', value]], as: 'own' })),
      weight: 1,
    },
    { arbitrary: fc.constant<Caller>({ headers: [bearer(tokens.neighbour)], as: 'neighbour' }), weight: 4 },
    { arbitrary: refused, weight: 3 },
    { arbitrary: oddHeaders, weight: 3 },
    { arbitrary: twice, weight: 1 },
    {
      arbitrary: oddString.map((v): Caller => ({
        headers: [['authorization', headerValue(v)]],
        as: 'nobody',
      })),
      weight: 1,
    },
  );
}

export interface Resource {
  id: string;
  owner: Party;
}

/** An id: the caller's own, a neighbour's, well-formed but made up, or anything at all. */
export function resource(
  own: string[],
  neighbour: string[],
  madeUp: fc.Arbitrary<string>,
): fc.Arbitrary<Resource> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...own).map((id): Resource => ({ id, owner: 'own' })), weight: 6 },
    {
      arbitrary: fc.constantFrom(...neighbour).map((id): Resource => ({ id, owner: 'neighbour' })),
      weight: 2,
    },
    { arbitrary: madeUp.map((id): Resource => ({ id, owner: 'nobody' })), weight: 2 },
    {
      // Lone surrogates and dot segments stay rare: API Gateway answers those itself.
      arbitrary: fc
        .oneof(
          { arbitrary: carriableString, weight: 6 },
          { arbitrary: oddString, weight: 1 },
          { arbitrary: fc.constantFrom('.', '..', 'x'.repeat(2000), ' ', 'a/b', '%', '?', '#'), weight: 1 },
        )
        .filter((id) => id !== '')
        .map((id): Resource => ({ id, owner: 'nobody' })),
      weight: 2,
    },
  );
}

/** Caller and resource together: a request must not succeed on another tenant's resource. */
export const crossTenant = (who: Caller, what: Resource): boolean =>
  (what.owner === 'own' && who.as === 'neighbour') || (what.owner === 'neighbour' && who.as === 'own');

/**
 * A path segment, percent-encoded as a client would, or (rarely) with a malformed escape. A lone
 * surrogate's escapes (its generalised UTF-8 bytes) decode to no URL either.
 */
export function segment(id: string): fc.Arbitrary<{ text: string; malformed: boolean }> {
  return fc.oneof(
    { arbitrary: fc.constant({ text: percentEncode(id), malformed: hasLoneSurrogate(id) }), weight: 24 },
    {
      arbitrary: fc
        .constantFrom('%', '%zz', '%E0%A4%A')
        .map((bad) => ({ text: `${percentEncode(id)}${bad}`, malformed: true })),
      weight: 1,
    },
  );
}

/** A query string from parameters the route knows (with odd values), unknown ones and repeats. */
export function query(
  known: Record<string, fc.Arbitrary<string>>,
): fc.Arbitrary<{ text: string; malformed: boolean }> {
  const names = Object.keys(known);
  const pair: fc.Arbitrary<[string, string]> = fc.oneof(
    ...(names.length > 0
      ? [
          {
            arbitrary: fc
              .constantFrom(...names)
              .chain((name) => known[name]!.map((v): [string, string] => [name, v])),
            weight: 8,
          },
        ]
      : []),
    { arbitrary: fc.tuple(oddString, oddString), weight: 1 },
    {
      arbitrary: fc.constantFrom<[string, string]>(
        ['', 'x'],
        ['limit', ''],
        ['cursor', ''],
        ['__proto__', '1'],
      ),
      weight: 1,
    },
  );
  // A route that reads no parameters mostly gets none: one it does not know is all it can refuse.
  const pairs = fc.oneof(
    { arbitrary: fc.constant([] as Array<[string, string]>), weight: names.length > 0 ? 2 : 8 },
    { arbitrary: pair.map((p) => [p]), weight: 4 },
    { arbitrary: fc.array(pair, { minLength: 2, maxLength: 4 }), weight: names.length > 0 ? 3 : 1 },
  );
  return fc
    .tuple(
      pairs,
      fc.oneof(
        { arbitrary: fc.constant(''), weight: 12 },
        fc.constantFrom('&', '&&', '=', '%', '+', '&limit'),
      ),
    )
    .map(([pairs, tail]) => {
      const text = pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&') + tail;
      return { text: text === '' ? '' : `?${text}`, malformed: tail === '%' };
    });
}

export interface BodyOptions {
  /** JSON documents of the route's own shape, odd inside. */
  plausible: fc.Arbitrary<JsonNode>;
  /** The function's limit on the body, for oversized cases. */
  limit: number;
  /** The route takes no body: send one only now and then. */
  none?: boolean;
}

const escaping = fc.constantFrom<Escaping>('json', 'raw', 'ascii');
const encoding = fc.constantFrom<'utf8' | 'wtf8'>('utf8', 'utf8', 'wtf8');

export const written = (node: fc.Arbitrary<JsonNode>): fc.Arbitrary<RawBody> =>
  fc
    .tuple(node, escaping, encoding)
    .map(([value, how, enc]) => ({ text: jsonText(value, how), encoding: enc }));

export function body(options: BodyOptions): fc.Arbitrary<RawBody | undefined> {
  const text = options.plausible.map((node) => jsonText(node, 'json'));
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: options.none ? 24 : 1 },
    { arbitrary: written(options.plausible), weight: 12 },
    { arbitrary: written(oddJson), weight: 2 },
    { arbitrary: malformed(text), weight: 2 },
    { arbitrary: oversized(options.limit), weight: 1 },
  );
}

/** API Gateway's limit on the request line and headers together (HTTP APIs). */
const GATEWAY_HEADER_BYTES = 10_240;
/** A synchronous invocation's payload limit: API Gateway answers larger requests itself. */
const LAMBDA_PAYLOAD_BYTES = 6_000_000;

export interface CaseParts {
  who: Caller;
  path: string;
  malformedPath?: boolean;
  body?: RawBody | undefined;
  contentType?: Header[];
  extra?: Header[];
  crossTenant?: boolean;
  issuesSecret?: boolean;
  /** A route without a token (e-mail links): refusing the caller is not its business. */
  open?: boolean;
  /** An HTML route: what the request carried that its pages must not show raw. */
  page?: { unescaped: string[] };
}

export function routeCase(parts: CaseParts): RouteCase {
  const headers: Header[] = [
    ...parts.who.headers,
    ...(parts.body === undefined ? [] : (parts.contentType ?? [['content-type', 'application/json']])),
    ...(parts.extra ?? []),
  ];
  return {
    path: parts.path,
    headers,
    ...(parts.body === undefined ? {} : { body: parts.body }),
    as: parts.who.as,
    expect: {
      gateway: gatewayReason(parts.path, headers, parts.malformedPath ?? false, parts.body, parts.open),
      crossTenant: parts.crossTenant,
      issuesSecret: parts.issuesSecret,
      refused: !parts.open && parts.who.as === 'nobody',
      page: parts.page,
    },
  };
}

/** RFC 9110's media-type grammar (type/subtype, then parameters), as the local HTTP layer checks it. */
const MEDIA_TYPE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+\/[A-Za-z0-9!#$%&'*+.^_`|~-]+([ \t;][^\r\n]*)?$/;

/**
 * Why the request may be answered before any function runs: by API Gateway in AWS and on the local
 * cloud (its size limit, URLs it cannot decode, dot segments it resolves, a route behind the tenants
 * authorizer asked without an Authorization header), or by the local HTTP layer where it is stricter
 * than API Gateway (a Content-Type that is no media type, or sent twice, is refused there).
 */
function gatewayReason(
  path: string,
  headers: Header[],
  malformedPath: boolean,
  body?: RawBody,
  open?: boolean,
): string | undefined {
  if (malformedPath) return 'a malformed percent-escape in the URL';
  if (body !== undefined && bodySize(body) >= LAMBDA_PAYLOAD_BYTES)
    return 'a body over what Lambda takes (6 MB)';
  const headerBytes = headers.reduce(
    (sum, [name, value]) => sum + name.length + value.length + 4,
    path.length,
  );
  if (headerBytes > GATEWAY_HEADER_BYTES) return 'request line and headers over 10 KiB';
  const authorization = headers.filter(([name]) => name.toLowerCase() === 'authorization');
  if (!open && authorization.every(([, value]) => value.trim() === ''))
    return 'no Authorization header, refused (401) before the authorizer';
  if (path.split(/[/?]/).some((segment) => segment === '.' || segment === '..'))
    return 'a dot segment in the path';
  const types = headers.filter(([name]) => name.toLowerCase() === 'content-type').map(([, value]) => value);
  if (types.length > 1) return 'Content-Type sent twice';
  if (types.length === 1 && types[0] !== '' && !MEDIA_TYPE.test(types[0]!))
    return 'a Content-Type that is no media type';
  return undefined;
}
