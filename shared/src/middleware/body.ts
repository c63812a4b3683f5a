import type { MiddlewareObj, Request } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { findInexactNumbers, inexactNumberMessage } from '../contracts/i-json';
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

const PARSER_PACKAGE = '@middy/http-json-body-parser';

function fromParserError(error: unknown): unknown {
  const { statusCode, cause } = error as {
    statusCode?: number;
    cause?: { package?: string; message?: unknown };
  };
  if (cause?.package !== PARSER_PACKAGE) return error;
  // Valid JSON nested a few thousand levels deep exhausts the parser's reviver: too deep, not malformed.
  if (typeof cause.message === 'string' && cause.message.includes('Maximum call stack size exceeded')) {
    return new HttpProblem(422, {
      type: problemType('validation-failed'),
      title: 'Unprocessable Content',
      detail: 'The request body nests objects and arrays too deeply to be read',
      extra: { errors: [{ pointer: '/body', message: 'nests objects and arrays too deeply to be read' }] },
      cause: error,
    });
  }
  if (statusCode === 415) {
    return new HttpProblem(415, {
      type: problemType('unsupported-media-type'),
      detail: 'The request body must be JSON (Content-Type application/json or */*+json)',
      cause: error,
    });
  }
  // The parser's own message may quote the input; the client gets a fixed text.
  return new HttpProblem(400, {
    type: problemType('malformed-json'),
    detail: 'The request body is not valid JSON',
    cause: error,
  });
}

export interface JsonBodyOptions {
  /**
   * Refuse (422, naming each) numbers a double cannot hold exactly: integers beyond ±(2^53−1),
   * numbers that overflow or underflow. JSON.parse rounds them silently, so they are found on the
   * raw text (I-JSON, RFC 7493).
   */
  exactNumbers?: boolean;
}

function inexactNumbersProblem(text: string): HttpProblem | undefined {
  const found = findInexactNumbers(text);
  if (found.length === 0) return undefined;
  return new HttpProblem(422, {
    type: problemType('validation-failed'),
    title: 'Unprocessable Content',
    detail:
      'Numbers must be ones a double holds exactly (I-JSON, RFC 7493): send larger integers, and numbers beyond a double, as strings',
    extra: {
      errors: found.map(({ path, reason }) => ({
        pointer: `/body${path}`,
        message: inexactNumberMessage(reason),
      })),
    },
  });
}

/**
 * Parses a JSON body in place (event.body becomes the parsed value). Requests without a body pass
 * untouched; a body of another media type is 415, unparsable JSON 400.
 */
export function jsonBody(options: JsonBodyOptions = {}): MiddlewareObj<APIGatewayProxyEventV2> {
  const parser = httpJsonBodyParser();
  const before = async (request: BodyRequest): Promise<void> => {
    if (!hasBody(request.event)) {
      delete (request.event as { body?: unknown }).body;
      return;
    }
    const { body, isBase64Encoded } = request.event;
    try {
      await parser.before?.(request as never);
    } catch (error) {
      throw fromParserError(error);
    }
    if (options.exactNumbers) {
      const problem = inexactNumbersProblem(
        isBase64Encoded ? Buffer.from(body!, 'base64').toString('utf8') : body!,
      );
      if (problem) throw problem;
    }
  };
  return { name: 'jsonBody', before };
}
