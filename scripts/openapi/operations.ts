/**
 * What the code answers, route by route, where no file says it as data: each operation's name,
 * summary and tag, and every status its route and logic answer (read from routes/, handlers/ and
 * each service's problems), with the schema definition of each success body and the problem types
 * of each error. What every route of the shared HTTP stack answers besides (400, 401, 403, 413,
 * 415, 422, 500, 503) is added by document.ts from the route's traits, so it is said once.
 *
 * Keyed by service, then `METHOD /path` exactly as serverless.yml declares it: a route without an
 * entry here, or an entry without a route, fails `npm run openapi`.
 */
import type { Parameter } from './json-schema';

export interface SchemaDefinition {
  /** A schema file, relative to the repository root. */
  file: string;
  /** One of its `definitions`. */
  definition: string;
}

/** Response headers the operations name, as documents.ts describes them. */
export type ResponseHeader =
  'Location' | 'Retry-After' | 'Idempotent-Replayed' | 'WWW-Authenticate' | 'RateLimit' | 'RateLimit-Policy';

export interface ResponseSpec {
  description: string;
  /** A JSON body, described by a schema definition. */
  body?: SchemaDefinition;
  /** A problem+json body: its types (slugs under https://herald.dev/problems/, or about:blank). */
  problems?: string[];
  /** An HTML page (the e-mail links). */
  html?: true;
  /** API Gateway's own `{ "message" }` on a deployed stage, answered before any function runs. */
  gatewayMessage?: string;
  headers?: ResponseHeader[];
}

export interface OperationSpec {
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** What the request schema cannot say: headers the route reads, a route without a schema. */
  parameters?: Parameter[];
  /** A body the route reads itself, without a schema file (the one-click unsubscribe form). */
  requestBody?: { contentType: string; schema: Record<string, unknown> };
  /** Example request bodies, by name (the linter checks each against the request's schema). */
  requestExamples?: Record<string, unknown>;
  responses: Record<number, ResponseSpec>;
}

const INGEST = 'services/ingest/src/schemas/responses.schema.json';
const PROCESSING = 'services/processing/src/schemas/responses.schema.json';
const NOTIFICATIONS = 'services/notifications/src/schemas/responses.schema.json';
const DEAD_LETTERS = 'shared/src/dead-letters/dead-letter-responses.schema.json';
const TENANTS = 'services/tenants/src/schemas/responses.schema.json';

const body = (file: string, definition: string): SchemaDefinition => ({ file, definition });

export const TAGS: Record<string, string> = {
  Events: 'Send events (ingest) and read the stored ones (processing).',
  Uploads: 'Bulk NDJSON uploads through a presigned S3 URL.',
  'Event types':
    "The tenant's event-type catalog: a description, a JSON Schema each event's data must match, examples; deprecation.",
  Subscriptions:
    'Webhook and e-mail subscriptions: create, change, pause, resume, rotate the signing secret.',
  Deliveries: 'Delivery history, redelivery and replay.',
  Overview:
    "The tenant's deliveries at a glance: totals, latency, a time series, each subscription's health.",
  'Webhook keys':
    "Public, without a token: a tenant's v1a webhook public keys, for receivers to verify signatures.",
  'E-mail links': 'The links in e-mails (confirm, unsubscribe): the signed link is the credential, no token.',
  Tenants:
    'Operators only (scope tenants:admin): tenants, their settings (limits, retention, destinations), suspending and deleting them.',
  'Your tenant': "The caller's own tenant, its API keys, and portal tokens for embedding the console.",
  'Dead letters':
    "Operators only (scope operator:dead-letters): each service's dead-letter queues, and redriving them.",
};

const subscriptionNotFound: ResponseSpec = {
  description: 'No such subscription for this tenant.',
  problems: ['not-found'],
};
const TENANT_NOT_FOUND: ResponseSpec = { description: 'No such tenant.', problems: ['not-found'] };
const KEY_NOT_FOUND: ResponseSpec = {
  description: "No such API key for this tenant (another tenant's key is not found either).",
  problems: ['not-found'],
};
const invalidCursor: ResponseSpec = {
  description: 'The cursor is not one this API issued for this query.',
  problems: ['invalid-cursor'],
};
const queueNotFound: ResponseSpec = {
  description: 'No dead-letter queue of that id in this service (the detail lists the ids it has).',
  problems: ['dead-letter-queue-not-found'],
};

