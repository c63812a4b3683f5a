/**
 * A faulted call is answered the way the service answers throttling or an internal error, in its own
 * protocol, so the AWS SDK classifies it as it would in AWS (throttling or transient, both retried
 * with backoff) and code that sees it after the SDK's retries sees the real error name:
 *
 *   service   protocol        throttling                                          internal error
 *   SQS       JSON 1.0        400 RequestThrottled (x-amzn-query-error)           500 InternalError
 *             (query)         400 RequestThrottled, XML ErrorResponse             500 InternalError
 *   DynamoDB  JSON 1.0        400 ThrottlingException or                          500 InternalServerError
 *                             400 ProvisionedThroughputExceededException
 *   EventBridge JSON 1.1      400 ThrottlingException                             500 InternalException
 *   KMS       JSON 1.1        400 ThrottlingException                             500 KMSInternalException
 *   S3        REST XML        503 SlowDown                                        500 InternalError
 *
 * Which call it is (operation, the SDK's invocation id and attempt) is read from the request.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { errorAnswer, type Answer, type ErrorShape } from '../iam/gateway-answers';
import type { FrontRequest } from '../iam/gateway-upstream';
import type { FaultyService } from './config';

export type Protocol = 'json' | 'query' | 'rest-xml';

export interface CallInfo {
  operation: string;
  protocol: Protocol;
  /** `amz-sdk-invocation-id`: one per SDK call, the same on each of its retries. */
  invocationId?: string;
  /** 1 for the first try; from `amz-sdk-request: attempt=N; max=M`. */
  attempt: number;
  maxAttempts?: number;
}

const THROTTLES: Record<FaultyService, ErrorShape[]> = {
  sqs: [
    {
      status: 400,
      code: 'RequestThrottled',
      type: 'com.amazonaws.sqs#RequestThrottled',
      message: 'Request is throttled.',
    },
  ],
  dynamodb: [
    {
      status: 400,
      code: 'ThrottlingException',
      type: 'com.amazon.coral.availability#ThrottlingException',
      message: 'Throughput exceeds the current capacity of your table or index.',
    },
    {
      status: 400,
      code: 'ProvisionedThroughputExceededException',
      type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
      message: 'The level of configured provisioned throughput for the table was exceeded.',
    },
  ],
  events: [{ status: 400, code: 'ThrottlingException', message: 'Rate exceeded' }],
  kms: [{ status: 400, code: 'ThrottlingException', message: 'Rate exceeded' }],
  s3: [{ status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' }],
};

const INTERNAL_ERRORS: Record<FaultyService, ErrorShape> = {
  sqs: {
    status: 500,
    code: 'InternalError',
    type: 'com.amazonaws.sqs#InternalError',
    message: 'We encountered an internal error. Please try again.',
  },
  dynamodb: {
    status: 500,
    code: 'InternalServerError',
    type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
    message: 'Internal server error',
  },
  events: { status: 500, code: 'InternalException', message: 'An internal error occurred.' },
  kms: { status: 500, code: 'KMSInternalException', message: 'An internal error occurred.' },
  s3: { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' },
};

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** S3's operation from the method and whether the path names an object. */
function s3Operation(method: string, url: URL, headers: IncomingHttpHeaders): string {
  const isObject = url.pathname.split('/').filter(Boolean).length > 1;
  const query = url.searchParams;
  if (!isObject) {
    if (method === 'POST' && query.has('delete')) return 'DeleteObjects';
    return (
      { GET: 'ListObjects', HEAD: 'HeadBucket', PUT: 'PutBucket', DELETE: 'DeleteBucket' }[method] ?? method
    );
  }
  if (method === 'PUT') {
    if (query.has('partNumber')) return 'UploadPart';
    return header(headers, 'x-amz-copy-source') ? 'CopyObject' : 'PutObject';
  }
  if (method === 'POST') return query.has('uploads') ? 'CreateMultipartUpload' : 'CompleteMultipartUpload';
  return { GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' }[method] ?? method;
}

export function describeCall(
  service: FaultyService,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): CallInfo {
  const request = /attempt=(\d+)(?:;\s*max=(\d+))?/.exec(header(headers, 'amz-sdk-request') ?? '');
  const invocationId = header(headers, 'amz-sdk-invocation-id');
  const common = {
    attempt: request ? Number(request[1]) : 1,
    ...(request?.[2] ? { maxAttempts: Number(request[2]) } : {}),
    ...(invocationId ? { invocationId } : {}),
  };
  if (service === 's3') {
    const url = new URL(path, 'http://localhost');
    return { operation: s3Operation(method, url, headers), protocol: 'rest-xml', ...common };
  }
  const target = header(headers, 'x-amz-target');
  if (target) return { operation: target.slice(target.lastIndexOf('.') + 1), protocol: 'json', ...common };
  // SQS's query protocol: Action in the form body (or the query string).
  const form = new URLSearchParams(body.toString('utf8'));
  const action = form.get('Action') ?? new URL(path, 'http://localhost').searchParams.get('Action');
  return { operation: action ?? 'Unknown', protocol: 'query', ...common };
}

/** The service's throttling answer (one of its codes, chosen by `random`). */
export function throttlingAnswer(
  service: FaultyService,
  request: FrontRequest,
  random: () => number,
): Answer {
  const shapes = THROTTLES[service];
  return injected(service, request, shapes[Math.floor(random() * shapes.length)]!);
}

export function internalErrorAnswer(service: FaultyService, request: FrontRequest): Answer {
  return injected(service, request, INTERNAL_ERRORS[service]);
}

const injected = (service: FaultyService, request: FrontRequest, shape: ErrorShape): Answer =>
  errorAnswer(service, request, { ...shape, message: `${shape.message} (injected by the local cloud)` });
