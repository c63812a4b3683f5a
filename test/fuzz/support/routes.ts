/**
 * Every HTTP route of the four services, each with the cases the fuzz sends it. This table is
 * compared with the routes of the packaged templates, so a new route without cases fails the suite.
 */
import fc from 'fast-check';
import { endpointUrl } from '../../e2e/support/receiver';
import {
  carriableJson,
  carriableString,
  contentTypeHeaders,
  eventObject,
  extraHeaders,
  oddCursor,
  oddJson,
  oddNumber,
  oddString,
  oddTime,
  type CursorSources,
} from './arbitraries';
import type { Answer } from './http';
import type { Ledger } from './ledger';
import { bodyBytes, percentEncode, type JsonNode, type RawBody } from './raw-text';
import {
  body,
  caller,
  crossTenant,
  query,
  resource,
  routeCase,
  segment,
  type Resource,
  type RouteCase,
  type Tokens,
} from './requests';
import { OPERATOR_SCOPE, type FuzzWorld, type Service } from './world';

export interface FuzzRoute {
  service: Service;
  method: string;
  /** As declared in serverless.yml. */
  path: string;
  scope: string;
  cases(world: FuzzWorld): fc.Arbitrary<RouteCase>;
  /** Notes what an answer made (events accepted), for the checks after the properties. */
  observe?(sent: RouteCase, answer: Answer, ledger: Ledger): void;
}

const str = (value: string): JsonNode => ({ str: value });
const num = (value: string): JsonNode => ({ num: value });
const obj = (...members: Array<[string, JsonNode] | undefined>): JsonNode => ({
  obj: members.filter((m): m is [string, JsonNode] => m !== undefined),
});
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

function tokensFor(world: FuzzWorld, scope: string, side: 'producer' | 'subscriber' | 'operator'): Tokens {
  const narrow = Object.entries(world.narrowTokens)
    .filter(([granted]) => granted !== scope)
    .map(([, token]) => token);
  if (side === 'operator')
    return {
      own: world.operatorToken,
      neighbour: world.operatorToken,
      narrow: [...narrow, world.producer.token],
      refused: world.refusedTokens,
    };
  const [own, neighbour] =
    side === 'producer'
      ? [world.producer, world.producerNeighbour]
      : [world.subscriber, world.subscriberNeighbour];
  return { own: own.token, neighbour: neighbour.token, narrow, refused: world.refusedTokens };
}

const limit = fc.oneof(
  { arbitrary: fc.constantFrom('1', '2', '25', '100'), weight: 3 },
  {
    arbitrary: fc.constantFrom('0', '101', '-1', '1.5', '1e2', '01', ' 5', '٣', '', '9'.repeat(30)),
    weight: 2,
  },
  { arbitrary: oddString, weight: 1 },
);

const time = fc.oneof(
  { arbitrary: oddTime, weight: 3 },
  {
    arbitrary: fc
      .integer({ min: -3 * 86_400_000, max: 86_400_000 })
      .map((ms) => new Date(Date.now() + ms).toISOString()),
    weight: 2,
  },
);

const cursor = (sources: CursorSources) => oddCursor(sources);

/** A request on a route without path parameters. */
function plainCase(
  tokens: Tokens,
  path: string,
  knobs: {
    query?: Record<string, fc.Arbitrary<string>>;
    body?: fc.Arbitrary<RawBody | undefined>;
    issuesSecret?: boolean;
  },
): fc.Arbitrary<RouteCase> {
  return fc
    .record({
      who: caller(tokens),
      q: query(knobs.query ?? {}),
      body: knobs.body ?? body({ plausible: oddJson, limit: 256 * 1024, none: true }),
      contentType: contentTypeHeaders,
      extra: extraHeaders,
    })
    .map(({ who, q, body: sent, contentType, extra }) =>
      routeCase({
        who,
        path: `${path}${q.text}`,
        malformedPath: q.malformed,
        body: sent,
        contentType,
        extra,
        issuesSecret: knobs.issuesSecret,
      }),
    );
}

/** A request on a route with one `{id}`-like path parameter. */
function resourceCase(
  tokens: Tokens,
  path: (id: string) => string,
  ids: fc.Arbitrary<Resource>,
  knobs: {
    query?: Record<string, fc.Arbitrary<string>>;
    body?: fc.Arbitrary<RawBody | undefined>;
    issuesSecret?: boolean;
  },
): fc.Arbitrary<RouteCase> {
  return fc
    .record({
      who: caller(tokens),
      what: ids.chain((r) => segment(r.id).map((s) => ({ r, s }))),
      q: query(knobs.query ?? {}),
      body: knobs.body ?? body({ plausible: oddJson, limit: 256 * 1024, none: true }),
      contentType: contentTypeHeaders,
      extra: extraHeaders,
    })
    .map(({ who, what, q, body: sent, contentType, extra }) =>
      routeCase({
        who,
        path: `${path(what.s.text)}${q.text}`,
        malformedPath: what.s.malformed || q.malformed,
        body: sent,
        contentType,
        extra,
        crossTenant: crossTenant(who, what.r),
        issuesSecret: knobs.issuesSecret,
      }),
    );
}

// ---------------------------------------------------------------------------------------------
// Plausible bodies, route by route

const validEvent = eventObject(carriableJson, carriableString, true);
const oddEvent = eventObject(oddJson, oddString, false);

