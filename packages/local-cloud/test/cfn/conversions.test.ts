// Template properties turned into what the local cloud runs: event source mappings with AWS's defaults,
// bus rules, secrets, bucket notifications, and the SQS / DynamoDB / S3 requests — with every property
// that is not applied reported by name.
import { describe, expect, test } from '@jest/globals';
import { createTableInput } from '../../src/cfn/dynamodb';
import { busRule } from '../../src/cfn/events';
import { eventSourceMapping, functionName } from '../../src/cfn/lambda';
import { bucketNotifications, lifecycleRule } from '../../src/cfn/s3';
import { generateSecretString, secretDefinition } from '../../src/cfn/secrets';
import { queueAttributes } from '../../src/cfn/sqs';

function reporter() {
  const ignored: Array<{ property: string; reason: string }> = [];
  return { ignored, ignore: (property: string, reason: string) => ignored.push({ property, reason }) };
}

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:work';
const STREAM_ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/items/stream/2026-01-01T00:00:00.000';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:handle';

describe('event source mappings', () => {
  test("an SQS mapping with AWS's defaults: batch 10, no window, enabled, no partial batch responses", () => {
    const { ignore, ignored } = reporter();
    expect(
      eventSourceMapping({ EventSourceArn: QUEUE_ARN, FunctionName: FUNCTION_ARN }, 'P', ignore),
    ).toEqual({
      kind: 'sqs',
      functionName: 'handle',
      queueArn: QUEUE_ARN,
      queueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/work',
      batchSize: 10,
      maximumBatchingWindowInSeconds: 0,
      reportBatchItemFailures: false,
      enabled: true,
    });
    expect(ignored).toEqual([]);
  });

  test('an SQS mapping carries what the template sets, MaximumConcurrency too, and reports filters it cannot carry', () => {
    const { ignore, ignored } = reporter();
    const mapping = eventSourceMapping(
      {
        EventSourceArn: QUEUE_ARN,
        FunctionName: 'handle',
        BatchSize: '5',
        MaximumBatchingWindowInSeconds: 2,
        Enabled: 'false',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        FilterCriteria: { Filters: [{ Pattern: '{"body":{"a":[1]}}' }] },
        ScalingConfig: { MaximumConcurrency: 2 },
      },
      'P',
      ignore,
    );
    expect(mapping).toMatchObject({
      batchSize: 5,
      maximumBatchingWindowInSeconds: 2,
      enabled: false,
      reportBatchItemFailures: true,
      maximumConcurrency: 2,
    });
    expect(ignored.map((entry) => entry.property)).toEqual(['FilterCriteria']);
    expect(ignored[0]!.reason).toContain('every message is delivered');
  });

  test('MaximumConcurrency: from 2 to 1,000 as Lambda takes it; an empty ScalingConfig sets none', () => {
    const { ignore, ignored } = reporter();
    const withScaling = (ScalingConfig: unknown) =>
      eventSourceMapping({ EventSourceArn: QUEUE_ARN, FunctionName: 'handle', ScalingConfig }, 'P', ignore);
    expect(withScaling({ MaximumConcurrency: '1000' })).toMatchObject({ maximumConcurrency: 1000 });
    expect(withScaling({})).not.toHaveProperty('maximumConcurrency');
    expect(() => withScaling({ MaximumConcurrency: 1 })).toThrow(
      'P.ScalingConfig.MaximumConcurrency: MaximumConcurrency must be from 2 to 1000, not 1',
    );
    expect(() => withScaling({ MaximumConcurrency: 1001 })).toThrow('must be from 2 to 1000');
    expect(() => withScaling({ MaximumConcurrency: 'many' })).toThrow('expected a whole number');
    expect(() => withScaling('5')).toThrow('P.ScalingConfig: ScalingConfig must be an object');
    expect(ignored).toEqual([]);
  });

  test("a stream mapping's ParallelizationFactor other than 1 is reported: each shard is read one batch at a time", () => {
    const { ignore, ignored } = reporter();
    const withFactor = (ParallelizationFactor: unknown) =>
      eventSourceMapping(
        {
          EventSourceArn: STREAM_ARN,
          FunctionName: 'handle',
          StartingPosition: 'LATEST',
          ParallelizationFactor,
        },
        'P',
        ignore,
      );
    withFactor(1);
    expect(ignored).toEqual([]);
    withFactor('4');
    expect(ignored).toEqual([
      { property: 'ParallelizationFactor', reason: expect.stringMatching(/^not emulated: .*not 4 at once/) },
    ]);
  });

  test("a DynamoDB stream mapping with AWS's defaults: batch 100, retries until the record expires, no bisection", () => {
    const { ignore } = reporter();
    expect(
      eventSourceMapping(
        { EventSourceArn: STREAM_ARN, FunctionName: 'handle', StartingPosition: 'LATEST' },
        'P',
        ignore,
      ),
    ).toEqual({
      kind: 'dynamodb-stream',
      functionName: 'handle',
      streamArn: STREAM_ARN,
      tableName: 'items',
      batchSize: 100,
      maximumBatchingWindowInSeconds: 0,
      startingPosition: 'LATEST',
      filterPatterns: [],
      maximumRetryAttempts: -1,
      bisectBatchOnFunctionError: false,
      reportBatchItemFailures: false,
      enabled: true,
    });
  });

  test('filter patterns are parsed from their JSON strings; a bad one is an error naming it', () => {
    const { ignore, ignored } = reporter();
    const mapping = eventSourceMapping(
      {
        EventSourceArn: STREAM_ARN,
        FunctionName: 'handle',
        StartingPosition: 'TRIM_HORIZON',
        FilterCriteria: {
          Filters: [
            { Pattern: '{"eventName":["INSERT"]}' },
            { Pattern: '{"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"a"}]}}}}' },
          ],
        },
        MaximumRetryAttempts: 3,
        BisectBatchOnFunctionError: true,
        DestinationConfig: { OnFailure: { Destination: QUEUE_ARN } },
      },
      'Resources.M.Properties',
      ignore,
    );
    expect(mapping).toMatchObject({
      filterPatterns: [{ eventName: ['INSERT'] }, { dynamodb: { Keys: { pk: { S: [{ prefix: 'a' }] } } } }],
      maximumRetryAttempts: 3,
      bisectBatchOnFunctionError: true,
      startingPosition: 'TRIM_HORIZON',
    });
    expect(ignored.map((entry) => entry.property)).toEqual(['DestinationConfig']);
    expect(() =>
      eventSourceMapping(
        {
          EventSourceArn: STREAM_ARN,
          FunctionName: 'f',
          StartingPosition: 'LATEST',
          FilterCriteria: { Filters: [{ Pattern: '{nope' }] },
        },
        'Resources.M.Properties',
        ignore,
      ),
    ).toThrow(
      'Resources.M.Properties.FilterCriteria.Filters[0].Pattern: the filter pattern is not valid JSON',
    );
    expect(() =>
      eventSourceMapping({ EventSourceArn: STREAM_ARN, FunctionName: 'f' }, 'Resources.M.Properties', ignore),
    ).toThrow('Resources.M.Properties.StartingPosition: a DynamoDB stream mapping needs StartingPosition');
  });

  test('other event sources are not emulated', () => {
    const kinesis = eventSourceMapping(
      {
        EventSourceArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
        FunctionName: 'f',
        StartingPosition: 'LATEST',
      },
      'P',
      reporter().ignore,
    );
    expect(kinesis).toEqual({
      notEmulated: expect.stringContaining('neither an SQS queue nor a DynamoDB stream'),
    });
  });

  test('function names in every form Lambda takes; a qualifier is reported as dropped', () => {
    const { ignore, ignored } = reporter();
    expect(functionName('handle', 'P')).toBe('handle');
    expect(functionName(FUNCTION_ARN, 'P')).toBe('handle');
    expect(functionName('000000000000:function:handle', 'P')).toBe('handle');
    expect(functionName(`${FUNCTION_ARN}:PROD`, 'P', ignore)).toBe('handle');
    expect(ignored).toEqual([
      { property: 'FunctionName', reason: expect.stringContaining(':PROD is dropped') },
    ]);
  });
});

