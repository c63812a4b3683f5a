/**
 * What the templates say about the resources a call names and the call alone does not (see types.ts,
 * ResourceFacts): each table's and index's keys, each secret's full ARN, each KMS key's ARN under its
 * id and aliases, and the customer managed key each queue, table, bucket, secret, topic and bus is
 * encrypted with. Read from every stack at once, since one stack's resource may be encrypted with, or
 * name, another stack's key.
 */
import { isRecord } from '../cfn/template';
import type { KeySchema, ResourceFacts } from './types';

/** One resource of a provisioned stack, with its Ref, attributes and properties (intrinsics resolved). */
export interface DeclaredResource {
  stackName: string;
  logicalId: string;
  type: string;
  ref: string;
  attributes: Readonly<Record<string, string>>;
  properties: Readonly<Record<string, unknown>>;
}

export interface AccountScope {
  accountId: string;
  region: string;
  /** `aws` */
  partition: string;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const records = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value) ? value.filter(isRecord) : [];

/** The keys a KeySchema list declares (HASH is the partition key, RANGE the sort key). */
function keySchemaOf(value: unknown): KeySchema | undefined {
  const elements = records(value);
  const partitionKey = text(elements.find((element) => element.KeyType === 'HASH')?.AttributeName);
  if (!partitionKey) return undefined;
  const sortKey = text(elements.find((element) => element.KeyType === 'RANGE')?.AttributeName);
  return sortKey ? { partitionKey, sortKey } : { partitionKey };
}

/** `arn:aws:s3:::bucket/key` → `arn:aws:s3:::bucket`: an object belongs to its bucket. */
export function bucketArnOf(arn: string): string | undefined {
  const match = /^(arn:[^:]+:s3:::)([^/]+)(\/.*)?$/.exec(arn);
  return match ? `${match[1]}${match[2]}` : undefined;
}

/** `.../table/name/index/x` or `.../table/name/stream/...` → `.../table/name`. */
export function tableArnOf(arn: string): string | undefined {
  const match = /^(arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/[^/]+)(\/.*)?$/.exec(arn);
  return match?.[1];
}