/** The operator routes every service with dead-letter queues serves (@herald/shared/dead-letters). */
const DEAD_LETTER_OPERATIONS: Record<string, OperationSpec> = {
  'GET /v1/operator/dead-letters': {
    operationId: 'listDeadLetterQueues',
    summary: "The service's dead-letter queues",
    description:
      'Each queue: name, source, what lands in it, how it is redriven, its counts, the oldest first-sent time among a sample of ten.',
    tag: 'Dead letters',
    responses: { 200: { description: 'The queues.', body: body(DEAD_LETTERS, 'deadLetterQueues') } },
  },
  'GET /v1/operator/dead-letters/{queue}': {
    operationId: 'peekDeadLetters',
    summary: 'One dead-letter queue and a sample of its messages',
    description: 'Up to `sample` (1-10, default 5) messages, left in the queue, their bodies redacted.',
    tag: 'Dead letters',
    responses: {
      200: { description: 'The queue and the sample.', body: body(DEAD_LETTERS, 'deadLetterPeek') },
      404: queueNotFound,
    },
  },
  'GET /v1/operator/dead-letters/{queue}/redrive': {
    operationId: 'listRedriveTasks',
    summary: "A dead-letter queue's redrive tasks",
    tag: 'Dead letters',
    responses: {
      200: {
        description: "The queue's message move tasks, newest first.",
        body: body(DEAD_LETTERS, 'redriveTasks'),
      },
      404: queueNotFound,
    },
  },
  'POST /v1/operator/dead-letters/{queue}/redrive': {
    operationId: 'redriveDeadLetters',
    summary: 'Send a dead-letter queue back',
    description:
      'A queue an SQS queue feeds is moved back by SQS in the background (202); the others are sent again within the request (200), 15 s of new batches at most.',
    tag: 'Dead letters',
    requestExamples: { slowly: { maxMessagesPerSecond: 10 } },
    responses: {
      200: {
        description: 'What this pass sent again and kept; `finished: false`: call again.',
        body: body(DEAD_LETTERS, 'redriveReport'),
      },
      202: {
        description: 'The move task started; GET …/redrive follows it.',
        body: body(DEAD_LETTERS, 'redriveStarted'),
        headers: ['Location'],
      },
      404: queueNotFound,
      409: {
        description:
          'A redrive of the queue is already running, or SQS does not take it as the dead-letter queue of its source.',
        problems: ['redrive-running', 'not-a-dead-letter-queue'],
      },
    },
  },
};

const htmlPage = (description: string): ResponseSpec => ({ description, html: true });
const emailToken: Parameter = {
  name: 'token',
  in: 'query',
  // The handler reads it itself (no schema): a missing one is the 400 page.
  required: true,
  description: 'The signed token of the link, as mailed.',
  schema: { type: 'string' },
};

