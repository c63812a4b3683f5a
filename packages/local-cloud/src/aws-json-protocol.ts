// The AWS JSON 1.1 protocol, server side, for the services the local cloud emulates itself (EventBridge,
// Secrets Manager): every call is `POST /` naming its operation in `X-Amz-Target: <Prefix>.<Operation>`, with
// a JSON body in and out. Errors are HTTP 4xx/5xx with `{"__type", "message"}` and the `x-amzn-ErrorType`
// header, which is how the AWS SDK v3 picks the named exception class it throws. Signatures are not checked:
// the emulators trust whoever can reach them on loopback.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { listenOnLoopback, type PortUse } from './ports';

/** An error the caller should see as the AWS error `type` (e.g. ResourceNotFoundException). */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export type JsonObject = Readonly<Record<string, unknown>>;

/** One operation: the parsed request body in, the response body out (undefined means `{}`). */
export type JsonOperation = (input: JsonObject) => unknown;

export interface JsonService {
  /** The part of X-Amz-Target before the dot: `AWSEvents`, `secretsmanager`. */
  readonly targetPrefix: string;
  readonly operations: Readonly<Record<string, JsonOperation>>;
  /** Where unexpected (500) errors are reported. */
  readonly log?: (line: string) => void;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Far above any request these services accept (PutEvents stops at 256 KiB, secrets at 64 KiB). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function jsonServiceHandler(service: JsonService): RequestListener {
  const log = service.log ?? ((line: string) => console.error(line));
  return (request, response) => {
    void answer(service, request, response, log);
  };
}

async function answer(
  service: JsonService,
  request: IncomingMessage,
  response: ServerResponse,
  log: (line: string) => void,
): Promise<void> {
  const requestId = randomUUID();
  // A client that hangs up mid-answer is no reason to crash the emulator.
  response.on('error', () => undefined);
  try {
    const operation = findOperation(service, request);
    const input = parseBody(await readBody(request));
    const output = await operation(input);
    send(response, 200, output ?? {}, requestId);
  } catch (error) {
    if (error instanceof AwsError) {
      send(response, error.statusCode, { __type: error.type, message: error.message }, requestId, error.type);
      return;
    }
    log(
      `${service.targetPrefix}: internal error answering ${requestId}: ${(error as Error)?.stack ?? error}`,
    );
    const message = 'The service encountered an internal error; see the local cloud log.';
    send(response, 500, { __type: 'InternalFailure', message }, requestId, 'InternalFailure');
  }
}

function findOperation(service: JsonService, request: IncomingMessage): JsonOperation {
  const target = request.headers['x-amz-target'];
  if (request.method !== 'POST' || typeof target !== 'string') {
    throw new AwsError('UnknownOperationException', 'Expected POST / with an X-Amz-Target header.', 404);
  }
  const dot = target.indexOf('.');
  const prefix = target.slice(0, dot);
  const name = target.slice(dot + 1);
  const operation = Object.hasOwn(service.operations, name) ? service.operations[name] : undefined;
  if (dot < 0 || prefix !== service.targetPrefix || !operation) {
    throw new AwsError('UnknownOperationException', `Operation ${target} is not supported by this emulator.`);
  }
  return operation;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new AwsError('SerializationException', 'Request body is too large.', 413);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(body: string): JsonObject {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new AwsError('SerializationException', 'Request body is not valid JSON.');
  }
  if (!isJsonObject(parsed))
    throw new AwsError('SerializationException', 'Request body must be a JSON object.');
  return parsed;
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  errorType?: string,
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(text);
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Reading members of a request. The SDK always sends the modelled types, so a wrong type means a hand-made
// request; AWS answers those with SerializationException and a missing required member with ValidationException.

function wrongType(member: string, expected: string): AwsError {
  return new AwsError('SerializationException', `${member} must be ${expected}.`);
}

/** AWS's wording for a missing required member, e.g. `Value null at 'name'`. */
export function missing(member: string): AwsError {
  const field = member.charAt(0).toLowerCase() + member.slice(1);
  return new AwsError(
    'ValidationException',
    `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
  );
}

export function optionalString(input: JsonObject, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(member, 'a string');
  return value;
}

export function requiredString(input: JsonObject, member: string): string {
  const value = optionalString(input, member);
  if (value === undefined) throw missing(member);
  return value;
}

export function optionalNumber(input: JsonObject, member: string): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongType(member, 'a number');
  return value;
}

export function optionalBoolean(input: JsonObject, member: string): boolean | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw wrongType(member, 'a boolean');
  return value;
}

export function optionalObject(input: JsonObject, member: string): JsonObject | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw wrongType(member, 'an object');
  return value;
}

export function optionalArray(input: JsonObject, member: string): readonly unknown[] | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw wrongType(member, 'a list');
  return value;
}

export function optionalStringList(input: JsonObject, member: string): string[] | undefined {
  const list = optionalArray(input, member);
  if (list === undefined) return undefined;
  if (!list.every((item) => typeof item === 'string')) throw wrongType(member, 'a list of strings');
  return list as string[];
}

/** JSON 1.1 sends timestamps as epoch seconds. */
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/**
 * The page of a list operation that the request's `Limit` and `NextToken` ask for. The token is the offset,
 * opaque to the caller; a list that changes between pages may skip or repeat an item, which AWS allows too.
 */
export function page<T>(items: readonly T[], input: JsonObject): { items: T[]; nextToken?: string } {
  const limit = optionalNumber(input, 'Limit');
  const nextToken = optionalString(input, 'NextToken');
  const start =
    nextToken === undefined ? 0 : Number.parseInt(Buffer.from(nextToken, 'base64url').toString(), 10);
  if (!Number.isInteger(start) || start < 0)
    throw new AwsError('ValidationException', 'The NextToken is not valid.');
  const size = limit !== undefined && limit > 0 ? limit : 100;
  const end = start + size;
  const token = end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined;
  return { items: items.slice(start, end), ...(token ? { nextToken: token } : {}) };
}

export interface ListeningServer {
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves `handler` on loopback (see listenOnLoopback). */
export async function listen(
  handler: RequestListener,
  port: number | 'auto',
  use: PortUse,
): Promise<ListeningServer> {
  const server = createServer(handler);
  // SDK clients keep connections alive; without this a stopped emulator would wait for them to time out.
  server.keepAliveTimeout = 1000;
  const bound = await listenOnLoopback(server, port, use);
  return {
    endpoint: `http://127.0.0.1:${bound}`,
    port: bound,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
