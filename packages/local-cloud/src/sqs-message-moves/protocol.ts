// The SQS side of AWS JSON 1.0, for the operations the local cloud answers itself in front of fauxqs:
// `POST /` with `X-Amz-Target: AmazonSQS.<Operation>`, JSON in and out. Errors carry the JSON type
// (`com.amazonaws.sqs#<Code>`) and, as SQS sends for its query-compatible clients, the
// `x-amzn-query-error: <Code>;Sender` header from which the AWS SDK takes the error's name.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsError, isJsonObject, type JsonObject } from '../aws-json-protocol';

export const SQS_TARGET_PREFIX = 'AmazonSQS.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** Far above any request of the operations answered here (ARNs, a handle, a few numbers). */
const MAX_BODY_BYTES = 64 * 1024;

/** An SQS error as SQS names it: `InvalidParameterValue`, `ResourceNotFoundException`. */
export class SqsApiError extends AwsError {
  constructor(
    code: string,
    message: string,
    statusCode = 400,
    /** The query-protocol code, where SQS's differs from the JSON one. */
    readonly queryCode = code,
  ) {
    super(code, message, statusCode);
  }
}

export const invalidParameter = (message: string) => new SqsApiError('InvalidParameterValue', message);
export const notFound = (message: string) => new SqsApiError('ResourceNotFoundException', message, 404);
export const noSuchQueue = () =>
  new SqsApiError(
    'QueueDoesNotExist',
    'The specified queue does not exist.',
    400,
    'AWS.SimpleQueueService.NonExistentQueue',
  );

export type SqsOperation = (input: JsonObject, request: IncomingMessage) => Promise<unknown> | unknown;

/** The operation an `X-Amz-Target` header names, if it is one of `operations`. */
export function operationOf(
  request: IncomingMessage,
  operations: Readonly<Record<string, SqsOperation>>,
): SqsOperation | undefined {
  const target = request.headers['x-amz-target'];
  if (request.method !== 'POST' || typeof target !== 'string' || !target.startsWith(SQS_TARGET_PREFIX))
    return undefined;
  const name = target.slice(SQS_TARGET_PREFIX.length);
  return Object.hasOwn(operations, name) ? operations[name] : undefined;
}

export async function answer(
  operation: SqsOperation,
  request: IncomingMessage,
  response: ServerResponse,
  log: (line: string) => void,
): Promise<void> {
  const requestId = randomUUID();
  response.on('error', () => undefined);
  try {
    const output = await operation(parse(await readBody(request)), request);
    send(response, 200, output ?? {}, requestId);
  } catch (error) {
    if (error instanceof AwsError) {
      const body = { __type: `com.amazonaws.sqs#${error.type}`, message: error.message };
      const code = error instanceof SqsApiError ? error.queryCode : error.type;
      send(response, error.statusCode, body, requestId, `${code};Sender`);
      return;
    }
    log(`SQS: internal error answering ${requestId}: ${(error as Error)?.stack ?? String(error)}`);
    const body = { __type: 'com.amazonaws.sqs#InternalError', message: 'See the local cloud log.' };
    send(response, 500, body, requestId, 'InternalError;Receiver');
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw invalidParameter('The request is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parse(body: string): JsonObject {
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new SqsApiError('SerializationException', 'The request body is not valid JSON.');
  }
  if (!isJsonObject(value))
    throw new SqsApiError('SerializationException', 'The request body is not an object.');
  return value;
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  queryError?: string,
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    ...(queryError ? { 'x-amzn-query-error': queryError } : {}),
  });
  response.end(text);
}
