/**
 * What the console shows of a failed call: the problem's title and detail, and each refused value
 * (`errors[].pointer`, a JSON pointer into { body, pathParameters, queryStringParameters }) next to
 * the form field it belongs to.
 */
import { HeraldNetworkError, HeraldProblem } from '@herald/client';

export interface ProblemView {
  title: string;
  detail?: string;
  status?: number;
  correlationId?: string;
  /** Messages by form field name. */
  fields: Record<string, string[]>;
  /** Refused values no field of the form stands for. */
  unplaced: { pointer: string; message: string }[];
}

/**
 * Where inside its field a pointer points, when that helps: `/body/filter/data/total/0` →
 * `data/total/0`, `/body/headers/x-team` → `x-team`; an item of a list (`/body/eventTypes/1`) or the
 * field itself gives undefined (the field's message says enough).
 */
export function placeInField(pointer: string, fieldDepth = 1): string | undefined {
  const rest = pointer.split('/').slice(2 + fieldDepth);
  if (rest.length === 0 || /^\d+$/.test(rest[0]!)) return undefined;
  return rest.map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~')).join('/');
}

/**
 * The form field a pointer names: `/body/url` → `url`, `/body/eventTypes/1` → `eventTypes`,
 * `/queryStringParameters/since` → `since`; a member of an object the form shows as fields of their
 * own, when `fields` lists it so: `/body/destination/roleArn` → `destination/roleArn`; a pointer the
 * form does not show gives undefined.
 */
export function fieldOfPointer(pointer: string, fields: readonly string[]): string | undefined {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const [root, name] = segments;
  if (root !== 'body' && root !== 'queryStringParameters' && root !== 'pathParameters') return undefined;
  // A problem with the whole body (a missing member is reported on its parent) goes to no field.
  if (name === undefined) return undefined;
  const member = segments[2] === undefined ? undefined : `${name}/${segments[2]}`;
  if (member !== undefined && fields.includes(member)) return member;
  return fields.includes(name) ? name : undefined;
}

export function problemView(error: unknown, fields: readonly string[] = []): ProblemView {
  if (error instanceof HeraldProblem) {
    const view: ProblemView = {
      title: error.title,
      status: error.status,
      fields: {},
      unplaced: [],
      ...(error.detail ? { detail: error.detail } : {}),
      ...(error.correlationId ? { correlationId: error.correlationId } : {}),
    };
    for (const { pointer, message } of error.errors ?? []) {
      const field = fieldOfPointer(pointer, fields);
      if (field === undefined) view.unplaced.push({ pointer, message });
      else {
        const place = placeInField(pointer, field.split('/').length);
        (view.fields[field] ??= []).push(place === undefined ? message : `${place}: ${message}`);
      }
    }
    return view;
  }
  if (error instanceof HeraldNetworkError) {
    return {
      title: 'The API could not be reached',
      detail: 'Check your connection and try again.',
      fields: {},
      unplaced: [],
    };
  }
  return {
    title: 'Something went wrong',
    detail: error instanceof Error ? error.message : String(error),
    fields: {},
    unplaced: [],
  };
}

/** Whether the error is the API's 401: the token expired or was refused, so sign in again. */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof HeraldProblem && error.status === 401;
}
