/**
 * Lambda resources as data for the local cloud: functions by name (the function runner provides their
 * code) and AWS::Lambda::EventSourceMapping as the SqsMapping / StreamMapping the pollers run, with
 * AWS's documented defaults for what the template leaves out.
 */
import type { SqsMapping, StreamMapping } from '../types';
import { boolean, checkProperties, integer, type Ignore, type PropertyRules } from './report';
import { childPath, isRecord, TemplateError } from './template';

export interface FunctionDefinition {
  logicalId: string;
  name: string;
  arn: string;
  handler?: string;
  runtime?: string;
  timeout?: number;
  memorySize?: number;
  environment: Record<string, string>;
}

export const FUNCTION_PROPERTIES: PropertyRules = {
  used: ['FunctionName', 'Handler', 'Runtime', 'Timeout', 'MemorySize', 'Environment', 'Description'],
  ignored: {
    Code: "not deployed here: the local cloud's function runner provides the code",
    Role: "read by the IAM gateway (src/iam/roles.ts), which checks each of the function's calls against it",
    TracingConfig: 'X-Ray is not emulated',
    Architectures: "functions run on the host's architecture",
    Tags: 'functions are not tagged locally',
    Layers: 'layers are not emulated',
    VpcConfig: 'there is no VPC locally',
    ReservedConcurrentExecutions: 'concurrency limits are not emulated',
    DeadLetterConfig: 'dead-letter queues of asynchronous invocations are not emulated',
    KmsKeyArn: 'KMS is not emulated',
    LoggingConfig: 'logs go to the local process output',
    EphemeralStorage: 'not enforced locally',
    SnapStart: 'not emulated',
  },
};

/** The function named by a Lambda `FunctionName`: a name, an ARN, a partial ARN, with or without a qualifier. */
export function functionName(value: unknown, path: string, ignore?: Ignore): string {
  if (typeof value !== 'string' || value === '')
    throw new TemplateError(path, 'a function name or ARN is needed');
  const parts = value.split(':');
  let name = value;
  let qualifier: string | undefined;
  if (value.startsWith('arn:')) [name, qualifier] = [parts[6] ?? '', parts[7]];
  else if (parts[1] === 'function') [name, qualifier] = [parts[2] ?? '', parts[3]];
  else if (parts.length === 2) [name, qualifier] = parts as [string, string];
  if (!name) throw new TemplateError(path, `${value} does not name a function`);
  if (qualifier !== undefined)
    ignore?.(
      'FunctionName',
      `the qualifier :${qualifier} is dropped: the local cloud runs one version of each function`,
    );
  return name;
}

export function functionDefinition(
  logicalId: string,
  name: string,
  arn: string,
  properties: Record<string, unknown>,
  path: string,
): FunctionDefinition {
  const variables = isRecord(properties.Environment) ? properties.Environment.Variables : undefined;
  if (variables !== undefined && !isRecord(variables))
    throw new TemplateError(childPath(path, 'Environment.Variables'), 'must be an object');
  return {
    logicalId,
    name,
    arn,
    handler: properties.Handler as string | undefined,
    runtime: properties.Runtime as string | undefined,
    timeout: integer(properties.Timeout, childPath(path, 'Timeout')),
    memorySize: integer(properties.MemorySize, childPath(path, 'MemorySize')),
    environment: Object.fromEntries(
      Object.entries(variables ?? {}).map(([key, value]) => [key, String(value)]),
    ),
  };
}

const COMMON_MAPPING = [
  'EventSourceArn',
  'FunctionName',
  'BatchSize',
  'MaximumBatchingWindowInSeconds',
  'Enabled',
  'FunctionResponseTypes',
];
const MAPPING_IGNORED: Record<string, string> = {
  Tags: 'mappings are not tagged locally',
  KmsKeyArn: 'KMS is not emulated',
  MetricsConfig: 'CloudWatch metrics are not emulated',
  ProvisionedPollerConfig: 'provisioned pollers are not emulated: one local poller per mapping',
};

const SQS_MAPPING: PropertyRules = {
  used: [...COMMON_MAPPING, 'ScalingConfig'],
  ignored: {
    ...MAPPING_IGNORED,
    // AWS deletes messages that match no filter; an SqsMapping has nowhere to carry filters.
    FilterCriteria: 'not carried to the SQS poller: every message is delivered to the function',
  },
};

const STREAM_MAPPING: PropertyRules = {
  used: [
    ...COMMON_MAPPING,
    'StartingPosition',
    'FilterCriteria',
    'MaximumRetryAttempts',
    'BisectBatchOnFunctionError',
    // Checked below: 1, Lambda's default, is what the poller does; any other value is reported.
    'ParallelizationFactor',
  ],
  ignored: {
    ...MAPPING_IGNORED,
    MaximumRecordAgeInSeconds:
      'not carried to the stream poller: records are retried until MaximumRetryAttempts',
    DestinationConfig: 'on-failure destinations are not carried to the stream poller',
    TumblingWindowInSeconds: 'tumbling windows are not emulated',
    StartingPositionTimestamp: 'AT_TIMESTAMP applies to Kinesis only',
  },
};