const eventsBody: fc.Arbitrary<JsonNode> = fc.oneof(
  { arbitrary: validEvent, weight: 5 },
  {
    arbitrary: fc
      .array(validEvent, { minLength: 1, maxLength: 4 })
      .map((events) => obj(['events', { arr: events }])),
    weight: 3,
  },
  { arbitrary: oddEvent, weight: 4 },
  {
    arbitrary: fc
      .array(fc.oneof(validEvent, oddEvent), { maxLength: 5 })
      .map((events) => obj(['events', { arr: events }])),
    weight: 2,
  },
  {
    arbitrary: fc
      .constantFrom(0, 101)
      .map((n) =>
        obj([
          'events',
          { arr: Array.from({ length: n }, () => obj(['type', str('fuzz.many')], ['data', num('1')])) },
        ]),
      ),
    weight: 1,
  },
);

const sizeBody = fc.oneof(
  fc
    .constantFrom('1', '10', '10485760', '10485761', '52428800', '5368709120', '5368709121')
    .map((n) => obj(['size', num(n)])),
  oddNumber.map((n) => obj(['size', num(n)])),
  oddString.map((s) => obj(['size', str(s)])),
  fc.tuple(oddNumber, fc.string()).map(([n, key]) => obj(['size', num(n)], [key, num('1')])),
);

/** A small JSON value as the node the fuzz writes. */
const node = (value: unknown): JsonNode => {
  if (value === null) return { lit: 'null' };
  if (typeof value === 'boolean') return { lit: value ? 'true' : 'false' };
  if (typeof value === 'number') return num(String(value));
  if (typeof value === 'string') return str(value);
  if (Array.isArray(value)) return { arr: value.map(node) };
  return obj(
    ...Object.entries(value as Record<string, unknown>).map(([k, v]): [string, JsonNode] => [k, node(v)]),
  );
};

/** Schemas the catalog takes, and ones it refuses (remote $ref, backreference, unknown format...). */
const eventTypeSchema = fc.oneof(
  {
    arbitrary: fc
      .constantFrom<unknown>(
        true,
        { type: 'object' },
        { type: 'object', required: ['n'], properties: { n: { type: 'integer', minimum: 0 } } },
        { type: 'string', pattern: '^[a-z]+$', format: 'email' },
        { $ref: 'https://example.org/s.json' },
        { type: 'string', pattern: '(a)\\1' },
        { format: 'credit-card' },
        { type: 'array', uniqueItems: true },
        { $id: 'x', $dynamicRef: '#a' },
        { minimun: 1 },
        { type: 'strnig' },
      )
      .map(node),
    weight: 4,
  },
  { arbitrary: oddJson, weight: 2 },
);
/** Mostly left out: a member the schema refuses would make most cases a 422. */
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: arb, weight: 1 });
const eventTypeBody = fc
  .record({
    description: fc.oneof(carriableString, oddString),
    schema: maybe(eventTypeSchema),
    examples: maybe(fc.array(fc.oneof(carriableJson, oddJson), { maxLength: 3 })),
    deprecated: maybe(fc.boolean()),
    replacedBy: rarely(fc.oneof(fc.constant('fuzz.seed'), oddString)),
    extra: rarely(fc.string()),
  })
  .map(({ description, schema, examples, deprecated, replacedBy, extra }) =>
    obj(
      ['description', str(description)],
      schema === undefined ? undefined : ['schema', schema],
      examples === undefined ? undefined : ['examples', { arr: examples }],
      deprecated === undefined ? undefined : ['deprecated', { lit: deprecated ? 'true' : 'false' }],
      replacedBy === undefined ? undefined : ['replacedBy', str(replacedBy)],
      extra === undefined ? undefined : [extra, num('1')],
    ),
  );
/**
 * Type names a PUT may create in the caller's tenant: never fuzz.seed or fuzz.neighbour, which GET's
 * cases take as one tenant's and not the other's.
 */
const newEventTypeName = fc.stringMatching(/^fz[a-z]{0,3}\.[a-z]{1,4}$/);

const eventFilter = fc.oneof(
  fc.constantFrom(
    '*',
    'fuzz.*',
    'order.created',
    'a.*',
    '**',
    'a.**',
    '.*',
    '*.a',
    '',
    'A.B',
    'a..b',
    'x'.repeat(129),
  ),
  fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}(\.[a-z0-9_-]{1,6}){0,2}(\.\*)?$/),
  oddString,
);

function webhookUrl(world: FuzzWorld) {
  return fc.oneof(
    {
      arbitrary: fc
        .stringMatching(/^[a-z0-9]{1,12}$/)
        .map((name) => endpointUrl(`fz-${world.run}-hook-${name}`)),
      weight: 3,
    },
    {
      arbitrary: fc.constantFrom(
        'https://[::1]/',
        'https://[::127.0.0.1]/',
        'https://[::ffff:169.254.169.254]/',
        'https://[fe80::1%25eth0]/',
        'https://169.254.169.254/latest/meta-data/',
        'https://0x7f.1/',
        'https://2130706433/',
        'https://017700000001/',
        'https://127.1/',
        'https://[64:ff9b::10.0.0.1]/',
        'https://[2002:a00:1::]/',
        'https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/',
        'https://localhost./',
        'https://user:pass@example.com/',
        'https://example.com/#fragment',
        'https://example.com:444/hook',
        'https://example.com:0/',
        'https://example.com:99999/',
        'https://fuzz-nowhere.invalid/hook',
        'https://ünïcode.example/',
        'https://xn--nxasmq6b.example/',
        'http://example.com/',
        'ftp://example.com/',
        'javascript:alert(1)',
        'file:///etc/passwd',
        'https://',
        'https:///x',
        '//example.com',
        `https://example.com/${'a'.repeat(2100)}`,
        'https://[::]/',
        'https://0.0.0.0/',
        'https://255.255.255.255/',
        'https://100.64.0.1/',
      ),
      weight: 3,
    },
    { arbitrary: fc.webUrl({ validSchemes: ['https'] }), weight: 1 },
    { arbitrary: oddString, weight: 1 },
  );
}

