/**
 * What the fuzz cases draw on, made once before they run: tenants with tokens, webhook
 * subscriptions to the local receiver, a few stored and delivered events, an upload with a paged
 * report, and real ids and cursors of each tenant (so cases can name their own resources, another
 * tenant's, and made-up ones). Each service's routes get a tenant of their own, so the
 * subscriptions the fuzz creates never receive the events it sends.
 */
import { randomBytes } from 'node:crypto';
import { callService, eventually, localCloud, tokenFor, type Service } from '../../setup/local-cloud';
import { endpointUrl, newEndpoint, setEndpointSecret } from '../../e2e/support/receiver';
import type { CursorSources } from './arbitraries';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clientConfig } from '@herald/local-cloud/client';
import {
  signEmailToken,
  tokenKeyFromSecret,
} from '../../../services/notifications/src/subscriptions/email-confirmation-token';
import { envelopeSigningJwk } from './cloud';
import { oddTokens } from './tokens';
import type { Secrets } from './oracle';

const TENANT_SCOPES = [
  'events:write',
  'events:read',
  'subscriptions:read',
  'subscriptions:write',
  'event-types:read',
  'event-types:write',
  'keys:read',
  'keys:write',
  'tenant:export',
  'tenant:erase',
];
export const OPERATOR_SCOPE = 'operator:dead-letters';
/** The local stage's e-mail link key (notifications' serverless.yml, custom.names.emailLinkKeySecret). */
const EMAIL_LINK_KEY_SECRET = 'herald-local-notifications-email-link-key';

export type { Service };

export interface FuzzTenant {
  id: string;
  /** Every tenant scope. */
  token: string;
  /** The `*` subscription every event of the tenant is delivered through, to `endpoint`. */
  subscription: { id: string; secret: string; endpoint: string };
}

export interface FuzzWorld {
  run: string;
  /** Producers: every event they send is checked stored once and delivered. */
  producer: FuzzTenant;
  producerNeighbour: FuzzTenant;
  /** Subscribers: the notifications routes' own tenant, and its neighbour. */
  subscriber: FuzzTenant;
  subscriberNeighbour: FuzzTenant;
  operatorToken: string;
  /** A token of the producer's tenant for each scope alone, by scope, for 403s. */
  narrowTokens: Record<string, string>;
  /** Tokens that must be refused. */
  refusedTokens: string[];
  /** A valid token that grants no scope: refused by every route that asks one, taken by those that ask none. */
  noScopeToken: string;
  ids: {
    events: string[];
    neighbourEvents: string[];
    uploads: string[];
    neighbourUploads: string[];
    /** The subscriber's subscriptions to its endpoint, for every route but DELETE. */
    subscriptions: string[];
    /** The subscriber's subscriptions DELETE may take. */
    deletable: string[];
    neighbourSubscriptions: string[];
    deliveries: string[];
    neighbourDeliveries: string[];
    /** E-mail subscriptions (pending their confirmation), for resend-confirmation. */
    emailSubscriptions: string[];
    neighbourEmailSubscriptions: string[];
  };
  /** E-mail link tokens signed with the stage's key: to confirm or unsubscribe, expired, another tenant's. */
  linkTokens: string[];
  cursors: {
    events: CursorSources;
    uploads: CursorSources;
    subscriptions: CursorSources;
    deliveries: CursorSources;
  };
  /** What the producers sent before the fuzz: stored and delivered like everything accepted after. */
  seeds: { producer: Seed[]; producerNeighbour: Seed[] };
  secrets: Secrets;
}

interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function call(
  token: string,
  service: Service,
  method: string,
  path: string,
  body?: unknown,
): Promise<JsonAnswer> {
  const answer = await callService(service, token, method, path, { body });
  return { status: answer.status, body: answer.body };
}

async function must(
  answer: Promise<JsonAnswer>,
  status: number,
  what: string,
): Promise<Record<string, unknown>> {
  const { status: got, body } = await answer;
  if (got !== status) throw new Error(`fuzz setup: ${what} answered ${got}: ${JSON.stringify(body)}`);
  return body;
}

async function subscribe(token: string, tenant: string, eventTypes: string[]) {
  const endpoint = newEndpoint(tenant);
  const body = await must(
    call(token, 'notifications', 'POST', '/v1/subscriptions', { url: endpointUrl(endpoint), eventTypes }),
    201,
    'a subscription',
  );
  const subscription = { id: body.id as string, secret: body.secret as string, endpoint };
  await setEndpointSecret(endpoint, subscription.secret);
  return subscription;
}

