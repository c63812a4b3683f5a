/**
 * AWS::DynamoDB::Table, created for real in DynamoDB Local: keys, indexes, billing, streams, then
 * TimeToLiveSpecification through UpdateTimeToLive as CloudFormation does. What DynamoDB Local
 * ignores or refuses (encryption, point-in-time recovery, tags, table class...) is tried, checked in
 * DescribeTable, and reported.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  TagResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateContributorInsightsCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import {
  boolean,
  checkProperties,
  errorMessage,
  integer,
  tagMap,
  type Ignore,
  type PropertyRules,
} from './report';
import { childPath, isRecord, TemplateError } from './template';

export const TABLE_PROPERTIES: PropertyRules = {
  used: [
    'TableName',
    'AttributeDefinitions',
    'KeySchema',
    'GlobalSecondaryIndexes',
    'LocalSecondaryIndexes',
    'BillingMode',
    'ProvisionedThroughput',
    'StreamSpecification',
    'TimeToLiveSpecification',
    'SSESpecification',
    'PointInTimeRecoverySpecification',
    'DeletionProtectionEnabled',
    'TableClass',
    'Tags',
    'ContributorInsightsSpecification',
  ],
  ignored: {
    KinesisStreamSpecification: 'Kinesis Data Streams are not emulated',
    ImportSourceSpecification: 'importing from S3 is not emulated: the table starts empty',
    ResourcePolicy: 'resource policies are not enforced locally',
    OnDemandThroughput: 'DynamoDB Local does not throttle',
    WarmThroughput: 'DynamoDB Local does not throttle',
  },
};

const INDEX_PROPERTIES: PropertyRules = {
  used: ['IndexName', 'KeySchema', 'Projection', 'ProvisionedThroughput'],
  ignored: {
    ContributorInsightsSpecification: 'CloudWatch Contributor Insights is not emulated',
    OnDemandThroughput: 'DynamoDB Local does not throttle',
    WarmThroughput: 'DynamoDB Local does not throttle',
  },
};

function throughput(value: unknown, path: string) {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new TemplateError(path, 'ProvisionedThroughput must be an object');
  return {
    ReadCapacityUnits: integer(value.ReadCapacityUnits, childPath(path, 'ReadCapacityUnits')),
    WriteCapacityUnits: integer(value.WriteCapacityUnits, childPath(path, 'WriteCapacityUnits')),
  };
}

function indexes(value: unknown, path: string, property: string, ignore: Ignore) {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new TemplateError(path, `${property} must be a list`);
  return value.map((index, position) => {
    if (!isRecord(index)) throw new TemplateError(childPath(path, position), 'an index must be an object');
    checkProperties(index, INDEX_PROPERTIES, ignore, childPath(property, position));
    return {
      IndexName: index.IndexName as string,
      KeySchema: index.KeySchema as never,
      Projection: index.Projection as never,
      ProvisionedThroughput: throughput(
        index.ProvisionedThroughput,
        childPath(childPath(path, position), 'ProvisionedThroughput'),
      ),
    };
  });
}

/** The CreateTable request a template's table properties stand for. */
export function createTableInput(
  name: string,
  properties: Record<string, unknown>,
  path: string,
  ignore: Ignore,
): CreateTableCommandInput {
  const at = (property: string) => childPath(path, property);
  const stream = properties.StreamSpecification;
  if (stream !== undefined && !isRecord(stream))
    throw new TemplateError(at('StreamSpecification'), 'must be an object');
  if (stream?.ResourcePolicy !== undefined)
    ignore('StreamSpecification.ResourcePolicy', 'resource policies are not enforced locally');
  const sse = properties.SSESpecification;
  if (sse !== undefined && !isRecord(sse))
    throw new TemplateError(at('SSESpecification'), 'must be an object');
  return {
    TableName: name,
    AttributeDefinitions: properties.AttributeDefinitions as never,
    KeySchema: properties.KeySchema as never,
    // CloudFormation's default, unlike the console's.
    BillingMode: (properties.BillingMode as 'PROVISIONED' | 'PAY_PER_REQUEST' | undefined) ?? 'PROVISIONED',
    ProvisionedThroughput: throughput(properties.ProvisionedThroughput, at('ProvisionedThroughput')),
    GlobalSecondaryIndexes: indexes(
      properties.GlobalSecondaryIndexes,
      at('GlobalSecondaryIndexes'),
      'GlobalSecondaryIndexes',
      ignore,
    ),
    LocalSecondaryIndexes: indexes(
      properties.LocalSecondaryIndexes,
      at('LocalSecondaryIndexes'),
      'LocalSecondaryIndexes',
      ignore,
    ),
    StreamSpecification: stream
      ? { StreamEnabled: true, StreamViewType: stream.StreamViewType as 'NEW_IMAGE' }
      : undefined,
    SSESpecification: sse
      ? {
          Enabled: boolean(sse.SSEEnabled, at('SSESpecification.SSEEnabled')),
          SSEType: sse.SSEType as 'KMS' | undefined,
          KMSMasterKeyId: sse.KMSMasterKeyId as string | undefined,
        }
      : undefined,
    DeletionProtectionEnabled: boolean(properties.DeletionProtectionEnabled, at('DeletionProtectionEnabled')),
    TableClass: properties.TableClass as 'STANDARD' | undefined,
  };
}

