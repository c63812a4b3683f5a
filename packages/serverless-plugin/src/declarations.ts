/**
 * What a service declares for the plugin in serverless.yml (`custom.herald`, and `errorsAlarm` on a
 * function), as types and as the JSON Schema osls validates the configuration with, side by side.
 *
 * Queue declarations mix two kinds of keys: PascalCase keys are AWS::SQS::Queue properties, passed to
 * CloudFormation as written; camelCase keys are the plugin's own.
 */
import type { RolloutDeclaration } from './rollout';
import { siteSchema, type SiteDeclaration } from './site';

/** An alarm: its name (after the service's `alarmPrefix`) and what it tells whoever it wakes. */
export interface AlarmDeclaration {
  name: string;
  description: string;
}

/** A queue's resource policy: these statements, then (with `denyNonTls`) a Deny of any request not over TLS. */
export interface QueuePolicyDeclaration {
  /** Logical id of the AWS::SQS::QueuePolicy; `<queue id>Policy` unless given. */
  id?: string;
  statements?: Record<string, unknown>[];
  denyNonTls?: boolean;
}

/** A dead-letter queue: kept 14 days, encrypted with the service key. */
export interface DeadLetterQueueDeclaration {
  QueueName?: string;
  /** Alarm as soon as the queue holds a message. */
  notEmptyAlarm?: AlarmDeclaration;
  policy?: QueuePolicyDeclaration;
  [cloudFormationProperty: string]: unknown;
}

/** A queue's own dead-letter queue, and after how many receives a message moves there. */
export interface RedriveDeclaration extends DeadLetterQueueDeclaration {
  maxReceiveCount: number;
}

/** A queue: encrypted with the service key, optionally with its dead-letter queue. */
export interface QueueDeclaration {
  QueueName: string;
  /** `<queue id without "Queue">DeadLetterQueue`, named `<QueueName>-dlq` unless given. */
  deadLetterQueue?: RedriveDeclaration;
  policy?: QueuePolicyDeclaration;
  [cloudFormationProperty: string]: unknown;
}

/** The service's alarm topic: who hears of every alarm. */
export interface AlarmTopicDeclaration {
  /**
   * E-mail addresses and HTTPS endpoints (that confirm SNS subscriptions), separated by commas or
   * spaces; empty for none (subscribe later, outside the stack).
   */
  subscribers?: string | null;
}

/** Alarms on every function that declares none of its own. */
export interface FunctionAlarmsDeclaration {
  /** `<Function>ErrorsAlarm` on each function without an `errorsAlarm`. */
  errors?: boolean;
  /** `<Function>ThrottlesAlarm` on each function. */
  throttles?: boolean;
}

/** An alarm over a count, above a threshold within five minutes. */
export interface ThresholdAlarmDeclaration extends AlarmDeclaration {
  /** Alarms above this many in five minutes; 0: on the first one. */
  threshold?: number;
}

/** One graph of the dashboard, in CloudWatch's own metric notation (intrinsics allowed). */
export interface WidgetDeclaration {
  title: string;
  /** `[namespace, name, dimension, value, ..., { stat, label }]` rows, or `[".", ...]` repeats. */
  metrics: unknown[][];
  stat?: string;
  period?: number;
  /** `timeSeries` (default) or `singleValue`. */
  view?: string;
}

/** The service's CloudWatch dashboard: what the plugin knows about (the HTTP API, queues, functions, alarms), then these. */
export interface DashboardDeclaration {
  widgets?: WidgetDeclaration[];
}

/** `custom.herald` */
export interface HeraldDeclaration {
  /** Logical id of the service's AWS::KMS::Key: encrypts every function's log group and every queue below. */
  key: string;
  /**
   * The folder of the stage settings files (`<stage>.yml`), relative to the service: every stage but
   * `local` takes its settings from there, checked before packaging (stage-settings.ts).
   */
  stages?: string;
  /** Every alarm's name starts with this and a dash. */
  alarmPrefix?: string;
  /** Required once the service has an alarm: every alarm notifies it. */
  alarmTopic?: AlarmTopicDeclaration;
  functionAlarms?: FunctionAlarmsDeclaration;
  /** `HttpApiServerErrorsAlarm`: the HTTP API answered 5xx. */
  serverErrorsAlarm?: ThresholdAlarmDeclaration;
  /** `Dashboard`, named after `alarmPrefix`. */
  dashboard?: DashboardDeclaration;
  /** By logical id, which ends in `Queue`. */
  queues?: Record<string, QueueDeclaration>;
  /** Dead-letter queues that belong to no queue of the service (a stream's, a bus's, a rule's), by logical id. */
  deadLetterQueues?: Record<string, DeadLetterQueueDeclaration>;
  /** A static site uploaded to the stack's bucket after each deploy (site.ts). */
  site?: SiteDeclaration;
  /** Every function's `live` alias and how a release moves it, by stage (rollout.ts). */
  rollout?: RolloutDeclaration;
}

