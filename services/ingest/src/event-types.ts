/**
 * The event-type catalog as plain logic: a tenant registers its event types (a description, an
 * optional JSON Schema for `data`, examples), replaces them, deprecates them, lists them. Ingest owns
 * the catalog because it is the catalog's only reader on the hot path (catalog-cache.ts).
 *
 * There is no delete: a type's events may already be stored and delivered, and a deleted schema
 * would silently stop validating. A type is deprecated instead (`deprecated: true`, optionally
 * `replacedBy`); its events are still accepted, and the answer says so. A PUT without `schema`
 * removes the schema (the type is then documentation only).
 */
import type { AuditEntry, AuditOf } from '@herald/shared/audit';
import { isReservedType } from '@herald/shared/contracts';
import { RESERVED_TYPE_MESSAGE } from './event-checks';
import { compileSchema, MAX_SCHEMA_BYTES, type SchemaProblem } from './event-schemas';

/** One event type as stored and answered. */
export interface EventType {
  type: string;
  description: string;
  schema?: unknown;
  examples?: unknown[];
  deprecated: boolean;
  replacedBy?: string;
  /** 1 on creation, +1 on each PUT: the validator cache's key, and what a client compares. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What a PUT gives. */
export interface EventTypeInput {
  description: string;
  schema?: unknown;
  examples?: unknown[];
  deprecated?: boolean;
  replacedBy?: string;
}

/** What the hot path needs of a type: no description, no examples. */
export interface CatalogEntry {
  type: string;
  version: number;
  deprecated: boolean;
  replacedBy?: string;
  /** The schema as stored: JSON text, parsed only when a validator is compiled. */
  schemaJson?: string;
}

export interface EventTypePage {
  items: EventType[];
  nextCursor?: string;
}

export interface EventTypeStore {
  /**
   * Creates or replaces the type, moving its version on; answers it as stored. `audit`, when given,
   * is the change's audit entry, written in the same transaction (the outbox, shared/src/audit.ts).
   */
  put(
    tenantId: string,
    type: string,
    input: EventTypeInput,
    now: Date,
    audit?: AuditEntry,
  ): Promise<EventType>;
  get(tenantId: string, type: string): Promise<EventType | undefined>;
  /** Throws InvalidCursor (shared/cursor) for a cursor it did not issue for this tenant. */
  list(tenantId: string, limit: number, cursor: string | undefined): Promise<EventTypePage>;
  /** The tenant's whole catalog, hot-path fields only (one Query, paged through). */
  catalog(tenantId: string): Promise<CatalogEntry[]>;
  /** How many types the tenant has. */
  count(tenantId: string): Promise<number>;
}

/**
 * Types a tenant may register. The hot path reads a tenant's whole catalog (schemas included), so
 * this bounds that read and what a container holds per tenant (at most 200 x 64 KiB of schemas).
 * Two creations at the same moment may both pass the count: the bound is approximate by one or two.
 */
export const MAX_TYPES_PER_TENANT = 200;

/** Examples together, serialised, are held to the schema's limit. */
export const MAX_EXAMPLES_BYTES = MAX_SCHEMA_BYTES;

export type PutEventTypeOutcome =
  | { kind: 'stored'; eventType: EventType }
  /** Pointers into the request body (`/body/schema/...`, `/body/examples/<i>/...`). */
  | { kind: 'invalid'; errors: SchemaProblem[] }
  | { kind: 'quota-exceeded'; max: number };

/** Checks the schema as untrusted input and the examples against it, then stores the type. */
export async function putEventType(
  tenantId: string,
  type: string,
  input: EventTypeInput,
  deps: { store: EventTypeStore; now: () => Date; audit?: AuditOf },
): Promise<PutEventTypeOutcome> {
  const errors: SchemaProblem[] = [];
  // Herald's operational events are Herald's to describe; no producer may send one anyway.
  if (isReservedType(type)) errors.push({ pointer: '/pathParameters/type', message: RESERVED_TYPE_MESSAGE });
  if (input.replacedBy !== undefined && input.deprecated !== true) {
    errors.push({ pointer: '/body/replacedBy', message: 'is only for a deprecated type (deprecated: true)' });
  }
  if (input.replacedBy === type) {
    errors.push({ pointer: '/body/replacedBy', message: 'must name another type' });
  }
  if (
    input.examples !== undefined &&
    Buffer.byteLength(JSON.stringify(input.examples)) > MAX_EXAMPLES_BYTES
  ) {
    errors.push({
      pointer: '/body/examples',
      message: `is larger than ${MAX_EXAMPLES_BYTES} bytes serialised`,
    });
  }
  if (input.schema !== undefined) {
    const compiled = compileSchema(input.schema);
    if (!compiled.ok) {
      errors.push(
        ...compiled.problems.map(({ pointer, message }) => ({ pointer: `/body/schema${pointer}`, message })),
      );
    } else {
      (input.examples ?? []).forEach((example, index) => {
        const error = compiled.validate(example);
        if (error)
          errors.push({ pointer: `/body/examples/${index}${error.pointer}`, message: error.message });
      });
      // Validated once here; ingest compiles its own copy from the stored text when an event needs it.
      compiled.release?.();
    }
  }
  if (errors.length > 0) return { kind: 'invalid', errors };
  if (
    (await deps.store.get(tenantId, type)) === undefined &&
    (await deps.store.count(tenantId)) >= MAX_TYPES_PER_TENANT
  ) {
    return { kind: 'quota-exceeded', max: MAX_TYPES_PER_TENANT };
  }
  const now = deps.now();
  // The request's members name what changed; a deprecation is recorded as such.
  const entry = deps.audit?.(
    {
      action: input.deprecated === true ? 'event_type.deprecated' : 'event_type.put',
      resource: { type: 'event_type', id: type },
      changedFields: Object.keys(input),
    },
    now,
  );
  return { kind: 'stored', eventType: await deps.store.put(tenantId, type, input, now, entry) };
}
