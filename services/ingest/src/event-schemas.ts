/**
 * Tenants' JSON Schemas for their events' `data`: checked as untrusted input before they are
 * stored, and compiled into validators that cannot be made to run long.
 *
 * A schema is a subset of JSON Schema draft 2020-12 (ALLOWED_KEYWORDS). What it may not do, and why:
 *  - be larger than 64 KiB serialised, or nest subschemas deeper than 32 levels: compile time and the
 *    generated code grow with both;
 *  - refer outside itself: `$ref` only to `#` or a `#/...` JSON pointer; no `$id`, `$anchor`,
 *    `$dynamicRef`/`$dynamicAnchor` or `$recursiveRef`, so resolution never fetches, never depends on
 *    another schema compiled in the same container (another tenant's) and never follows a dynamic
 *    scope;
 *  - use a `format` outside FORMATS (each checked by a fixed, known-linear function or expression);
 *  - use a `pattern` (or a `patternProperties` name) that RE2 cannot compile: patterns run on re2js,
 *    a linear-time engine, so backreferences and lookaround are refused (422 naming the pointer);
 *  - use `uniqueItems` without `maxItems` of at most MAX_UNIQUE_ITEMS: Ajv compares items pairwise
 *    (quadratic), which Ajv's "Security considerations" names as the cost of untrusted schemas.
 * Validators stop at the first error (`allErrors: false`, the same page's advice).
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { RE2JS } from 're2js';

export const MAX_SCHEMA_BYTES = 64 * 1024;
export const MAX_SCHEMA_DEPTH = 32;
export const MAX_UNIQUE_ITEMS = 1000;
export const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/** The formats a schema may name; any other is refused, not ignored. */
export const FORMATS = [
  'date-time',
  'date',
  'time',
  'email',
  'uri',
  'uuid',
  'ipv4',
  'ipv6',
  'hostname',
] as const;

/** Keywords whose value is one subschema. */
const SUBSCHEMA = new Set([
  'items',
  'additionalProperties',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
]);
/** Keywords whose value is an array of subschemas. */
const SUBSCHEMA_LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose value maps names to subschemas. */
const SUBSCHEMA_MAP = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
/** Keywords with a plain value (data, numbers, names), never a subschema. */
const VALUE = new Set([
  '$schema',
  '$ref',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'type',
  'enum',
  'const',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxContains',
  'minContains',
  'maxProperties',
  'minProperties',
  'required',
  'dependentRequired',
  'format',
]);
export const ALLOWED_KEYWORDS: readonly string[] = [
  ...SUBSCHEMA,
  ...SUBSCHEMA_LIST,
  ...SUBSCHEMA_MAP,
  ...VALUE,
];

/** What is wrong with a schema, where (a JSON pointer into the schema). */
export interface SchemaProblem {
  pointer: string;
  message: string;
}

const escapePointer = (token: string) => token.replaceAll('~', '~0').replaceAll('/', '~1');
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * JSON Schema patterns are ECMA-262; RE2 spells a code unit `\x{HHHH}` where ECMA-262 writes
 * `\uHHHH`. Everything else is given to RE2 as written, and what it refuses is refused.
 */
export function toRe2Syntax(pattern: string): string {
  return pattern.replace(/\\(u([0-9A-Fa-f]{4})|.)/gsu, (whole, _escape: string, hex?: string) =>
    hex === undefined ? whole : `\\x{${hex}}`,
  );
}

/**
 * Ajv's `code.regExp`: every `pattern` and `patternProperties` name runs on RE2 (linear time). Ajv
 * shares compiled patterns within its instance keyed by `toString()`, so it must name the pattern:
 * with Object's "[object Object]" every pattern would test as the first one compiled.
 */
function re2Engine(pattern: string): { test: (input: string) => boolean; toString: () => string } {
  const compiled = RE2JS.compile(toRe2Syntax(pattern));
  return {
    test: (input: string) => compiled.matcher(input).find(),
    toString: () => `re2:${pattern}`,
  };
}
re2Engine.code = 're2Engine';

function patternProblem(pattern: string): string | undefined {
  try {
    RE2JS.compile(toRe2Syntax(pattern));
    return undefined;
  } catch (error) {
    return `is not a pattern the linear-time engine (RE2) takes: ${(error as Error).message} (no backreferences or lookaround)`;
  }
}

