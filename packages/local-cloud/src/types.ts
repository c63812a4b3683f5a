/**
 * What the parts of the local cloud hand each other. The provisioner reads the services' packaged
 * CloudFormation and produces these; the event-source pollers, the event bus and the orchestrator
 * consume them.
 */

/** Invokes a function by its deployed name, e.g. `herald-processing-local-consume`. */
export interface FunctionInvoker {
  /** RequestResponse: resolves with the function's result; rejects with FunctionError if it threw. */
  invoke(functionName: string, payload: unknown): Promise<unknown>;
  /** Event (asynchronous) invocation: resolves once accepted; failures are the invoker's to retry/log. */
  invokeAsync(functionName: string, payload: unknown): Promise<void>;
}

/** The function ran and failed (threw, or timed out): Lambda's `FunctionError` response. */
export class FunctionError extends Error {
  override readonly name = 'FunctionError';
  constructor(
    readonly functionName: string,
    readonly errorType: string,
    message: string,
  ) {
    super(`${functionName} failed: ${errorType}: ${message}`);
  }
}

/** An SQS queue → function mapping (AWS::Lambda::EventSourceMapping on a queue). */
export interface SqsMapping {
  kind: 'sqs';
  functionName: string;
  queueArn: string;
  queueUrl: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  /** FunctionResponseTypes includes ReportBatchItemFailures. */
  reportBatchItemFailures: boolean;
  enabled: boolean;
  /** ScalingConfig.MaximumConcurrency (2 to 1,000): batches handled at once; undefined when the template has none. */
  maximumConcurrency?: number;
}

/** A DynamoDB stream → function mapping. */
export interface StreamMapping {
  kind: 'dynamodb-stream';
  functionName: string;
  streamArn: string;
  tableName: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  /** FilterCriteria.Filters[].Pattern, parsed; a record is delivered when ANY pattern matches. */
  filterPatterns: unknown[];
  /** -1 = retry until the record expires (AWS's default). */
  maximumRetryAttempts: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  enabled: boolean;
}

/** An S3 bucket notification → function (NotificationConfiguration.LambdaConfigurations). */
export interface S3Notification {
  kind: 's3';
  functionName: string;
  bucket: string;
  /** e.g. ['s3:ObjectCreated:*'] */
  events: string[];
  prefix?: string;
  suffix?: string;
}

export type EventSource = SqsMapping | StreamMapping | S3Notification;

/** An EventBridge rule and its targets, as the bus routes them. */
export interface BusRule {
  name: string;
  arn: string;
  eventBusName: string;
  eventPattern: unknown;
  state: 'ENABLED' | 'DISABLED';
  targets: BusTarget[];
}

export interface BusTarget {
  id: string;
  /** An SQS queue ARN or a Lambda function ARN. */
  arn: string;
  input?: string;
  inputPath?: string;
  inputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  /** Where an event goes when delivery to the target fails (an SQS queue ARN). */
  deadLetterArn?: string;
  maximumRetryAttempts?: number;
}
