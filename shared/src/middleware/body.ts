import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { HttpProblem, problemType } from '../problem';

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

type BodyRequest = Request<APIGatewayProxyEventV2>;

function hasBody(event: APIGatewayProxyEventV2): boolean {
  return typeof event.body === 'string' && event.body.length > 0;
}

/** Size of the body as the client sent it: base64 inflates what API Gateway hands over by a third. */
export function rawBodyBytes(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): number {
  if (typeof event.body !== 'string') return 0;
  return Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

/** Rejects bodies over the limit with 413 before any parsing work is spent on them. */
export function bodySizeLimit(
  maxBytes: number = DEFAULT_MAX_BODY_BYTES,
): MiddlewareObj<APIGatewayProxyEventV2> {
  if (!Number.isInteger(maxBytes) || maxBytes < 0)
    throw new RangeError('bodySizeLimit: maxBytes must be >= 0');
  const before = (request: BodyRequest): void => {
    if (rawBodyBytes(request.event) > maxBytes) {
      throw new HttpProblem(413, {
        type: problemType('payload-too-large'),
        detail: `The request body must not exceed ${maxBytes} bytes`,
      });
    }
  };
  return { name: 'bodySizeLimit', before };
}

// application/json and any */*+json, parameters allowed: what @middy/http-json-body-parser accepted.
const JSON_CONTENT_TYPE = /^application\/([a-z0-9.+-]+\+)?json(;|$)/i;

/**
 * JSON.parse refusing a member that would reach an object's prototype once the body is spread or
 * merged somewhere: `__proto__`, and `constructor` holding a `prototype`, at any depth. Written
 * here rather than taken from @middy/http-json-body-parser (with @middy/util, 1.4 KB of every
 * HTTP function) for the 20 lines of it Herald used.
 */
function parseJson(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => {
    if (
      key === '__proto__' ||
      (key === 'constructor' && value && Object.hasOwn(value as object, 'prototype'))
    )
      throw new SyntaxError(`Forbidden key in JSON body: ${key}`);
    return value;
  });
}

function parseProblem(error: unknown): HttpProblem {
  // Valid JSON nested a few thousand levels deep exhausts the parser's reviver: too deep, not malformed.
  if (error instanceof Error && error.message.includes('Maximum call stack size exceeded')) {
    return new HttpProblem(422, {
      type: problemType('validation-failed'),
      title: 'Unprocessable Content',
      detail: 'The request body nests objects and arrays too deeply to be read',
      extra: { errors: [{ pointer: '/body', message: 'nests objects and arrays too deeply to be read' }] },
      cause: error,
    });
  }
  // The parser's own message may quote the input; the client gets a fixed text. A forbidden key
  // is malformed too.
  return new HttpProblem(400, {
    type: problemType('malformed-json'),
    detail: 'The request body is not valid JSON',
    cause: error,
  });
}

export interface JsonBodyOptions {
  /**
   * A check of the raw text once it parses, whose problem refuses the request: what JSON.parse
   * has lost by then (inexactNumbersProblem, middleware/exact-numbers.ts, for numbers a double
   * cannot hold). Passed in, so that the routes without one do not bundle it.
   */
  checkText?: (text: string) => HttpProblem | undefined;
}

/**
 * Parses a JSON body in place (event.body becomes the parsed value). Requests without a body pass
 * untouched; a body of another media type is 415, unparsable JSON 400.
 */
export function jsonBody(options: JsonBodyOptions = {}): MiddlewareObj<APIGatewayProxyEventV2> {
  const before = (request: BodyRequest): void => {
    const { event } = request;
    if (!hasBody(event)) {
      delete (event as { body?: unknown }).body;
      return;
    }
    const headers = event.headers as Record<string, string | undefined> | undefined;
    const contentType = headers?.['content-type'] ?? headers?.['Content-Type'];
    if (contentType === undefined || !JSON_CONTENT_TYPE.test(contentType)) {
      throw new HttpProblem(415, {
        type: problemType('unsupported-media-type'),
        detail: 'The request body must be JSON (Content-Type application/json or */*+json)',
      });
    }
    const text = event.isBase64Encoded ? Buffer.from(event.body!, 'base64').toString() : event.body!;
    try {
      (event as { body?: unknown }).body = parseJson(text);
    } catch (error) {
      throw parseProblem(error);
    }
    const problem = options.checkText?.(text);
    if (problem) throw problem;
  };
  return { name: 'jsonBody', before };
}
