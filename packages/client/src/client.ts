/**
 * createHeraldClient: Herald's HTTP APIs as typed methods. Every method throws a HeraldProblem for
 * an answer that is not a 2xx and a HeraldNetworkError when no answer came; listings are async
 * iterators that follow the API's cursors.
 */
import type { components, operations, paths } from './herald-api.generated';
import { paginate, type Page } from './paginate';
import { sendEvents, type EventInput, type SendEventsOptions, type SendEventsResult } from './send-events';
import { createTransport, unwrap, type ClientOptions, type ServiceName } from './transport';
import { uploadNdjson, type Upload, type UploadOptions, type UploadSource } from './upload';

type Schemas = components['schemas'];
type JsonBody<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type StoredEvent = Schemas['StoredEvent'];
export type Subscription = Schemas['Subscription'];
export type CreatedSubscription = Schemas['CreatedSubscription'];
export type Delivery = Schemas['Delivery'];
export type EventDeliveries = Schemas['EventDeliveries'];
export type Overview = Schemas['Overview'];
export type OverviewSubscription = Schemas['OverviewSubscription'];
export type ReplayAccepted = Schemas['ReplayAccepted'];
export type ReplayPreview = Schemas['ReplayPreview'];
export type FilterTest = Schemas['FilterTest'];
/** A content filter to try (`filter`, `eventTypes?`, `since?`, `limit?`); see subscriptions.testFilter. */
export type FilterTestRequest = JsonBody<'/v1/subscriptions/test-filter', 'post'>;
export type EventType = Schemas['EventType'];
/** What PUT /v1/event-types/{type} takes: the whole type (a field left out is removed). */
export type EventTypeDefinition = JsonBody<'/v1/event-types/{type}', 'put'>;
export type NewSubscription = JsonBody<'/v1/subscriptions', 'post'>;
export type SubscriptionChange = JsonBody<'/v1/subscriptions/{id}', 'patch'>;
/** A replay's window (`since`, `until?`); previewReplay asks for the dry run. */
export type ReplayWindow = Omit<JsonBody<'/v1/subscriptions/{id}/replay', 'post'>, 'dryRun'>;

export type Tenant = Schemas['Tenant'];
export type TenantSettings = Schemas['TenantSettings'];
export type ApiKey = Schemas['ApiKey'];
export type CreatedApiKey = Schemas['CreatedApiKey'];
export type PortalToken = Schemas['PortalToken'];
export type AuditEntry = Schemas['AuditEntry'];
export type TenantExportRequest = Schemas['TenantExportRequest'];
export type TenantExport = Schemas['TenantExport'];
export type SubjectErasureRequest = Schemas['SubjectErasureRequest'];
export type SubjectErasure = Schemas['SubjectErasure'];
/** What POST /v1/tenants takes: the id tokens carry in their tenant claim, a name, settings. */
export type NewTenant = JsonBody<'/v1/tenants', 'post'>;
/** A JSON merge patch of a tenant's name and settings (null removes a member). */
export type TenantChange = JsonBody<'/v1/tenants/{tenantId}', 'patch'>;
/** A new API key: its name, scopes (of the caller's own), expiry and environment (live or test). */
export type NewApiKey = JsonBody<'/v1/api-keys', 'post'>;
/** A portal token's scopes (the caller's read scopes when absent) and lifetime in seconds. */
export type PortalTokenRequest = NonNullable<JsonBody<'/v1/portal-tokens', 'post'>>;
type AuditQueryOf<Q> = Q extends { parameters: { query?: infer P } } ? NonNullable<P> : never;
/** GET /v1/audit's filters (action, resourceType, resourceId, actor, since, until), and pageSize. */
export type AuditQuery = Omit<AuditQueryOf<operations['listAuditEntries']>, 'limit' | 'cursor'> & {
  /** Entries per page (1-100, 50 by default), not in all. */
  pageSize?: number;
};

export interface ListEventsQuery {
  type?: string;
  /** RFC 3339, inclusive, compared with when the event was received. */
  since?: string;
  /** RFC 3339, exclusive. */
  until?: string;
  /** Events per page (1-100), not in all. */
  pageSize?: number;
}

/** The services that keep dead-letter queues of their own. */
export type DeadLetterService = Extract<ServiceName, 'processing' | 'notifications'>;

