/**
 * A denied call is answered the way the service answers AccessDenied in its own protocol, so the
 * AWS SDK throws the error a function would see in AWS (same name, the message), and does not retry
 * it (a 4xx that is neither throttling nor a clock skew):
 *
 *   service          protocol     status  code (what the SDK names the error)
 *   DynamoDB         JSON 1.0     400     AccessDeniedException (`__type` com.amazon.coral.service#…)
 *   KMS, EventBridge,JSON 1.1     400     AccessDeniedException
 *   Secrets Manager, SSM
 *   SNS              query (XML)  403     AuthorizationError
 *   SQS              JSON 1.0     403     AccessDenied: the JSON protocol keeps the query protocol's
 *                                          codes in `x-amzn-query-error: AccessDenied;Sender`, which
 *                                          the SDK reads first ("Interpreting Amazon SQS JSON API
 *                                          responses"); `__type` is the common AccessDeniedException
 *                    query (XML)  403     AccessDenied (ErrorResponse, Type Sender)
 *   S3               REST XML     403     AccessDenied (an `<Error>`; a HEAD answer has no body and
 *                                          the SDK names it from the status alone, as in AWS)
 *   SES v2           REST JSON    403     AccessDeniedException (`x-amzn-ErrorType`)
 *   SES (v1)         query (XML)  403     AccessDenied
 *
 * (Each service's "Common Errors" page lists AccessDeniedException; the statuses are those the
 * services answer with.) The same shapes carry the gateway's own failure (500 InternalFailure) when
 * it cannot decide about a call, which the SDK retries and then throws.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** An answer the front gives itself. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}
import type { FrontRequest } from './gateway-upstream';

export const GATEWAY_SERVICES = [
  'sqs',
  'sns',
  'dynamodb',
  'events',
  'kms',
  's3',
  'secretsmanager',
  'ses',
  'ssm',
] as const;
export type GatewayService = (typeof GATEWAY_SERVICES)[number];

type Protocol = 'json' | 'query' | 'rest-xml' | 'rest-json';

export interface ErrorShape {
  status: number;
  code: string;
  /** JSON protocols: the `__type`, when the service namespaces it. */
  type?: string;
  message: string;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function protocolOf(service: GatewayService, request: FrontRequest): Protocol {
  if (service === 's3') return 'rest-xml';
  if (header(request.headers, 'x-amz-target')) return 'json';
  // SES v2's REST paths; v1 (and SQS before its JSON protocol) is the query protocol.
  if (service === 'ses' && request.path.startsWith('/v2/')) return 'rest-json';
  return 'query';
}

const JSON_VERSION: Record<GatewayService, string> = {
  sqs: '1.0',
  sns: '1.0',
  dynamodb: '1.0',
  events: '1.1',
  kms: '1.1',
  s3: '1.1',
  secretsmanager: '1.1',
  ses: '1.1',
  ssm: '1.1',
};

const QUERY_NAMESPACE: Partial<Record<GatewayService, string>> = {
  sqs: 'http://queue.amazonaws.com/doc/2012-11-05/',
  sns: 'http://sns.amazonaws.com/doc/2010-03-31/',
  ses: 'http://ses.amazonaws.com/doc/2010-12-01/',
};

const xmlEscape = (text: string) =>
  text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

/** An error answer in the service's protocol for `request`: denials, the gateway's failures, faults. */
export function errorAnswer(service: GatewayService, request: FrontRequest, shape: ErrorShape): Answer {
  const requestId = randomUUID();
  const protocol = protocolOf(service, request);
  if (protocol === 'json') {
    const headers: Record<string, string> = {
      'content-type': `application/x-amz-json-${JSON_VERSION[service]}`,
      'x-amzn-requestid': requestId,
    };
    if (service === 'sqs')
      headers['x-amzn-query-error'] = `${shape.code};${shape.status >= 500 ? 'Receiver' : 'Sender'}`;
    return {
      status: shape.status,
      headers,
      body: JSON.stringify({ __type: shape.type ?? shape.code, message: shape.message }),
    };
  }
  if (protocol === 'rest-json') {
    return {
      status: shape.status,
      headers: {
        'content-type': 'application/json',
        'x-amzn-requestid': requestId,
        'x-amzn-errortype': shape.code,
      },
      body: JSON.stringify({ message: shape.message }),
    };
  }
  if (protocol === 'query') {
    const type = shape.status >= 500 ? 'Receiver' : 'Sender';
    const namespace = QUERY_NAMESPACE[service] ?? '';
    return {
      status: shape.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body: `<?xml version="1.0"?><ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type><Code>${shape.code}</Code><Message>${xmlEscape(shape.message)}</Message><Detail/></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  }
  const headers = {
    'content-type': 'application/xml',
    'x-amz-request-id': requestId,
    'x-amz-id-2': requestId,
  };
  if (request.method === 'HEAD') return { status: shape.status, headers, body: '' };
  return {
    status: shape.status,
    headers,
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${shape.code}</Code><Message>${xmlEscape(shape.message)}</Message><RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`,
  };
}

function accessDeniedShape(service: GatewayService, request: FrontRequest, code?: string): ErrorShape {
  const protocol = protocolOf(service, request);
  if (service === 'sqs')
    return {
      status: 403,
      code: code ?? 'AccessDenied',
      type: 'com.amazon.coral.service#AccessDeniedException',
      message: '',
    };
  // SNS names its denial AuthorizationError (SNS API Reference, Publish: "Errors").
  if (service === 'sns') return { status: 403, code: code ?? 'AuthorizationError', message: '' };
  if (service === 's3' || protocol === 'query')
    return { status: 403, code: code ?? 'AccessDenied', message: '' };
  if (protocol === 'rest-json') return { status: 403, code: code ?? 'AccessDeniedException', message: '' };
  return {
    status: 400,
    code: code ?? 'AccessDeniedException',
    ...(service === 'dynamodb' && !code ? { type: 'com.amazon.coral.service#AccessDeniedException' } : {}),
    message: '',
  };
}

/** The service's AccessDenied answer to `request`, with `message`; `code` overrides the service's usual code. */
export function accessDeniedAnswer(
  service: GatewayService,
  request: FrontRequest,
  message: string,
  code?: string,
): Answer {
  return errorAnswer(service, request, { ...accessDeniedShape(service, request, code), message });
}

/** The gateway could not decide about a call: a 500, in the service's protocol. */
export function gatewayFailureAnswer(
  service: GatewayService,
  request: FrontRequest,
  message: string,
): Answer {
  return errorAnswer(service, request, { status: 500, code: 'InternalFailure', message });
}
