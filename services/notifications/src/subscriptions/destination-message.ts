/**
 * What Herald sends to an AWS destination, one request per message, built from the same signed
 * webhook (body and Standard Webhooks headers) a URL would receive:
 *
 *   SQS          SendMessage: MessageBody = the body; the headers as String message attributes
 *                (a FIFO queue: MessageGroupId = the event's subject, or its id; deduplication id =
 *                webhook-id)
 *   SNS          Publish: Message = the body; the headers as String message attributes (FIFO alike)
 *   EventBridge  PutEvents, one entry: Source `herald`, DetailType = the event type,
 *                Detail = {"headers":{…},"payload":<the body>} (PutEvents has no attributes)
 *   Kinesis      PutRecord: PartitionKey = the subject (or the event id), Data = the same
 *                {"headers":{…},"payload":<the body>} wrapper
 *
 * In the wrapper the body is embedded as it was signed, so `JSON.stringify(detail.payload)` in
 * JavaScript (compact JSON, members in order) gives back the signed bytes. Also here: how an AWS
 * error becomes an attempt's result (retryable or not).
 */
import type { AttemptResult } from '../delivery/ports';
import type { DestinationService, DestinationTarget } from './destination-arn';
import type { RoleCredentials } from './destination-role';

/** The headers that travel with the message: Standard Webhooks' three and the correlation id. */
export const MESSAGE_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;
export const CORRELATION_ATTRIBUTE = 'x-correlation-id';
/** EventBridge entries' source: every event Herald puts on a tenant's bus. */
export const EVENTBRIDGE_SOURCE = 'herald';
const MAX_PARTITION_KEY = 256;

export interface DestinationMessage {
  body: string;
  /** webhook-id, webhook-timestamp, webhook-signature. */
  headers: Record<(typeof MESSAGE_HEADERS)[number], string>;
  correlationId: string;
  eventId: string;
  eventType: string;
  subject?: string;
  /** The event's time (EventBridge's entry Time). */
  time?: string;
}

type Attributes = Record<string, { DataType: 'String'; StringValue: string }>;

export type DestinationRequest =
  | {
      service: 'sqs';
      region: string;
      input: {
        QueueUrl: string;
        MessageBody: string;
        MessageAttributes: Attributes;
        MessageGroupId?: string;
        MessageDeduplicationId?: string;
      };
    }
  | {
      service: 'sns';
      region: string;
      input: {
        TopicArn: string;
        Message: string;
        MessageAttributes: Attributes;
        MessageGroupId?: string;
        MessageDeduplicationId?: string;
      };
    }
  | {
      service: 'events';
      region: string;
      input: {
        Entries: [{ EventBusName: string; Source: string; DetailType: string; Detail: string; Time?: Date }];
      };
    }
  | {
      service: 'kinesis';
      region: string;
      input: { StreamARN: string; PartitionKey: string; Data: Uint8Array };
    };

/** Sends one request with the role's credentials (or the function's own where the stage says so). */
export interface DestinationSender {
  /** Throws the service's error (its `name`, `$metadata.httpStatusCode`) when it refuses. */
  send(request: DestinationRequest, credentials: RoleCredentials | undefined): Promise<void>;
}