/** A queue URL (`https://sqs.<region>.<suffix>/<account>/<name>`) as the queue's ARN. */
export function queueArnFromUrl(url: string, partition: string): string | undefined {
  const match = /^https?:\/\/sqs\.([^.]+)\.[^/]+\/(\d{12})\/([^/?#]+)$/.exec(url);
  return match ? `arn:${partition}:sqs:${match[1]}:${match[2]}:${match[3]}` : undefined;
}

interface TableFacts {
  schema?: KeySchema;
  indexes: Map<string, KeySchema | undefined>;
}

/** A queue's, table's, bucket's, secret's, topic's or bus's customer managed key, as the template names it. */
function declaredEncryptionKey(resource: DeclaredResource): { arn: string; key: string } | undefined {
  const { type, properties: p, attributes, ref } = resource;
  const on = (arn: string | undefined, key: unknown) => {
    const given = text(key);
    return arn && given ? { arn, key: given } : undefined;
  };
  switch (type) {
    // "AWS::SQS::Queue": KmsMasterKeyId (an alias such as alias/aws/sqs names AWS's managed key).
    case 'AWS::SQS::Queue':
      return on(attributes.Arn, p.KmsMasterKeyId);
    // "AWS::DynamoDB::Table SSESpecification": a KMS key only when SSEType is KMS.
    case 'AWS::DynamoDB::Table': {
      const sse = isRecord(p.SSESpecification) ? p.SSESpecification : {};
      if (String(sse.SSEEnabled) !== 'true' || sse.SSEType !== 'KMS') return undefined;
      return on(attributes.Arn, sse.KMSMasterKeyId);
    }
    // "AWS::S3::Bucket ServerSideEncryptionByDefault": KMSMasterKeyID with aws:kms or aws:kms:dsse.
    case 'AWS::S3::Bucket': {
      const encryption = isRecord(p.BucketEncryption) ? p.BucketEncryption : {};
      for (const rule of records(encryption.ServerSideEncryptionConfiguration)) {
        const byDefault = isRecord(rule.ServerSideEncryptionByDefault)
          ? rule.ServerSideEncryptionByDefault
          : {};
        if (String(byDefault.SSEAlgorithm).startsWith('aws:kms'))
          return on(attributes.Arn, byDefault.KMSMasterKeyID);
      }
      return undefined;
    }
    case 'AWS::SecretsManager::Secret':
      return on(ref, p.KmsKeyId);
    case 'AWS::SNS::Topic':
      return on(ref, p.KmsMasterKeyId);
    case 'AWS::Events::EventBus':
      return on(attributes.Arn, p.KmsKeyIdentifier);
    default:
      return undefined;
  }
}

export function resourceFacts(declared: readonly DeclaredResource[], scope: AccountScope): ResourceFacts {
  const { accountId, region, partition } = scope;
  const tables = new Map<string, TableFacts>();
  /** Secret name → its ARN (the one provisioning gave it). */
  const secrets = new Map<string, string>();
  /** Key id and key ARN → key ARN. */
  const keys = new Map<string, string>();
  /** Alias name (`alias/x`) → what its TargetKeyId names (a key id or ARN). */
  const aliases = new Map<string, string>();
  /** Resource ARN → the key as the template names it (id, ARN, alias name or alias ARN). */
  const encryption = new Map<string, string>();

  for (const resource of declared) {
    const { type, properties: p, attributes, ref } = resource;
    if (type === 'AWS::DynamoDB::Table') {
      const indexes = new Map<string, KeySchema | undefined>();
      for (const index of [...records(p.GlobalSecondaryIndexes), ...records(p.LocalSecondaryIndexes)]) {
        const name = text(index.IndexName);
        if (name) indexes.set(name, keySchemaOf(index.KeySchema));
      }
      tables.set(ref, { schema: keySchemaOf(p.KeySchema), indexes });
    } else if (type === 'AWS::SecretsManager::Secret') {
      // Secrets Manager ends every secret ARN with `-` and six characters ("Secrets Manager: Secret ARN").
      const match = /:secret:(.+)-[A-Za-z0-9]{6}$/.exec(ref);
      if (match) secrets.set(match[1]!, ref);
    } else if (type === 'AWS::KMS::Key' && attributes.Arn) {
      keys.set(ref, attributes.Arn);
      keys.set(attributes.Arn, attributes.Arn);
    } else if (type === 'AWS::KMS::Alias') {
      const target = text(p.TargetKeyId);
      if (target) aliases.set(ref, target);
    }
    const encrypted = declaredEncryptionKey(resource);
    if (encrypted) encryption.set(encrypted.arn, encrypted.key);
  }

  const aliasArnPrefix = `arn:${partition}:kms:${region}:${accountId}:`;

  function keyArn(keyId: string): string | undefined {
    if (keyId.startsWith(`${aliasArnPrefix}alias/`)) return keyArn(keyId.slice(aliasArnPrefix.length));
    if (keyId.startsWith('alias/')) {
      const target = aliases.get(keyId);
      // An alias naming an alias is not allowed by KMS; the guard keeps a bad template from looping.
      return target && !target.includes('alias/') ? keyArn(target) : undefined;
    }
    return keys.get(keyId);
  }

  function secretArn(secretId: string): string | undefined {
    if (!secretId.startsWith('arn:')) return secrets.get(secretId);
    const name = /:secret:(.+)$/.exec(secretId)?.[1];
    if (!name) return undefined;
    // A partial ARN names the secret without the suffix; a full one may carry the suffix another
    // Secrets Manager (the emulator) gave it: either way the name is what identifies the secret.
    return secrets.get(name) ?? secrets.get(name.replace(/-[A-Za-z0-9]{6}$/, ''));
  }

  function keySchema(table: string, index?: string): KeySchema | undefined {
    let tableName = table;
    let indexName = index;
    const arn = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)(?:\/index\/([^/]+))?$/.exec(table);
    if (arn) [tableName, indexName] = [arn[1]!, indexName ?? arn[2]];
    else if (table.includes('/')) [tableName, indexName] = table.split('/', 2) as [string, string];
    const facts = tables.get(tableName);
    return indexName === undefined ? facts?.schema : facts?.indexes.get(indexName);
  }

  function encryptionKey(resourceArn: string): string | undefined {
    const owner =
      bucketArnOf(resourceArn) ??
      tableArnOf(resourceArn) ??
      (resourceArn.includes(':secretsmanager:') ? secretArn(resourceArn) : undefined) ??
      resourceArn;
    const declaredKey = encryption.get(owner);
    if (declaredKey === undefined) return undefined;
    // A key ARN of a key no template declares is still the key AWS would use. An alias no template
    // declares (alias/aws/sqs) names an AWS managed key, whose key policy lets every principal of the
    // account use it through the service ("AWS managed keys" in the AWS KMS Developer Guide).
    return (
      keyArn(declaredKey) ?? (/^arn:[^:]+:kms:[^:]*:[^:]*:key\//.test(declaredKey) ? declaredKey : undefined)
    );
  }

  return { accountId, region, partition, keySchema, secretArn, keyArn, encryptionKey };
}
