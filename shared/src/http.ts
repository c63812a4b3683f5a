/** @deprecated use @herald/shared/entry/http */
import type { ValidateFunction } from 'ajv';
import {
  httpHandler as entryHttpHandler,
  type HttpHandlerFn,
  type HttpHandlerOptions as EntryHttpHandlerOptions,
  type HttpLambdaHandler,
} from './entry/http';

export type {
  AuthContext,
  HttpContext,
  HttpEvent,
  HttpHandlerFn,
  HttpLambdaHandler,
  HttpResult,
} from './entry/http';

/** @deprecated use @herald/shared/entry/http */
export type HttpHandlerOptions = Omit<EntryHttpHandlerOptions, 'validator'> & {
  validator?: ValidateFunction;
};

/** @deprecated use httpHandler of @herald/shared/entry/http, which takes the body's type from the validator */
export function httpHandler<TBody = unknown>(
  fn: HttpHandlerFn<TBody>,
  options: HttpHandlerOptions,
): HttpLambdaHandler {
  // The entry helper's validator overload with an unknown input: the body's type stays the caller's claim.
  return entryHttpHandler(
    fn as HttpHandlerFn<unknown>,
    options as HttpHandlerOptions & { validator: ValidateFunction },
  );
}