const emailAddress = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom(
    'a@b',
    '@b.c',
    'a@',
    'a b@c.d',
    '"a"@b.c',
    'a@[127.0.0.1]',
    'ü@ü.de',
    `${'a'.repeat(250)}@b.c`,
    'a@b.c\r\nBcc: x@y.z',
  ),
  oddString,
);

/** A subscription Herald takes: to a receiver endpoint, filters that parse, any description. */
function validSubscription(world: FuzzWorld): fc.Arbitrary<JsonNode> {
  return fc
    .record({
      name: fc.stringMatching(/^[a-z0-9]{1,12}$/),
      eventTypes: fc.array(fc.constantFrom('fuzz.*', 'x.y', 'order.created', 'never.*'), {
        minLength: 1,
        maxLength: 3,
      }),
      description: fc.option(carriableString, { nil: undefined }),
    })
    .map(({ name, eventTypes, description }) =>
      obj(
        ['url', str(endpointUrl(`fz-${world.run}-hook-${name}`))],
        ['eventTypes', { arr: eventTypes.map(str) }],
        description === undefined ? undefined : ['description', str(description.slice(0, 500))],
      ),
    );
}

/** A webhook's own headers: names allowed and refused, values plain, secret, kept, removed or odd. */
const customHeaders: fc.Arbitrary<JsonNode> = fc.oneof(
  fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom(
            'Authorization',
            'x-team',
            'Cookie',
            'webhook-id',
            'Content-Type',
            'host',
            'proxy-x',
            'bad name',
          ),
          oddString,
        ),
        fc.oneof(
          fc.oneof(fc.constantFrom('Bearer abc', 'v', 'a\r\nx: 1', ''), oddString).map(str),
          fc.constantFrom<JsonNode>(
            {
              obj: [
                ['value', str('s3cr3t')],
                ['secret', { lit: 'true' }],
              ],
            },
            { obj: [['secret', { lit: 'true' }]] },
            { lit: 'null' },
          ),
        ),
      ),
      { maxLength: 22 },
    )
    .map((pairs): JsonNode => ({ obj: pairs })),
  oddJson,
);

function subscriptionBody(world: FuzzWorld, patch: boolean): fc.Arbitrary<JsonNode> {
  return fc.oneof(
    { arbitrary: validSubscription(world), weight: 1 },
    { arbitrary: oddSubscription(world, patch), weight: 2 },
  );
}

function oddSubscription(world: FuzzWorld, patch: boolean): fc.Arbitrary<JsonNode> {
  return fc
    .record({
      url: maybe(webhookUrl(world)),
      email: fc.option(emailAddress, { freq: 4, nil: undefined }),
      eventTypes: patch
        ? maybe(fc.array(eventFilter, { maxLength: 4 }))
        : fc.oneof(fc.array(eventFilter, { minLength: 1, maxLength: 4 }), fc.constant([] as string[])),
      description: fc.option(fc.oneof(oddString, fc.constant(null)), { freq: 3, nil: undefined }),
      filter: fc.option(fc.oneof(contentFilter, fc.constant<JsonNode>({ lit: 'null' })), {
        freq: 3,
        nil: undefined,
      }),
      headers: fc.option(customHeaders, { freq: 3, nil: undefined }),
      timeoutSeconds: fc.option(fc.oneof(fc.constantFrom('1', '10', '25', '0', 'null'), oddNumber), {
        freq: 4,
        nil: undefined,
      }),
    })
    .map(({ url, email, eventTypes, description, filter, headers, timeoutSeconds }) =>
      obj(
        url === undefined ? undefined : ['url', str(url)],
        email === undefined ? undefined : ['email', str(email)],
        eventTypes === undefined ? undefined : ['eventTypes', { arr: eventTypes.map(str) }],
        description === undefined
          ? undefined
          : ['description', description === null ? { lit: 'null' } : str(description)],
        filter === undefined ? undefined : ['filter', filter],
        headers === undefined ? undefined : ['headers', headers],
        timeoutSeconds === undefined
          ? undefined
          : ['timeoutSeconds', timeoutSeconds === 'null' ? { lit: 'null' } : num(timeoutSeconds)],
      ),
    );
}

const graceBody = fc.oneof(
  fc.constant(obj()),
  oddNumber.map((n) => obj(['gracePeriodSeconds', num(n)])),
  fc.constantFrom('0', '604800', '604801', '-1').map((n) => obj(['gracePeriodSeconds', num(n)])),
);

/** A window of the last hours (what a replay takes), or odd times. */
const recentWindow = fc
  .tuple(
    fc.integer({ min: 1, max: 20 * 3_600_000 }),
    fc.option(fc.integer({ min: 0, max: 3_600_000 }), { nil: undefined }),
  )
  .map(([back, length]) => ({
    since: new Date(Date.now() - back).toISOString(),
    until: length === undefined ? undefined : new Date(Date.now() - back + length).toISOString(),
  }));
const replayBody = fc
  .tuple(
    fc.oneof(recentWindow, fc.record({ since: time, until: maybe(time) })),
    // A dry run only counts; false (or none) starts the replay.
    maybe(fc.constantFrom<'true' | 'false'>('true', 'false')),
  )
  .map(([{ since, until }, dryRun]) =>
    obj(
      ['since', str(since)],
      until === undefined ? undefined : ['until', str(until)],
      dryRun === undefined ? undefined : ['dryRun', { lit: dryRun }],
    ),
  );