export async function tenant(run: string, name: string): Promise<FuzzTenant> {
  const id = `fz-${run}-${name}`;
  const token = await tokenFor({ tenant: id, scopes: TENANT_SCOPES });
  return { id, token, subscription: await subscribe(token, id, ['*']) };
}

export interface Seed {
  id: string;
  data: unknown;
}

async function postEvents(who: FuzzTenant, count: number, type: string): Promise<Seed[]> {
  const events = Array.from({ length: count }, (_, n) => ({ type, data: { n, run: who.id } }));
  const body = await must(call(who.token, 'ingest', 'POST', '/v1/events', { events }), 202, 'seed events');
  return (body.ids as string[]).map((id, n) => ({ id, data: events[n]!.data }));
}

/** The `nextCursor` of the first page of a list of at least two items, once it has them. */
function secondPageCursor(token: string, service: Service, path: string): Promise<string> {
  return eventually(
    async () => {
      const page = await call(token, service, 'GET', `${path}${path.includes('?') ? '&' : '?'}limit=1`);
      return page.status === 200 && typeof page.body.nextCursor === 'string'
        ? page.body.nextCursor
        : undefined;
    },
    90_000,
    `a second page of ${path}`,
  );
}

async function deliveryIds(token: string, subscriptionId: string, count: number): Promise<string[]> {
  return eventually(
    async () => {
      const page = await call(
        token,
        'notifications',
        'GET',
        `/v1/subscriptions/${subscriptionId}/deliveries`,
      );
      const items = (page.body.items ?? []) as Array<{ id: string }>;
      return items.length >= count ? items.map((item) => item.id) : undefined;
    },
    90_000,
    `${count} deliveries of ${subscriptionId}`,
  );
}

/** An upload of `lines` refused lines and one good one, processed, with its report's next page. */
async function pagedUpload(
  who: FuzzTenant,
  lines: number,
): Promise<{ id: string; cursor: string; seed: Seed }> {
  const content = Buffer.from(
    [
      `{"id":"${who.id}-upload","type":"fuzz.seed","data":{"upload":true}}`,
      ...Array.from({ length: lines }, (_, n) => `not json ${n}`),
    ].join('\n'),
  );
  const created = await must(
    call(who.token, 'ingest', 'POST', '/v1/uploads', { size: content.length }),
    201,
    'an upload',
  );
  const upload = created.upload as { method: string; url: string; headers: Record<string, string> };
  const { 'content-length': _length, ...headers } = upload.headers;
  const put = await fetch(upload.url, { method: upload.method, headers, body: content });
  if (put.status !== 200) throw new Error(`fuzz setup: the upload PUT answered ${put.status}`);
  const id = created.id as string;
  const report = await eventually(
    async () => {
      const view = await call(who.token, 'ingest', 'GET', `/v1/uploads/${id}`);
      return view.body.status === 'completed' ? (view.body.report as { nextCursor?: string }) : undefined;
    },
    90_000,
    'the seed upload processed',
  );
  if (!report.nextCursor) throw new Error('fuzz setup: the seed upload has no second page');
  return { id, cursor: report.nextCursor, seed: { id: `${who.id}-upload`, data: { upload: true } } };
}

/** A fresh run id: every tenant and receiver endpoint of the run starts with `fz-<run>`. */
export const newRun = () => randomBytes(4).toString('hex');

async function emailSubscribe(who: FuzzTenant): Promise<string> {
  const body = await must(
    call(who.token, 'notifications', 'POST', '/v1/subscriptions', {
      email: `${who.id}@example.com`,
      eventTypes: ['fuzz.mail'],
    }),
    201,
    'an e-mail subscription',
  );
  return body.id as string;
}

/**
 * Link tokens as the mails carry them, signed with the stage's key (the local Secrets Manager
 * holds it): each purpose for each subscription, and one of each expired.
 */
