/**
 * AWS::S3::Bucket, created for real in fauxqs. Each bucket configuration the template sets is applied
 * with its Put call and then read back with the matching Get: fauxqs answers several Put calls it does
 * not implement (encryption, public access block, ownership, versioning, tags...) with a plain 200, so
 * only what reads back is counted as applied. NotificationConfiguration.LambdaConfigurations become
 * S3Notification data for the local cloud to deliver.
 */
import {
  CreateBucketCommand,
  GetBucketCorsCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketCorsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type LifecycleRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { S3Notification } from '../types';
import { functionName } from './lambda';
import { boolean, errorMessage, integer, tagMap, type Ignore, type PropertyRules } from './report';
import { childPath, isRecord, TemplateError } from './template';

export const BUCKET_PROPERTIES: PropertyRules = {
  used: [
    'BucketName',
    'BucketEncryption',
    'PublicAccessBlockConfiguration',
    'OwnershipControls',
    'LifecycleConfiguration',
    'VersioningConfiguration',
    'Tags',
    'CorsConfiguration',
    'NotificationConfiguration',
  ],
  ignored: {
    AccessControl: 'canned ACLs are not emulated by fauxqs',
    LoggingConfiguration: 'server access logging is not emulated',
    WebsiteConfiguration: 'static website hosting is not emulated',
    ObjectLockEnabled: 'object lock is not emulated',
    ObjectLockConfiguration: 'object lock is not emulated',
    AccelerateConfiguration: 'transfer acceleration is not emulated',
    ReplicationConfiguration: 'replication is not emulated',
    IntelligentTieringConfigurations: 'storage classes are not emulated',
    InventoryConfigurations: 'inventory reports are not emulated',
    MetricsConfigurations: 'CloudWatch metrics are not emulated',
    AnalyticsConfigurations: 'storage class analysis is not emulated',
    MetadataTableConfiguration: 'S3 Metadata is not emulated',
    MetadataConfiguration: 'S3 Metadata is not emulated',
  },
};

type Properties = Record<string, unknown>;
const records = (value: unknown, path: string): Properties[] => {
  if (!Array.isArray(value) || !value.every(isRecord))
    throw new TemplateError(path, 'expected a list of objects');
  return value;
};

/** CloudFormation's lifecycle rule (flat ExpirationInDays, Prefix...) as S3's LifecycleRule. */
export function lifecycleRule(rule: Properties, path: string): LifecycleRule {
  const at = (property: string) => childPath(path, property);
  const days = (property: string) => integer(rule[property], at(property));
  const conditions: Properties = {};
  if (rule.Prefix !== undefined) conditions.Prefix = rule.Prefix;
  if (rule.ObjectSizeGreaterThan !== undefined)
    conditions.ObjectSizeGreaterThan = Number(rule.ObjectSizeGreaterThan);
  if (rule.ObjectSizeLessThan !== undefined) conditions.ObjectSizeLessThan = Number(rule.ObjectSizeLessThan);
  const tags = rule.TagFilters === undefined ? [] : records(rule.TagFilters, at('TagFilters'));
  const filter =
    tags.length + Object.keys(conditions).length > 1
      ? {
          And: {
            ...conditions,
            Tags: tags.map((tag) => ({ Key: String(tag.Key), Value: String(tag.Value) })),
          },
        }
      : tags.length === 1
        ? { Tag: { Key: String(tags[0]!.Key), Value: String(tags[0]!.Value) } }
        : Object.keys(conditions).length === 1
          ? conditions
          : { Prefix: '' };
  const expiration = {
    Days: days('ExpirationInDays'),
    Date: rule.ExpirationDate === undefined ? undefined : new Date(String(rule.ExpirationDate)),
    ExpiredObjectDeleteMarker: boolean(rule.ExpiredObjectDeleteMarker, at('ExpiredObjectDeleteMarker')),
  };
  const transitions = [
    ...(rule.Transitions === undefined ? [] : records(rule.Transitions, at('Transitions'))),
    ...(isRecord(rule.Transition) ? [rule.Transition] : []),
  ].map((transition) => ({
    StorageClass: transition.StorageClass as never,
    Days: integer(transition.TransitionInDays, at('Transitions.TransitionInDays')),
    Date: transition.TransitionDate === undefined ? undefined : new Date(String(transition.TransitionDate)),
  }));
  const noncurrentTransitions = [
    ...(rule.NoncurrentVersionTransitions === undefined
      ? []
      : records(rule.NoncurrentVersionTransitions, at('NoncurrentVersionTransitions'))),
    ...(isRecord(rule.NoncurrentVersionTransition) ? [rule.NoncurrentVersionTransition] : []),
  ].map((transition) => ({
    StorageClass: transition.StorageClass as never,
    NoncurrentDays: integer(transition.TransitionInDays, at('NoncurrentVersionTransitions.TransitionInDays')),
    NewerNoncurrentVersions: integer(
      transition.NewerNoncurrentVersions,
      at('NoncurrentVersionTransitions.NewerNoncurrentVersions'),
    ),
  }));
  const noncurrent = isRecord(rule.NoncurrentVersionExpiration)
    ? rule.NoncurrentVersionExpiration
    : undefined;
  const noncurrentDays =
    days('NoncurrentVersionExpirationInDays') ??
    integer(noncurrent?.NoncurrentDays, at('NoncurrentVersionExpiration.NoncurrentDays'));
  const abort = isRecord(rule.AbortIncompleteMultipartUpload)
    ? rule.AbortIncompleteMultipartUpload
    : undefined;
  return {
    ID: rule.Id as string | undefined,
    Status: rule.Status as 'Enabled' | 'Disabled',
    Filter: filter as LifecycleRule['Filter'],
    Expiration: Object.values(expiration).some((v) => v !== undefined) ? expiration : undefined,
    AbortIncompleteMultipartUpload: abort
      ? {
          DaysAfterInitiation: integer(
            abort.DaysAfterInitiation,
            at('AbortIncompleteMultipartUpload.DaysAfterInitiation'),
          ),
        }
      : undefined,
    NoncurrentVersionExpiration:
      noncurrentDays === undefined
        ? undefined
        : {
            NoncurrentDays: noncurrentDays,
            NewerNoncurrentVersions: integer(
              noncurrent?.NewerNoncurrentVersions,
              at('NoncurrentVersionExpiration.NewerNoncurrentVersions'),
            ),
          },
    Transitions: transitions.length ? transitions : undefined,
    NoncurrentVersionTransitions: noncurrentTransitions.length ? noncurrentTransitions : undefined,
  };
}

/** LambdaConfigurations as S3Notification data; other notification targets are reported. */
export function bucketNotifications(
  bucket: string,
  value: unknown,
  path: string,
  ignore: Ignore,
): S3Notification[] {
  if (!isRecord(value)) throw new TemplateError(path, 'NotificationConfiguration must be an object');
  for (const other of Object.keys(value))
    if (other !== 'LambdaConfigurations')
      ignore(
        `NotificationConfiguration.${other}`,
        'only notifications to Lambda functions are delivered locally',
      );
  if (value.LambdaConfigurations === undefined) return [];
  const listPath = childPath(path, 'LambdaConfigurations');
  return records(value.LambdaConfigurations, listPath).map((configuration, index) => {
    const at = childPath(listPath, index);
    if (typeof configuration.Event !== 'string')
      throw new TemplateError(childPath(at, 'Event'), 'an event type is needed');
    const notification: S3Notification = {
      kind: 's3',
      functionName: functionName(configuration.Function, childPath(at, 'Function')),
      bucket,
      events: [configuration.Event],
    };
    const filter = configuration.Filter;
    const rules = isRecord(filter) && isRecord(filter.S3Key) ? filter.S3Key.Rules : undefined;
    if (filter !== undefined && rules === undefined)
      throw new TemplateError(childPath(at, 'Filter'), 'a filter needs S3Key.Rules');
    if (rules !== undefined) {
      const rulesPath = childPath(at, 'Filter.S3Key.Rules');
      records(rules, rulesPath).forEach((rule, position) => {
        // S3 takes the rule names in either case.
        const name = String(rule.Name).toLowerCase();
        if (name !== 'prefix' && name !== 'suffix')
          throw new TemplateError(
            childPath(rulesPath, position),
            `a filter rule is named prefix or suffix, not ${String(rule.Name)}`,
          );
        notification[name] = String(rule.Value ?? '');
      });
    }
    return notification;
  });
}

interface BucketSetting {
  property: string;
  operation: string;
  put: (bucket: string, value: Properties, path: string) => Promise<unknown>;
  /** True when the emulator returns what was put. */
  readBack: (bucket: string, value: Properties) => Promise<boolean>;
  /** Kept but without effect locally. */
  inert?: string;
}

function settings(s3: S3Client): BucketSetting[] {
  return [
    {
      property: 'BucketEncryption',
      operation: 'PutBucketEncryption',
      put: (Bucket, value, path) =>
        s3.send(
          new PutBucketEncryptionCommand({
            Bucket,
            ServerSideEncryptionConfiguration: {
              Rules: records(
                value.ServerSideEncryptionConfiguration,
                childPath(path, 'ServerSideEncryptionConfiguration'),
              ).map((rule) => ({
                ApplyServerSideEncryptionByDefault: rule.ServerSideEncryptionByDefault as never,
                BucketKeyEnabled: boolean(rule.BucketKeyEnabled, path),
              })),
            },
          }),
        ),
      readBack: async (Bucket) =>
        ((await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules
          ?.length ?? 0) > 0,
      inert: 'kept by fauxqs, but objects are not encrypted locally',
    },
    {
      property: 'PublicAccessBlockConfiguration',
      operation: 'PutPublicAccessBlock',
      put: (Bucket, value) =>
        s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: value })),
      readBack: async (Bucket, value) => {
        const stored =
          (await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration ?? {};
        return Object.entries(value).every(([key, v]) => String((stored as Properties)[key]) === String(v));
      },
    },
    {
      property: 'OwnershipControls',
      operation: 'PutBucketOwnershipControls',
      put: (Bucket, value) =>
        s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: value as never })),
      readBack: async (Bucket) =>
        ((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules
          ?.length ?? 0) > 0,
    },
    {
      property: 'LifecycleConfiguration',
      operation: 'PutBucketLifecycleConfiguration',
      put: (Bucket, value, path) =>
        s3.send(
          new PutBucketLifecycleConfigurationCommand({
            Bucket,
            LifecycleConfiguration: {
              Rules: records(value.Rules, childPath(path, 'Rules')).map((rule, index) =>
                lifecycleRule(rule, childPath(childPath(path, 'Rules'), index)),
              ),
            },
          }),
        ),
      readBack: async (Bucket, value) =>
        (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules?.length ===
        (value.Rules as unknown[]).length,
      inert:
        'kept by fauxqs (GetBucketLifecycleConfiguration returns it), but its rules are not enforced: objects never expire locally',
    },
    {
      property: 'VersioningConfiguration',
      operation: 'PutBucketVersioning',
      put: (Bucket, value) =>
        s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: value as never })),
      readBack: async (Bucket, value) =>
        (await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status === value.Status,
    },
    {
      property: 'CorsConfiguration',
      operation: 'PutBucketCors',
      put: (Bucket, value, path) =>
        s3.send(
          new PutBucketCorsCommand({
            Bucket,
            CORSConfiguration: {
              CORSRules: records(value.CorsRules, childPath(path, 'CorsRules')).map((rule) => ({
                ID: rule.Id as string | undefined,
                AllowedHeaders: rule.AllowedHeaders as string[] | undefined,
                AllowedMethods: rule.AllowedMethods as string[],
                AllowedOrigins: rule.AllowedOrigins as string[],
                ExposeHeaders: rule.ExposedHeaders as string[] | undefined,
                MaxAgeSeconds: integer(rule.MaxAge, path),
              })),
            },
          }),
        ),
      readBack: async (Bucket) =>
        ((await s3.send(new GetBucketCorsCommand({ Bucket }))).CORSRules?.length ?? 0) > 0,
    },
  ];
}