/** A plain JSON value as the nodes a body is written from. */
function nodeOf(value: unknown): JsonNode {
  if (value === null || typeof value === 'boolean')
    return { lit: String(value) as 'true' | 'false' | 'null' };
  if (typeof value === 'number') return num(String(value));
  if (typeof value === 'string') return str(value);
  if (Array.isArray(value)) return { arr: value.map(nodeOf) };
  return {
    obj: Object.entries(value as Record<string, unknown>).map(([k, v]): [string, JsonNode] => [k, nodeOf(v)]),
  };
}

/** Content filters the engine takes (one of each kind of operator), or odd JSON it mostly refuses. */
const contentFilter = fc.oneof(
  fc
    .constantFrom<unknown>(
      { data: { total: [{ numeric: ['>', 100] }] } },
      { type: [{ prefix: 'order.' }], source: [{ suffix: '/eu' }] },
      { subject: [{ wildcard: '*a*b*' }], data: { tier: [{ 'equals-ignore-case': 'GOLD' }] } },
      { $or: [{ type: ['order.created'] }, { data: { coupon: [{ exists: false }] } }] },
      { data: { code: [{ 'anything-but': { prefix: 'test-' } }], ip: [{ cidr: '10.0.0.0/8' }] } },
      { data: { n: Array.from({ length: 101 }, (_, i) => i) } },
    )
    .map(nodeOf),
  oddJson,
);

/** POST /v1/subscriptions/test-filter: a filter, maybe event types, a since and a limit. */
const filterTestBody = fc
  .record({
    filter: contentFilter,
    eventTypes: maybe(fc.array(eventFilter, { maxLength: 3 })),
    since: maybe(
      fc.oneof(
        recentWindow.map((window) => window.since),
        time,
      ),
    ),
    limit: maybe(fc.oneof(fc.integer({ min: -1, max: 101 }).map(String), oddNumber)),
  })
  .map(({ filter, eventTypes, since, limit }) =>
    obj(
      ['filter', filter],
      eventTypes === undefined ? undefined : ['eventTypes', { arr: eventTypes.map(str) }],
      since === undefined ? undefined : ['since', str(since)],
      limit === undefined ? undefined : ['limit', num(limit)],
    ),
  );

const redriveBody = fc.oneof(
  fc.constant(obj()),
  oddNumber.map((n) => obj(['maxMessagesPerSecond', num(n)])),
  fc.constantFrom('1', '500', '501', '0').map((n) => obj(['maxMessagesPerSecond', num(n)])),
);

const QUEUES = [
  'inbound',
  'publish',
  'bus',
  'dispatch',
  'delivery',
  'delivery-slow',
  'email',
  'destinations',
  'rule',
];
const queueName = fc.oneof(
  { arbitrary: fc.constantFrom(...QUEUES).map((id): Resource => ({ id, owner: 'nobody' })), weight: 3 },
  {
    arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,31}$/).map((id): Resource => ({ id, owner: 'nobody' })),
    weight: 1,
  },
  {
    arbitrary: oddString.filter((s) => s !== '').map((id): Resource => ({ id, owner: 'nobody' })),
    weight: 1,
  },
);
const sample = fc.oneof(fc.constantFrom('1', '5', '10', '0', '11', '-1', ''), oddString);

const madeUpSubscription = fc.ulid().map((u) => `sub_${u}`);
const madeUpDelivery = fc.ulid().map((u) => `msg_${u}`);

// ---------------------------------------------------------------------------------------------
// E-mail links: no bearer token, a signed link token in the query, HTML pages in answer

/** Link tokens: signed ones of every kind, forged ones of the right shape, and anything at all. */
function linkToken(world: FuzzWorld): fc.Arbitrary<string> {
  const b64 = (value: string) => Buffer.from(value).toString('base64url');
  const claims = fc
    .tuple(
      fc.constantFrom('confirm', 'unsubscribe', 'other'),
      fc.constantFrom(...world.ids.emailSubscriptions, 'sub_x'),
      oddString,
    )
    .map(([purpose, id, email]) =>
      b64(JSON.stringify([purpose, id, world.subscriber.id, email, 9_999_999_999])),
    );
  return fc.oneof(
    { arbitrary: fc.constantFrom(...world.linkTokens), weight: 4 },
    {
      arbitrary: fc
        .tuple(claims, fc.base64String({ minLength: 4, maxLength: 60 }))
        .map(([p, mac]) => `${p}.${mac}`),
      weight: 2,
    },
    { arbitrary: fc.constantFrom(...world.linkTokens).map((t) => `${t.slice(0, -2)}AA`), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        '',
        '.',
        'a.b',
        'a.b.c',
        `${'x'.repeat(5000)}.y`,
        '<script>alert(1)</script>',
        '"><img src=x>',
      ),
      weight: 1,
    },
    { arbitrary: oddString, weight: 2 },
  );
}

const FORM_BODIES = [
  'List-Unsubscribe=One-Click',
  'List-Unsubscribe=',
  'List-Unsubscribe',
  'list-unsubscribe=One-Click',
  'x=1',
  '',
  '%',
  '&&',
];

