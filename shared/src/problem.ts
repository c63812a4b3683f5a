import { STATUS_CODES } from 'node:http';
import type { Problem } from './contracts/problem.types.generated';

/** RFC 9457 problem details as contracts/problem.schema.json defines them; extension members sit beside. */
export type ProblemDetails = Problem & { [extension: string]: unknown };

export interface HttpProblemOptions {
  /** Defaults to the status phrase, as RFC 9457 asks when `type` is about:blank. */
  title?: string;
  /** Sent to the client verbatim: never put input values or internals here. */
  detail?: string;
  /** 'about:blank' or a URI from {@link problemType}. */
  type?: string;
  /** Response headers the problem needs, e.g. WWW-Authenticate or Retry-After. */
  headers?: Record<string, string>;
  /** Extension members (e.g. `errors`); the standard member names cannot be overridden. */
  extra?: Record<string, unknown>;
  cause?: unknown;
}

const PROBLEM_BASE = 'https://herald.dev/problems/';
const RESERVED_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance']);

export function problemType(slug: string): string {
  return `${PROBLEM_BASE}${slug}`;
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Unknown Error';
}

/** The error logic and handlers throw to answer with a specific HTTP status. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly type: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(status: number, options: HttpProblemOptions = {}) {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpProblem status must be an integer 400-599, got ${status}`);
    }
    const title = options.title ?? statusTitle(status);
    super(options.detail ?? title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HttpProblem';
    this.status = status;
    this.title = title;
    this.detail = options.detail;
    this.type = options.type ?? 'about:blank';
    this.headers = Object.fromEntries(
      Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    this.extra = Object.fromEntries(
      Object.entries(options.extra ?? {}).filter(([key]) => !RESERVED_MEMBERS.has(key)),
    );
  }

  toProblem(instance?: string): ProblemDetails {
    return {
      ...this.extra,
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      ...(instance === undefined ? {} : { instance }),
    };
  }
}

export function isHttpProblem(value: unknown): value is HttpProblem {
  return value instanceof HttpProblem;
}