const cloudFormationProperties = { '^[A-Z]': {} };
// Values may be CloudFormation intrinsics (`!Ref`, `!GetAtt`), which osls hands over as objects.
const text = { anyOf: [{ type: 'string' }, { type: 'object' }] };
const positive = { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'object' }] };

const alarm = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1 }, description: { type: 'string', minLength: 1 } },
  required: ['name', 'description'],
  additionalProperties: false,
};

const thresholdAlarm = {
  ...alarm,
  properties: {
    ...alarm.properties,
    threshold: { anyOf: [{ type: 'number', minimum: 0 }, { type: 'object' }] },
  },
};

const widget = {
  type: 'object',
  properties: {
    title: { type: 'string', minLength: 1 },
    metrics: { type: 'array', minItems: 1, items: { type: 'array', minItems: 1 } },
    stat: { type: 'string' },
    period: { type: 'integer', minimum: 1 },
    view: { enum: ['timeSeries', 'singleValue'] },
  },
  required: ['title', 'metrics'],
  additionalProperties: false,
};

const policy = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9]+$' },
    statements: { type: 'array', items: { type: 'object' } },
    denyNonTls: { type: 'boolean' },
  },
  additionalProperties: false,
};

const deadLetterQueue = {
  type: 'object',
  properties: { QueueName: text, notEmptyAlarm: alarm, policy },
  patternProperties: cloudFormationProperties,
  additionalProperties: false,
};

const queue = {
  type: 'object',
  properties: {
    QueueName: text,
    policy,
    deadLetterQueue: {
      ...deadLetterQueue,
      properties: { ...deadLetterQueue.properties, maxReceiveCount: positive },
      required: ['maxReceiveCount'],
    },
  },
  patternProperties: cloudFormationProperties,
  required: ['QueueName'],
  additionalProperties: false,
};

/** For `configSchemaHandler.defineCustomProperties`. */
export const customSchema = {
  properties: {
    herald: {
      type: 'object',
      properties: {
        key: { type: 'string', pattern: '^[A-Za-z0-9]+$' },
        stages: { type: 'string', minLength: 1 },
        alarmPrefix: { type: 'string', minLength: 1 },
        alarmTopic: {
          type: 'object',
          // An unset stage parameter reaches the plugin as null.
          properties: { subscribers: { type: ['string', 'null'] } },
          additionalProperties: false,
        },
        functionAlarms: {
          type: 'object',
          properties: { errors: { type: 'boolean' }, throttles: { type: 'boolean' } },
          additionalProperties: false,
        },
        serverErrorsAlarm: thresholdAlarm,
        dashboard: {
          type: 'object',
          properties: { widgets: { type: 'array', items: widget } },
          additionalProperties: false,
        },
        queues: {
          type: 'object',
          patternProperties: { '^[A-Za-z0-9]+Queue$': queue },
          additionalProperties: false,
        },
        deadLetterQueues: {
          type: 'object',
          patternProperties: { '^[A-Za-z0-9]+DeadLetterQueue$': deadLetterQueue },
          additionalProperties: false,
        },
        site: siteSchema,
        rollout: {
          type: 'object',
          properties: {
            alias: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]*$' },
            // By stage, `default` for the others; the values are checked against CodeDeploy's list.
            deployment: { type: 'object', additionalProperties: { type: 'string' } },
            alarms: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9]+$' } },
          },
          additionalProperties: false,
        },
      },
      required: ['key'],
      additionalProperties: false,
    },
  },
};

/** For `configSchemaHandler.defineFunctionProperties`: alarm when the function throws. */
export const functionSchema = { properties: { errorsAlarm: alarm } };
