/**
 * What a service declares for the plugin in serverless.yml (`custom.herald`, and `errorsAlarm` on a
 * function), as types and as the JSON Schema osls validates the configuration with, side by side.
 *
 * Queue declarations mix two kinds of keys: PascalCase keys are AWS::SQS::Queue properties, passed to
 * CloudFormation as written; camelCase keys are the plugin's own.
 */

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

/** `custom.herald` */
export interface HeraldDeclaration {
  /** Logical id of the service's AWS::KMS::Key: encrypts every function's log group and every queue below. */
  key: string;
  /** Every alarm's name starts with this and a dash. */
  alarmPrefix?: string;
  /** By logical id, which ends in `Queue`. */
  queues?: Record<string, QueueDeclaration>;
  /** Dead-letter queues that belong to no queue of the service (a stream's, a bus's, a rule's), by logical id. */
  deadLetterQueues?: Record<string, DeadLetterQueueDeclaration>;
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
        alarmPrefix: { type: 'string', minLength: 1 },
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
      },
      required: ['key'],
      additionalProperties: false,
    },
  },
};

/** For `configSchemaHandler.defineFunctionProperties`: alarm when the function throws. */
export const functionSchema = { properties: { errorsAlarm: alarm } };
