/**
 * Every message one Herald service sends and another reads: the queue bodies and bus details that
 * cross a service boundary, the only coupling between services that are released one at a time.
 * `npm run contracts:check` holds each schema to its last released snapshot
 * (`contracts/released/<name>.v<major>.schema.json`) so a release of the producer cannot break a
 * consumer still running the previous release, nor a new consumer break on messages already sent.
 *
 * Plain data: no validator is imported here, so reading the registry costs a function's bundle nothing.
 */

/** The services that release on their own (`services/<name>`). */
export type ServiceName = 'ingest' | 'processing' | 'notifications' | 'tenants' | 'console';

export interface ContractConsumer {
  /** A Herald service, or who outside Herald reads the messages. */
  readonly name: ServiceName | 'outside Herald';
  /**
   * Whether it refuses a message its own release's schema refuses (Herald's consumers do: the
   * verifier's assertReceivedEnvelope, parseBusEvent). A strict consumer of the previous release
   * refuses anything the new schema lets a producer send that the released one did not (a widened
   * value); a new strict consumer refuses messages sent before it that the new schema no longer
   * admits. Herald's consumers ignore properties the schema does not name (violations.ts); whether
   * a service's previous release did is in contracts/released/releases.json, which the check reads.
   */
  readonly strict: boolean;
  /** Where it reads the messages, for the report. */
  readonly reads: string;
}

export interface Contract {
  /** Kebab-case name; with the major version it names the released snapshot. */
  readonly name: string;
  /** Major version, also the `.v<major>.json` ending of the schema's `$id`. */
  readonly major: number;
  /** Path of the JSON Schema from the repository root. */
  readonly schema: string;
  /** What carries the message: a queue body or a bus detail type. */
  readonly channel: string;
  /**
   * A version the message itself carries, where it has one (the envelope's CloudEvents
   * `specversion`): its property and the value this major sends.
   */
  readonly wireVersion?: { readonly property: string; readonly value: string };
  /**
   * Who sends it: one service, or several where each sends it under its own bus source (the audit
   * entries of each service's changes, each data service's answers to the tenants service).
   */
  readonly producer: ServiceName | readonly ServiceName[];
  readonly consumers: readonly ContractConsumer[];
}

const ENVELOPE_SCHEMA = 'shared/src/contracts/envelope.schema.json';
/** The services that hold a tenant's data: each erases and exports its own (tenant-data.ts). */
const DATA_SERVICES = ['ingest', 'processing', 'notifications'] as const;
// Each reads tenants' requests through a queue of its own (tenantData, parseTenantDataEvent).
const TENANT_DATA_CONSUMERS: readonly ContractConsumer[] = DATA_SERVICES.map((name) => ({
  name,
  strict: true,
  reads: 'tenantData, through its tenant-data queue (parseTenantDataEvent)',
}));
// The tenants service reads the answers (tenant-data.ts checks the source names the answering service).
const TENANT_DATA_ANSWERS_CONSUMER: ContractConsumer = {
  name: 'tenants',
  strict: true,
  reads: 'orchestrateTenantData, through its tenant-data queue (parseTenantDataEvent)',
};

