/**
 * httpHandler for a route that refuses (422, naming each) the numbers of its JSON body a double
 * cannot hold exactly (I-JSON, RFC 7493: integers beyond ±(2^53−1), overflow, underflow), found
 * on the raw text since JSON.parse rounds them silently. Its own module so that the scanner and its
 * messages (1.6 KB) are bundled by the routes that ask for it alone: entry/http's httpHandler
 * refuses `exactNumbers`.
 */
import type { ValidateFunction } from 'ajv';
import { inexactNumbersProblem } from '../middleware/exact-numbers';
import {
  httpHandlerChecking,
  type BodyOf,
  type HttpHandlerFn,
  type HttpHandlerOptions,
  type HttpLambdaHandler,
} from './http';

export interface ExactNumbersOptions {
  /** Refuse (422) numbers a double cannot hold exactly, found on the raw body. */
  exactNumbers?: boolean;
}

export function httpHandler<TInput>(
  fn: HttpHandlerFn<BodyOf<TInput>>,
  options: HttpHandlerOptions<TInput> & ExactNumbersOptions & { validator: ValidateFunction<TInput> },
): HttpLambdaHandler;
export function httpHandler<TBody = unknown>(
  fn: HttpHandlerFn<TBody>,
  options: HttpHandlerOptions & ExactNumbersOptions & { validator?: undefined },
): HttpLambdaHandler;
export function httpHandler(
  fn: HttpHandlerFn<unknown>,
  { exactNumbers, ...options }: HttpHandlerOptions & ExactNumbersOptions,
): HttpLambdaHandler {
  return httpHandlerChecking(fn, options, exactNumbers ? inexactNumbersProblem : undefined);
}