/** Every problem of the schema's shape, before Ajv sees it (Ajv then checks it against its meta-schema). */
export function schemaProblems(schema: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const serialised = JSON.stringify(schema);
  if (Buffer.byteLength(serialised) > MAX_SCHEMA_BYTES) {
    return [{ pointer: '', message: `is larger than ${MAX_SCHEMA_BYTES} bytes serialised` }];
  }
  const visit = (node: unknown, pointer: string, depth: number): void => {
    if (typeof node === 'boolean') return;
    if (!isObject(node)) {
      problems.push({ pointer, message: 'must be a schema (an object or a boolean)' });
      return;
    }
    if (depth > MAX_SCHEMA_DEPTH) {
      problems.push({ pointer, message: `nests subschemas deeper than ${MAX_SCHEMA_DEPTH} levels` });
      return;
    }
    for (const [keyword, value] of Object.entries(node)) {
      const at = `${pointer}/${escapePointer(keyword)}`;
      if (SUBSCHEMA.has(keyword)) visit(value, at, depth + 1);
      else if (SUBSCHEMA_LIST.has(keyword)) {
        if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${at}/${index}`, depth + 1));
      } else if (SUBSCHEMA_MAP.has(keyword)) {
        if (!isObject(value)) continue; // Ajv's meta-schema check names it
        for (const [name, subschema] of Object.entries(value)) {
          if (keyword === 'patternProperties') {
            const problem = patternProblem(name);
            if (problem) problems.push({ pointer: `${at}/${escapePointer(name)}`, message: problem });
          }
          visit(subschema, `${at}/${escapePointer(name)}`, depth + 1);
        }
      } else if (!VALUE.has(keyword)) {
        problems.push({
          pointer: at,
          message:
            keyword === '$id' ||
            keyword === '$anchor' ||
            keyword.startsWith('$dynamic') ||
            keyword === '$recursiveRef'
              ? 'is not allowed: a schema may only refer within itself ($ref to "#..." )'
              : 'is not a keyword Herald takes (a subset of JSON Schema 2020-12)',
        });
      } else if (keyword === '$schema' && value !== DRAFT_2020_12) {
        problems.push({ pointer: at, message: `must be "${DRAFT_2020_12}" when given` });
      } else if (keyword === '$ref' && (typeof value !== 'string' || !/^#(\/.*)?$/su.test(value))) {
        problems.push({ pointer: at, message: 'must refer within the schema ("#" or "#/...")' });
      } else if (keyword === 'format' && !(FORMATS as readonly unknown[]).includes(value)) {
        problems.push({ pointer: at, message: `must be one of ${FORMATS.join(', ')}` });
      } else if (keyword === 'pattern' && typeof value === 'string') {
        const problem = patternProblem(value);
        if (problem) problems.push({ pointer: at, message: problem });
      } else if (keyword === 'uniqueItems' && value === true) {
        const maxItems = node.maxItems;
        if (typeof maxItems !== 'number' || maxItems > MAX_UNIQUE_ITEMS) {
          problems.push({ pointer: at, message: `needs maxItems of at most ${MAX_UNIQUE_ITEMS} beside it` });
        }
      }
    }
  };
  visit(schema, '', 0);
  return problems;
}

/** An error of a validator, as a pointer into the data and the schema keyword that failed. */
export interface DataError {
  /** JSON pointer into the validated value ('' for the value itself). */
  pointer: string;
  keyword: string;
  message: string;
}

export type DataValidator = (data: unknown) => DataError | undefined;

export type CompileResult = { ok: true; validate: DataValidator } | { ok: false; problems: SchemaProblem[] };

/**
 * One Ajv instance per container. It keeps each compiled schema in a cache of its own, keyed by the
 * schema object: `release` removes it when the validator cache (catalog-cache.ts) lets it go.
 */
function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: false,
    strict: true,
    strictRequired: false,
    strictTypes: false,
    strictTuples: false,
    validateFormats: true,
    code: { regExp: re2Engine, optimize: true },
    loadSchema: undefined,
    addUsedSchema: false,
  });
  // "fast" mode: simple, linear expressions for each format (the "full" ones include some that are
  // costly on long inputs).
  addFormats(ajv, { mode: 'fast', formats: [...FORMATS] });
  return ajv;
}

let shared: Ajv2020 | undefined;
const ajv = () => (shared ??= createAjv());

const firstError = (errors: ErrorObject[] | null | undefined): DataError => {
  const error = errors?.[0];
  if (!error) return { pointer: '', keyword: 'schema', message: 'does not match the schema' };
  const missing =
    error.keyword === 'required' ? (error.params as { missingProperty?: string }).missingProperty : undefined;
  return {
    pointer: missing === undefined ? error.instancePath : `${error.instancePath}/${escapePointer(missing)}`,
    keyword: error.keyword,
    message: `${error.message ?? 'is not valid'} (${error.keyword})`,
  };
};

/** Checks the schema, then compiles it; a problem is named by its pointer in the schema. */
export function compileSchema(schema: unknown): CompileResult & { release?: () => void } {
  const problems = schemaProblems(schema);
  if (problems.length > 0) return { ok: false, problems };
  const instance = ajv();
  let validator: ValidateFunction;
  try {
    validator = instance.compile(schema as object | boolean as object);
  } catch (error) {
    return {
      ok: false,
      problems: [{ pointer: '', message: `is not a valid schema: ${(error as Error).message}` }],
    };
  }
  return {
    ok: true,
    validate: (data) => (validator(data) ? undefined : firstError(validator.errors)),
    // Ajv keeps a boolean schema under `true` or `false` (two entries at most) and refuses to remove one.
    release: () => void (typeof schema === 'object' && schema !== null && instance.removeSchema(schema)),
  };
}