function linkRoute(method: 'GET' | 'POST', path: string): FuzzRoute {
  return {
    service: 'notifications',
    method,
    path,
    scope: '',
    cases: (world) =>
      fc
        .record({
          who: caller(tokensFor(world, 'subscriptions:read', 'subscriber')),
          token: fc.option(linkToken(world), { freq: 8, nil: undefined }),
          q: query({ token: linkToken(world) }),
          body:
            method === 'POST'
              ? fc.oneof(
                  {
                    arbitrary: fc
                      .constantFrom(...FORM_BODIES)
                      .map((text): RawBody => ({ text, encoding: 'utf8' })),
                    weight: 6,
                  },
                  { arbitrary: body({ plausible: oddJson, limit: 256 * 1024 }), weight: 2 },
                )
              : body({ plausible: oddJson, limit: 256 * 1024, none: true }),
          contentType: fc.oneof(
            {
              arbitrary: fc.constant([['content-type', 'application/x-www-form-urlencoded']] as Array<
                [string, string]
              >),
              weight: 4,
            },
            { arbitrary: contentTypeHeaders, weight: 1 },
          ),
          extra: extraHeaders,
        })
        .map(({ who, token, q, body: sent, contentType, extra }) => {
          const first = token === undefined ? '' : `token=${percentEncode(token)}`;
          const rest = q.text.replace(/^\?/, '');
          const search = [first, rest].filter((part) => part !== '').join('&');
          return routeCase({
            who,
            path: `${path}${search ? `?${search}` : ''}`,
            malformedPath: q.malformed,
            body: sent,
            contentType,
            extra,
            open: true,
            page: { unescaped: token === undefined ? [] : [token] },
          });
        }),
  };
}

// ---------------------------------------------------------------------------------------------
// The tenants service: the operator's tenant routes (made-up tenants only: the fuzz must not suspend
// its own), and the tenant's API keys and portal tokens

const TENANTS_ADMIN = 'tenants:admin';
/** Nobody's: a well-formed id naming nothing, or anything at all (the operator sees every tenant). */
const nobodys = (madeUp: fc.Arbitrary<string>): fc.Arbitrary<Resource> =>
  fc.oneof(
    { arbitrary: madeUp.map((id): Resource => ({ id, owner: 'nobody' })), weight: 4 },
    {
      arbitrary: fc
        .oneof(carriableString, oddString)
        .filter((id) => id !== '')
        .map((id): Resource => ({ id, owner: 'nobody' })),
      weight: 1,
    },
  );
const fuzzTenantId = fc.stringMatching(/^fzt-[a-z0-9]{1,12}$/);
const limitsBody = fc
  .dictionary(
    fc.constantFrom(
      'ingestRequestsPerSecond',
      'ingestEventsPerSecond',
      'maxSubscriptions',
      'maxConcurrentReplays',
      'uploadBytesPerDay',
      'dailyEmailCap',
      'other',
    ),
    fc.oneof(
      fc.integer({ min: -1, max: 2000 }).map((n) => num(String(n))),
      oddNumber.map(num),
      fc.constant({ lit: 'null' } as JsonNode),
    ),
    { maxKeys: 3 },
  )
  .map((limits) => obj(...Object.entries(limits)));
const settingsBody = fc
  .record({
    limits: maybe(limitsBody),
    retentionDays: maybe(
      fc.oneof(
        fc.integer({ min: -1, max: 4000 }).map((n) => num(String(n))),
        oddNumber.map(num),
      ),
    ),
    allowedDestinations: maybe(
      fc
        .array(fc.constantFrom('webhook', 'email', 'aws', 'sms'), { maxLength: 4 })
        .map((kinds) => ({ arr: kinds.map(str) })),
    ),
  })
  .map(({ limits, retentionDays, allowedDestinations }) =>
    obj(
      limits === undefined ? undefined : ['limits', limits],
      retentionDays === undefined ? undefined : ['retentionDays', retentionDays],
      allowedDestinations === undefined ? undefined : ['allowedDestinations', allowedDestinations],
    ),
  );
const tenantBody = fc
  .record({ id: fc.oneof(fuzzTenantId, oddString), name: maybe(oddString), settings: maybe(settingsBody) })
  .map(({ id, name, settings }) =>
    obj(
      ['id', str(id)],
      name === undefined ? undefined : ['name', str(name)],
      settings === undefined ? undefined : ['settings', settings],
    ),
  );
const tenantPatchBody = fc
  .record({ name: maybe(oddString), settings: maybe(settingsBody) })
  .map(({ name, settings }) =>
    obj(
      name === undefined ? undefined : ['name', str(name)],
      settings === undefined ? undefined : ['settings', settings],
    ),
  );
const scopeList = fc
  .array(
    fc.oneof(
      fc.constantFrom('events:write', 'events:read', 'keys:read', 'keys:write', TENANTS_ADMIN),
      oddString,
    ),
    {
      maxLength: 4,
    },
  )
  .map((scopes) => ({ arr: scopes.map(str) }));
const apiKeyBody = fc
  .record({
    name: fc.oneof(carriableString, oddString),
    scopes: scopeList,
    expiresAt: maybe(time),
    environment: maybe(fc.oneof(fc.constantFrom('live', 'test', 'portal'), oddString)),
  })
  .map(({ name, scopes, expiresAt, environment }) =>
    obj(
      ['name', str(name)],
      ['scopes', scopes],
      expiresAt === undefined ? undefined : ['expiresAt', str(expiresAt)],
      environment === undefined ? undefined : ['environment', str(environment)],
    ),
  );
const portalBody = fc
  .record({
    scopes: maybe(scopeList),
    ttlSeconds: maybe(
      fc.oneof(
        fc.integer({ min: 0, max: 7200 }).map((n) => num(String(n))),
        oddNumber.map(num),
      ),
    ),
  })
  .map(({ scopes, ttlSeconds }) =>
    obj(
      scopes === undefined ? undefined : ['scopes', scopes],
      ttlSeconds === undefined ? undefined : ['ttlSeconds', ttlSeconds],
    ),
  );
const madeUpKey = fc.ulid().map((u) => `key_${u}`);
const madeUpExport = fc.ulid().map((u) => `exp_${u}`);
const madeUpErasure = fc.ulid().map((u) => `ers_${u}`);
// A subject nobody's events carry: the fuzz must not erase what its own checks read afterwards.
const erasureBody = fc
  .oneof(fc.stringMatching(/^fz-nobody-[a-z0-9]{1,12}$/), oddString)
  .map((subject) => obj(['subject', str(subject)]));

