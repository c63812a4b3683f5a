/**
 * One table or queue of a packaged template, created on its own under a name of the caller's choosing,
 * converted to API calls by the same code that provisions whole stacks (cfn/dynamodb.ts, cfn/sqs.ts).
 * Port contract tests use it for an empty table or queue shaped as deployed, without the rest of the
 * stack. What needs another resource (a KMS key, a dead-letter queue) or belongs to the stack rather
 * than the shape (names, tags, streams, backups) is left out, and listed in `leftOut`.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { queueUrl } from './aws';
import { createTable } from './cfn/dynamodb';
import { createQueue } from './cfn/sqs';
import { isRecord, type Template } from './cfn/template';

/** What a table's items and queries depend on: keys, indexes, capacity mode, TTL. */
const TABLE_SHAPE = [
  'AttributeDefinitions',
  'KeySchema',
  'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes',
  'BillingMode',
  'ProvisionedThroughput',
  'TimeToLiveSpecification',
];

/** Queue attributes that name other resources: a KMS key, the dead-letter queue and who may use it as one. */
const QUEUE_ELSEWHERE = [
  'QueueName',
  'Tags',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'RedrivePolicy',
  'RedriveAllowPolicy',
];

export interface CreatedFromTemplate {
  /** Properties of the template's resource not applied, each with the reason. */
  leftOut: Array<{ property: string; reason: string }>;
}

function resourceProperties(template: Template, logicalId: string, type: string): Record<string, unknown> {
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`The template has no resource ${logicalId}`);
  if (resource.Type !== type) throw new Error(`${logicalId} is a ${resource.Type}, not an ${type}`);
  return resource.Properties ?? {};
}

/** True for a value that still holds an intrinsic function (`Ref`, `Fn::...`): it needs the stack. */
function needsStack(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(needsStack);
  if (!isRecord(value)) return false;
  return (
    Object.keys(value).some((key) => key === 'Ref' || key.startsWith('Fn::')) ||
    Object.values(value).some(needsStack)
  );
}

function split(
  properties: Record<string, unknown>,
  keep: (name: string) => boolean,
  reason: string,
): { kept: Record<string, unknown>; leftOut: CreatedFromTemplate['leftOut'] } {
  const kept: Record<string, unknown> = {};
  const leftOut: CreatedFromTemplate['leftOut'] = [];
  for (const [name, value] of Object.entries(properties)) {
    if (!keep(name)) leftOut.push({ property: name, reason });
    else if (needsStack(value)) throw new Error(`${name} refers to other resources of the stack`);
    else kept[name] = value;
  }
  return { kept, leftOut };
}

/** Creates `tableName` with the keys, indexes, billing mode and TTL of the template's `logicalId`. */
export async function createTableFromTemplate(
  dynamodb: DynamoDBClient,
  template: Template,
  logicalId: string,
  tableName: string,
): Promise<CreatedFromTemplate> {
  const properties = resourceProperties(template, logicalId, 'AWS::DynamoDB::Table');
  const { kept, leftOut } = split(
    properties,
    (name) => TABLE_SHAPE.includes(name),
    'not part of the table’s shape (name, stream, encryption, backups, tags)',
  );
  const path = `Resources.${logicalId}.Properties`;
  await createTable(dynamodb, { name: tableName, properties: kept, path }, (property, reason) =>
    leftOut.push({ property, reason }),
  );
  return { leftOut };
}

/** Creates the standard queue `queueName` with the template's attributes of `logicalId`; returns its URL. */
export async function createQueueFromTemplate(
  sqs: SQSClient,
  template: Template,
  logicalId: string,
  queueName: string,
): Promise<CreatedFromTemplate & { url: string }> {
  const properties = resourceProperties(template, logicalId, 'AWS::SQS::Queue');
  const { kept, leftOut } = split(
    properties,
    (name) => !QUEUE_ELSEWHERE.includes(name),
    'names another resource of the stack (KMS key, dead-letter queue) or the stack’s own name and tags',
  );
  const url = queueUrl(queueName);
  const path = `Resources.${logicalId}.Properties`;
  await createQueue(sqs, { name: queueName, url, properties: kept, path }, (property, reason) =>
    leftOut.push({ property, reason }),
  );
  return { url, leftOut };
}