describe('bus rules', () => {
  const rule = (properties: Record<string, unknown>) => {
    const { ignore, ignored } = reporter();
    return {
      result: busRule(
        { name: 'r', arn: 'arn:aws:events:us-east-1:000000000000:rule/b/r', properties, path: 'P' },
        ignore,
      ),
      ignored,
    };
  };

  test('pattern, state, bus and every kind of target setting', () => {
    const { result, ignored } = rule({
      EventBusName: 'b',
      EventPattern: '{"source":["herald.processing"]}',
      Targets: [
        {
          Id: 'queue',
          Arn: QUEUE_ARN,
          InputTransformer: { InputPathsMap: { id: '$.id' }, InputTemplate: '{"id": <id>}' },
          DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:dlq' },
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 400 },
        },
        { Id: 'fn', Arn: FUNCTION_ARN, Input: '{"fixed":true}' },
        { Id: 'path', Arn: FUNCTION_ARN, InputPath: '$.detail' },
      ],
    });
    expect(result).toEqual({
      name: 'r',
      arn: 'arn:aws:events:us-east-1:000000000000:rule/b/r',
      eventBusName: 'b',
      eventPattern: { source: ['herald.processing'] },
      state: 'ENABLED',
      targets: [
        {
          id: 'queue',
          arn: QUEUE_ARN,
          inputTransformer: { InputPathsMap: { id: '$.id' }, InputTemplate: '{"id": <id>}' },
          deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:dlq',
          maximumRetryAttempts: 4,
        },
        { id: 'fn', arn: FUNCTION_ARN, input: '{"fixed":true}' },
        { id: 'path', arn: FUNCTION_ARN, inputPath: '$.detail' },
      ],
    });
    expect(ignored).toEqual([
      { property: 'Targets[0].RetryPolicy.MaximumEventAgeInSeconds', reason: expect.any(String) },
    ]);
  });

  test('the default bus, DISABLED, and targets that cannot be delivered locally are reported and left out', () => {
    const { result, ignored } = rule({
      EventPattern: { source: ['x'] },
      State: 'DISABLED',
      RoleArn: 'arn:aws:iam::000000000000:role/r',
      Targets: [{ Id: 'sns', Arn: 'arn:aws:sns:us-east-1:000000000000:topic' }],
    });
    expect(result).toMatchObject({ eventBusName: 'default', state: 'DISABLED', targets: [] });
    expect(ignored.map((entry) => entry.property)).toEqual(['RoleArn', 'Targets[0]']);
  });

  test('a schedule-only rule is not emulated', () => {
    expect(rule({ ScheduleExpression: 'rate(5 minutes)' }).result).toEqual({
      notEmulated: expect.stringContaining('schedules'),
    });
  });
});