function tenantsRoutes(): FuzzRoute[] {
  const admin = (world: FuzzWorld) => tokensFor(world, TENANTS_ADMIN, 'operator');
  const tenant = (
    path: string,
    method: string,
    knobs: Parameters<typeof resourceCase>[3] = {},
  ): FuzzRoute => ({
    service: 'tenants',
    method,
    path: `/v1/tenants/{tenantId}${path}`,
    scope: TENANTS_ADMIN,
    cases: (world) =>
      resourceCase(admin(world), (id) => `/v1/tenants/${id}${path}`, nobodys(fuzzTenantId), knobs),
  });
  const key = (method: string, scope: string): FuzzRoute => ({
    service: 'tenants',
    method,
    path: '/v1/api-keys/{keyId}',
    scope,
    cases: (world) =>
      resourceCase(tokensFor(world, scope, 'producer'), (id) => `/v1/api-keys/${id}`, nobodys(madeUpKey), {}),
  });
  return [
    {
      service: 'tenants',
      method: 'GET',
      path: '/v1/tenant',
      scope: '',
      // Any verified token reads its own tenant, whatever its scopes (none included): neither a
      // narrow token nor one without scopes is a refusal here.
      cases: (world) => {
        const tokens = tokensFor(world, 'events:read', 'producer');
        const refused = tokens.refused.filter((token) => token !== world.noScopeToken);
        return plainCase({ ...tokens, narrow: [], refused }, '/v1/tenant', {});
      },
    },
    {
      service: 'tenants',
      method: 'POST',
      path: '/v1/tenants',
      scope: TENANTS_ADMIN,
      cases: (world) =>
        plainCase(admin(world), '/v1/tenants', { body: body({ plausible: tenantBody, limit: 256 * 1024 }) }),
    },
    {
      service: 'tenants',
      method: 'GET',
      path: '/v1/tenants',
      scope: TENANTS_ADMIN,
      cases: (world) =>
        plainCase(admin(world), '/v1/tenants', { query: { limit, cursor: cursor(world.cursors.events) } }),
    },
    tenant('', 'GET'),
    tenant('', 'PATCH', { body: body({ plausible: tenantPatchBody, limit: 256 * 1024 }) }),
    tenant('/suspend', 'POST'),
    tenant('/resume', 'POST'),
    tenant('', 'DELETE'),
    {
      service: 'tenants',
      method: 'POST',
      path: '/v1/api-keys',
      scope: 'keys:write',
      cases: (world) =>
        plainCase(tokensFor(world, 'keys:write', 'producer'), '/v1/api-keys', {
          body: body({ plausible: apiKeyBody, limit: 256 * 1024 }),
          issuesSecret: true,
        }),
    },
    {
      service: 'tenants',
      method: 'GET',
      path: '/v1/api-keys',
      scope: 'keys:read',
      cases: (world) =>
        plainCase(tokensFor(world, 'keys:read', 'producer'), '/v1/api-keys', {
          query: { limit, cursor: cursor(world.cursors.events) },
        }),
    },
    key('GET', 'keys:read'),
    key('DELETE', 'keys:write'),
    {
      service: 'tenants',
      method: 'GET',
      path: '/v1/audit',
      scope: 'audit:read',
      cases: (world) =>
        plainCase(tokensFor(world, 'audit:read', 'producer'), '/v1/audit', {
          query: { limit, cursor: cursor(world.cursors.events) },
        }),
    },
    {
      service: 'tenants',
      method: 'POST',
      path: '/v1/portal-tokens',
      scope: 'keys:write',
      cases: (world) =>
        plainCase(tokensFor(world, 'keys:write', 'producer'), '/v1/portal-tokens', {
          body: body({ plausible: portalBody, limit: 256 * 1024, none: true }),
          issuesSecret: true,
        }),
    },
    {
      service: 'tenants',
      method: 'POST',
      path: '/v1/tenant/export',
      scope: 'tenant:export',
      cases: (world) =>
        plainCase(tokensFor(world, 'tenant:export', 'producer'), '/v1/tenant/export', {
          body: body({ plausible: fc.constant(obj()), limit: 256 * 1024, none: true }),
        }),
    },
    {
      service: 'tenants',
      method: 'GET',
      path: '/v1/tenant/exports/{exportId}',
      scope: 'tenant:export',
      cases: (world) =>
        resourceCase(
          tokensFor(world, 'tenant:export', 'producer'),
          (id) => `/v1/tenant/exports/${id}`,
          nobodys(madeUpExport),
          {},
        ),
    },
    {
      service: 'tenants',
      method: 'POST',
      path: '/v1/tenant/erasures',
      scope: 'tenant:erase',
      cases: (world) =>
        plainCase(tokensFor(world, 'tenant:erase', 'producer'), '/v1/tenant/erasures', {
          body: body({ plausible: erasureBody, limit: 256 * 1024 }),
        }),
    },
    {
      service: 'tenants',
      method: 'GET',
      path: '/v1/tenant/erasures/{requestId}',
      scope: 'tenant:erase',
      cases: (world) =>
        resourceCase(
          tokensFor(world, 'tenant:erase', 'producer'),
          (id) => `/v1/tenant/erasures/${id}`,
          nobodys(madeUpErasure),
          {},
        ),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// The table

function operatorRoutes(service: 'processing' | 'notifications'): FuzzRoute[] {
  const base = '/v1/operator/dead-letters';
  const tokens = (world: FuzzWorld) => tokensFor(world, OPERATOR_SCOPE, 'operator');
  return [
    {
      service,
      method: 'GET',
      path: base,
      scope: OPERATOR_SCOPE,
      cases: (world) => plainCase(tokens(world), base, { query: { sample } }),
    },
    {
      service,
      method: 'GET',
      path: `${base}/{queue}`,
      scope: OPERATOR_SCOPE,
      cases: (world) => resourceCase(tokens(world), (q) => `${base}/${q}`, queueName, { query: { sample } }),
    },
    {
      service,
      method: 'GET',
      path: `${base}/{queue}/redrive`,
      scope: OPERATOR_SCOPE,
      cases: (world) => resourceCase(tokens(world), (q) => `${base}/${q}/redrive`, queueName, {}),
    },
    {
      service,
      method: 'POST',
      path: `${base}/{queue}/redrive`,
      scope: OPERATOR_SCOPE,
      cases: (world) =>
        resourceCase(tokens(world), (q) => `${base}/${q}/redrive`, queueName, {
          body: body({ plausible: redriveBody, limit: 256 * 1024 }),
        }),
    },
  ];
}

export const ROUTES: FuzzRoute[] = [
  {
    service: 'ingest',
    method: 'POST',
    path: '/v1/events',
    scope: 'events:write',
    cases: (world) =>
      plainCase(tokensFor(world, 'events:write', 'producer'), '/v1/events', {
        body: body({ plausible: eventsBody, limit: 1024 * 1024 }),
      }),
    observe(sent, answer, ledger) {
      if (sent.body === undefined || sent.as === 'nobody') return;
      ledger.recordAnswer(sent.as === 'own' ? 'producer' : 'producerNeighbour', bodyBytes(sent.body), answer);
    },
  },
  {
    service: 'ingest',
    method: 'POST',
    path: '/v1/uploads',
    scope: 'events:write',
    cases: (world) =>
      plainCase(tokensFor(world, 'events:write', 'producer'), '/v1/uploads', {
        body: body({ plausible: sizeBody, limit: 256 * 1024 }),
      }),
  },
  {
    service: 'ingest',
    method: 'GET',
    path: '/v1/uploads/{id}',
    scope: 'events:write',
    cases: (world) =>
      resourceCase(
        tokensFor(world, 'events:write', 'producer'),
        (id) => `/v1/uploads/${id}`,
        resource(world.ids.uploads, world.ids.neighbourUploads, fc.ulid()),
        { query: { cursor: cursor(world.cursors.uploads) } },
      ),
  },
  {
    service: 'ingest',
    method: 'PUT',
    path: '/v1/event-types/{type}',
    scope: 'event-types:write',
    cases: (world) =>
      resourceCase(
        tokensFor(world, 'event-types:write', 'producer'),
        (type) => `/v1/event-types/${type}`,
        // A type name is the caller's own in its tenant: a PUT by anyone creates or replaces its own.
        resource(['fzput.one'], ['fzput.two'], newEventTypeName).map((r): Resource => ({
          ...r,
          owner: 'nobody',
        })),
        { body: body({ plausible: eventTypeBody, limit: 256 * 1024 }) },
      ),
  },
  {
    service: 'ingest',
    method: 'GET',
    path: '/v1/event-types/{type}',
    scope: 'event-types:read',
    cases: (world) =>
      resourceCase(
        tokensFor(world, 'event-types:read', 'producer'),
        (type) => `/v1/event-types/${type}`,
        resource(['fuzz.seed'], ['fuzz.neighbour'], newEventTypeName),
        {},
      ),
  },
  {
    service: 'ingest',
    method: 'GET',
    path: '/v1/event-types',
    scope: 'event-types:read',
    cases: (world) =>
      plainCase(tokensFor(world, 'event-types:read', 'producer'), '/v1/event-types', {
        query: { limit, cursor: cursor(world.cursors.events) },
      }),
  },
  {
    service: 'processing',
    method: 'GET',
    path: '/v1/events/{id}',
    scope: 'events:read',
    cases: (world) =>
      resourceCase(
        tokensFor(world, 'events:read', 'producer'),
        (id) => `/v1/events/${id}`,
        resource(world.ids.events, world.ids.neighbourEvents, fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/)),
        {},
      ),
  },
  {
    service: 'processing',
    method: 'GET',
    path: '/v1/events',
    scope: 'events:read',
    cases: (world) =>
      plainCase(tokensFor(world, 'events:read', 'producer'), '/v1/events', {
        query: {
          type: fc.oneof(fc.constant('fuzz.seed'), fc.stringMatching(/^[a-z]{1,5}\.[a-z]{1,5}$/), oddString),
          since: time,
          until: time,
          limit,
          cursor: cursor(world.cursors.events),
        },
      }),
  },
  ...operatorRoutes('processing'),
  {
    service: 'notifications',
    method: 'POST',
    path: '/v1/subscriptions',
    scope: 'subscriptions:write',
    cases: (world) =>
      plainCase(tokensFor(world, 'subscriptions:write', 'subscriber'), '/v1/subscriptions', {
        body: body({ plausible: subscriptionBody(world, false), limit: 16 * 1024 }),
        issuesSecret: true,
      }),
  },
  {
    service: 'notifications',
    method: 'GET',
    path: '/v1/subscriptions',
    scope: 'subscriptions:read',
    cases: (world) =>
      plainCase(tokensFor(world, 'subscriptions:read', 'subscriber'), '/v1/subscriptions', {
        query: { limit, cursor: cursor(world.cursors.subscriptions) },
      }),
  },
  {
    service: 'notifications',
    method: 'POST',
    path: '/v1/subscriptions/test-filter',
    scope: 'subscriptions:read',
    cases: (world) =>
      plainCase(tokensFor(world, 'subscriptions:read', 'subscriber'), '/v1/subscriptions/test-filter', {
        body: body({ plausible: filterTestBody, limit: 16 * 1024 }),
      }),
  },
  ...(
    [
      ['GET', '', 'subscriptions:read'],
      ['PATCH', '', 'subscriptions:write'],
      ['DELETE', '', 'subscriptions:write'],
      ['POST', '/pause', 'subscriptions:write'],
      ['POST', '/resume', 'subscriptions:write'],
      ['POST', '/rotate-secret', 'subscriptions:write'],
      ['POST', '/test', 'subscriptions:write'],
      ['GET', '/deliveries', 'subscriptions:read'],
      ['POST', '/replay', 'subscriptions:write'],
    ] as const
  ).map(([method, suffix, scope]): FuzzRoute => ({
    service: 'notifications',
    method,
    path: `/v1/subscriptions/{id}${suffix}`,
    scope,
    cases: (world) =>
      resourceCase(
        tokensFor(world, scope, 'subscriber'),
        (id) => `/v1/subscriptions/${id}${suffix}`,
        resource(
          method === 'DELETE' ? world.ids.deletable : world.ids.subscriptions,
          world.ids.neighbourSubscriptions,
          madeUpSubscription,
        ),
        {
          ...(suffix === '/deliveries' ? { query: { limit, cursor: cursor(world.cursors.deliveries) } } : {}),
          ...(method === 'PATCH'
            ? { body: body({ plausible: subscriptionBody(world, true), limit: 16 * 1024 }) }
            : {}),
          ...(suffix === '/rotate-secret'
            ? { body: body({ plausible: graceBody, limit: 256 * 1024 }), issuesSecret: true }
            : {}),
          ...(suffix === '/replay' ? { body: body({ plausible: replayBody, limit: 1024 }) } : {}),
        },
      ),
  })),
  {
    service: 'notifications',
    method: 'POST',
    path: '/v1/subscriptions/{id}/resend-confirmation',
    scope: 'subscriptions:write',
    cases: (world) =>
      resourceCase(
        tokensFor(world, 'subscriptions:write', 'subscriber'),
        (id) => `/v1/subscriptions/${id}/resend-confirmation`,
        resource(
          [...world.ids.emailSubscriptions, ...world.ids.subscriptions],
          world.ids.neighbourEmailSubscriptions,
          madeUpSubscription,
        ),
        {},
      ),
  },
  linkRoute('GET', '/v1/email/confirm'),
  linkRoute('GET', '/v1/email/unsubscribe'),
  linkRoute('POST', '/v1/email/unsubscribe'),
  {
    // Public: any caller, token or not, any tenant id; a 200 shows public keys alone, else a 404.
    service: 'notifications',
    method: 'GET',
    path: '/v1/tenants/{tenantId}/webhook-keys.json',
    scope: '',
    cases: (world) =>
      fc
        .record({
          who: caller(tokensFor(world, 'subscriptions:read', 'subscriber')),
          what: resource(
            [world.subscriber.id],
            [world.subscriberNeighbour.id],
            fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
          ).chain((r) => segment(r.id)),
          q: query({}),
          extra: extraHeaders,
        })
        .map(({ who, what, q, extra }) =>
          routeCase({
            who,
            path: `/v1/tenants/${what.text}/webhook-keys.json${q.text}`,
            malformedPath: what.malformed || q.malformed,
            extra,
            open: true,
          }),
        ),
  },
  {
    service: 'notifications',
    method: 'GET',
    path: '/v1/events/{id}/deliveries',
    scope: 'subscriptions:read',
    cases: (world) =>
      resourceCase(
        tokensFor(world, 'subscriptions:read', 'subscriber'),
        (id) => `/v1/events/${id}/deliveries`,
        // Any event id is a 200 here, another tenant's too: the deliveries are read by keys derived
        // from the caller's tenant, so it gets the empty list an id never sent gets (the route's
        // integration test checks it is empty). No id is another tenant's resource to this route.
        resource(
          world.ids.events,
          world.ids.neighbourEvents,
          fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/),
        ).map((r): Resource => ({ ...r, owner: 'nobody' })),
        {},
      ),
  },
  {
    service: 'notifications',
    method: 'GET',
    path: '/v1/stats',
    scope: 'subscriptions:read',
    cases: (world) =>
      plainCase(tokensFor(world, 'subscriptions:read', 'subscriber'), '/v1/stats', {
        query: { window: fc.oneof(fc.constantFrom('1h', '24h'), oddString) },
      }),
  },
  {
    service: 'notifications',
    method: 'GET',
    path: '/v1/destinations/external-id',
    scope: 'subscriptions:read',
    cases: (world) =>
      plainCase(tokensFor(world, 'subscriptions:read', 'subscriber'), '/v1/destinations/external-id', {}),
  },
  {
    service: 'notifications',
    method: 'POST',
    path: '/v1/deliveries/{id}/redeliver',
    scope: 'subscriptions:write',
    cases: (world) =>
      resourceCase(
        tokensFor(world, 'subscriptions:write', 'subscriber'),
        (id) => `/v1/deliveries/${id}/redeliver`,
        resource(world.ids.deliveries, world.ids.neighbourDeliveries, madeUpDelivery),
        {},
      ),
  },
  ...operatorRoutes('notifications'),
  ...tenantsRoutes(),
];

/** `service METHOD /path`: the route's service, then its RouteKey as CloudFormation writes it. */
export const routeName = (route: Pick<FuzzRoute, 'service' | 'method' | 'path'>) =>
  `${route.service} ${route.method} ${route.path}`;