export async function createBucket(
  s3: S3Client,
  bucket: { name: string; region: string; properties: Properties; path: string },
  ignore: Ignore,
): Promise<S3Notification[]> {
  const { name, region, properties, path } = bucket;
  await s3.send(
    new CreateBucketCommand({
      Bucket: name,
      // us-east-1 is the one region that takes no LocationConstraint.
      CreateBucketConfiguration:
        region === 'us-east-1' ? undefined : { LocationConstraint: region as BucketLocationConstraint },
    }),
  );
  const all = settings(s3);
  if (properties.Tags !== undefined) {
    const tagSet = Object.entries(tagMap(properties.Tags, childPath(path, 'Tags'))).map(([Key, Value]) => ({
      Key,
      Value,
    }));
    all.push({
      property: 'Tags',
      operation: 'PutBucketTagging',
      put: (Bucket) => s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: tagSet } })),
      readBack: async (Bucket) =>
        ((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet?.length ?? 0) === tagSet.length,
    });
  }
  for (const setting of all) {
    if (properties[setting.property] === undefined) continue;
    // Tags (a list) were turned into a TagSet above; every other setting is an object.
    const value = setting.property === 'Tags' ? {} : properties[setting.property];
    if (!isRecord(value)) throw new TemplateError(childPath(path, setting.property), 'must be an object');
    try {
      await setting.put(name, value, childPath(path, setting.property));
    } catch (error) {
      if (error instanceof TemplateError) throw error;
      ignore(setting.property, `fauxqs refused ${setting.operation}: ${errorMessage(error)}`);
      continue;
    }
    const kept = await setting.readBack(name, value).catch(() => false);
    if (!kept)
      ignore(
        setting.property,
        `fauxqs answers ${setting.operation} with success but does not keep it (reading it back returns nothing): not applied`,
      );
    else if (setting.inert) ignore(setting.property, setting.inert);
  }
  return properties.NotificationConfiguration === undefined
    ? []
    : bucketNotifications(
        name,
        properties.NotificationConfiguration,
        childPath(path, 'NotificationConfiguration'),
        ignore,
      );
}