/** Runs a call DynamoDB Local may not support; a refusal becomes a report entry. */
async function attempt(property: string, call: () => Promise<unknown>, ignore: Ignore): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    ignore(property, `DynamoDB Local refused it: ${errorMessage(error)}`);
    return false;
  }
}

/** Reports what DynamoDB Local accepted in CreateTable but does not show in DescribeTable. */
function checkDescription(
  table: TableDescription,
  properties: Record<string, unknown>,
  ignore: Ignore,
): void {
  const sse = properties.SSESpecification as Record<string, unknown> | undefined;
  if (sse && String(sse.SSEEnabled) === 'true' && !table.SSEDescription)
    ignore(
      'SSESpecification',
      'DynamoDB Local accepts it but does not encrypt (DescribeTable shows no SSEDescription)',
    );
  if (properties.TableClass !== undefined && table.TableClassSummary?.TableClass !== properties.TableClass)
    ignore(
      'TableClass',
      'DynamoDB Local accepts it but does not keep it (DescribeTable shows no TableClassSummary)',
    );
  const protection = properties.DeletionProtectionEnabled;
  if (protection !== undefined && table.DeletionProtectionEnabled !== (String(protection) === 'true'))
    ignore('DeletionProtectionEnabled', 'DynamoDB Local did not keep it');
  if (properties.StreamSpecification !== undefined && !table.LatestStreamArn)
    ignore('StreamSpecification', 'DynamoDB Local created the table without a stream');
}

/** Creates the table; returns its attributes known only now (StreamArn, DynamoDB Local's own). */
export async function createTable(
  dynamodb: DynamoDBClient,
  table: { name: string; properties: Record<string, unknown>; path: string },
  ignore: Ignore,
): Promise<Record<string, string>> {
  const { name, properties, path } = table;
  await dynamodb.send(new CreateTableCommand(createTableInput(name, properties, path, ignore)));
  const { Table: description } = await dynamodb.send(new DescribeTableCommand({ TableName: name }));
  if (!description) throw new Error(`DescribeTable gave nothing for ${name}`);
  checkDescription(description, properties, ignore);

  const ttl = properties.TimeToLiveSpecification;
  if (isRecord(ttl) && boolean(ttl.Enabled, childPath(path, 'TimeToLiveSpecification.Enabled'))) {
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: name,
        TimeToLiveSpecification: { AttributeName: ttl.AttributeName as string, Enabled: true },
      }),
    );
    const { TimeToLiveDescription } = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: name }));
    if (!['ENABLED', 'ENABLING'].includes(TimeToLiveDescription?.TimeToLiveStatus ?? ''))
      ignore('TimeToLiveSpecification', 'DynamoDB Local did not enable it');
  }
  // Settings DynamoDB Local may refuse: applied when the template turns them on, reported when refused.
  const applyIfOn = async (setting: string, flag: string, apply: () => Promise<unknown>) => {
    const value = properties[setting];
    if (isRecord(value) && String(value[flag]) === 'true') await attempt(setting, apply, ignore);
  };
  await applyIfOn('PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled', () =>
    dynamodb.send(
      new UpdateContinuousBackupsCommand({
        TableName: name,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    ),
  );
  await applyIfOn('ContributorInsightsSpecification', 'Enabled', () =>
    dynamodb.send(
      new UpdateContributorInsightsCommand({ TableName: name, ContributorInsightsAction: 'ENABLE' }),
    ),
  );
  if (properties.Tags !== undefined) {
    const tags = Object.entries(tagMap(properties.Tags, childPath(path, 'Tags'))).map(([Key, Value]) => ({
      Key,
      Value,
    }));
    if (tags.length > 0)
      await attempt(
        'Tags',
        () => dynamodb.send(new TagResourceCommand({ ResourceArn: description.TableArn, Tags: tags })),
        ignore,
      );
  }
  return description.LatestStreamArn ? { StreamArn: description.LatestStreamArn } : {};
}