describe('secrets', () => {
  test('name, ARN, key, description and the given value', () => {
    const { ignore } = reporter();
    expect(
      secretDefinition(
        {
          name: 's',
          arn: 'arn:s',
          properties: { KmsKeyId: 'k', Description: 'd', SecretString: 'v' },
          path: 'P',
        },
        ignore,
      ),
    ).toEqual({ name: 's', arn: 'arn:s', kmsKeyId: 'k', description: 'd', secretString: 'v' });
  });

  test('GenerateSecretString: 32 characters of every type by default', () => {
    const password = generateSecretString({}, 'P');
    expect(password).toHaveLength(32);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[0-9]/);
    expect(password).toMatch(/[^a-zA-Z0-9]/);
  });

  test('GenerateSecretString: exclusions, and a JSON template with the generated key', () => {
    const value = generateSecretString(
      {
        SecretStringTemplate: '{"username":"admin"}',
        GenerateStringKey: 'password',
        PasswordLength: 16,
        ExcludePunctuation: true,
        ExcludeCharacters: 'aeiou',
      },
      'P',
    );
    const parsed = JSON.parse(value) as { username: string; password: string };
    expect(parsed.username).toBe('admin');
    expect(parsed.password).toMatch(/^[b-df-hj-np-tv-zA-Z0-9]{16}$/);
    expect(() => generateSecretString({ GenerateStringKey: 'k' }, 'P')).toThrow(
      'SecretStringTemplate and GenerateStringKey go together',
    );
  });
});