export const contracts: readonly Contract[] = [
  {
    name: 'inbound-envelope',
    major: 1,
    schema: ENVELOPE_SCHEMA,
    channel: "SQS: processing's inbound queue, the message body (ingest's accept-events and onUpload)",
    wireVersion: { property: 'specversion', value: '1.0' },
    producer: 'ingest',
    consumers: [
      { name: 'processing', strict: true, reads: "consume (the verifier's assertReceivedEnvelope)" },
    ],
  },
  {
    name: 'event-stored',
    major: 1,
    // The envelope's schema and the subject's `sequence` processing adds beside it (unsigned).
    schema: 'shared/src/contracts/event-stored.schema.json',
    channel:
      "EventBridge: processing's bus, detail-type event.stored, the detail (to notifications' dispatch queue)",
    wireVersion: { property: 'specversion', value: '1.0' },
    producer: 'processing',
    consumers: [
      {
        name: 'notifications',
        strict: true,
        reads: "dispatch (parseBusEvent with eventStoredCodec, then the verifier's assertReceivedEnvelope)",
      },
    ],
  },
  {
    name: 'delivery-failed',
    major: 1,
    schema: 'shared/src/contracts/delivery-failed.schema.json',
    channel: "EventBridge: processing's bus, detail-type delivery.failed, the detail",
    producer: 'notifications',
    // Ingest turns it into the tenant's herald.delivery.failed event; the bus's rules outside Herald
    // (alerting, a tenant's own integrations) read it too and cannot be assumed to validate, but may
    // read every property.
    consumers: [
      {
        name: 'ingest',
        strict: true,
        reads: 'raiseOperationalEvents, through its operational-events queue (parseBusEvent with its codec)',
      },
      { name: 'outside Herald', strict: false, reads: 'rules on the bus' },
    ],
  },
  {
    name: 'subscription-disabled',
    major: 1,
    schema: 'shared/src/contracts/subscription-disabled.schema.json',
    channel: "EventBridge: processing's bus, detail-type subscription.disabled, the detail",
    producer: 'notifications',
    consumers: [
      {
        name: 'ingest',
        strict: true,
        reads: 'raiseOperationalEvents, through its operational-events queue (parseBusEvent with its codec)',
      },
      { name: 'outside Herald', strict: false, reads: 'rules on the bus' },
    ],
  },
  {
    name: 'subscription-recovered',
    major: 1,
    schema: 'shared/src/contracts/subscription-recovered.schema.json',
    channel: "EventBridge: processing's bus, detail-type subscription.recovered, the detail",
    producer: 'notifications',
    consumers: [
      {
        name: 'ingest',
        strict: true,
        reads: 'raiseOperationalEvents, through its operational-events queue (parseBusEvent with its codec)',
      },
      { name: 'outside Herald', strict: false, reads: 'rules on the bus' },
    ],
  },
  {
    name: 'tenant-lifecycle',
    major: 1,
    // One schema for the three: the detail type names the change, `status` the tenant's after it.
    schema: 'shared/src/contracts/tenant-lifecycle.schema.json',
    channel:
      "EventBridge: processing's bus, detail-type tenant.suspended, tenant.resumed and tenant.deleted, the detail",
    producer: 'tenants',
    // The tenants service reads tenant.deleted itself too (orchestrateTenantData), in its own release.
    consumers: [
      {
        name: 'notifications',
        strict: true,
        reads: "tenantState, holding a suspended tenant's deliveries (parseTenantLifecycleEvent)",
      },
      { name: 'outside Herald', strict: false, reads: 'rules on the bus' },
    ],
  },
  {
    name: 'tenant-settings-updated',
    major: 1,
    // The whole settings after each write, with its time: a consumer keeps the latest.
    schema: 'shared/src/contracts/tenant-settings-updated.schema.json',
    channel: "EventBridge: processing's bus, detail-type tenant.settings_updated, the detail",
    producer: 'tenants',
    consumers: [
      {
        name: 'notifications',
        strict: true,
        reads:
          "tenantState, keeping the tenant's settings for deliverEmail's cap (parseTenantSettingsUpdatedEvent)",
      },
      { name: 'outside Herald', strict: false, reads: 'rules on the bus' },
    ],
  },
  {
    name: 'audit-entry',
    major: 1,
    schema: 'shared/src/contracts/audit-entry.schema.json',
    channel:
      "EventBridge: processing's bus, detail-type audit.recorded, the detail (to tenants' audit queue)",
    // Each under its own source, which recordAudit checks owns the resource. The tenants service
    // records its own changes too, in its own release.
    producer: ['ingest', 'notifications'],
    consumers: [
      { name: 'tenants', strict: true, reads: 'recordAudit, through its audit queue (parseAuditBusEvent)' },
    ],
  },
  {
    name: 'tenant-erasure-requested',
    major: 1,
    schema: 'shared/src/contracts/tenant-erasure-requested.schema.json',
    channel: "EventBridge: processing's bus, detail-type tenant.erasure.requested, the detail",
    producer: 'tenants',
    consumers: TENANT_DATA_CONSUMERS,
  },
  {
    name: 'tenant-export-requested',
    major: 1,
    schema: 'shared/src/contracts/tenant-export-requested.schema.json',
    channel: "EventBridge: processing's bus, detail-type tenant.export.requested, the detail",
    producer: 'tenants',
    consumers: TENANT_DATA_CONSUMERS,
  },
  {
    name: 'tenant-erasure-completed',
    major: 1,
    schema: 'shared/src/contracts/tenant-erasure-completed.schema.json',
    channel: "EventBridge: processing's bus, detail-type tenant.erasure.completed, the detail",
    producer: DATA_SERVICES,
    consumers: [TENANT_DATA_ANSWERS_CONSUMER],
  },
  {
    name: 'tenant-export-written',
    major: 1,
    schema: 'shared/src/contracts/tenant-export-written.schema.json',
    channel: "EventBridge: processing's bus, detail-type tenant.export.written, the detail",
    producer: DATA_SERVICES,
    consumers: [TENANT_DATA_ANSWERS_CONSUMER],
  },
];