const pageSize = (size: number | undefined) => (size === undefined ? {} : { limit: String(size) });
const cursorOf = (cursor: string | undefined) => (cursor === undefined ? {} : { cursor });
/** The tenants service's key and tenant pages name their cursor `next`; the others `nextCursor`. */
const nextPage = async <T>(page: Promise<{ items: T[]; next?: string }>): Promise<Page<T>> => {
  const { items, next } = await page;
  return next === undefined ? { items } : { items, nextCursor: next };
};

export function createHeraldClient(options: ClientOptions) {
  const transport = createTransport(options);
  const { ingest, processing, notifications, tenants } = transport.api;
  const subscriptionPath = (id: string) => ({ params: { path: { id } } });
  const tenantPath = (tenantId: string) => ({ params: { path: { tenantId } } });
  const keyPath = (keyId: string) => ({ params: { path: { keyId } } });
  const deadLetterApi = (service: DeadLetterService) =>
    service === 'processing' ? processing : notifications;

  return {
    /** Sends events in batches of up to 100, retrying what may succeed; see SendEventsOptions. */
    sendEvents: (events: readonly EventInput[], sendOptions?: SendEventsOptions): Promise<SendEventsResult> =>
      sendEvents(transport, events, sendOptions),

    /** Uploads an NDJSON file and waits for its report. */
    uploadNdjson: (file: UploadSource, uploadOptions?: UploadOptions): Promise<Upload> =>
      uploadNdjson(transport, file, uploadOptions),

    uploads: {
      get: (id: string) =>
        unwrap(ingest.GET('/v1/uploads/{id}', { params: { path: { id } } }), {
          method: 'GET',
          path: `/v1/uploads/${id}`,
        }),
    },

    eventTypes: {
      /** Creates or replaces the type; answers it as stored, with its version. */
      put: (type: string, definition: EventTypeDefinition) =>
        unwrap(ingest.PUT('/v1/event-types/{type}', { params: { path: { type } }, body: definition }), {
          method: 'PUT',
          path: `/v1/event-types/${type}`,
        }),
      get: (type: string) =>
        unwrap(ingest.GET('/v1/event-types/{type}', { params: { path: { type } } }), {
          method: 'GET',
          path: `/v1/event-types/${type}`,
        }),
      /** The tenant's event types, by name. */
      list: (query: { pageSize?: number } = {}): AsyncGenerator<EventType> =>
        paginate((cursor) =>
          unwrap(
            ingest.GET('/v1/event-types', {
              params: { query: { ...pageSize(query.pageSize), ...cursorOf(cursor) } },
            }),
            { method: 'GET', path: '/v1/event-types' },
          ),
        ),
    },

    events: {
      /** The tenant's events, newest first. */
      list: (query: ListEventsQuery = {}): AsyncGenerator<StoredEvent> => {
        const { pageSize: size, ...filters } = query;
        return paginate((cursor) =>
          unwrap(
            processing.GET('/v1/events', {
              params: { query: { ...filters, ...pageSize(size), ...cursorOf(cursor) } },
            }),
            {
              method: 'GET',
              path: '/v1/events',
            },
          ),
        );
      },
      get: (id: string) =>
        unwrap(processing.GET('/v1/events/{id}', { params: { path: { id } } }), {
          method: 'GET',
          path: `/v1/events/${id}`,
        }),
    },

    subscriptions: {
      create: (subscription: NewSubscription) =>
        unwrap(notifications.POST('/v1/subscriptions', { body: subscription }), {
          method: 'POST',
          path: '/v1/subscriptions',
        }),
      list: (query: { pageSize?: number } = {}): AsyncGenerator<Subscription> =>
        paginate((cursor) =>
          unwrap(
            notifications.GET('/v1/subscriptions', {
              params: { query: { ...pageSize(query.pageSize), ...cursorOf(cursor) } },
            }),
            {
              method: 'GET',
              path: '/v1/subscriptions',
            },
          ),
        ),
      get: (id: string) =>
        unwrap(notifications.GET('/v1/subscriptions/{id}', subscriptionPath(id)), {
          method: 'GET',
          path: `/v1/subscriptions/${id}`,
        }),
      update: (id: string, change: SubscriptionChange) =>
        unwrap(notifications.PATCH('/v1/subscriptions/{id}', { ...subscriptionPath(id), body: change }), {
          method: 'PATCH',
          path: `/v1/subscriptions/${id}`,
        }),
      delete: async (id: string): Promise<void> => {
        await unwrap(notifications.DELETE('/v1/subscriptions/{id}', subscriptionPath(id)), {
          method: 'DELETE',
          path: `/v1/subscriptions/${id}`,
        });
      },
      pause: (id: string) =>
        unwrap(notifications.POST('/v1/subscriptions/{id}/pause', subscriptionPath(id)), {
          method: 'POST',
          path: `/v1/subscriptions/${id}/pause`,
        }),
      resume: (id: string) =>
        unwrap(notifications.POST('/v1/subscriptions/{id}/resume', subscriptionPath(id)), {
          method: 'POST',
          path: `/v1/subscriptions/${id}/resume`,
        }),
      rotateSecret: (id: string, rotation: { gracePeriodSeconds?: number } = {}) =>
        unwrap(
          notifications.POST('/v1/subscriptions/{id}/rotate-secret', {
            ...subscriptionPath(id),
            body: rotation,
          }),
          {
            method: 'POST',
            path: `/v1/subscriptions/${id}/rotate-secret`,
          },
        ),
      resendConfirmation: (id: string) =>
        unwrap(notifications.POST('/v1/subscriptions/{id}/resend-confirmation', subscriptionPath(id)), {
          method: 'POST',
          path: `/v1/subscriptions/${id}/resend-confirmation`,
        }),
      replay: async (id: string, window: ReplayWindow): Promise<ReplayAccepted> =>
        // Without dryRun the route answers 202 with the replay, never the dry run's 200.
        (await unwrap(
          notifications.POST('/v1/subscriptions/{id}/replay', { ...subscriptionPath(id), body: window }),
          {
            method: 'POST',
            path: `/v1/subscriptions/${id}/replay`,
          },
        )) as ReplayAccepted,
      /** How many stored events a replay of the window would send, without starting it. */
      previewReplay: async (id: string, window: ReplayWindow): Promise<ReplayPreview> =>
        (await unwrap(
          notifications.POST('/v1/subscriptions/{id}/replay', {
            ...subscriptionPath(id),
            body: { ...window, dryRun: true },
          }),
          {
            method: 'POST',
            path: `/v1/subscriptions/${id}/replay`,
          },
        )) as ReplayPreview,
      /**
       * Which of the tenant's newest stored events (100 at most) a content filter, and the event
       * types if given, would match: the matched ones, how many were read, whether older ones were left.
       */
      testFilter: (request: FilterTestRequest): Promise<FilterTest> =>
        unwrap(notifications.POST('/v1/subscriptions/test-filter', { body: request }), {
          method: 'POST',
          path: '/v1/subscriptions/test-filter',
        }),
      /** An AWS destination's test connection, run again: the role assumed, a signed test message sent. */
      testConnection: (id: string) =>
        unwrap(notifications.POST('/v1/subscriptions/{id}/test', subscriptionPath(id)), {
          method: 'POST',
          path: `/v1/subscriptions/${id}/test`,
        }),
      /** A subscription's deliveries, newest first, each with its attempts. */
      deliveries: (id: string, query: { pageSize?: number } = {}): AsyncGenerator<Delivery> =>
        paginate((cursor) =>
          unwrap(
            notifications.GET('/v1/subscriptions/{id}/deliveries', {
              params: { path: { id }, query: { ...pageSize(query.pageSize), ...cursorOf(cursor) } },
            }),
            { method: 'GET', path: `/v1/subscriptions/${id}/deliveries` },
          ),
        ),
    },

    destinations: {
      /** The tenant's ExternalId, the role path and the principals an AWS destination's role must trust. */
      externalId: () =>
        unwrap(notifications.GET('/v1/destinations/external-id'), {
          method: 'GET',
          path: '/v1/destinations/external-id',
        }),
    },

    deliveries: {
      /**
       * An event's deliveries, one per subscription of the tenant it reached (those of deleted
       * subscriptions are not listed; an unknown event id gives none).
       */
      ofEvent: (eventId: string): Promise<EventDeliveries> =>
        unwrap(notifications.GET('/v1/events/{id}/deliveries', { params: { path: { id: eventId } } }), {
          method: 'GET',
          path: `/v1/events/${eventId}/deliveries`,
        }),
      /** Sends one delivery again (same webhook-id). */
      redeliver: (deliveryId: string) =>
        unwrap(
          notifications.POST('/v1/deliveries/{id}/redeliver', { params: { path: { id: deliveryId } } }),
          {
            method: 'POST',
            path: `/v1/deliveries/${deliveryId}/redeliver`,
          },
        ),
    },

    /**
     * The tenant's delivery overview over the last hour (one-minute buckets, the default) or day
     * (one-hour buckets): totals, latency p50/p99, a time series, each subscription failing first.
     */
    overview: (window: '1h' | '24h' = '1h'): Promise<Overview> =>
      unwrap(notifications.GET('/v1/stats', { params: { query: { window } } }), {
        method: 'GET',
        path: '/v1/stats',
      }),

    /** The caller's own tenant and its settings (any authenticated caller). */
    tenant: {
      get: (): Promise<Tenant> => unwrap(tenants.GET('/v1/tenant'), { method: 'GET', path: '/v1/tenant' }),
      /** Asks every service to export the tenant's data as NDJSON (scope tenant:export); then getExport. */
      startExport: (): Promise<TenantExportRequest> =>
        unwrap(tenants.POST('/v1/tenant/export'), { method: 'POST', path: '/v1/tenant/export' }),
      /** Pending (which services answered), or ready with a presigned GET URL per file (15 minutes). */
      getExport: (exportId: string): Promise<TenantExport> =>
        unwrap(tenants.GET('/v1/tenant/exports/{exportId}', { params: { path: { exportId } } }), {
          method: 'GET',
          path: `/v1/tenant/exports/${exportId}`,
        }),
      /** Asks every service to erase the events of one envelope subject (scope tenant:erase). */
      eraseSubject: (subject: string): Promise<SubjectErasureRequest> =>
        unwrap(tenants.POST('/v1/tenant/erasures', { body: { subject } }), {
          method: 'POST',
          path: '/v1/tenant/erasures',
        }),
      /** Pending, or done with what each service erased. */
      getErasure: (requestId: string): Promise<SubjectErasure> =>
        unwrap(tenants.GET('/v1/tenant/erasures/{requestId}', { params: { path: { requestId } } }), {
          method: 'GET',
          path: `/v1/tenant/erasures/${requestId}`,
        }),
    },

    /** Operators only (scope tenants:admin): every tenant's record, status and settings. */
    tenants: {
      create: (tenant: NewTenant): Promise<Tenant> =>
        unwrap(tenants.POST('/v1/tenants', { body: tenant }), { method: 'POST', path: '/v1/tenants' }),
      list: (query: { pageSize?: number } = {}): AsyncGenerator<Tenant> =>
        paginate((cursor) =>
          nextPage(
            unwrap(
              tenants.GET('/v1/tenants', {
                params: { query: { ...pageSize(query.pageSize), ...cursorOf(cursor) } },
              }),
              { method: 'GET', path: '/v1/tenants' },
            ),
          ),
        ),
      get: (tenantId: string): Promise<Tenant> =>
        unwrap(tenants.GET('/v1/tenants/{tenantId}', tenantPath(tenantId)), {
          method: 'GET',
          path: `/v1/tenants/${tenantId}`,
        }),
      update: (tenantId: string, change: TenantChange): Promise<Tenant> =>
        unwrap(tenants.PATCH('/v1/tenants/{tenantId}', { ...tenantPath(tenantId), body: change }), {
          method: 'PATCH',
          path: `/v1/tenants/${tenantId}`,
        }),
      /** Its tokens and keys are refused from then on (within the authorizer's caches). */
      suspend: (tenantId: string): Promise<Tenant> =>
        unwrap(tenants.POST('/v1/tenants/{tenantId}/suspend', tenantPath(tenantId)), {
          method: 'POST',
          path: `/v1/tenants/${tenantId}/suspend`,
        }),
      resume: (tenantId: string): Promise<Tenant> =>
        unwrap(tenants.POST('/v1/tenants/{tenantId}/resume', tenantPath(tenantId)), {
          method: 'POST',
          path: `/v1/tenants/${tenantId}/resume`,
        }),
      /** The tenant stays, status deleted, and every service erases its data. */
      delete: async (tenantId: string): Promise<void> => {
        await unwrap(tenants.DELETE('/v1/tenants/{tenantId}', tenantPath(tenantId)), {
          method: 'DELETE',
          path: `/v1/tenants/${tenantId}`,
        });
      },
    },

    /** The tenant's API keys (keys:read to read, keys:write to create and revoke). */
    apiKeys: {
      /** The answer's `key` is the only time the key is shown. */
      create: (key: NewApiKey): Promise<CreatedApiKey> =>
        unwrap(tenants.POST('/v1/api-keys', { body: key }), { method: 'POST', path: '/v1/api-keys' }),
      list: (query: { pageSize?: number } = {}): AsyncGenerator<ApiKey> =>
        paginate((cursor) =>
          nextPage(
            unwrap(
              tenants.GET('/v1/api-keys', {
                params: { query: { ...pageSize(query.pageSize), ...cursorOf(cursor) } },
              }),
              { method: 'GET', path: '/v1/api-keys' },
            ),
          ),
        ),
      get: (keyId: string): Promise<ApiKey> =>
        unwrap(tenants.GET('/v1/api-keys/{keyId}', keyPath(keyId)), {
          method: 'GET',
          path: `/v1/api-keys/${keyId}`,
        }),
      /** Idempotent; the key is refused within the authorizer's caches. */
      revoke: async (keyId: string): Promise<void> => {
        await unwrap(tenants.DELETE('/v1/api-keys/{keyId}', keyPath(keyId)), {
          method: 'DELETE',
          path: `/v1/api-keys/${keyId}`,
        });
      },
    },

    /** A short-lived `hk_portal_…` token (scope keys:write) and the console URL signed in with it. */
    portalTokens: {
      create: (request: PortalTokenRequest = {}): Promise<PortalToken> =>
        unwrap(tenants.POST('/v1/portal-tokens', { body: request }), {
          method: 'POST',
          path: '/v1/portal-tokens',
        }),
    },

    /** The tenant's audit log (scope audit:read), newest first. */
    audit: {
      list: (query: AuditQuery = {}): AsyncGenerator<AuditEntry> => {
        const { pageSize: size, ...filters } = query;
        return paginate((cursor) =>
          unwrap(
            tenants.GET('/v1/audit', {
              params: { query: { ...filters, ...pageSize(size), ...cursorOf(cursor) } },
            }),
            { method: 'GET', path: '/v1/audit' },
          ),
        );
      },
      /** One page (a console's Previous / Next): its entries and the next page's cursor. */
      page: (query: AuditQuery = {}, cursor?: string): Promise<Page<AuditEntry>> => {
        const { pageSize: size, ...filters } = query;
        return unwrap(
          tenants.GET('/v1/audit', {
            params: { query: { ...filters, ...pageSize(size), ...cursorOf(cursor) } },
          }),
          { method: 'GET', path: '/v1/audit' },
        );
      },
    },

    /** Operators only (scope operator:dead-letters): each service's dead-letter queues. */
    deadLetters: {
      list: (service: DeadLetterService) =>
        unwrap(deadLetterApi(service).GET('/v1/operator/dead-letters'), {
          method: 'GET',
          path: '/v1/operator/dead-letters',
        }),
      peek: (service: DeadLetterService, queue: string, sample?: number) =>
        unwrap(
          deadLetterApi(service).GET('/v1/operator/dead-letters/{queue}', {
            params: { path: { queue }, query: sample === undefined ? {} : { sample: String(sample) } },
          }),
          { method: 'GET', path: `/v1/operator/dead-letters/${queue}` },
        ),
      redrive: (service: DeadLetterService, queue: string, redrive: { maxMessagesPerSecond?: number } = {}) =>
        unwrap(
          deadLetterApi(service).POST('/v1/operator/dead-letters/{queue}/redrive', {
            params: { path: { queue } },
            body: redrive,
          }),
          {
            method: 'POST',
            path: `/v1/operator/dead-letters/${queue}/redrive`,
          },
        ),
      redriveTasks: (service: DeadLetterService, queue: string) =>
        unwrap(
          deadLetterApi(service).GET('/v1/operator/dead-letters/{queue}/redrive', {
            params: { path: { queue } },
          }),
          {
            method: 'GET',
            path: `/v1/operator/dead-letters/${queue}/redrive`,
          },
        ),
    },
  };
}

export type HeraldClient = ReturnType<typeof createHeraldClient>;