export const OPERATIONS: Record<string, Record<string, OperationSpec>> = {
  ingest: {
    'POST /v1/events': {
      operationId: 'sendEvents',
      summary: 'Send one event, or a batch of up to 100',
      description:
        "Each event is signed and queued for processing; ids are the producer's, or ULIDs in request order. Retry with the same `Idempotency-Key` (or the same event ids) so none is stored twice.",
      tag: 'Events',
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Makes a retry answer with the ids of the first request (1-255 visible ASCII characters, bare or quoted); kept a day, per tenant.',
          schema: { type: 'string', minLength: 1, maxLength: 257 },
        },
      ],
      requestExamples: {
        one: { type: 'order.created', subject: 'order/42', data: { orderId: 42, total: 99.5 } },
        batch: {
          events: [
            { id: 'order-42-created', type: 'order.created', data: { orderId: 42 } },
            { type: 'order.shipped', time: '2026-11-30T12:00:00Z', data: { orderId: 41 } },
          ],
        },
      },
      responses: {
        202: {
          description: 'Every event is queued.',
          body: body(INGEST, 'acceptedEvents'),
          headers: ['Idempotent-Replayed', 'RateLimit', 'RateLimit-Policy'],
        },
        207: {
          description: 'Some events were not confirmed: retry those marked retryable, with their ids.',
          body: body(INGEST, 'partiallyAcceptedEvents'),
          headers: ['RateLimit', 'RateLimit-Policy'],
        },
        400: { description: 'The Idempotency-Key is not one.', problems: ['invalid-idempotency-key'] },
        413: {
          description: 'An event is larger than 255 KiB once signed (errors name each).',
          problems: ['event-too-large'],
        },
        422: {
          description:
            "A value Herald cannot carry exactly (I-JSON) or that breaks its event type's schema (errors name /body/events/<i>/data<pointer> and the keyword), a key reused with another body, or events the queue refused for good (listed).",
          problems: ['idempotency-key-reused', 'events-refused'],
        },
        429: {
          description:
            "Over the tenant's requests or events a second (`quota` names which, `limit` its value a second, `current` the window's count, `requested` what the request asked): nothing of the request was accepted, a batch refused whole (`refusedWhole`). Retry after `Retry-After` seconds; a batch larger than a whole window's events never fits and must be split.",
          problems: ['rate-limited'],
          headers: ['Retry-After', 'RateLimit', 'RateLimit-Policy'],
        },
        503: {
          description:
            'No event was confirmed, each for a passing reason: retry with the same key or ids (listed). Or the rate limits could not be counted: nothing was accepted.',
          problems: ['about:blank'],
          headers: ['Retry-After'],
        },
      },
    },
    'POST /v1/uploads': {
      operationId: 'createUpload',
      summary: 'Start a bulk NDJSON upload',
      description:
        'Records the upload and answers with a presigned PUT URL bound to the size, the content type and `If-None-Match: *`.',
      tag: 'Uploads',
      requestExamples: { upload: { size: 2048 } },
      responses: {
        201: {
          description: 'The upload, and where and how to PUT the file.',
          body: body(INGEST, 'createdUpload'),
          headers: ['Location', 'RateLimit', 'RateLimit-Policy'],
        },
        409: {
          description:
            'The declared size would take the tenant past its upload bytes of the UTC day (`quota`: `uploadBytesPerDay`, `limit`, `current`, `requested`); nothing was recorded.',
          problems: ['quota-exceeded'],
        },
        422: { description: "The size is over the stage's maximum.", problems: ['validation-failed'] },
        429: {
          description:
            "Over the tenant's requests a second: nothing was recorded. Retry after `Retry-After` seconds.",
          problems: ['rate-limited'],
          headers: ['Retry-After', 'RateLimit', 'RateLimit-Policy'],
        },
        503: {
          description: 'The limits could not be counted: nothing was recorded; retry.',
          problems: ['about:blank'],
          headers: ['Retry-After'],
        },
      },
    },
    'PUT /v1/event-types/{type}': {
      operationId: 'putEventType',
      summary: 'Register or replace an event type',
      description:
        'Replaces the whole type (a field left out is removed) and moves its version on. The schema is a subset of JSON Schema 2020-12: at most 64 KiB, `$ref` within itself only, `format` one of date-time, date, time, email, uri, uuid, ipv4, ipv6, hostname, patterns RE2 takes (no backreferences or lookaround); each example must match it. Deprecate with `deprecated: true` (and `replacedBy`): events of the type are still accepted, and their answer lists it under `deprecations`. Ingest applies a change within 60 s.',
      tag: 'Event types',
      requestExamples: {
        withSchema: {
          description: 'An order was placed.',
          schema: {
            type: 'object',
            required: ['orderId', 'total'],
            properties: { orderId: { type: 'integer' }, total: { type: 'number', minimum: 0 } },
          },
          examples: [{ orderId: 42, total: 99.5 }],
        },
        deprecate: { description: 'An order was placed.', deprecated: true, replacedBy: 'order.created' },
      },
      responses: {
        200: { description: 'The type as stored, with its version.', body: body(INGEST, 'eventType') },
        409: { description: 'The tenant has as many event types as it may.', problems: ['quota-exceeded'] },
        422: {
          description:
            'The schema breaks a rule (errors name /body/schema<pointer>), or an example does not match it (/body/examples/<i><pointer>).',
          problems: ['validation-failed'],
        },
      },
    },
    'GET /v1/event-types/{type}': {
      operationId: 'getEventType',
      summary: 'One event type',
      tag: 'Event types',
      responses: {
        200: { description: 'The type.', body: body(INGEST, 'eventType') },
        404: { description: 'No such event type for this tenant.', problems: ['not-found'] },
      },
    },
    'GET /v1/event-types': {
      operationId: 'listEventTypes',
      summary: "The tenant's event types, by name",
      tag: 'Event types',
      responses: {
        200: { description: 'One page of event types.', body: body(INGEST, 'eventTypePage') },
        400: invalidCursor,
      },
    },
    'GET /v1/uploads/{id}': {
      operationId: 'getUpload',
      summary: "An upload's status and report",
      tag: 'Uploads',
      responses: {
        200: {
          description: 'The upload; once read, its report with a page of rejected lines.',
          body: body(INGEST, 'upload'),
        },
        400: invalidCursor,
        404: { description: 'No such upload for this tenant.', problems: ['not-found'] },
      },
    },
  },
  processing: {
    'GET /v1/events/{id}': {
      operationId: 'getEvent',
      summary: 'One stored event',
      tag: 'Events',
      responses: {
        200: { description: 'The event.', body: body(PROCESSING, 'storedEvent') },
        404: {
          description:
            "No event of this id for this tenant (absent, expired and another tenant's look the same).",
          problems: ['event-not-found'],
        },
      },
    },
    'GET /v1/events': {
      operationId: 'listEvents',
      summary: 'The stored events, newest first',
      description:
        '`since` (inclusive) and `until` (exclusive) are compared with the time the event was received.',
      tag: 'Events',
      responses: {
        200: { description: 'One page of events.', body: body(PROCESSING, 'eventPage') },
        400: invalidCursor,
        422: {
          description: 'Parameters that make no sense together (since after until, a time no instant has).',
          problems: ['validation-failed'],
        },
      },
    },
    ...DEAD_LETTER_OPERATIONS,
  },
  notifications: {
    'POST /v1/subscriptions': {
      operationId: 'createSubscription',
      summary: 'Subscribe a webhook URL or an e-mail address',
      description:
        "A webhook's answer carries its signing secret, this once. An e-mail subscription is pending until its address follows the confirmation link.",
      tag: 'Subscriptions',
      requestExamples: {
        webhook: { url: 'https://hooks.example.org/herald', eventTypes: ['order.*'], rateLimit: 20 },
        withHeaders: {
          url: 'https://hooks.example.org/herald',
          eventTypes: ['order.*'],
          headers: { Authorization: { value: 'Bearer 8f2c9d41', secret: true }, 'X-Team': 'payments' },
          timeoutSeconds: 10,
        },
        email: { email: 'ops@example.org', eventTypes: ['order.failed'], description: 'Failed orders' },
        awsDestination: {
          destination: {
            arn: 'arn:aws:sqs:eu-west-1:123456789012:orders',
            roleArn: 'arn:aws:iam::123456789012:role/herald-destinations/orders-from-herald',
          },
          eventTypes: ['order.*'],
        },
      },
      responses: {
        201: {
          description: 'The subscription.',
          body: body(NOTIFICATIONS, 'createdSubscription'),
          headers: ['Location'],
        },
        409: {
          description:
            'The tenant has as many subscriptions as it may, or others were created at the same time (try again).',
          problems: ['quota-exceeded', 'concurrent-change'],
        },
        422: {
          description:
            'A URL or address the policy refuses, a rate or timeout above the maximum, more than one or none of url, email and destination, an AWS destination whose ARNs are refused (errors name the bad part), whose role could not be assumed (the errors list what to check) or whose target refused a test message, a content filter refused (errors name /body/filter<pointer> and the reason), a header that cannot be set (errors name /body/headers/<name>), headers or a timeout on an e-mail subscription.',
          problems: ['validation-failed'],
        },
      },
    },
    'POST /v1/subscriptions/{id}/resend-confirmation': {
      operationId: 'resendConfirmation',
      summary: "Send a pending e-mail subscription's confirmation mail again",
      tag: 'Subscriptions',
      responses: {
        200: {
          description: 'The subscription, with when the mail went out.',
          body: body(NOTIFICATIONS, 'subscription'),
        },
        404: subscriptionNotFound,
        409: { description: 'Not a pending e-mail subscription.', problems: ['not-pending'] },
        429: {
          description: 'Once a minute at most.',
          problems: ['too-many-requests'],
          headers: ['Retry-After'],
        },
        503: {
          description: 'The mail could not be sent.',
          problems: ['mail-not-sent'],
          headers: ['Retry-After'],
        },
      },
    },
    'GET /v1/email/confirm': {
      operationId: 'confirmEmail',
      summary: 'Confirm an e-mail subscription (the link in its mail)',
      tag: 'E-mail links',
      parameters: [emailToken],
      responses: {
        200: htmlPage('Confirmed (again: no change).'),
        400: htmlPage('The link is incomplete, forged, or not for this.'),
        409: htmlPage('The address unsubscribed.'),
        410: htmlPage('The link expired, or the subscription is gone or its address changed.'),
      },
    },
    'GET /v1/email/unsubscribe': {
      operationId: 'showUnsubscribe',
      summary: 'The unsubscribe page (a button that POSTs)',
      tag: 'E-mail links',
      parameters: [emailToken],
      responses: {
        200: htmlPage('A page whose button unsubscribes.'),
        400: htmlPage('The link has no token.'),
      },
    },
    'POST /v1/email/unsubscribe': {
      operationId: 'unsubscribeEmail',
      summary: 'Unsubscribe (RFC 8058 one-click)',
      description: 'The body is the form `List-Unsubscribe=One-Click`, as mail clients send it.',
      tag: 'E-mail links',
      parameters: [emailToken],
      requestBody: {
        contentType: 'application/x-www-form-urlencoded',
        schema: {
          type: 'object',
          required: ['List-Unsubscribe'],
          properties: { 'List-Unsubscribe': { const: 'One-Click' } },
        },
      },
      responses: {
        200: htmlPage('Unsubscribed (or already, or the subscription is gone: nothing more is sent).'),
        400: htmlPage('The link is incomplete, forged, not for this, or the body is not the one-click form.'),
        410: htmlPage('The link expired.'),
      },
    },
    'GET /v1/subscriptions': {
      operationId: 'listSubscriptions',
      summary: "The tenant's subscriptions",
      tag: 'Subscriptions',
      responses: {
        200: { description: 'One page of subscriptions.', body: body(NOTIFICATIONS, 'subscriptionPage') },
        400: invalidCursor,
      },
    },
    'GET /v1/subscriptions/{id}': {
      operationId: 'getSubscription',
      summary: 'One subscription (never its secret)',
      tag: 'Subscriptions',
      responses: {
        200: { description: 'The subscription.', body: body(NOTIFICATIONS, 'subscription') },
        404: subscriptionNotFound,
      },
    },
    'PATCH /v1/subscriptions/{id}': {
      operationId: 'updateSubscription',
      summary: 'Change a subscription',
      description:
        'A JSON merge patch of `url` or `email` (same kind only), `eventTypes`, `filter`, `headers`, `timeoutSeconds`, `rateLimit`, `description` (`null` removes a filter, a timeout or a description). `headers` merges too: a name given replaces that header, `null` removes it, `{ "secret": true }` without a value keeps a secret one as it is. A new address makes an e-mail subscription pending again.',
      tag: 'Subscriptions',
      requestExamples: { filters: { eventTypes: ['order.created', 'invoice.*'], description: null } },
      responses: {
        200: { description: 'The subscription as changed.', body: body(NOTIFICATIONS, 'subscription') },
        404: subscriptionNotFound,
        409: {
          description:
            'A url, headers or a timeout for an e-mail subscription, or an email for a webhook one.',
          problems: ['wrong-subscription-kind'],
        },
        422: {
          description:
            'A URL or address the policy refuses, a rate or timeout above the maximum, a content filter refused (errors name /body/filter<pointer>), a header that cannot be set (errors name /body/headers/<name>).',
          problems: ['validation-failed'],
        },
      },
    },
    'DELETE /v1/subscriptions/{id}': {
      operationId: 'deleteSubscription',
      summary: 'Delete a subscription',
      description: 'Deliveries in flight are cancelled.',
      tag: 'Subscriptions',
      responses: { 204: { description: 'Deleted.' }, 404: subscriptionNotFound },
    },
    'POST /v1/subscriptions/{id}/pause': {
      operationId: 'pauseSubscription',
      summary: 'Hold deliveries until resumed',
      tag: 'Subscriptions',
      responses: {
        200: { description: 'The subscription, paused.', body: body(NOTIFICATIONS, 'subscription') },
        404: subscriptionNotFound,
        409: {
          description: 'Disabled (resume it), pending or unsubscribed.',
          problems: ['subscription-disabled', 'not-confirmed', 'unsubscribed'],
        },
      },
    },
    'POST /v1/subscriptions/{id}/resume': {
      operationId: 'resumeSubscription',
      summary: 'Active again; held deliveries are released',
      tag: 'Subscriptions',
      responses: {
        200: { description: 'The subscription, active.', body: body(NOTIFICATIONS, 'subscription') },
        404: subscriptionNotFound,
        409: {
          description: 'Pending or unsubscribed, or changed meanwhile (try again).',
          problems: ['not-confirmed', 'unsubscribed', 'concurrent-change'],
        },
      },
    },
    'POST /v1/subscriptions/{id}/rotate-secret': {
      operationId: 'rotateSubscriptionSecret',
      summary: "Replace a webhook subscription's signing secret",
      description:
        'The old secret keeps signing beside the new one until the grace period ends. A v1a subscription gets a new Ed25519 key pair under the same rule: its new public key is answered instead of a secret.',
      tag: 'Subscriptions',
      requestExamples: { oneDayOfGrace: { gracePeriodSeconds: 86400 } },
      responses: {
        200: {
          description: "The new secret, this once (a v1a subscription's new public key instead).",
          body: body(NOTIFICATIONS, 'rotatedSecret'),
        },
        404: subscriptionNotFound,
        409: {
          description: 'An e-mail subscription (it has no secret), or rotated at the same time (try again).',
          problems: ['wrong-subscription-kind', 'concurrent-rotation'],
        },
      },
    },
    'GET /v1/tenants/{tenantId}/webhook-keys.json': {
      operationId: 'getWebhookKeys',
      summary: "A tenant's webhook public keys (JWKS), without a token",
      description:
        "The Ed25519 public keys of the tenant's v1a webhook subscriptions that sign now, a rotation's overlap included, as a JSON Web Key Set: a receiver can fetch from Herald the keys that verify its webhooks. Public (no token) and cacheable for a minute (Cache-Control); fetch again when no listed key verifies a signature.",
      tag: 'Webhook keys',
      parameters: [
        {
          name: 'tenantId',
          in: 'path',
          // The handler reads it itself: an id no tenant can have is the same 404 as one without keys.
          required: true,
          description: "The tenant's id, as its tokens carry it.",
          schema: { type: 'string' },
        },
      ],
      responses: {
        200: { description: 'The key set.', body: body(NOTIFICATIONS, 'webhookKeySet') },
        404: {
          description:
            'No key to show: the tenant has no v1a subscription, or there is no such tenant (the answer does not say which).',
          problems: ['not-found'],
        },
        500: { description: 'An unexpected failure (nothing about it is shown).', problems: ['about:blank'] },
      },
    },
    'GET /v1/subscriptions/{id}/deliveries': {
      operationId: 'listDeliveries',
      summary: "A subscription's delivery history, newest first",
      tag: 'Deliveries',
      responses: {
        200: {
          description: 'One page of deliveries, each with its attempts.',
          body: body(NOTIFICATIONS, 'deliveryPage'),
        },
        400: invalidCursor,
        404: subscriptionNotFound,
      },
    },
    'POST /v1/deliveries/{id}/redeliver': {
      operationId: 'redeliver',
      summary: 'Send one delivery again (same webhook-id)',
      tag: 'Deliveries',
      responses: {
        202: { description: 'Queued.', body: body(NOTIFICATIONS, 'redeliveryQueued') },
        404: { description: 'No such delivery for this tenant.', problems: ['not-found'] },
        409: {
          description: 'Its subscription is gone or disabled.',
          problems: ['subscription-deleted', 'subscription-disabled'],
        },
      },
    },
    'GET /v1/events/{id}/deliveries': {
      operationId: 'listEventDeliveries',
      summary: "An event's deliveries, one per subscription it reached",
      description:
        "Each with its attempts, newest first. Read by key from the tenant's subscriptions (a delivery's id derives from tenant, subscription and event), so deliveries to subscriptions since deleted are not listed, and an event id the tenant never sent answers an empty list, not 404 (stored events are kept by time, not id).",
      tag: 'Deliveries',
      responses: {
        200: {
          description: "The event's deliveries (maybe none).",
          body: body(NOTIFICATIONS, 'eventDeliveries'),
        },
      },
    },
    'GET /v1/stats': {
      operationId: 'getStats',
      summary: "The tenant's delivery overview over the last hour or day",
      description:
        "`window=1h` (the default: 60 one-minute buckets) or `24h` (24 one-hour buckets): events dispatched, deliveries succeeded, failed for good and waiting for a retry now, latency p50 and p99, a time series of succeeded and failed, and each subscription's counts and health, failing first. Counted from the deliveries table's stream, a few seconds behind; a page view reads at most 60 counter items, whatever the traffic.",
      tag: 'Overview',
      responses: {
        200: { description: 'The overview.', body: body(NOTIFICATIONS, 'overview') },
      },
    },
    'POST /v1/subscriptions/{id}/replay': {
      operationId: 'replay',
      summary: 'Deliver again every stored event of a window that the subscription matches',
      description:
        'One replay at a time per subscription, and a few per tenant. With `dryRun: true`, only counts the stored events of the window the replay would send (200): the same checks, no replay started, nothing counted toward the limits.',
      tag: 'Deliveries',
      requestExamples: {
        window: { since: '2026-11-30T00:00:00Z', until: '2026-11-30T06:00:00Z' },
        dryRun: { since: '2026-11-30T00:00:00Z', until: '2026-11-30T06:00:00Z', dryRun: true },
      },
      responses: {
        200: {
          description: 'A dry run: how many events the replay would send.',
          body: body(NOTIFICATIONS, 'replayPreview'),
        },
        202: { description: 'The replay started.', body: body(NOTIFICATIONS, 'replayAccepted') },
        404: subscriptionNotFound,
        409: {
          description:
            'A replay of the subscription is running, the tenant runs as many as it may, or others started at the same time.',
          problems: ['replay-running', 'quota-exceeded', 'concurrent-change'],
        },
        422: {
          description: 'A window longer than the maximum, or older than the retention.',
          problems: ['validation-failed'],
        },
      },
    },
    'POST /v1/subscriptions/{id}/test': {
      operationId: 'testSubscriptionDestination',
      summary: "Test an AWS destination subscription's connection",
      description:
        "Assumes the subscription's role with the tenant's ExternalId and sends the target one test message signed with the subscription's newest secret (type `herald.destination.test`), as at creation. `ok: false` says what failed: the role could not be assumed (every check STS's AccessDenied stands for is listed) or the target refused the message (the permission the role needs is named).",
      tag: 'Subscriptions',
      responses: {
        200: { description: 'What the test found.', body: body(NOTIFICATIONS, 'destinationTest') },
        404: subscriptionNotFound,
        409: { description: 'Not an AWS destination subscription.', problems: ['wrong-subscription-kind'] },
      },
    },
    'GET /v1/destinations/external-id': {
      operationId: 'getDestinationExternalId',
      summary: "The ExternalId and role path the tenant's AWS destination roles must name",
      description:
        "Herald assumes an AWS destination's role with this ExternalId, made by Herald once per tenant (the tenant cannot choose it): the role's trust policy requires it with a `sts:ExternalId` condition, the role's name must be under `rolePath`, and its trust policy names `principals`, the Herald roles that assume it.",
      tag: 'Subscriptions',
      responses: {
        200: {
          description: 'The ExternalId and the role path.',
          body: body(NOTIFICATIONS, 'destinationExternalId'),
        },
      },
    },
    'POST /v1/subscriptions/test-filter': {
      operationId: 'testFilter',
      summary: "Which of the tenant's newest stored events a content filter would match",
      description:
        "Reads the tenant's newest stored events (at most `limit`, 100 by default and at most, since `since` or the retention) and answers those the filter and the event types (all when absent) match, newest first, as dispatch matches them. The filter is checked as on a subscription: an EventBridge event pattern over the event's `type`, `source`, `subject` and `data`, at most 4096 bytes, 100 values, objects 8 deep and 16 `$or` combinations.",
      tag: 'Subscriptions',
      requestExamples: {
        bigOrders: { filter: { data: { total: [{ numeric: ['>', 100] }] } }, eventTypes: ['order.*'] },
      },
      responses: {
        200: {
          description: 'The matching events and how many were read.',
          body: body(NOTIFICATIONS, 'filterTest'),
        },
        422: {
          description:
            'A filter the engine refuses or over a bound (errors name /body/filter<pointer> and the reason), a bad event type, a since in the future.',
          problems: ['validation-failed'],
        },
      },
    },
    ...DEAD_LETTER_OPERATIONS,
  },
  tenants: {
    'GET /v1/tenant': {
      operationId: 'getOwnTenant',
      summary: "The caller's tenant and its settings",
      description:
        "Any authenticated caller. A tenant without a record (an operator's, on a stage that does not create tenants) is shown active, with the stage's defaults.",
      tag: 'Your tenant',
      responses: { 200: { description: 'The tenant.', body: body(TENANTS, 'tenant') } },
    },
    'POST /v1/tenants': {
      operationId: 'createTenant',
      summary: 'Create a tenant',
      description:
        "The id is what tokens carry in their tenant claim. Settings left out take the stage's defaults.",
      tag: 'Tenants',
      requestExamples: {
        acme: { id: 'acme', name: 'Acme', settings: { limits: { maxSubscriptions: 20 }, retentionDays: 7 } },
      },
      responses: {
        201: { description: 'The tenant.', body: body(TENANTS, 'tenant'), headers: ['Location'] },
        409: { description: 'A tenant of this id exists (deleted ones too).', problems: ['tenant-exists'] },
      },
    },
    'GET /v1/tenants': {
      operationId: 'listTenants',
      summary: 'Every tenant, a page at a time',
      tag: 'Tenants',
      responses: {
        200: { description: 'A page of tenants.', body: body(TENANTS, 'tenantPage') },
        400: invalidCursor,
      },
    },
    'GET /v1/tenants/{tenantId}': {
      operationId: 'getTenant',
      summary: 'One tenant and its settings',
      tag: 'Tenants',
      responses: {
        200: { description: 'The tenant.', body: body(TENANTS, 'tenant') },
        404: TENANT_NOT_FOUND,
      },
    },
    'PATCH /v1/tenants/{tenantId}': {
      operationId: 'updateTenant',
      summary: "Change a tenant's name or settings",
      description:
        "A JSON merge patch: each setting given replaces it, `null` removes it (the stage's default applies again); `limits` merge limit by limit.",
      tag: 'Tenants',
      requestExamples: {
        limits: { settings: { limits: { ingestRequestsPerSecond: 50, dailyEmailCap: null } } },
      },
      responses: {
        200: { description: 'The tenant as changed.', body: body(TENANTS, 'tenant') },
        404: TENANT_NOT_FOUND,
        409: { description: 'The tenant is deleted.', problems: ['tenant-deleted'] },
      },
    },
    'POST /v1/tenants/{tenantId}/suspend': {
      operationId: 'suspendTenant',
      summary: 'Suspend a tenant: every route refuses it',
      description:
        "Its tokens and keys are refused (403 tenant_suspended) within the authorizer's caches, and tenant.suspended is put on the bus (again on each call).",
      tag: 'Tenants',
      responses: {
        200: { description: 'The tenant, suspended.', body: body(TENANTS, 'tenant') },
        404: TENANT_NOT_FOUND,
        409: { description: 'The tenant is deleted.', problems: ['tenant-deleted'] },
      },
    },
    'POST /v1/tenants/{tenantId}/resume': {
      operationId: 'resumeTenant',
      summary: 'Resume a suspended tenant',
      description: 'tenant.resumed is put on the bus (again on each call).',
      tag: 'Tenants',
      responses: {
        200: { description: 'The tenant, active.', body: body(TENANTS, 'tenant') },
        404: TENANT_NOT_FOUND,
        409: { description: 'The tenant is deleted.', problems: ['tenant-deleted'] },
      },
    },
    'DELETE /v1/tenants/{tenantId}': {
      operationId: 'deleteTenant',
      summary: 'Delete a tenant',
      description:
        'The tenant stays, status `deleted`: its tokens and keys are refused from then on, and its id cannot be taken again. tenant.deleted is put on the bus (again on each call).',
      tag: 'Tenants',
      responses: { 204: { description: 'Deleted (or already).' }, 404: TENANT_NOT_FOUND },
    },
    'POST /v1/api-keys': {
      operationId: 'createApiKey',
      summary: 'Create an API key (shown once)',
      description:
        "A key for machine producers and consumers: `Authorization: Bearer hk_live_…`. Its scopes are chosen from the caller's own (never tenants:admin). The key is in this answer alone; Herald keeps only its SHA-256.",
      tag: 'Your tenant',
      requestExamples: {
        producer: { name: 'orders producer', scopes: ['events:write'], environment: 'live' },
      },
      responses: {
        201: {
          description: 'The key, shown this once.',
          body: body(TENANTS, 'createdApiKey'),
          headers: ['Location'],
        },
        422: {
          description:
            'A scope the caller does not have or no key may have (errors name /body/scopes/<i>), an expiry in the past.',
          problems: ['validation-failed'],
        },
      },
    },
    'GET /v1/api-keys': {
      operationId: 'listApiKeys',
      summary: "The tenant's API keys (never the keys themselves)",
      tag: 'Your tenant',
      responses: {
        200: { description: 'A page of keys, oldest first.', body: body(TENANTS, 'apiKeyPage') },
        400: invalidCursor,
      },
    },
    'GET /v1/audit': {
      operationId: 'listAuditEntries',
      summary: "The tenant's audit log: who changed what, when and from where",
      description:
        "Every change made through the API (subscriptions, their secrets, event types, API keys, the tenant's settings), newest first, a page at a time (`limit`, default 50), filtered by `action`, `resourceType` (and `resourceId`), `actor` (a JWT's `sub`, or `key:<keyId>`) and `since`/`until` together. The token's tenant's entries alone (scope audit:read). Names only: an entry never holds a payload, a secret or a header's value. Each entry carries its place in the tenant's hash chain (`seq`, `prevHash`, `hash`): keep the newest `hash` to check later that nothing before it changed. Entries appear seconds after their change and are kept for the tenant's retention.",
      tag: 'Your tenant',
      responses: {
        200: { description: 'A page of entries, newest first.', body: body(TENANTS, 'auditPage') },
        400: invalidCursor,
      },
    },
    'GET /v1/api-keys/{keyId}': {
      operationId: 'getApiKey',
      summary: 'One API key, with its last use',
      tag: 'Your tenant',
      responses: {
        200: { description: 'The key (never the key itself).', body: body(TENANTS, 'apiKey') },
        404: KEY_NOT_FOUND,
      },
    },
    'DELETE /v1/api-keys/{keyId}': {
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key',
      description:
        "Idempotent. The key is refused (401 key_revoked) within the authorizer's caches: API Gateway's result TTL plus 30 s.",
      tag: 'Your tenant',
      responses: { 204: { description: 'Revoked (or already).' }, 404: KEY_NOT_FOUND },
    },
    'POST /v1/tenant/export': {
      operationId: 'startTenantExport',
      summary: "Export the tenant's data",
      description:
        "Asks ingest, processing and notifications to write what each holds of the caller's tenant (events, uploads, subscriptions without their secrets, deliveries, event types) as NDJSON files; follow it with GET /v1/tenant/exports/{exportId}. At most 2 exports run at once per tenant. Recorded in the audit log (tenant.export_requested).",
      tag: 'Your tenant',
      responses: {
        202: {
          description: 'Asked; pending.',
          body: body(TENANTS, 'tenantExportRequest'),
          headers: ['Location'],
        },
        409: { description: 'Two exports of the tenant are running already.', problems: ['quota-exceeded'] },
      },
    },
    'GET /v1/tenant/exports/{exportId}': {
      operationId: 'getTenantExport',
      summary: 'An export: pending, or ready with its files',
      description:
        'Pending names the services that have answered and those still writing; ready gives each NDJSON file (its service, records, bytes) with a presigned GET URL valid 15 minutes (ask again for new ones). The files are kept 7 days.',
      tag: 'Your tenant',
      responses: {
        200: { description: 'The export.', body: body(TENANTS, 'tenantExport') },
        404: {
          description: "No such export for this tenant (another tenant's is not found either).",
          problems: ['not-found'],
        },
      },
    },
    'POST /v1/tenant/erasures': {
      operationId: 'startSubjectErasure',
      summary: "Erase a subject's data everywhere",
      description:
        "Asks every service to erase the caller's tenant's events whose envelope `subject` is the one given, and what was derived from them (deliveries, ordering state, upload files naming it); the tenant's export files are deleted too. Follow it with GET /v1/tenant/erasures/{requestId}; the subject is not kept in the request's record. At most 10 erasures run at once per tenant.",
      tag: 'Your tenant',
      requestExamples: { customer: { subject: 'customer-42' } },
      responses: {
        202: {
          description: 'Asked; pending.',
          body: body(TENANTS, 'subjectErasureRequest'),
          headers: ['Location'],
        },
        409: { description: 'Ten erasures of the tenant are running already.', problems: ['quota-exceeded'] },
      },
    },
    'GET /v1/tenant/erasures/{requestId}': {
      operationId: 'getSubjectErasure',
      summary: 'An erasure: pending, or done with what each service erased',
      tag: 'Your tenant',
      responses: {
        200: { description: 'The erasure.', body: body(TENANTS, 'subjectErasure') },
        404: {
          description: "No such erasure for this tenant (another tenant's is not found either).",
          problems: ['not-found'],
        },
      },
    },
    'POST /v1/portal-tokens': {
      operationId: 'createPortalToken',
      summary: 'A short-lived token for embedding the console',
      description:
        "What Svix calls an app portal link: a key `hk_portal_…` with the caller's read scopes (or those asked for, of its own; never keys:write or tenants:admin), valid `ttlSeconds` (at most an hour), and the stage's console URL carrying it in its fragment.",
      tag: 'Your tenant',
      requestExamples: { readOnly: { ttlSeconds: 900 } },
      responses: {
        201: { description: 'The token, shown this once.', body: body(TENANTS, 'portalToken') },
        422: {
          description: 'A scope the caller does not have or a portal token may not have.',
          problems: ['validation-failed'],
        },
      },
    },
  },
};
