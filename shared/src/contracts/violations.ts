import type { ErrorObject, ValidateFunction } from 'ajv';

/** One reason a value broke its schema: a JSON Pointer into the value and what is wrong there. */
export interface Violation {
  path: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; violations: Violation[] };

/**
 * Runs a precompiled validator and copies its errors out at once: ajv keeps them on the shared
 * function object, so the next call would overwrite them.
 */
export function validateWith<T>(validate: ValidateFunction<T>, value: unknown): ValidationResult<T> {
  if (validate(value)) return { ok: true, value };
  return { ok: false, violations: (validate.errors ?? []).map(toViolation) };
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
