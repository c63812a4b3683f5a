// Written by `npm run openapi` (scripts/openapi/client-types.ts) from openapi/herald.openapi.json
// with openapi-typescript. Do not edit: change the sources of the document and run it again.

export interface paths {
  '/v1/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant's API keys (never the keys themselves) */
    get: operations['listApiKeys'];
    put?: never;
    /**
     * Create an API key (shown once)
     * @description A key for machine producers and consumers: `Authorization: Bearer hk_live_…`. Its scopes are chosen from the caller's own (never tenants:admin). The key is in this answer alone; Herald keeps only its SHA-256.
     */
    post: operations['createApiKey'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/api-keys/{keyId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One API key, with its last use */
    get: operations['getApiKey'];
    put?: never;
    post?: never;
    /**
     * Revoke an API key
     * @description Idempotent. The key is refused (401 key_revoked) within the authorizer's caches: API Gateway's result TTL plus 30 s.
     */
    delete: operations['revokeApiKey'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The tenant's audit log: who changed what, when and from where
     * @description Every change made through the API (subscriptions, their secrets, event types, API keys, the tenant's settings), newest first, a page at a time (`limit`, default 50), filtered by `action`, `resourceType` (and `resourceId`), `actor` (a JWT's `sub`, or `key:<keyId>`) and `since`/`until` together. The token's tenant's entries alone (scope audit:read). Names only: an entry never holds a payload, a secret or a header's value. Each entry carries its place in the tenant's hash chain (`seq`, `prevHash`, `hash`): keep the newest `hash` to check later that nothing before it changed. Entries appear seconds after their change and are kept for the tenant's retention.
     */
    get: operations['listAuditEntries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/deliveries/{id}/redeliver': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send one delivery again (same webhook-id) */
    post: operations['redeliver'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/destinations/external-id': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The ExternalId and role path the tenant's AWS destination roles must name
     * @description Herald assumes an AWS destination's role with this ExternalId, made by Herald once per tenant (the tenant cannot choose it): the role's trust policy requires it with a `sts:ExternalId` condition, the role's name must be under `rolePath`, and its trust policy names `principals`, the Herald roles that assume it.
     */
    get: operations['getDestinationExternalId'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/email/confirm': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Confirm an e-mail subscription (the link in its mail) */
    get: operations['confirmEmail'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/email/unsubscribe': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The unsubscribe page (a button that POSTs) */
    get: operations['showUnsubscribe'];
    put?: never;
    /**
     * Unsubscribe (RFC 8058 one-click)
     * @description The body is the form `List-Unsubscribe=One-Click`, as mail clients send it.
     */
    post: operations['unsubscribeEmail'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/event-types': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant's event types, by name */
    get: operations['listEventTypes'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/event-types/{type}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One event type */
    get: operations['getEventType'];
    /**
     * Register or replace an event type
     * @description Replaces the whole type (a field left out is removed) and moves its version on. The schema is a subset of JSON Schema 2020-12: at most 64 KiB, `$ref` within itself only, `format` one of date-time, date, time, email, uri, uuid, ipv4, ipv6, hostname, patterns RE2 takes (no backreferences or lookaround); each example must match it. Deprecate with `deprecated: true` (and `replacedBy`): events of the type are still accepted, and their answer lists it under `deprecations`. Ingest applies a change within 60 s.
     */
    put: operations['putEventType'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The stored events, newest first
     * @description `since` (inclusive) and `until` (exclusive) are compared with the time the event was received.
     */
    get: operations['listEvents'];
    put?: never;
    /**
     * Send one event, or a batch of up to 100
     * @description Each event is signed and queued for processing; ids are the producer's, or ULIDs in request order. Retry with the same `Idempotency-Key` (or the same event ids) so none is stored twice.
     */
    post: operations['sendEvents'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/events/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One stored event */
    get: operations['getEvent'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/events/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * An event's deliveries, one per subscription it reached
     * @description Each with its attempts, newest first. Read by key from the tenant's subscriptions (a delivery's id derives from tenant, subscription and event), so deliveries to subscriptions since deleted are not listed, and an event id the tenant never sent answers an empty list, not 404 (stored events are kept by time, not id).
     */
    get: operations['listEventDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operator/dead-letters': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The service's dead-letter queues
     * @description Each queue: name, source, what lands in it, how it is redriven, its counts, the oldest first-sent time among a sample of ten.
     */
    get: operations['listDeadLetterQueues'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operator/dead-letters/{queue}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One dead-letter queue and a sample of its messages
     * @description Up to `sample` (1-10, default 5) messages, left in the queue, their bodies redacted.
     */
    get: operations['peekDeadLetters'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/operator/dead-letters/{queue}/redrive': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A dead-letter queue's redrive tasks */
    get: operations['listRedriveTasks'];
    put?: never;
    /**
     * Send a dead-letter queue back
     * @description A queue an SQS queue feeds is moved back by SQS in the background (202); the others are sent again within the request (200), 15 s of new batches at most.
     */
    post: operations['redriveDeadLetters'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/portal-tokens': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * A short-lived token for embedding the console
     * @description What Svix calls an app portal link: a key `hk_portal_…` with the caller's read scopes (or those asked for, of its own; never keys:write or tenants:admin), valid `ttlSeconds` (at most an hour), and the stage's console URL carrying it in its fragment.
     */
    post: operations['createPortalToken'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/stats': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The tenant's delivery overview over the last hour or day
     * @description `window=1h` (the default: 60 one-minute buckets) or `24h` (24 one-hour buckets): events dispatched, deliveries succeeded, failed for good and waiting for a retry now, latency p50 and p99, a time series of succeeded and failed, and each subscription's counts and health, failing first. Counted from the deliveries table's stream, a few seconds behind; a page view reads at most 60 counter items, whatever the traffic.
     */
    get: operations['getStats'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/subscriptions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The tenant's subscriptions */
    get: operations['listSubscriptions'];
    put?: never;
    /**
     * Subscribe a webhook URL or an e-mail address
     * @description A webhook's answer carries its signing secret, this once. An e-mail subscription is pending until its address follows the confirmation link.
     */
    post: operations['createSubscription'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/subscriptions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One subscription (never its secret) */
    get: operations['getSubscription'];
    put?: never;
    post?: never;
    /**
     * Delete a subscription
     * @description Deliveries in flight are cancelled.
     */
    delete: operations['deleteSubscription'];
    options?: never;
    head?: never;
    /**
     * Change a subscription
     * @description A JSON merge patch of `url` or `email` (same kind only), `eventTypes`, `filter`, `headers`, `timeoutSeconds`, `rateLimit`, `description` (`null` removes a filter, a timeout or a description). `headers` merges too: a name given replaces that header, `null` removes it, `{ "secret": true }` without a value keeps a secret one as it is. A new address makes an e-mail subscription pending again.
     */
    patch: operations['updateSubscription'];
    trace?: never;
  };
  '/v1/subscriptions/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A subscription's delivery history, newest first */
    get: operations['listDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/subscriptions/{id}/pause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Hold deliveries until resumed */
    post: operations['pauseSubscription'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/subscriptions/{id}/replay': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Deliver again every stored event of a window that the subscription matches
     * @description One replay at a time per subscription, and a few per tenant. With `dryRun: true`, only counts the stored events of the window the replay would send (200): the same checks, no replay started, nothing counted toward the limits.
     */
    post: operations['replay'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/subscriptions/{id}/resend-confirmation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send a pending e-mail subscription's confirmation mail again */
    post: operations['resendConfirmation'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/subscriptions/{id}/resume': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Active again; held deliveries are released */
    post: operations['resumeSubscription'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/subscriptions/{id}/rotate-secret': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Replace a webhook subscription's signing secret
     * @description The old secret keeps signing beside the new one until the grace period ends. A v1a subscription gets a new Ed25519 key pair under the same rule: its new public key is answered instead of a secret.
     */
    post: operations['rotateSubscriptionSecret'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/subscriptions/{id}/test': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Test an AWS destination subscription's connection
     * @description Assumes the subscription's role with the tenant's ExternalId and sends the target one test message signed with the subscription's newest secret (type `herald.destination.test`), as at creation. `ok: false` says what failed: the role could not be assumed (every check STS's AccessDenied stands for is listed) or the target refused the message (the permission the role needs is named).
     */
    post: operations['testSubscriptionDestination'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/subscriptions/test-filter': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Which of the tenant's newest stored events a content filter would match
     * @description Reads the tenant's newest stored events (at most `limit`, 100 by default and at most, since `since` or the retention) and answers those the filter and the event types (all when absent) match, newest first, as dispatch matches them. The filter is checked as on a subscription: an EventBridge event pattern over the event's `type`, `source`, `subject` and `data`, at most 4096 bytes, 100 values, objects 8 deep and 16 `$or` combinations.
     */
    post: operations['testFilter'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tenant': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The caller's tenant and its settings
     * @description Any authenticated caller. A tenant without a record (an operator's, on a stage that does not create tenants) is shown active, with the stage's defaults.
     */
    get: operations['getOwnTenant'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tenant/erasures': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Erase a subject's data everywhere
     * @description Asks every service to erase the caller's tenant's events whose envelope `subject` is the one given, and what was derived from them (deliveries, ordering state, upload files naming it); the tenant's export files are deleted too. Follow it with GET /v1/tenant/erasures/{requestId}; the subject is not kept in the request's record. At most 10 erasures run at once per tenant.
     */
    post: operations['startSubjectErasure'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tenant/erasures/{requestId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An erasure: pending, or done with what each service erased */
    get: operations['getSubjectErasure'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tenant/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Export the tenant's data
     * @description Asks ingest, processing and notifications to write what each holds of the caller's tenant (events, uploads, subscriptions without their secrets, deliveries, event types) as NDJSON files; follow it with GET /v1/tenant/exports/{exportId}. At most 2 exports run at once per tenant. Recorded in the audit log (tenant.export_requested).
     */
    post: operations['startTenantExport'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tenant/exports/{exportId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * An export: pending, or ready with its files
     * @description Pending names the services that have answered and those still writing; ready gives each NDJSON file (its service, records, bytes) with a presigned GET URL valid 15 minutes (ask again for new ones). The files are kept 7 days.
     */
    get: operations['getTenantExport'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tenants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every tenant, a page at a time */
    get: operations['listTenants'];
    put?: never;
    /**
     * Create a tenant
     * @description The id is what tokens carry in their tenant claim. Settings left out take the stage's defaults.
     */
    post: operations['createTenant'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tenants/{tenantId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One tenant and its settings */
    get: operations['getTenant'];
    put?: never;
    post?: never;
    /**
     * Delete a tenant
     * @description The tenant stays, status `deleted`: its tokens and keys are refused from then on, and its id cannot be taken again. tenant.deleted is put on the bus (again on each call).
     */
    delete: operations['deleteTenant'];
    options?: never;
    head?: never;
    /**
     * Change a tenant's name or settings
     * @description A JSON merge patch: each setting given replaces it, `null` removes it (the stage's default applies again); `limits` merge limit by limit.
     */
    patch: operations['updateTenant'];
    trace?: never;
  };
  '/v1/tenants/{tenantId}/resume': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Resume a suspended tenant
     * @description tenant.resumed is put on the bus (again on each call).
     */
    post: operations['resumeTenant'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tenants/{tenantId}/suspend': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Suspend a tenant: every route refuses it
     * @description Its tokens and keys are refused (403 tenant_suspended) within the authorizer's caches, and tenant.suspended is put on the bus (again on each call).
     */
    post: operations['suspendTenant'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/tenants/{tenantId}/webhook-keys.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A tenant's webhook public keys (JWKS), without a token
     * @description The Ed25519 public keys of the tenant's v1a webhook subscriptions that sign now, a rotation's overlap included, as a JSON Web Key Set: a receiver can fetch from Herald the keys that verify its webhooks. Public (no token) and cacheable for a minute (Cache-Control); fetch again when no listed key verifies a signature.
     */
    get: operations['getWebhookKeys'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/uploads': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start a bulk NDJSON upload
     * @description Records the upload and answers with a presigned PUT URL bound to the size, the content type and `If-None-Match: *`.
     */
    post: operations['createUpload'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/uploads/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** An upload's status and report */
    get: operations['getUpload'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export interface webhooks {
  event: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * An event, delivered to a webhook subscription
     * @description A Standard Webhooks request (https://www.standardwebhooks.com): verify `webhook-signature` with the subscription's secret (`whsec_…`) over `<webhook-id>.<webhook-timestamp>.<body>` before trusting the body, and drop copies by `webhook-id`, which is the same for every attempt, redelivery and replay of one event to one subscription.
     */
    post: operations['receiveEvent'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export interface components {
  schemas: {
    /**
     * @description POST /v1/events, 202: every event is queued; ids in request order.
     * @example {
     *       "ids": [
     *         "01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC"
     *       ]
     *     }
     */
    AcceptedEvents: {
      ids: string[];
      /** @description Deprecated event types among the events, each once: they were accepted all the same. Only present when there are any. */
      deprecations?: components['schemas']['Deprecation'][];
    };
    /** @description An API key as the API shows it: never the key itself (shown once, at creation) nor its hash */
    ApiKey: {
      id: string;
      name: string;
      /** @description The key's first characters, to recognise it by */
      prefix: string;
      /** @enum {string} */
      environment: 'live' | 'test' | 'portal';
      scopes: string[];
      /** Format: date-time */
      createdAt: string;
      /** @description Who made it: a token's subject, or key:<id> */
      createdBy: string;
      /** Format: date-time */
      expiresAt?: string;
      /** Format: date-time */
      revokedAt?: string;
      /**
       * Format: date-time
       * @description Its last use, to the minute or so
       */
      lastUsedAt?: string;
    };
    /** @description A page of the tenant's API keys */
    ApiKeyPage: {
      items: components['schemas']['ApiKey'][];
      /** @description The cursor of the next page; absent on the last */
      next?: string;
    };
    /** @description One attempt of a delivery: when, how long, and what came back. */
    Attempt: {
      run: number;
      attempt: number;
      /** Format: date-time */
      at: string;
      durationMs: number;
      /** @enum {string} */
      outcome: 'succeeded' | 'retrying' | 'failed';
      statusCode?: number;
      /** @description The first KiB of the receiver's answer */
      responseBody?: string;
      /** @description Class of a failure with no usable answer: timeout, connection, dns, tls, ... */
      error?: string;
      detail?: string;
    };
    /** @description One change made through the API: who, what, when, from where, and its place in the tenant's hash chain. Names only, never a payload, a secret or a header's value. */
    AuditEntry: {
      tenantId: string;
      /** @description aud_ and 26 base32 characters of the SHA-256 of the entry's other members (RFC 8785): the same change recorded again is the same entry */
      id: string;
      /**
       * Format: date-time
       * @description When the change was made, RFC 3339, UTC, milliseconds
       */
      at: string;
      actor: {
        /** @description The JWT's `sub`, or `key:<keyId>` for an API key */
        subject: string;
        /** @enum {unknown} */
        credential: 'jwt' | 'api_key';
        /** @description The API key's id (never the key) */
        keyId?: string;
      };
      /** @enum {unknown} */
      action:
        | 'subscription.created'
        | 'subscription.updated'
        | 'subscription.deleted'
        | 'subscription.paused'
        | 'subscription.resumed'
        | 'subscription.secret_rotated'
        | 'replay.started'
        | 'delivery.redelivered'
        | 'event_type.put'
        | 'event_type.deprecated'
        | 'api_key.created'
        | 'api_key.revoked'
        | 'tenant.created'
        | 'tenant.settings_updated'
        | 'tenant.suspended'
        | 'tenant.resumed'
        | 'tenant.deleted'
        | 'tenant.export_requested'
        | 'tenant.erasure_requested'
        | 'tenant.erasure_completed'
        | 'portal_token.created';
      resource: {
        /** @enum {unknown} */
        type: 'subscription' | 'replay' | 'delivery' | 'event_type' | 'api_key' | 'tenant' | 'portal_token';
        id: string;
      };
      /** @description Names of the members the change set or removed (top level), never their values; empty when the action says it all */
      changedFields: string[];
      /** @description For a credential made (api_key.created, portal_token.created): the scopes it carries and when it expires, never the credential itself */
      grant?: {
        scopes: string[];
        /** Format: date-time */
        expiresAt?: string;
      };
      source: {
        /** @description The caller's address as API Gateway saw it */
        ip?: string;
        userAgent?: string;
      };
      correlationId: string;
      /** @description The entry's place in its tenant's chain, from 1 */
      seq: number;
      /** @description The previous entry's hash (64 zeros for the first) */
      prevHash: string;
      /** @description SHA-256 of prevHash, seq and the entry's RFC 8785 text, each on its own line: keep the newest and check the chain against it later */
      hash: string;
      /**
       * Format: date-time
       * @description When the audit log appended it
       */
      recordedAt: string;
    };
    /** @description A page of the tenant's audit entries, newest first; follow nextCursor until it is absent */
    AuditPage: {
      items: components['schemas']['AuditEntry'][];
      /** @description The cursor of the next page; absent on the last */
      nextCursor?: string;
    };
    /** @description A new API key: the key itself is in this answer only */
    CreatedApiKey: components['schemas']['ApiKey'] & {
      /** @description The key: Authorization: Bearer <key>. Shown once, never again */
      key: string;
    };
    /**
     * @description POST /v1/subscriptions, 201: the subscription, with a webhook's or AWS destination's signing secret (shown this once) or an e-mail's confirmation mail outcome.
     * @example {
     *       "id": "sub_01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC",
     *       "kind": "webhook",
     *       "url": "https://hooks.example.org/herald",
     *       "eventTypes": [
     *         "order.*"
     *       ],
     *       "rateLimit": 50,
     *       "status": "active",
     *       "createdAt": "2026-11-30T12:00:00.000Z",
     *       "updatedAt": "2026-11-30T12:00:00.000Z",
     *       "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
     *     }
     */
    CreatedSubscription: {
      /** @description Webhooks and AWS destinations only, shown this once */
      secret?: string;
      /** @description v1a webhooks only (instead of secret): the Ed25519 public key that verifies its webhooks, also in publicKeys and the tenant's key set */
      publicKey?: string;
      confirmationMail?: {
        sent: boolean;
        detail?: string;
      };
    } & components['schemas']['Subscription'];
    /**
     * @description POST /v1/uploads, 201: PUT the file to upload.url with exactly upload.headers before upload.expiresAt.
     * @example {
     *       "id": "01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC",
     *       "status": "pending",
     *       "upload": {
     *         "method": "PUT",
     *         "url": "https://herald-uploads.s3.amazonaws.com/uploads/acme/01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC.ndjson?X-Amz-Signature=...",
     *         "headers": {
     *           "content-type": "application/x-ndjson",
     *           "if-none-match": "*"
     *         },
     *         "expiresAt": "2026-11-30T12:05:00.000Z"
     *       }
     *     }
     */
    CreatedUpload: {
      id: string;
      /** @constant */
      status: 'pending';
      upload: {
        /** @constant */
        method: 'PUT';
        url: string;
        headers: {
          [key: string]: string;
        };
        /** Format: date-time */
        expiresAt: string;
      };
    };
    /** @description GET /v1/operator/dead-letters/{queue}: the queue and a sample of its messages, left in place, redacted. */
    DeadLetterPeek: {
      messages: {
        messageId: string;
        /** Format: date-time */
        sentAt?: string;
        ageSeconds?: number;
        receiveCount?: number;
        reason: string;
        correlationId?: string;
        bodyBytes: number;
        bodyPreview: string;
        truncated: boolean;
      }[];
    } & components['schemas']['QueueSummary'];
    /** @description GET /v1/operator/dead-letters: each dead-letter queue of the service. */
    DeadLetterQueues: {
      service: string;
      deadLetterQueues: components['schemas']['QueueSummary'][];
    };
    /** @description One event to one subscription, with every attempt. */
    Delivery: {
      id: string;
      subscriptionId: string;
      eventId: string;
      eventType: string;
      /** @enum {string} */
      status: 'pending' | 'succeeded' | 'failed' | 'held' | 'cancelled';
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      attempts: components['schemas']['Attempt'][];
      /** Format: date-time */
      nextAttemptAt?: string;
      reason?: string;
      /** Format: date-time */
      heldUntil?: string;
    };
    /** @description One page of a subscription's deliveries, newest first; follow nextCursor until it is absent. */
    DeliveryPage: {
      items: components['schemas']['Delivery'][];
      nextCursor?: string;
    };
    /**
     * @example {
     *       "type": "order.placed",
     *       "replacedBy": "order.created"
     *     }
     */
    Deprecation: {
      type: string;
      replacedBy?: string;
    };
    /**
     * @description GET /v1/destinations/external-id: what a role Herald assumes for the tenant's AWS destinations must name: the ExternalId (made by Herald, the same for every destination of the tenant, never chosen by it) the path the role's name must be under, and the Herald roles its trust policy names.
     * @example {
     *       "externalId": "herald-3q2-7wE5bT0Yt0Jc4n7c0bXc6rYqz1mV",
     *       "rolePath": "/herald-destinations/",
     *       "principals": [
     *         "arn:aws:iam::111122223333:role/herald-notifications-prod-deliverAws-us-east-1-lambdaRole",
     *         "arn:aws:iam::111122223333:role/herald-notifications-prod-createSubscription-us-east-1",
     *         "arn:aws:iam::111122223333:role/herald-notifications-prod-testDestination-us-east-1-lambdaRole"
     *       ]
     *     }
     */
    DestinationExternalId: {
      externalId: string;
      /** @description The IAM path the role must have (arn:aws:iam::<account>:role/<path><name>) */
      rolePath: string;
      /** @description The Herald roles that assume destination roles: the principals the role's trust policy names (delivery, the test message at creation, and test connection) */
      principals?: string[];
    };
    /**
     * @description POST /v1/subscriptions/{id}/test: whether Herald could assume the AWS destination's role and the target took a signed test message; when not, what failed and what to check, each error pointing into the subscription (/destination/roleArn, /destination/arn).
     * @example {
     *       "ok": false,
     *       "testedAt": "2026-11-30T12:00:00.000Z",
     *       "errors": [
     *         {
     *           "pointer": "/destination/arn",
     *           "message": "the role was assumed, but the destination refused a test message (sqs AccessDenied); check that the role's permission policy allows sqs:SendMessage on the queue"
     *         }
     *       ]
     *     }
     */
    DestinationTest: {
      ok: boolean;
      /** Format: date-time */
      testedAt: string;
      errors?: {
        pointer: string;
        message: string;
      }[];
    };
    /**
     * @description An event's deliveries, one per subscription of the tenant it reached, newest first, each with its attempts. Empty for an event id the tenant never sent; deliveries to subscriptions since deleted are not listed.
     * @example {
     *       "eventId": "01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC",
     *       "items": [
     *         {
     *           "id": "msg_01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC",
     *           "subscriptionId": "sub_01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC",
     *           "eventId": "01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC",
     *           "eventType": "order.created",
     *           "status": "succeeded",
     *           "createdAt": "2026-11-30T12:00:00.000Z",
     *           "updatedAt": "2026-11-30T12:00:00.250Z",
     *           "attempts": [
     *             {
     *               "run": 1,
     *               "attempt": 1,
     *               "at": "2026-11-30T12:00:00.100Z",
     *               "durationMs": 150,
     *               "outcome": "succeeded",
     *               "statusCode": 204
     *             }
     *           ]
     *         }
     *       ]
     *     }
     */
    EventDeliveries: {
      eventId: string;
      items: components['schemas']['Delivery'][];
    };
    EventInput: {
      id?: string;
      type: string;
      data: unknown;
      subject?: string;
      /** Format: date-time */
      time?: string;
      /** Format: uri-reference */
      source?: string;
    };
    /** @description One page of events, newest first; follow nextCursor until it is absent. */
    EventPage: {
      items: components['schemas']['StoredEvent'][];
      nextCursor?: string;
    };
    /**
     * @description GET or PUT /v1/event-types/{type}, 200: an event type of the tenant's catalog.
     * @example {
     *       "type": "order.created",
     *       "description": "An order was placed.",
     *       "schema": {
     *         "type": "object",
     *         "required": [
     *           "orderId",
     *           "total"
     *         ],
     *         "properties": {
     *           "orderId": {
     *             "type": "integer"
     *           },
     *           "total": {
     *             "type": "number",
     *             "minimum": 0
     *           }
     *         }
     *       },
     *       "examples": [
     *         {
     *           "orderId": 42,
     *           "total": 99.5
     *         }
     *       ],
     *       "deprecated": false,
     *       "version": 1,
     *       "createdAt": "2026-11-30T12:00:00.000Z",
     *       "updatedAt": "2026-11-30T12:00:00.000Z"
     *     }
     */
    EventType: {
      type: string;
      description: string;
      /** @description The JSON Schema each event's data must match. */
      schema?:
        | {
            [key: string]: unknown;
          }
        | boolean;
      examples?: unknown[];
      deprecated: boolean;
      replacedBy?: string;
      /** @description 1 when created, one more on each PUT. */
      version: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
    };
    EventTypeName: string;
    /** @description GET /v1/event-types, 200: one page of the tenant's event types, by name; follow nextCursor until it is absent. */
    EventTypePage: {
      items: components['schemas']['EventType'][];
      nextCursor?: string;
    };
    /**
     * @description Which of the tenant's newest stored events a content filter (and event types, if given) would match, newest first.
     * @example {
     *       "matched": [
     *         {
     *           "id": "01JD6Z3M4Q8W0B5R2K7N9X1C3V",
     *           "type": "order.created",
     *           "time": "2026-11-30T09:12:44.120Z"
     *         }
     *       ],
     *       "examined": 100,
     *       "truncated": true
     *     }
     */
    FilterTest: {
      matched: {
        id: string;
        type: string;
        /**
         * Format: date-time
         * @description When the event was stored (its bus time)
         */
        time: string;
      }[];
      /** @description How many stored events were read */
      examined: number;
      /** @description True when older events of the window were not read (limit reached) */
      truncated: boolean;
    };
    /**
     * @description What API Gateway itself answers on a deployed stage, before any function runs: its JWT authorizer's 401 and 403, and its throttling's 429. Not a problem: its own JSON.
     * @example {
     *       "message": "Too Many Requests"
     *     }
     */
    GatewayMessage: {
      message: string;
    };
    /**
     * @description The tenant's deliveries over the window: totals, latency percentiles, a time series (one bucket a minute for 1h, an hour for 24h, oldest first, the last one running) and each subscription's counts, failing first. Counted from the deliveries table's stream, seconds behind.
     * @example {
     *       "window": "1h",
     *       "from": "2026-11-30T11:01:00.000Z",
     *       "until": "2026-11-30T12:00:30.000Z",
     *       "bucketSeconds": 60,
     *       "events": {
     *         "dispatched": 2
     *       },
     *       "deliveries": {
     *         "succeeded": 1,
     *         "failed": 1,
     *         "retrying": 0
     *       },
     *       "latencyMs": {
     *         "count": 1,
     *         "p50": 861,
     *         "p99": 861
     *       },
     *       "series": [
     *         {
     *           "start": "2026-11-30T11:01:00.000Z",
     *           "succeeded": 1,
     *           "failed": 1
     *         }
     *       ],
     *       "subscriptions": [
     *         {
     *           "id": "sub_01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC",
     *           "status": "active",
     *           "kind": "webhook",
     *           "url": "https://hooks.example.org/herald",
     *           "health": "failing",
     *           "succeeded": 1,
     *           "failed": 1,
     *           "retrying": 0,
     *           "consecutiveFailures": 4,
     *           "lastSuccessAt": "2026-11-30T11:01:10.000Z",
     *           "lastFailureAt": "2026-11-30T11:01:40.000Z",
     *           "failingSince": "2026-11-30T11:01:20.000Z"
     *         }
     *       ]
     *     }
     */
    Overview: {
      /** @enum {string} */
      window: '1h' | '24h';
      /**
       * Format: date-time
       * @description Start of the first bucket
       */
      from: string;
      /** Format: date-time */
      until: string;
      /** @enum {integer} */
      bucketSeconds: 60 | 3600;
      events: {
        /** @description Stored events fanned out */
        dispatched: number;
      };
      deliveries: {
        succeeded: number;
        /** @description Failed for good (no attempt left, or refused) */
        failed: number;
        /** @description Waiting for a retry now (whatever the window) */
        retrying: number;
      };
      /** @description From an event's stored time (whole seconds) to the end of the attempt that delivered it, first runs only; percentiles within 9% (log-scale buckets). Absent percentiles: nothing delivered in the window. */
      latencyMs: {
        count: number;
        p50?: number;
        p99?: number;
      };
      series: {
        /** Format: date-time */
        start: string;
        succeeded: number;
        failed: number;
      }[];
      subscriptions: components['schemas']['OverviewSubscription'][];
    };
    /** @description One subscription's deliveries over the window, beside the health delivery keeps on it. `health`: disabled; failing (its latest attempts failed: consecutiveFailures > 0); degraded (failures in the window, none now); healthy. */
    OverviewSubscription: {
      id: string;
      /**
       * @description deleted: gone, with deliveries in the window
       * @enum {string}
       */
      status: 'active' | 'paused' | 'disabled' | 'pending' | 'unsubscribed' | 'deleted';
      /** @enum {string} */
      kind?: 'webhook' | 'email' | 'aws';
      url?: string;
      email?: string;
      description?: string;
      /** @enum {string} */
      health: 'disabled' | 'failing' | 'degraded' | 'healthy';
      succeeded: number;
      /** @description Deliveries that failed for good in the window */
      failed: number;
      /** @description Deliveries waiting for a retry now */
      retrying: number;
      /** @description Attempts failed in a row (the failure streak) */
      consecutiveFailures: number;
      /** Format: date-time */
      lastSuccessAt?: string;
      /** Format: date-time */
      lastFailureAt?: string;
      /** Format: date-time */
      failingSince?: string;
      disabledReason?: string;
    };
    /**
     * @description POST /v1/events, 207: some events were not confirmed. Retry exactly those marked retryable, with their ids.
     * @example {
     *       "ids": [
     *         "evt-1",
     *         "evt-2"
     *       ],
     *       "accepted": 1,
     *       "failed": 1,
     *       "events": [
     *         {
     *           "id": "evt-1",
     *           "status": "accepted"
     *         },
     *         {
     *           "id": "evt-2",
     *           "status": "failed",
     *           "retryable": true
     *         }
     *       ]
     *     }
     */
    PartiallyAcceptedEvents: {
      ids: string[];
      accepted: number;
      failed: number;
      events: {
        id: string;
        /** @enum {string} */
        status: 'accepted' | 'failed';
        retryable?: boolean;
      }[];
      /** @description Deprecated event types among the events, each once: they were accepted all the same. Only present when there are any. */
      deprecations?: components['schemas']['Deprecation'][];
    };
    /** @description A short-lived token for embedding the console */
    PortalToken: {
      /** @description Shown once; a bearer credential until expiresAt */
      token: string;
      id: string;
      scopes: string[];
      /** Format: date-time */
      expiresAt: string;
      /** @description The stage's console, signed in with the token (carried in the URL's fragment, which is never sent to a server) */
      url?: string;
    };
    /**
     * @description What every HTTP route of Herald answers for an error, as application/problem+json (RFC 9457): the standard members, and the extension members some problems carry (shared/src/problem.ts, each service's problems).
     * @example {
     *       "type": "https://herald.dev/problems/validation-failed",
     *       "title": "Unprocessable Content",
     *       "status": 422,
     *       "detail": "The request breaks the schema in 1 place(s)",
     *       "instance": "/v1/subscriptions",
     *       "errors": [
     *         {
     *           "pointer": "/body/eventTypes",
     *           "message": "must NOT have fewer than 1 items"
     *         }
     *       ]
     *     }
     */
    Problem: {
      /**
       * @description about:blank, or https://herald.dev/problems/<slug> naming the kind of problem
       * @example https://herald.dev/problems/validation-failed
       */
      type: string;
      /** @description The status phrase, or the problem type's own title */
      title: string;
      status: number;
      /** @description What went wrong, for a person; never quotes the request's values */
      detail?: string;
      /** @description The request's path */
      instance?: string;
      /** @description Each value refused (validation-failed, event-too-large), by JSON pointer into { body, pathParameters, queryStringParameters } */
      errors?: {
        /** @example /body/eventTypes/1 */
        pointer: string;
        message: string;
      }[];
      /** @description POST /v1/events when no event was queued (events-refused, 503): each event's id and whether a retry may succeed */
      events?: {
        id: string;
        /** @enum {string} */
        status: 'accepted' | 'failed';
        retryable?: boolean;
      }[];
      /**
       * @description quota-exceeded and rate-limited: the tenant's limit that refused the request
       * @enum {string}
       */
      quota?:
        | 'subscriptions'
        | 'concurrentReplays'
        | 'uploadBytesPerDay'
        | 'ingestRequestsPerSecond'
        | 'ingestEventsPerSecond';
      /** @description The limit's value (a rate: per second) */
      limit?: number;
      /** @description What the tenant has of it: a count, bytes of the day, or a rate's count in its current window */
      current?: number;
      /** @description rate-limited, quota-exceeded: what the request asked of the limit (1 request, a batch's events, an upload's bytes) */
      requested?: number;
      /** @description rate-limited: a batch, refused whole (none of its events was accepted) */
      refusedWhole?: boolean;
      replayId?: string;
    };
    /** @description A dead-letter queue: where it is, what lands in it, how it is redriven, its counts. */
    QueueSummary: {
      queue: string;
      name: string;
      arn: string;
      holds: string;
      source?: {
        name: string;
        arn: string;
        maxReceiveCount?: number;
      };
      redrive: {
        /** @enum {string} */
        kind: 'move' | 'forward' | 'resend';
        does: string;
      };
      approximateNumberOfMessages: number;
      approximateNumberOfMessagesNotVisible: number;
      approximateNumberOfMessagesDelayed: number;
      /** Format: date-time */
      oldestSampledSentAt?: string;
      oldestSampledAgeSeconds?: number;
    };
    /**
     * @example {
     *       "deliveryId": "msg_01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC",
     *       "status": "queued"
     *     }
     */
    RedeliveryQueued: {
      deliveryId: string;
      /** @constant */
      status: 'queued';
    };
    /** @description POST …/redrive, 200: what this pass sent again and what it kept (and why); finished false means call again. */
    RedriveReport: {
      queue: string;
      /** @enum {string} */
      kind: 'forward' | 'resend';
      resent: number;
      kept: {
        messageId: string;
        reason: string;
      }[];
      finished: boolean;
      approximateNumberOfMessagesRemaining: number;
    };
    /** @description POST …/redrive, 202: SQS moves the messages back in the background; GET …/redrive follows the task. */
    RedriveStarted: {
      queue: string;
      /** @constant */
      kind: 'move';
      taskHandle: string;
      sourceArn: string;
      destinationArn: string;
      maxMessagesPerSecond?: number;
    };
    /** @description GET /v1/operator/dead-letters/{queue}/redrive: the queue's message move tasks, newest first. */
    RedriveTasks: {
      queue: string;
      redrive: {
        /** @enum {string} */
        kind: 'move' | 'forward' | 'resend';
        does: string;
      };
      tasks: {
        /** @enum {string} */
        status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
        taskHandle?: string;
        /** Format: date-time */
        startedAt?: string;
        approximateNumberOfMessagesMoved: number;
        approximateNumberOfMessagesToMove?: number;
        destinationArn?: string;
        maxMessagesPerSecond?: number;
        failureReason?: string;
      }[];
      note?: string;
    };
    /**
     * @example {
     *       "replayId": "01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC",
     *       "since": "2026-11-30T00:00:00.000Z",
     *       "until": "2026-11-30T12:00:00.000Z"
     *     }
     */
    ReplayAccepted: {
      replayId: string;
      /** Format: date-time */
      since: string;
      /** Format: date-time */
      until: string;
    };
    /**
     * @description POST /v1/subscriptions/{id}/replay with dryRun: how many stored events of the window the replay would send (those the subscription's filters match). No replay started.
     * @example {
     *       "dryRun": true,
     *       "events": 1250,
     *       "since": "2026-11-30T00:00:00.000Z",
     *       "until": "2026-11-30T12:00:00.000Z"
     *     }
     */
    ReplayPreview: {
      /** @constant */
      dryRun: true;
      events: number;
      /** Format: date-time */
      since: string;
      /** Format: date-time */
      until: string;
    };
    /**
     * @description The new signing secret (shown this once), or a v1a subscription's new public key instead, and when the replaced ones stop signing.
     * @example {
     *       "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
     *       "previousSecretsExpireAt": "2026-12-01T12:00:00.000Z"
     *     }
     */
    RotatedSecret: {
      secret?: string;
      /** @description A v1a subscription's new public key (it has no secret) */
      publicKey?: string;
      /** Format: date-time */
      previousSecretsExpireAt?: string;
    };
    /**
     * @description An event as stored: its CloudEvents attributes, its data, and what Herald recorded.
     * @example {
     *       "id": "01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC",
     *       "type": "order.created",
     *       "source": "herald/acme",
     *       "subject": "order/42",
     *       "time": "2026-11-30T12:00:00.000Z",
     *       "datacontenttype": "application/json",
     *       "data": {
     *         "orderId": 42
     *       },
     *       "correlationId": "01JDQ7ZK3M8Q5V6W7X8Y9Z0ABD",
     *       "receivedAt": "2026-11-30T12:00:00.120Z",
     *       "storedAt": "2026-11-30T12:00:00.350Z"
     *     }
     */
    StoredEvent: {
      id: string;
      type: string;
      source: string;
      subject?: string;
      /** Format: date-time */
      time: string;
      datacontenttype: string;
      data: unknown;
      correlationId: string;
      /** Format: date-time */
      receivedAt: string;
      /** Format: date-time */
      storedAt: string;
    };
    /** @description A subject's erasure: done once every service (ingest, processing, notifications, and tenants for its exports) has erased its part; the counts of what each erased. The subject itself is not kept */
    SubjectErasure: {
      requestId: string;
      /** @enum {unknown} */
      scope: 'subject' | 'tenant';
      /** @enum {unknown} */
      status: 'pending' | 'done';
      /** Format: date-time */
      requestedAt: string;
      /** Format: date-time */
      doneAt?: string;
      answered: ('ingest' | 'processing' | 'notifications' | 'tenants')[];
      waitingFor: ('ingest' | 'processing' | 'notifications' | 'tenants')[];
      /** @description Per service, how many items each of its stores erased */
      counts: {
        [key: string]: {
          [key: string]: number;
        };
      };
    };
    /** @description A subject's erasure asked for */
    SubjectErasureRequest: {
      requestId: string;
      /** @constant */
      status: 'pending';
      /** Format: date-time */
      requestedAt: string;
    };
    /**
     * @description A subscription as the API shows it: never its signing secret.
     * @example {
     *       "id": "sub_01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC",
     *       "kind": "webhook",
     *       "url": "https://hooks.example.org/herald",
     *       "eventTypes": [
     *         "order.*"
     *       ],
     *       "rateLimit": 50,
     *       "status": "active",
     *       "createdAt": "2026-11-30T12:00:00.000Z",
     *       "updatedAt": "2026-11-30T12:00:00.000Z"
     *     }
     */
    Subscription: {
      id: string;
      /** @enum {string} */
      kind: 'webhook' | 'email' | 'aws';
      url?: string;
      email?: string;
      /** @description An AWS destination subscription's target, the role Herald assumes to reach it, and the ExternalId it assumes the role with (the tenant's, made by Herald) */
      destination?: {
        arn: string;
        roleArn: string;
        externalId: string;
      };
      eventTypes: string[];
      /** @description The content filter (an EventBridge event pattern over type, source, subject and data), when it has one */
      filter?: {
        [key: string]: unknown;
      };
      /** @description A webhook subscription's custom headers: each value, or { secret: true } for a secret one (never its value) */
      headers?: {
        [key: string]:
          | string
          | {
              /** @constant */
              secret: true;
            };
      };
      /** @description How long an attempt waits for the receiver's answer; absent: the stage's default */
      timeoutSeconds?: number;
      description?: string;
      /** @description Deliveries per second at most; absent on subscriptions made before the limit (the stage default) */
      rateLimit?: number;
      /**
       * @description subject: the events of one subject are delivered one at a time, in the order Herald stored them (a later one waits until the one before it succeeded or failed for good); absent: no ordering
       * @enum {string}
       */
      ordering?: 'subject';
      /** @enum {string} */
      status: 'active' | 'paused' | 'disabled' | 'pending' | 'unsubscribed';
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      disabledReason?: string;
      /** Format: date-time */
      disabledAt?: string;
      consecutiveFailures?: number;
      /** Format: date-time */
      failingSince?: string;
      /** Format: date-time */
      confirmationSentAt?: string;
      /** Format: date-time */
      confirmedAt?: string;
      /** Format: date-time */
      unsubscribedAt?: string;
      /**
       * @description v1a: a webhook subscription signed with Ed25519 (Standard Webhooks' asymmetric scheme), verified with publicKeys; absent: v1, HMAC-SHA256 with the shared signing secret
       * @enum {string}
       */
      signatureScheme?: 'v1a';
      /** @description A v1a subscription's public keys (whpk_ and the base64 of the raw 32-byte Ed25519 key), newest first: each signs until its expiresAt (set once a rotation replaced it) */
      publicKeys?: {
        key: string;
        /** Format: date-time */
        createdAt: string;
        /** Format: date-time */
        expiresAt?: string;
      }[];
    };
    /** @description One page of the tenant's subscriptions; follow nextCursor until it is absent. */
    SubscriptionPage: {
      items: components['schemas']['Subscription'][];
      nextCursor?: string;
    };
    /** @description A tenant and its settings */
    Tenant: {
      id: string;
      name?: string;
      /**
       * @description Only an active tenant's requests are served
       * @enum {string}
       */
      status: 'active' | 'suspended' | 'deleted';
      settings: components['schemas']['TenantSettings'];
      /** Format: date-time */
      createdAt?: string;
      /** Format: date-time */
      updatedAt?: string;
    };
    /** @description An export: pending until ingest, processing and notifications have each written their part, then ready with a presigned GET URL for each NDJSON file */
    TenantExport: {
      exportId: string;
      /** @enum {unknown} */
      status: 'pending' | 'ready';
      /** Format: date-time */
      requestedAt: string;
      /** Format: date-time */
      readyAt?: string;
      /** @description The services that have written their part */
      answered: ('ingest' | 'processing' | 'notifications' | 'tenants')[];
      /** @description The services that have not yet */
      waitingFor: ('ingest' | 'processing' | 'notifications' | 'tenants')[];
      /**
       * Format: date-time
       * @description When the URLs stop working (15 minutes after this answer); ask again for new ones
       */
      urlsExpireAt?: string;
      files?: {
        /** @enum {unknown} */
        service: 'ingest' | 'processing' | 'notifications' | 'tenants';
        key: string;
        records: number;
        bytes: number;
        /**
         * Format: uri
         * @description A presigned GET URL; no token needed
         */
        url: string;
      }[];
    };
    /** @description An export asked for */
    TenantExportRequest: {
      exportId: string;
      /** @constant */
      status: 'pending';
      /** Format: date-time */
      requestedAt: string;
    };
    /** @description A page of tenants */
    TenantPage: {
      items: components['schemas']['Tenant'][];
      /** @description The cursor of the next page; absent on the last */
      next?: string;
    };
    /** @description A tenant's settings; each one left out takes the stage's default */
    TenantSettings: {
      /** @description Per-tenant limits (a missing one takes the stage's default) */
      limits?: {
        /** @description ingest: requests a second */
        ingestRequestsPerSecond?: number;
        /** @description ingest: events a second (a batch of 100 counts 100) */
        ingestEventsPerSecond?: number;
        /** @description notifications: subscriptions, whatever their status */
        maxSubscriptions?: number;
        /** @description notifications: replays running at once */
        maxConcurrentReplays?: number;
        /** @description ingest: bytes uploaded (NDJSON) per UTC day */
        uploadBytesPerDay?: number;
        /** @description notifications: e-mails sent per UTC day */
        dailyEmailCap?: number;
      };
      /** @description Days stored events and delivery history are kept (at most the stage's) */
      retentionDays?: number;
      /** @description Destination kinds the tenant may subscribe with; all when absent */
      allowedDestinations?: ('webhook' | 'email' | 'aws')[];
    };
    /**
     * @description GET /v1/uploads/{id}, 200: the upload's status and, once read, its report with one page of rejected lines.
     * @example {
     *       "id": "01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC",
     *       "status": "completed",
     *       "size": 2048,
     *       "createdAt": "2026-11-30T12:00:00.000Z",
     *       "startedAt": "2026-11-30T12:00:03.000Z",
     *       "completedAt": "2026-11-30T12:00:04.000Z",
     *       "report": {
     *         "lines": 12,
     *         "accepted": 10,
     *         "rejected": 1,
     *         "blank": 1,
     *         "rejections": [
     *           {
     *             "line": 7,
     *             "reason": "/type must match pattern"
     *           }
     *         ]
     *       }
     *     }
     */
    Upload: {
      id: string;
      /** @enum {string} */
      status: 'pending' | 'processing' | 'completed' | 'rejected' | 'failed';
      size: number;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      uploadUrlExpiresAt?: string;
      /** Format: date-time */
      startedAt?: string;
      /** Format: date-time */
      completedAt?: string;
      failure?: string;
      report?: {
        lines: number;
        accepted: number;
        rejected: number;
        blank: number;
        rejections: {
          line: number;
          reason: string;
        }[];
        nextCursor?: string;
      };
    };
    /**
     * @description GET /v1/tenants/{tenantId}/webhook-keys.json: the public keys of the tenant's v1a webhook subscriptions that sign now (a rotation's overlap included), as a JSON Web Key Set (RFC 7517, Ed25519 keys as RFC 8037 OKP keys). Nothing else of a subscription is shown.
     * @example {
     *       "keys": [
     *         {
     *           "kty": "OKP",
     *           "crv": "Ed25519",
     *           "alg": "EdDSA",
     *           "use": "sig",
     *           "kid": "sub_01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC/2026-11-30T12:00:00.000Z",
     *           "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
     *         }
     *       ]
     *     }
     */
    WebhookKeySet: {
      keys: {
        /** @constant */
        kty: 'OKP';
        /** @constant */
        crv: 'Ed25519';
        /** @constant */
        alg: 'EdDSA';
        /** @constant */
        use: 'sig';
        /** @description The subscription's id and the key's creation time: <subscription id>/<createdAt> */
        kid: string;
        /** @description The raw 32-byte public key, base64url (the whpk_ key's bytes) */
        x: string;
      }[];
    };
    /**
     * @description The body of the webhook a subscriber receives (Standard Webhooks), taken from the stored event (delivery/webhook-message.ts); its headers are webhook-id, webhook-timestamp, webhook-signature.
     * @example {
     *       "id": "01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC",
     *       "type": "order.created",
     *       "timestamp": "2026-11-30T12:00:00.000Z",
     *       "subject": "order/42",
     *       "data": {
     *         "orderId": 42
     *       }
     *     }
     */
    WebhookPayload: {
      /** @description The event's id */
      id: string;
      /** @description The event's type */
      type: string;
      /**
       * Format: date-time
       * @description The event's time
       */
      timestamp: string;
      subject?: string;
      /** @description The event's data, as the producer sent it */
      data: unknown;
    };
  };
  responses: never;
  parameters: {
    /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
    CorrelationId: string;
  };
  requestBodies: never;
  headers: {
    /** @description Where the created resource (or the task started) is read. */
    Location: string;
    /** @description Seconds to wait before trying again. */
    'Retry-After': string;
    /** @description `true` when the request retried an earlier one with this Idempotency-Key: its events, sent again exactly as before (processing stores each once), are all queued, under the ids the earlier request answered. */
    'Idempotent-Replayed': 'true';
    /** @description What is left of each of the tenant's rate policies in the current window, and the seconds until it starts again (IETF httpapi draft "RateLimit header fields for HTTP", a Structured Field list): `"requests";r=<left>;t=<seconds>, "events";r=<left>;t=<seconds>`. */
    RateLimit: string;
    /** @description The tenant's rate policies (same draft): `"requests";q=<quota>;w=<window seconds>, "events";q=<quota>;w=<window seconds>`, a quota per window of the tenant's rate times the window. */
    'RateLimit-Policy': string;
    /** @description The RFC 6750 Bearer challenge, saying what is wrong with the token. */
    'WWW-Authenticate': string;
    /** @description The request's correlation id (the one sent, else the W3C traceparent's trace id, else a new one); every log line of the work the request causes carries it. */
    'X-Correlation-Id': string;
  };
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  listApiKeys: {
    parameters: {
      query?: {
        limit?: string;
        cursor?: string;
      };
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of keys, oldest first. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKeyPage'];
        };
      };
      /** @description The cursor is not one this API issued for this query. Problem type: `invalid-cursor`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (keys:read), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    /** @description POST /v1/api-keys (scope keys:write) */
    requestBody: {
      content: {
        'application/json': {
          name: string;
          /** @description Each one of the caller's own scopes, never tenants:admin */
          scopes: string[];
          /**
           * Format: date-time
           * @description When the key stops working; never when absent
           */
          expiresAt?: string;
          /**
           * @description The key's prefix, hk_live_ or hk_test_ (a label for the tenant: both reach the same data)
           * @default live
           * @enum {string}
           */
          environment?: 'live' | 'test';
        };
      };
    };
    responses: {
      /** @description The key, shown this once. */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedApiKey'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (keys:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A scope the caller does not have or no key may have (errors name /body/scopes/<i>), an expiry in the past. The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        keyId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The key (never the key itself). */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKey'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (keys:read), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such API key for this tenant (another tenant's key is not found either). Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  revokeApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        keyId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoked (or already). */
      204: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (keys:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such API key for this tenant (another tenant's key is not found either). Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listAuditEntries: {
    parameters: {
      query?: {
        /** @description Only entries of this action */
        action?:
          | 'subscription.created'
          | 'subscription.updated'
          | 'subscription.deleted'
          | 'subscription.paused'
          | 'subscription.resumed'
          | 'subscription.secret_rotated'
          | 'replay.started'
          | 'delivery.redelivered'
          | 'event_type.put'
          | 'event_type.deprecated'
          | 'api_key.created'
          | 'api_key.revoked'
          | 'tenant.created'
          | 'tenant.settings_updated'
          | 'tenant.suspended'
          | 'tenant.resumed'
          | 'tenant.deleted'
          | 'tenant.export_requested'
          | 'tenant.erasure_requested'
          | 'tenant.erasure_completed'
          | 'portal_token.created';
        /** @description Only entries about this kind of resource */
        resourceType?:
          'subscription' | 'replay' | 'delivery' | 'event_type' | 'api_key' | 'tenant' | 'portal_token';
        /** @description Only entries about this resource (with resourceType) */
        resourceId?: string;
        /** @description Only entries made by this subject (a JWT's sub, or key:<keyId>) */
        actor?: string;
        /** @description Only entries made at or after this time (RFC 3339, UTC) */
        since?: string;
        /** @description Only entries made at or before this time (RFC 3339, UTC) */
        until?: string;
        limit?: string;
        cursor?: string;
      };
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of entries, newest first. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AuditPage'];
        };
      };
      /** @description The cursor is not one this API issued for this query. Problem type: `invalid-cursor`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (audit:read), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  redeliver: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Queued. */
      202: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RedeliveryQueued'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such delivery for this tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Its subscription is gone or disabled. Problem types: `subscription-deleted`, `subscription-disabled`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getDestinationExternalId: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The ExternalId and the role path. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DestinationExternalId'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:read), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  confirmEmail: {
    parameters: {
      query: {
        /** @description The signed token of the link, as mailed. */
        token: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Confirmed (again: no change). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description The link is incomplete, forged, or not for this. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description The address unsubscribed. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description The link expired, or the subscription is gone or its address changed. */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
    };
  };
  showUnsubscribe: {
    parameters: {
      query: {
        /** @description The signed token of the link, as mailed. */
        token: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page whose button unsubscribes. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description The link has no token. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
    };
  };
  unsubscribeEmail: {
    parameters: {
      query: {
        /** @description The signed token of the link, as mailed. */
        token: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/x-www-form-urlencoded': {
          /** @constant */
          'List-Unsubscribe': 'One-Click';
        };
      };
    };
    responses: {
      /** @description Unsubscribed (or already, or the subscription is gone: nothing more is sent). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description The link is incomplete, forged, not for this, or the body is not the one-click form. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description The link expired. */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
    };
  };
  listEventTypes: {
    parameters: {
      query?: {
        limit?: string;
        cursor?: string;
      };
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page of event types. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EventTypePage'];
        };
      };
      /** @description The cursor is not one this API issued for this query. Problem type: `invalid-cursor`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (event-types:read), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getEventType: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        type: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The type. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EventType'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (event-types:read), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such event type for this tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  putEventType: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        type: components['schemas']['EventTypeName'];
      };
      cookie?: never;
    };
    /** @description PUT /v1/event-types/{type}: create or replace an event type. The schema's own rules (size, keywords, references, formats, patterns) are checked by the function (src/event-schemas.ts). */
    requestBody: {
      content: {
        'application/json': {
          description: string;
          /** @description A JSON Schema (a subset of draft 2020-12) that each event's data must match. */
          schema?:
            | {
                [key: string]: unknown;
              }
            | boolean;
          /** @description Example data; each must match the schema when both are given. */
          examples?: unknown[];
          deprecated?: boolean;
          replacedBy?: components['schemas']['EventTypeName'];
        };
      };
    };
    responses: {
      /** @description The type as stored, with its version. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EventType'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (event-types:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The tenant has as many event types as it may. Problem type: `quota-exceeded`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The schema breaks a rule (errors name /body/schema<pointer>), or an example does not match it (/body/examples/<i><pointer>). The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listEvents: {
    parameters: {
      query?: {
        type?: string;
        since?: string;
        until?: string;
        limit?: string;
        cursor?: string;
      };
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page of events. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EventPage'];
        };
      };
      /** @description The cursor is not one this API issued for this query. Problem type: `invalid-cursor`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (events:read), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Parameters that make no sense together (since after until, a time no instant has). The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  sendEvents: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes a retry answer with the ids of the first request (1-255 visible ASCII characters, bare or quoted); kept a day, per tenant. */
        'Idempotency-Key'?: string;
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    /** @description POST /v1/events: one event, or { events: [...] } of up to 100. */
    requestBody: {
      content: {
        'application/json':
          | {
              events: components['schemas']['EventInput'][];
            }
          | components['schemas']['EventInput'];
      };
    };
    responses: {
      /** @description Every event is queued. */
      202: {
        headers: {
          'Idempotent-Replayed': components['headers']['Idempotent-Replayed'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AcceptedEvents'];
        };
      };
      /** @description Some events were not confirmed: retry those marked retryable, with their ids. */
      207: {
        headers: {
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PartiallyAcceptedEvents'];
        };
      };
      /** @description The Idempotency-Key is not one. The body is not JSON. Problem types: `invalid-idempotency-key`, `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (events:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An event is larger than 255 KiB once signed (errors name each). The body is larger than the route takes. Problem types: `event-too-large`, `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A value Herald cannot carry exactly (I-JSON) or that breaks its event type's schema (errors name /body/events/<i>/data<pointer> and the keyword), a key reused with another body, or events the queue refused for good (listed). The request breaks its schema (`errors` name each value by JSON pointer). Problem types: `idempotency-key-reused`, `events-refused`, `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the tenant's requests or events a second (`quota` names which, `limit` its value a second, `current` the window's count, `requested` what the request asked): nothing of the request was accepted, a batch refused whole (`refusedWhole`). Retry after `Retry-After` seconds; a batch larger than a whole window's events never fits and must be split. Over the stage's request rate (API Gateway's throttling, on a deployed stage). Problem type: `rate-limited`. */
      429: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No event was confirmed, each for a passing reason: retry with the same key or ids (listed). Or the rate limits could not be counted: nothing was accepted. Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getEvent: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The event. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StoredEvent'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (events:read), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No event of this id for this tenant (absent, expired and another tenant's look the same). Problem type: `event-not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listEventDeliveries: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The event's deliveries (maybe none). */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EventDeliveries'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:read), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listDeadLetterQueues: {
    parameters: {
      query?: {
        sample?: string;
      };
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The queues. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeadLetterQueues'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (operator:dead-letters), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  peekDeadLetters: {
    parameters: {
      query?: {
        sample?: string;
      };
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        queue: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The queue and the sample. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeadLetterPeek'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (operator:dead-letters), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No dead-letter queue of that id in this service (the detail lists the ids it has). Problem type: `dead-letter-queue-not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listRedriveTasks: {
    parameters: {
      query?: {
        sample?: string;
      };
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        queue: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The queue's message move tasks, newest first. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RedriveTasks'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (operator:dead-letters), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No dead-letter queue of that id in this service (the detail lists the ids it has). Problem type: `dead-letter-queue-not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  redriveDeadLetters: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        queue: string;
      };
      cookie?: never;
    };
    /** @description POST /v1/operator/dead-letters/{queue}/redrive, with an optional rate limit */
    requestBody?: {
      content: {
        'application/json': {
          maxMessagesPerSecond?: number;
        };
      };
    };
    responses: {
      /** @description What this pass sent again and kept; `finished: false`: call again. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RedriveReport'];
        };
      };
      /** @description The move task started; GET …/redrive follows it. */
      202: {
        headers: {
          Location: components['headers']['Location'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RedriveStarted'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (operator:dead-letters), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No dead-letter queue of that id in this service (the detail lists the ids it has). Problem type: `dead-letter-queue-not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A redrive of the queue is already running, or SQS does not take it as the dead-letter queue of its source. Problem types: `redrive-running`, `not-a-dead-letter-queue`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createPortalToken: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    /** @description POST /v1/portal-tokens (scope keys:write) */
    requestBody?: {
      content: {
        'application/json': {
          /** @description Each one of the caller's own scopes; the caller's read scopes when absent */
          scopes?: string[];
          /** @default 900 */
          ttlSeconds?: number;
        } | null;
      };
    };
    responses: {
      /** @description The token, shown this once. */
      201: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PortalToken'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (keys:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A scope the caller does not have or a portal token may not have. The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getStats: {
    parameters: {
      query?: {
        /** @description The last hour in one-minute buckets (the default), or the last day in one-hour buckets */
        window?: '1h' | '24h';
      };
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The overview. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Overview'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:read), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listSubscriptions: {
    parameters: {
      query?: {
        limit?: string;
        cursor?: string;
      };
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page of subscriptions. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SubscriptionPage'];
        };
      };
      /** @description The cursor is not one this API issued for this query. Problem type: `invalid-cursor`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:read), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createSubscription: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    /** @description POST /v1/subscriptions: a webhook (url), an e-mail (email) or an AWS destination (destination) subscription; the logic refuses more than one or none with a clear message. rateLimit: deliveries per second at most (the stage default when absent; the logic refuses more than the stage maximum) */
    requestBody: {
      content: {
        'application/json': {
          url?: string;
          /** Format: email */
          email?: string;
          /** @description An AWS destination: an SQS queue, SNS topic, EventBridge event bus or Kinesis stream (arn), reached by assuming roleArn, a role under the stage's path prefix whose trust policy names Herald's delivery role and the tenant's ExternalId (GET /v1/destinations/external-id). */
          destination?: {
            arn: string;
            roleArn: string;
          };
          eventTypes: string[];
          /** @description A content filter: an EventBridge event pattern over the event's type, source, subject and data (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html). An event is delivered when it matches one of eventTypes and the filter. At most 4096 bytes, 100 values, objects 8 deep and 16 $or combinations. */
          filter?: {
            [key: string]: unknown;
          };
          /** @description Headers sent with every attempt of a webhook subscription: a value, or { value, secret: true } for one kept encrypted like the signing secret and never shown again. At most 20; names are RFC 9110 tokens (case-insensitive) other than webhook-*, content-*, host, hop-by-hop ones, expect, user-agent and x-correlation-id; values are visible ASCII (spaces and tabs inside), at most 1024 characters. */
          headers?: {
            [key: string]:
              | string
              | {
                  value: string;
                  /** @constant */
                  secret: true;
                };
          };
          /** @description How long an attempt waits for the receiver's answer, in seconds (the stage's default when absent; at most the stage's maximum). */
          timeoutSeconds?: number;
          rateLimit?: number;
          /**
           * @description subject: the events of one subject are delivered one at a time, in the order Herald stored them; a later one waits until the one before it succeeded or failed for good (its retries exhausted). Events without a subject are not held. none (the default): every event goes as soon as it is dispatched.
           * @enum {string}
           */
          ordering?: 'none' | 'subject';
          description?: string;
          /**
           * @description How a webhook subscription's deliveries are signed (Standard Webhooks): v1 (the default), HMAC-SHA256 with a whsec_ secret shown once; v1a, Ed25519, Herald keeping the private key and answering the public key (whpk_), also published at GET /v1/tenants/{tenantId}/webhook-keys.json. Chosen at creation: PATCH cannot change it (make a new subscription).
           * @enum {string}
           */
          signatureScheme?: 'v1' | 'v1a';
        };
      };
    };
    responses: {
      /** @description The subscription. */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedSubscription'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The tenant has as many subscriptions as it may, or others were created at the same time (try again). Problem types: `quota-exceeded`, `concurrent-change`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A URL or address the policy refuses, a rate or timeout above the maximum, more than one or none of url, email and destination, an AWS destination whose ARNs are refused (errors name the bad part), whose role could not be assumed (the errors list what to check) or whose target refused a test message, a content filter refused (errors name /body/filter<pointer> and the reason), a header that cannot be set (errors name /body/headers/<name>), headers or a timeout on an e-mail subscription. The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getSubscription: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The subscription. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Subscription'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:read), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such subscription for this tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteSubscription: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted. */
      204: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such subscription for this tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  updateSubscription: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description PATCH /v1/subscriptions/{id}: JSON merge patch of url, email, eventTypes, filter, headers, timeoutSeconds, rateLimit, ordering, description (null removes filter, description or timeoutSeconds, and in headers a header) */
    requestBody: {
      content: {
        'application/json': {
          url?: string;
          /** Format: email */
          email?: string;
          eventTypes?: string[];
          /** @description A content filter: an EventBridge event pattern over the event's type, source, subject and data (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html). An event is delivered when it matches one of eventTypes and the filter. At most 4096 bytes, 100 values, objects 8 deep and 16 $or combinations. null removes it. */
          filter?: {
            [key: string]: unknown;
          } | null;
          /** @description Headers sent with every attempt of a webhook subscription: a value, or { value, secret: true } for one kept encrypted like the signing secret and never shown again. At most 20; names are RFC 9110 tokens (case-insensitive) other than webhook-*, content-*, host, hop-by-hop ones, expect, user-agent and x-correlation-id; values are visible ASCII (spaces and tabs inside), at most 1024 characters. In PATCH, names given replace those headers, null removes one, and { secret: true } without a value keeps a secret one as it is; names not given stay. */
          headers?: {
            [key: string]:
              | string
              | {
                  value?: string;
                  /** @constant */
                  secret: true;
                }
              | null;
          };
          /** @description How long an attempt waits for the receiver's answer, in seconds (the stage's default when absent; at most the stage's maximum). null returns to the default. */
          timeoutSeconds?: number | null;
          rateLimit?: number;
          /**
           * @description subject: the events of one subject are delivered one at a time, in the order Herald stored them; a later one waits until the one before it succeeded or failed for good (its retries exhausted). Events without a subject are not held. none (the default): every event goes as soon as it is dispatched.
           * @enum {string}
           */
          ordering?: 'none' | 'subject';
          description?: string | null;
        };
      };
    };
    responses: {
      /** @description The subscription as changed. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Subscription'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such subscription for this tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A url, headers or a timeout for an e-mail subscription, or an email for a webhook one. Problem type: `wrong-subscription-kind`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A URL or address the policy refuses, a rate or timeout above the maximum, a content filter refused (errors name /body/filter<pointer>), a header that cannot be set (errors name /body/headers/<name>). The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listDeliveries: {
    parameters: {
      query?: {
        limit?: string;
        cursor?: string;
      };
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page of deliveries, each with its attempts. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeliveryPage'];
        };
      };
      /** @description The cursor is not one this API issued for this query. Problem type: `invalid-cursor`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:read), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such subscription for this tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  pauseSubscription: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The subscription, paused. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Subscription'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such subscription for this tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Disabled (resume it), pending or unsubscribed. Problem types: `subscription-disabled`, `not-confirmed`, `unsubscribed`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  replay: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description POST /v1/subscriptions/{id}/replay: re-deliver the stored events since a time (until now, or until); with dryRun, only count them */
    requestBody: {
      content: {
        'application/json': {
          /** Format: date-time */
          since: string;
          /** Format: date-time */
          until?: string;
          /** @description Only count the events the replay would send: no replay starts, nothing counts toward the limits */
          dryRun?: boolean;
        };
      };
    };
    responses: {
      /** @description A dry run: how many events the replay would send. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReplayPreview'];
        };
      };
      /** @description The replay started. */
      202: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReplayAccepted'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such subscription for this tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A replay of the subscription is running, the tenant runs as many as it may, or others started at the same time. Problem types: `replay-running`, `quota-exceeded`, `concurrent-change`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A window longer than the maximum, or older than the retention. The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  resendConfirmation: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The subscription, with when the mail went out. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Subscription'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such subscription for this tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not a pending e-mail subscription. Problem type: `not-pending`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Once a minute at most. Over the stage's request rate (API Gateway's throttling, on a deployed stage). Problem type: `too-many-requests`. */
      429: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The mail could not be sent. Authentication is unavailable for a moment (the key set cannot be read). Problem types: `mail-not-sent`, `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  resumeSubscription: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The subscription, active. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Subscription'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such subscription for this tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Pending or unsubscribed, or changed meanwhile (try again). Problem types: `not-confirmed`, `unsubscribed`, `concurrent-change`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  rotateSubscriptionSecret: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    /** @description POST /v1/subscriptions/{id}/rotate-secret: optional grace period for the replaced secret(s) */
    requestBody?: {
      content: {
        'application/json': {
          gracePeriodSeconds?: number;
        };
      };
    };
    responses: {
      /** @description The new secret, this once (a v1a subscription's new public key instead). */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RotatedSecret'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such subscription for this tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description An e-mail subscription (it has no secret), or rotated at the same time (try again). Problem types: `wrong-subscription-kind`, `concurrent-rotation`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  testSubscriptionDestination: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description What the test found. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DestinationTest'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such subscription for this tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not an AWS destination subscription. Problem type: `wrong-subscription-kind`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  testFilter: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    /** @description POST /v1/subscriptions/test-filter: which of the tenant's newest stored events (since a time within the retention, at most limit of them) a content filter and optional event types match */
    requestBody: {
      content: {
        'application/json': {
          /** @description A content filter: an EventBridge event pattern over the event's type, source, subject and data (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html). An event is delivered when it matches one of eventTypes and the filter. At most 4096 bytes, 100 values, objects 8 deep and 16 $or combinations. */
          filter: {
            [key: string]: unknown;
          };
          eventTypes?: string[];
          /**
           * Format: date-time
           * @description Oldest stored time to read (default: the retention period)
           */
          since?: string;
          /** @description How many of the newest events to read (default 100) */
          limit?: number;
        };
      };
    };
    responses: {
      /** @description The matching events and how many were read. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FilterTest'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (subscriptions:read), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A filter the engine refuses or over a bound (errors name /body/filter<pointer> and the reason), a bad event type, a since in the future. The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getOwnTenant: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The tenant. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Tenant'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  startSubjectErasure: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    /** @description POST /v1/tenant/erasures (scope tenant:erase) */
    requestBody: {
      content: {
        'application/json': {
          /** @description The envelope `subject` whose events are erased everywhere (events, their deliveries, what was derived from them), as the events carried it; no control characters */
          subject: string;
        };
      };
    };
    responses: {
      /** @description Asked; pending. */
      202: {
        headers: {
          Location: components['headers']['Location'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SubjectErasureRequest'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (tenant:erase), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Ten erasures of the tenant are running already. Problem type: `quota-exceeded`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getSubjectErasure: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        requestId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The erasure. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SubjectErasure'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (tenant:erase), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such erasure for this tenant (another tenant's is not found either). Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  startTenantExport: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    /** @description POST /v1/tenant/export (scope tenant:export): no body, or an empty one */
    requestBody?: {
      content: {
        'application/json': Record<string, never> | null;
      };
    };
    responses: {
      /** @description Asked; pending. */
      202: {
        headers: {
          Location: components['headers']['Location'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantExportRequest'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (tenant:export), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Two exports of the tenant are running already. Problem type: `quota-exceeded`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getTenantExport: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        exportId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The export. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantExport'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (tenant:export), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such export for this tenant (another tenant's is not found either). Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listTenants: {
    parameters: {
      query?: {
        limit?: string;
        cursor?: string;
      };
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of tenants. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TenantPage'];
        };
      };
      /** @description The cursor is not one this API issued for this query. Problem type: `invalid-cursor`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (tenants:admin), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createTenant: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    /** @description POST /v1/tenants (scope tenants:admin) */
    requestBody: {
      content: {
        'application/json': {
          /** @description The tenant id tokens carry in their tenant claim */
          id: string;
          name?: string;
          /** @description A tenant's settings; each one left out takes the stage's default */
          settings?: {
            /** @description Per-tenant limits (a missing one takes the stage's default) */
            limits?: {
              /** @description ingest: requests a second */
              ingestRequestsPerSecond?: number;
              /** @description ingest: events a second (a batch of 100 counts 100) */
              ingestEventsPerSecond?: number;
              /** @description notifications: subscriptions, whatever their status */
              maxSubscriptions?: number;
              /** @description notifications: replays running at once */
              maxConcurrentReplays?: number;
              /** @description ingest: bytes uploaded (NDJSON) per UTC day */
              uploadBytesPerDay?: number;
              /** @description notifications: e-mails sent per UTC day */
              dailyEmailCap?: number;
            };
            /** @description Days stored events and delivery history are kept (at most the stage's) */
            retentionDays?: number;
            /** @description Destination kinds the tenant may subscribe with; all when absent */
            allowedDestinations?: ('webhook' | 'email' | 'aws')[];
          };
        };
      };
    };
    responses: {
      /** @description The tenant. */
      201: {
        headers: {
          Location: components['headers']['Location'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Tenant'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (tenants:admin), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description A tenant of this id exists (deleted ones too). Problem type: `tenant-exists`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getTenant: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The tenant. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Tenant'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (tenants:admin), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteTenant: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted (or already). */
      204: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (tenants:admin), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  updateTenant: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    /** @description PATCH /v1/tenants/{tenantId} (scope tenants:admin): a JSON merge patch of name and settings; settings given replace each of its members given (limits merge by limit), null removes one */
    requestBody: {
      content: {
        'application/json': {
          name?: string;
          settings?: {
            limits?: {
              ingestRequestsPerSecond?: number | null;
              ingestEventsPerSecond?: number | null;
              maxSubscriptions?: number | null;
              maxConcurrentReplays?: number | null;
              uploadBytesPerDay?: number | null;
              dailyEmailCap?: number | null;
            } | null;
            retentionDays?: number | null;
            allowedDestinations?: ('webhook' | 'email' | 'aws')[] | null;
          };
        };
      };
    };
    responses: {
      /** @description The tenant as changed. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Tenant'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (tenants:admin), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant is deleted. Problem type: `tenant-deleted`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  resumeTenant: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The tenant, active. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Tenant'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (tenants:admin), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant is deleted. Problem type: `tenant-deleted`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  suspendTenant: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The tenant, suspended. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Tenant'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (tenants:admin), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The tenant is deleted. Problem type: `tenant-deleted`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getWebhookKeys: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The tenant's id, as its tokens carry it. */
        tenantId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The key set. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookKeySet'];
        };
      };
      /** @description No key to show: the tenant has no v1a subscription, or there is no such tenant (the answer does not say which). Problem type: `not-found`. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). Problem type: `about:blank`. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createUpload: {
    parameters: {
      query?: never;
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path?: never;
      cookie?: never;
    };
    /** @description POST /v1/uploads: the size of the NDJSON file to come, bound into the presigned URL. The stage's maximum is checked by the function. */
    requestBody: {
      content: {
        'application/json': {
          size: number;
        };
      };
    };
    responses: {
      /** @description The upload, and where and how to PUT the file. */
      201: {
        headers: {
          Location: components['headers']['Location'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedUpload'];
        };
      };
      /** @description The body is not JSON. Problem type: `malformed-json`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (events:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The declared size would take the tenant past its upload bytes of the UTC day (`quota`: `uploadBytesPerDay`, `limit`, `current`, `requested`); nothing was recorded. Problem type: `quota-exceeded`. */
      409: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is larger than the route takes. Problem type: `payload-too-large`. */
      413: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The body is not application/json. Problem type: `unsupported-media-type`. */
      415: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The size is over the stage's maximum. The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the tenant's requests a second: nothing was recorded. Retry after `Retry-After` seconds. Over the stage's request rate (API Gateway's throttling, on a deployed stage). Problem type: `rate-limited`. */
      429: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          RateLimit: components['headers']['RateLimit'];
          'RateLimit-Policy': components['headers']['RateLimit-Policy'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The limits could not be counted: nothing was recorded; retry. Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getUpload: {
    parameters: {
      query?: {
        cursor?: string;
      };
      header?: {
        /** @description A correlation id to carry through every log line of the work the request causes (else the W3C traceparent's trace id, else a new one). */
        'X-Correlation-Id'?: components['parameters']['CorrelationId'];
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The upload; once read, its report with a page of rejected lines. */
      200: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Upload'];
        };
      };
      /** @description The cursor is not one this API issued for this query. Problem type: `invalid-cursor`. */
      400: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description A credential that is malformed, expired, not yet valid, revoked, unknown, or not for this API (the function answers the tenants authorizer's verdict). No Authorization header: API Gateway answers before any function, with its own JSON body. Problem type: `unauthorized`. */
      401: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Unauthorized"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description The credential lacks a scope the route needs (events:write), or its tenant is suspended or unknown (`forbidden`). API Gateway answers with its own JSON body if the authorizer refuses outright. Problem types: `insufficient-scope`, `forbidden`. */
      403: {
        headers: {
          'WWW-Authenticate': components['headers']['WWW-Authenticate'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Forbidden"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description No such upload for this tenant. Problem type: `not-found`. */
      404: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description The request breaks its schema (`errors` name each value by JSON pointer). Problem type: `validation-failed`. */
      422: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Over the stage's request rate (API Gateway's throttling, on a deployed stage). */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "message": "Too Many Requests"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description An unexpected failure (nothing about it is shown). The authorizer failed or did not answer in time (API Gateway's own JSON body). Problem type: `about:blank`. */
      500: {
        headers: {
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
          /**
           * @example {
           *       "message": "Internal Server Error"
           *     }
           */
          'application/json': components['schemas']['GatewayMessage'];
        };
      };
      /** @description Authentication is unavailable for a moment (the key set cannot be read). Problem type: `about:blank`. */
      503: {
        headers: {
          'Retry-After': components['headers']['Retry-After'];
          'X-Correlation-Id': components['headers']['X-Correlation-Id'];
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  receiveEvent: {
    parameters: {
      query?: never;
      header: {
        /** @description Stable per event and subscription: the key to drop copies by. */
        'webhook-id': string;
        /** @description When this attempt was signed, in Unix seconds. */
        'webhook-timestamp': string;
        /** @description One `v1,<base64 HMAC-SHA256>` per active secret, separated by spaces (two while a rotation's grace period runs). */
        'webhook-signature': string;
        /** @description The correlation id of the request that sent the event (or started the redelivery or replay). */
        'x-correlation-id': string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['WebhookPayload'];
      };
    };
    responses: {
      /** @description Any 2xx answer: delivered. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Gone: the subscription is disabled and nothing more is sent to it. */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Any other answer, or none in time: retried on the schedule, with the same webhook-id and body; a subscription failing for long is disabled. */
      default: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
}