/** The queue's URL from its ARN (SQS addresses a queue by URL). */
export function queueUrl(target: DestinationTarget): string {
  const domain = target.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${target.region}.${domain}/${target.account}/${target.name}`;
}

function attributes(message: DestinationMessage): Attributes {
  const out: Attributes = {};
  for (const name of MESSAGE_HEADERS) out[name] = { DataType: 'String', StringValue: message.headers[name] };
  out[CORRELATION_ATTRIBUTE] = { DataType: 'String', StringValue: message.correlationId };
  return out;
}

/** The subject when there is one Kinesis can take (1-256 characters), else the event's id. */
export function partitionKey(message: Pick<DestinationMessage, 'subject' | 'eventId'>): string {
  const subject = message.subject;
  return subject !== undefined && subject.length > 0 && subject.length <= MAX_PARTITION_KEY
    ? subject
    : message.eventId.slice(0, MAX_PARTITION_KEY);
}

/** `{"headers":{…},"payload":<body>}`, the body embedded verbatim (it is JSON already). */
export function wrappedMessage(message: DestinationMessage): string {
  const headers: Record<string, string> = {
    ...message.headers,
    [CORRELATION_ATTRIBUTE]: message.correlationId,
  };
  return `{"headers":${JSON.stringify(headers)},"payload":${message.body}}`;
}

export function destinationRequest(
  target: DestinationTarget,
  message: DestinationMessage,
): DestinationRequest {
  const fifo = target.fifo
    ? {
        MessageGroupId: partitionKey(message).slice(0, 128),
        MessageDeduplicationId: message.headers['webhook-id'],
      }
    : {};
  switch (target.service) {
    case 'sqs':
      return {
        service: 'sqs',
        region: target.region,
        input: {
          QueueUrl: queueUrl(target),
          MessageBody: message.body,
          MessageAttributes: attributes(message),
          ...fifo,
        },
      };
    case 'sns':
      return {
        service: 'sns',
        region: target.region,
        input: {
          TopicArn: target.arn,
          Message: message.body,
          MessageAttributes: attributes(message),
          ...fifo,
        },
      };
    case 'events':
      return {
        service: 'events',
        region: target.region,
        input: {
          Entries: [
            {
              EventBusName: target.arn,
              Source: EVENTBRIDGE_SOURCE,
              DetailType: message.eventType,
              Detail: wrappedMessage(message),
              ...(message.time === undefined ? {} : { Time: new Date(message.time) }),
            },
          ],
        },
      };
    case 'kinesis':
      return {
        service: 'kinesis',
        region: target.region,
        input: {
          StreamARN: target.arn,
          PartitionKey: partitionKey(message),
          Data: new TextEncoder().encode(wrappedMessage(message)),
        },
      };
  }
}

/** An error an AWS call threw, as far as the mapping reads it. */
export interface AwsFailure {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Errors that say the destination or its role refuses: the same request would be refused again. */
const REFUSED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AuthorizationError',
  'AuthorizationErrorException',
  'KMSAccessDeniedException',
  'KMSAccessDenied',
  'KMSDisabledException',
  'KMS.DisabledException',
  'KMSInvalidStateException',
  'KMS.KMSInvalidStateException',
  'KMSNotFoundException',
  'KMS.NotFoundException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'RegionDisabledException',
  'InvalidIdentityToken',
]);
const NOT_FOUND = new Set([
  'NotFound',
  'NotFoundException',
  'ResourceNotFoundException',
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
]);
const INVALID = new Set([
  'InvalidParameter',
  'InvalidParameterException',
  'InvalidParameterValue',
  'InvalidParameterValueException',
  'InvalidArgumentException',
  'ValidationException',
  'ValidationError',
  'InvalidMessageContents',
  'InvalidAttributeName',
  'InvalidAttributeValue',
  'MessageTooLong',
  'InvalidBatchEntryId',
  'UnsupportedOperation',
  'AWS.SimpleQueueService.UnsupportedOperation',
  'MalformedPolicyDocument',
  'PackedPolicyTooLarge',
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'KMSThrottlingException',
  'KMS.ThrottlingException',
  'LimitExceededException',
  'SlowDown',
]);
const UNAVAILABLE = new Set([
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalError',
  'InternalFailure',
  'InternalErrorException',
  'InternalServiceError',
  'InternalServerError',
  'KMSOptInRequired',
]);
/** Credentials that expired between being read and used: fresh ones will do. */
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']);
/** The SDK's names for a request that got no answer. */
const NETWORK = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);

/**
 * How a failed call counts: refusals (access, a missing target, an invalid request) fail at once,
 * throttling, 5xx and no answer are retried. An error this does not know is retried only when AWS
 * answered 5xx or not at all: a permanent failure must never be reported as retryable.
 */
export function destinationError(
  service: DestinationService | 'sts',
  failure: AwsFailure,
): NonNullable<AttemptResult['error']> & { retryable: boolean } {
  const name = failure.name ?? failure.code ?? 'Error';
  const status = failure.$metadata?.httpStatusCode;
  const said = `${service} ${name}${failure.message ? `: ${failure.message}` : ''}`.slice(0, 500);
  if (REFUSED.has(name)) return { class: 'destination-access-denied', message: said, retryable: false };
  if (NOT_FOUND.has(name)) return { class: 'destination-not-found', message: said, retryable: false };
  if (INVALID.has(name)) return { class: 'destination-refused', message: said, retryable: false };
  if (THROTTLED.has(name)) return { class: 'throttled', message: said, retryable: true };
  if (UNAVAILABLE.has(name)) return { class: 'unavailable', message: said, retryable: true };
  if (EXPIRED.has(name)) return { class: 'destination-credentials-expired', message: said, retryable: true };
  if (status === undefined) {
    // No answer at all: a socket error (ECONNRESET, …) or the SDK's timeout.
    const network = NETWORK.has(name) || /^E[A-Z]+$/.test(failure.code ?? name);
    return { class: 'connection', message: said, retryable: network || name === 'Error' };
  }
  if (status >= 500) return { class: 'unavailable', message: said, retryable: true };
  if (status === 429) return { class: 'throttled', message: said, retryable: true };
  return { class: 'destination-refused', message: said, retryable: false };
}