async function signedLinks(
  targets: Array<{ tenant: FuzzTenant; subscriptionId: string }>,
): Promise<string[]> {
  const secrets = new SecretsManagerClient(clientConfig(localCloud().endpoints.aws.secretsmanager));
  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: EMAIL_LINK_KEY_SECRET }));
  const keys = { current: tokenKeyFromSecret(secret.SecretString!) };
  const now = Math.floor(Date.now() / 1000);
  return targets.flatMap(({ tenant: who, subscriptionId }) =>
    (['confirm', 'unsubscribe'] as const).flatMap((purpose) =>
      [now + 3600, now - 60].map((expiresAt) =>
        signEmailToken(
          { purpose, subscriptionId, tenantId: who.id, email: `${who.id}@example.com`, expiresAt },
          keys,
        ),
      ),
    ),
  );
}

export async function makeWorld(run: string = newRun()): Promise<FuzzWorld> {
  const [producer, producerNeighbour, subscriber, subscriberNeighbour] = await Promise.all(
    ['prod', 'prodn', 'subs', 'subsn'].map((name) => tenant(run, name)),
  );
  const pool = await Promise.all(
    [1, 2, 3, 4].map(() => subscribe(subscriber!.token, subscriber!.id, ['fuzz.*'])),
  );
  const deletable = await Promise.all(
    [1, 2, 3].map(() => subscribe(subscriber!.token, subscriber!.id, ['x.y'])),
  );
  const neighbourPool = await Promise.all(
    [1, 2].map(() => subscribe(subscriberNeighbour!.token, subscriberNeighbour!.id, ['fuzz.*'])),
  );

  const [events, neighbourEvents] = await Promise.all([
    postEvents(producer!, 3, 'fuzz.seed'),
    postEvents(producerNeighbour!, 2, 'fuzz.seed'),
    postEvents(subscriber!, 2, 'fuzz.seed'),
    postEvents(subscriberNeighbour!, 2, 'fuzz.seed'),
  ]);
  // An event type of each producer's own (no schema: the fuzz's events stay accepted as before), so
  // GET /v1/event-types/{type} has a type of this tenant and one of another.
  await Promise.all([
    must(
      call(producer!.token, 'ingest', 'PUT', '/v1/event-types/fuzz.seed', { description: 'fuzz' }),
      200,
      'an event type',
    ),
    must(
      call(producerNeighbour!.token, 'ingest', 'PUT', '/v1/event-types/fuzz.neighbour', {
        description: 'fuzz',
      }),
      200,
      'an event type',
    ),
  ]);
  const [upload, neighbourUpload] = await Promise.all([
    pagedUpload(producer!, 600),
    pagedUpload(producerNeighbour!, 600),
  ]);

  const [eventsCursor, neighbourEventsCursor, subscriptionsCursor, neighbourSubscriptionsCursor] =
    await Promise.all([
      secondPageCursor(producer!.token, 'processing', '/v1/events'),
      secondPageCursor(producerNeighbour!.token, 'processing', '/v1/events'),
      secondPageCursor(subscriber!.token, 'notifications', '/v1/subscriptions'),
      secondPageCursor(subscriberNeighbour!.token, 'notifications', '/v1/subscriptions'),
    ]);
  const [deliveries, neighbourDeliveries] = await Promise.all([
    deliveryIds(subscriber!.token, pool[0]!.id, 2),
    deliveryIds(subscriberNeighbour!.token, neighbourPool[0]!.id, 2),
  ]);
  const [deliveriesCursor, neighbourDeliveriesCursor] = await Promise.all([
    secondPageCursor(subscriber!.token, 'notifications', `/v1/subscriptions/${pool[0]!.id}/deliveries`),
    secondPageCursor(
      subscriberNeighbour!.token,
      'notifications',
      `/v1/subscriptions/${neighbourPool[0]!.id}/deliveries`,
    ),
  ]);

  const [emailSubscription, neighbourEmailSubscription] = await Promise.all([
    emailSubscribe(subscriber!),
    emailSubscribe(subscriberNeighbour!),
  ]);
  const linkTokens = await signedLinks([
    { tenant: subscriber!, subscriptionId: emailSubscription },
    { tenant: subscriberNeighbour!, subscriptionId: neighbourEmailSubscription },
    { tenant: subscriber!, subscriptionId: pool[0]!.id },
  ]);

  // The tenants service's operator too (its routes take made-up tenants only).
  const operatorToken = await tokenFor({ tenant: `fz-${run}-op`, scopes: [OPERATOR_SCOPE, 'tenants:admin'] });
  const narrowTokens = Object.fromEntries(
    await Promise.all(
      [...TENANT_SCOPES, OPERATOR_SCOPE].map(async (scope) => [
        scope,
        await tokenFor({ tenant: producer!.id, scopes: [scope] }),
      ]),
    ),
  ) as Record<string, string>;
  const odd = await oddTokens(producer!.id, TENANT_SCOPES);
  const refusedTokens = Object.values(odd.refused);

  const allTokens = [producer!, producerNeighbour!, subscriber!, subscriberNeighbour!].map((t) => t.token);
  const never = new Set<string>([odd.privateKeyD, envelopeSigningJwk().d].filter((d) => d.length > 0));
  for (const token of [...allTokens, operatorToken, ...Object.values(narrowTokens), ...refusedTokens]) {
    // Short made-up ones (`a.b.c`) are no secret: an answer may well say that.
    if (token.length >= 20) never.add(token);
    const signature = token.split('.')[2];
    if (signature && signature.length > 16) never.add(signature);
  }
  const webhook = new Set(
    [
      ...[producer!, producerNeighbour!, subscriber!, subscriberNeighbour!].map((t) => t.subscription),
      ...pool,
      ...deletable,
      ...neighbourPool,
    ].map((s) => s.secret),
  );

  const partitions = [producer, producerNeighbour, subscriber, subscriberNeighbour].map(
    (t) => `TENANT#${t!.id}`,
  );
  return {
    run,
    producer: producer!,
    producerNeighbour: producerNeighbour!,
    subscriber: subscriber!,
    subscriberNeighbour: subscriberNeighbour!,
    operatorToken,
    narrowTokens,
    refusedTokens,
    noScopeToken: odd.refused.noScope!,
    ids: {
      events: events!.map((e) => e.id),
      neighbourEvents: neighbourEvents!.map((e) => e.id),
      uploads: [upload.id],
      neighbourUploads: [neighbourUpload.id],
      subscriptions: pool.map((s) => s.id),
      deletable: deletable.map((s) => s.id),
      neighbourSubscriptions: neighbourPool.map((s) => s.id),
      deliveries,
      neighbourDeliveries,
      emailSubscriptions: [emailSubscription],
      neighbourEmailSubscriptions: [neighbourEmailSubscription],
    },
    linkTokens,
    cursors: {
      events: {
        own: [eventsCursor],
        foreign: [neighbourEventsCursor, subscriptionsCursor, upload.cursor],
        parts: [...partitions, ...events!.map((e) => `EVENT#${e.id}`)],
      },
      uploads: {
        own: [upload.cursor],
        foreign: [neighbourUpload.cursor, eventsCursor],
        parts: ['0', '1', '2', '-1', '1e3'],
      },
      subscriptions: {
        own: [subscriptionsCursor],
        foreign: [neighbourSubscriptionsCursor, deliveriesCursor, eventsCursor],
        parts: [...partitions, ...pool.map((s) => `SUB#${s.id}`)],
      },
      deliveries: {
        own: [deliveriesCursor],
        foreign: [neighbourDeliveriesCursor, subscriptionsCursor],
        parts: [...partitions, `${partitions[2]}#SUB#${pool[0]!.id}`, ...deliveries.map((id) => `DLV#${id}`)],
      },
    },
    seeds: {
      producer: [...events!, upload.seed],
      producerNeighbour: [...neighbourEvents!, neighbourUpload.seed],
    },
    secrets: { never, webhook },
  };
}

/**
 * The queue consumers' tenant: a `*` webhook subscription, an e-mail subscription for
 * deliverEmail's tasks (a made-up id if e-mail subscriptions cannot be made), and a subscription
 * to a type no message has, for the replay jobs: each job pages through every event the tenant
 * holds but queues nothing, so hundreds of jobs cost pages, not tens of thousands of deliveries.
 */
export async function consumerTenant(
  run: string,
): Promise<{ tenant: FuzzTenant; emailSubscription: string; replaySubscription: string }> {
  const consumer = await tenant(run, 'cons');
  const replay = await subscribe(consumer.token, consumer.id, ['fuzz.never']);
  const email = await call(consumer.token, 'notifications', 'POST', '/v1/subscriptions', {
    email: `fuzz-${run}@example.com`,
    eventTypes: ['fuzz.email'],
  });
  const emailSubscription =
    email.status === 201 ? (email.body.id as string) : 'sub_01ARZ3NDEKTSV4RRFFQ69G5FAV';
  return { tenant: consumer, emailSubscription, replaySubscription: replay.id };
}
