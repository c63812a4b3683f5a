import type { ErrorObject, ValidateFunction } from 'ajv';

/** One reason a value broke its schema: a JSON Pointer into the value and what is wrong there. */
export interface Violation {
  path: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; violations: Violation[] };

export interface ValidateOptions {
  /**
   * 'ignore' reads the value as a consumer of a cross-service message does: a property the schema
   * does not name is let through (`additionalProperties: false` is the producer's promise to send
   * only what its release's schema names, not a reason for a consumer of the previous release to
   * refuse what the next one adds). Default 'refuse'. The validators are compiled with allErrors,
   * so dropping those violations leaves exactly the others; contracts:check keeps
   * `additionalProperties: false` out of not/anyOf/oneOf/if in contract schemas, where it would not.
   */
  unknownProperties?: 'refuse' | 'ignore';
}

/**
 * Runs a precompiled validator and copies its errors out at once: ajv keeps them on the shared
 * function object, so the next call would overwrite them.
 */
export function validateWith<T>(
  validate: ValidateFunction<T>,
  value: unknown,
  options: ValidateOptions = {},
): ValidationResult<T> {
  if (validate(value)) return { ok: true, value };
  const errors =
    options.unknownProperties === 'ignore'
      ? (validate.errors ?? []).filter((error) => error.keyword !== 'additionalProperties')
      : (validate.errors ?? []);
  // Only unknown properties were wrong: the value is what the schema describes, plus what it ignores.
  if (errors.length === 0 && (validate.errors ?? []).length > 0) return { ok: true, value: value as T };
  return { ok: false, violations: errors.map(toViolation) };
}

// Violations name the offending property rather than its parent, so they read the same for a
// missing field, an extra field and a bad value; values are never echoed, as they may be personal data.
function toViolation(error: ErrorObject): Violation {
  const params = error.params as Record<string, unknown>;
  const base = error.instancePath;
  switch (error.keyword) {
    case 'required':
      return { path: `${base}/${pointerToken(params.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return { path: `${base}/${pointerToken(params.additionalProperty)}`, message: 'is not allowed' };
    default:
      return { path: base === '' ? '/' : base, message: error.message ?? `fails ${error.keyword}` };
  }
}

function pointerToken(value: unknown): string {
  return String(value).replaceAll('~', '~0').replaceAll('/', '~1');
}

export function describeViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.path} ${v.message}`).join('; ');
}

/** A value that broke a contract: why (a reason code callers branch on) and each violation found. */
export class ContractError<TReason extends string> extends Error {
  constructor(
    readonly reason: TReason,
    message: string,
    readonly violations: readonly Violation[] = [],
  ) {
    super(message);
  }
}
