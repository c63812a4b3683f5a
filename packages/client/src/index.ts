export {
  createHeraldClient,
  type HeraldClient,
  type StoredEvent,
  type Subscription,
  type CreatedSubscription,
  type Delivery,
  type EventDeliveries,
  type Overview,
  type OverviewSubscription,
  type ReplayAccepted,
  type ReplayPreview,
  type NewSubscription,
  type SubscriptionChange,
  type ReplayWindow,
  type FilterTest,
  type FilterTestRequest,
  type ListEventsQuery,
  type DeadLetterService,
  type EventType,
  type EventTypeDefinition,
  type Tenant,
  type TenantSettings,
  type NewTenant,
  type TenantChange,
  type ApiKey,
  type CreatedApiKey,
  type NewApiKey,
  type PortalToken,
  type PortalTokenRequest,
  type AuditEntry,
  type TenantExportRequest,
  type TenantExport,
  type SubjectErasureRequest,
  type SubjectErasure,
  type AuditQuery,
} from './client';
export type { Page } from './paginate';
export { HeraldProblem, HeraldNetworkError, type ProblemBody } from './problem';
export {
  MAX_BATCH,
  type EventInput,
  type EventResult,
  type SendEventsOptions,
  type SendEventsResult,
} from './send-events';
export type { Upload, UploadOptions, UploadSource } from './upload';
export type { ClientOptions, CoreServiceName, Fetch, ServiceName } from './transport';
export type { components, paths } from './herald-api.generated';
export { AUDIT_ACTIONS, AUDIT_RESOURCE_TYPES } from './audit-filters.generated';