describe('buckets', () => {
  test('Lambda notifications with prefix and suffix rules (in either case); other targets reported', () => {
    const { ignore, ignored } = reporter();
    expect(
      bucketNotifications(
        'uploads',
        {
          LambdaConfigurations: [
            {
              Event: 's3:ObjectCreated:*',
              Function: FUNCTION_ARN,
              Filter: {
                S3Key: {
                  Rules: [
                    { Name: 'Prefix', Value: 'incoming/' },
                    { Name: 'suffix', Value: '.ndjson' },
                  ],
                },
              },
            },
            { Event: 's3:ObjectRemoved:Delete', Function: FUNCTION_ARN },
          ],
          QueueConfigurations: [{ Event: 's3:ObjectCreated:*', Queue: QUEUE_ARN }],
        },
        'P',
        ignore,
      ),
    ).toEqual([
      {
        kind: 's3',
        functionName: 'handle',
        bucket: 'uploads',
        events: ['s3:ObjectCreated:*'],
        prefix: 'incoming/',
        suffix: '.ndjson',
      },
      { kind: 's3', functionName: 'handle', bucket: 'uploads', events: ['s3:ObjectRemoved:Delete'] },
    ]);
    expect(ignored.map((entry) => entry.property)).toEqual(['NotificationConfiguration.QueueConfigurations']);
  });

  test("CloudFormation's lifecycle rules become S3's", () => {
    expect(
      lifecycleRule(
        {
          Id: 'Expire',
          Status: 'Enabled',
          ExpirationInDays: 1,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
        'P',
      ),
    ).toMatchObject({
      ID: 'Expire',
      Status: 'Enabled',
      Filter: { Prefix: '' },
      Expiration: { Days: 1 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
    });
    expect(
      lifecycleRule(
        {
          Status: 'Enabled',
          Prefix: 'tmp/',
          TagFilters: [{ Key: 'k', Value: 'v' }],
          NoncurrentVersionExpirationInDays: 3,
        },
        'P',
      ),
    ).toMatchObject({
      Filter: { And: { Prefix: 'tmp/', Tags: [{ Key: 'k', Value: 'v' }] } },
      NoncurrentVersionExpiration: { NoncurrentDays: 3 },
    });
  });
});

describe('SQS and DynamoDB requests', () => {
  test('queue attributes: numbers as text, JSON policies as JSON strings, FifoQueue=false left out', () => {
    expect(
      queueAttributes({
        VisibilityTimeout: 60,
        RedrivePolicy: { deadLetterTargetArn: QUEUE_ARN, maxReceiveCount: 5 },
        RedriveAllowPolicy: '{"redrivePermission":"allowAll"}',
        FifoQueue: false,
        QueueName: 'ignored-here',
      }),
    ).toEqual({
      VisibilityTimeout: '60',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: QUEUE_ARN, maxReceiveCount: 5 }),
      RedriveAllowPolicy: '{"redrivePermission":"allowAll"}',
    });
  });

  test("tables: CloudFormation's PROVISIONED default, streams switched on, index extras reported", () => {
    const { ignore, ignored } = reporter();
    const input = createTableInput(
      't',
      {
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        ProvisionedThroughput: { ReadCapacityUnits: '5', WriteCapacityUnits: 5 },
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byX',
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
            ContributorInsightsSpecification: { Enabled: true },
          },
        ],
      },
      'P',
      ignore,
    );
    expect(input).toMatchObject({
      TableName: 't',
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      GlobalSecondaryIndexes: [
        { IndexName: 'byX', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } },
      ],
    });
    expect(ignored.map((entry) => entry.property)).toEqual([
      'GlobalSecondaryIndexes[0].ContributorInsightsSpecification',
    ]);
  });
});