/** ScalingConfig.MaximumConcurrency, which Lambda takes from 2 to 1,000; an empty ScalingConfig sets none. */
function maximumConcurrency(value: unknown, path: string): number | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new TemplateError(path, 'ScalingConfig must be an object');
  const at = childPath(path, 'MaximumConcurrency');
  const maximum = integer(value.MaximumConcurrency, at);
  if (maximum !== undefined && (maximum < 2 || maximum > 1000))
    throw new TemplateError(at, `MaximumConcurrency must be from 2 to 1000, not ${maximum}`);
  return maximum;
}

/** Parses FilterCriteria.Filters[].Pattern, which Lambda takes as JSON strings. */
function filterPatterns(value: unknown, path: string): unknown[] {
  if (value === undefined) return [];
  const filters = isRecord(value) ? value.Filters : undefined;
  if (!Array.isArray(filters)) throw new TemplateError(path, 'FilterCriteria needs Filters: [{ Pattern }]');
  return filters.map((filter, index) => {
    const at = childPath(childPath(childPath(path, 'Filters'), index), 'Pattern');
    const pattern = isRecord(filter) ? filter.Pattern : undefined;
    if (isRecord(pattern)) return pattern;
    if (typeof pattern !== 'string') throw new TemplateError(at, 'a filter pattern must be a JSON string');
    try {
      return JSON.parse(pattern) as unknown;
    } catch (error) {
      throw new TemplateError(at, `the filter pattern is not valid JSON: ${(error as Error).message}`);
    }
  });
}

/**
 * The mapping a template's AWS::Lambda::EventSourceMapping stands for, or a reason it is not emulated
 * (an event source other than an SQS queue or a DynamoDB stream).
 */
export function eventSourceMapping(
  properties: Record<string, unknown>,
  path: string,
  ignore: Ignore,
): SqsMapping | StreamMapping | { notEmulated: string } {
  const at = (property: string) => childPath(path, property);
  const source = properties.EventSourceArn;
  if (typeof source !== 'string')
    throw new TemplateError(at('EventSourceArn'), 'an event source ARN is needed');
  const [, , service, region, account, resource = ''] = source.split(':');
  const responseTypes = properties.FunctionResponseTypes;
  if (responseTypes !== undefined && !Array.isArray(responseTypes))
    throw new TemplateError(at('FunctionResponseTypes'), 'must be a list');
  const common = {
    functionName: functionName(properties.FunctionName, at('FunctionName'), ignore),
    maximumBatchingWindowInSeconds:
      integer(properties.MaximumBatchingWindowInSeconds, at('MaximumBatchingWindowInSeconds')) ?? 0,
    reportBatchItemFailures: (responseTypes ?? []).includes('ReportBatchItemFailures'),
    enabled: boolean(properties.Enabled, at('Enabled')) ?? true,
  };
  if (service === 'sqs') {
    checkProperties(properties, SQS_MAPPING, ignore);
    const maximum = maximumConcurrency(properties.ScalingConfig, at('ScalingConfig'));
    return {
      kind: 'sqs',
      ...common,
      queueArn: source,
      queueUrl: `https://sqs.${region}.amazonaws.com/${account}/${resource}`,
      batchSize: integer(properties.BatchSize, at('BatchSize')) ?? 10,
      ...(maximum !== undefined && { maximumConcurrency: maximum }),
    };
  }
  if (service === 'dynamodb' && resource.includes('/stream/')) {
    checkProperties(properties, STREAM_MAPPING, ignore);
    const parallelization = integer(properties.ParallelizationFactor, at('ParallelizationFactor'));
    if (parallelization !== undefined && parallelization !== 1)
      ignore(
        'ParallelizationFactor',
        `not emulated: the local poller reads each shard one batch at a time (Lambda's default, 1), not ${parallelization} at once`,
      );
    const startingPosition = properties.StartingPosition;
    if (startingPosition !== 'LATEST' && startingPosition !== 'TRIM_HORIZON')
      throw new TemplateError(
        at('StartingPosition'),
        'a DynamoDB stream mapping needs StartingPosition LATEST or TRIM_HORIZON',
      );
    return {
      kind: 'dynamodb-stream',
      ...common,
      streamArn: source,
      tableName: resource.split('/')[1]!,
      batchSize: integer(properties.BatchSize, at('BatchSize')) ?? 100,
      startingPosition,
      filterPatterns: filterPatterns(properties.FilterCriteria, at('FilterCriteria')),
      maximumRetryAttempts: integer(properties.MaximumRetryAttempts, at('MaximumRetryAttempts')) ?? -1,
      bisectBatchOnFunctionError:
        boolean(properties.BisectBatchOnFunctionError, at('BisectBatchOnFunctionError')) ?? false,
    };
  }
  return {
    notEmulated: `event source ${source} is neither an SQS queue nor a DynamoDB stream, which are all the local cloud polls`,
  };
}
