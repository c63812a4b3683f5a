/**
 * Compares a contract's current JSON Schema with its released snapshot and says which changes break
 * a consumer. Small and of our own: the JSON Schema diff tools on npm report added and removed
 * "values" without saying which keyword or why, ignore pattern and format, and know nothing of who
 * reads the message; the keywords Herald's contracts use (draft-07) are few.
 *
 * Why both directions count: services are released one at a time and in any order, and messages
 * outlive releases (queued, in a dead-letter queue waiting for a redrive, stored and replayed), so
 *   - a consumer of the previous release reads what the new producer sends: a value the new schema
 *     allows and the released one did not (a WIDENING) is refused by a consumer that validates;
 *   - a new consumer reads what the previous producer sent: a value the released schema allowed and
 *     the new one does not (a NARROWING) is refused by a consumer that validates;
 *   - any consumer, validating or not, may read a property: one that disappears, or stops being
 *     always there, or must now be there, breaks it.
 * What passes is what no consumer can notice: a new optional property where the released schema
 * lets unknown properties through (a consumer ignores what it does not know), and annotations.
 * Herald's consumers read every contract relaxed (unknown properties ignored, see
 * shared/src/contracts/violations.ts) while producers send only what their schema names, so where
 * every validating consumer's previous release does so, `additionalProperties: false` is the
 * producer's promise and a change to what it closes (a new optional property, opening, closing)
 * breaks none.
 * The table is in the README ("Releasing a service").
 */

/** A JSON Schema node read as plain JSON (booleans are schemas too). */
type Schema = boolean | { readonly [keyword: string]: unknown };
type ObjectSchema = { readonly [keyword: string]: unknown };

export type RuleId =
  | 'property-removed'
  | 'required-added'
  | 'required-removed'
  | 'property-added'
  | 'additional-properties-closed'
  | 'additional-properties-opened'
  | 'type-narrowed'
  | 'type-widened'
  | 'enum-narrowed'
  | 'enum-widened'
  | 'bound-tightened'
  | 'bound-loosened'
  | 'pattern-changed'
  | 'format-changed'
  | 'keyword-changed';

/** What a change does to the set of messages the schema admits, which decides whom it breaks. */
type Effect = 'narrowing' | 'widening' | 'both' | 'read' | 'none';

export interface Change {
  readonly rule: RuleId;
  /** JSON pointer into the schema, to the keyword that changed. */
  readonly pointer: string;
  /** Where in the message, `*` standing for any item or any other property. */
  readonly messagePath: string;
  readonly effect: Effect;
  readonly detail: string;
  /**
   * The change is to what `additionalProperties: false` closes, which a consumer that ignores unknown
   * properties (shared/src/contracts/violations.ts) does not see: it reads every schema relaxed.
   */
  readonly unknownPropertiesOnly?: true;
}

/** Who reads a contract's messages, as the check needs to know them. */
export interface JudgedConsumer {
  /** It refuses a message its release's schema refuses. */
  readonly strict: boolean;
  /**
   * It lets through properties its schema does not name (Herald's consumers since they read
   * contracts relaxed): for the check, at its previous release (contracts/released/releases.json).
   */
  readonly ignoresUnknownProperties?: boolean;
}

export interface Finding extends Change {
  readonly breaking: boolean;
  /** Why it breaks (or why not): who is affected. */
  readonly why: string;
}

/** Keywords that only describe; a change to one admits and refuses the same messages. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

/** Lower bounds: raising one narrows. */
const LOWER_BOUNDS = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties'] as const;
/** Upper bounds: lowering one narrows. */
const UPPER_BOUNDS = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties'] as const;

const HANDLED = new Set<string>([
  ...ANNOTATIONS,
  ...LOWER_BOUNDS,
  ...UPPER_BOUNDS,
  'type',
  'enum',
  'const',
  'pattern',
  'format',
  'multipleOf',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'definitions',
  '$defs',
]);

const isObject = (value: unknown): value is ObjectSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 6901 escaping of one reference token. */
const token = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** JSON text with sorted keys, so two equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

const show = (value: unknown) => JSON.stringify(value);

/** The types a node admits; undefined for any. */
function typesOf(schema: ObjectSchema): Set<string> | undefined {
  const type = schema.type;
  if (type === undefined) return undefined;
  return new Set(Array.isArray(type) ? (type as string[]) : [type as string]);
}

/** The values a node admits by enum or const (canonical JSON); undefined for no such limit. */
function valuesOf(schema: ObjectSchema): Map<string, unknown> | undefined {
  if ('const' in schema) return new Map([[canonical(schema.const), schema.const]]);
  if (Array.isArray(schema.enum)) return new Map(schema.enum.map((value) => [canonical(value), value]));
  return undefined;
}

/** Every change between two schema nodes, before deciding whom each breaks. */
export function diffSchemas(released: Schema, current: Schema): Change[] {
  const changes: Change[] = [];
  compare(released, current, '', '', changes);
  return changes;
}

function compare(before: Schema, after: Schema, pointer: string, at: string, out: Change[]): void {
  const messagePath = at === '' ? '/' : at;
  if (typeof before === 'boolean' || typeof after === 'boolean') {
    const admitsAll = (schema: Schema) =>
      schema === true || (isObject(schema) && Object.keys(schema).length === 0);
    if (canonical(before) === canonical(after) || (admitsAll(before) && admitsAll(after))) return;
    const effect: Effect =
      before === false
        ? 'widening'
        : after === false
          ? 'narrowing'
          : admitsAll(before)
            ? 'narrowing'
            : 'widening';
    out.push({
      rule: 'keyword-changed',
      pointer: pointer || '/',
      messagePath,
      effect,
      detail: `the schema changed from ${show(before)} to ${show(after)}`,
    });
    return;
  }

  compareTypes(before, after, pointer, messagePath, out);
  compareValues(before, after, pointer, messagePath, out);
  compareBounds(before, after, pointer, messagePath, out);
  for (const keyword of ['pattern', 'format'] as const) {
    const was = before[keyword];
    const is = after[keyword];
    if (was === is) continue;
    out.push({
      rule: keyword === 'pattern' ? 'pattern-changed' : 'format-changed',
      pointer: `${pointer}/${keyword}`,
      messagePath,
      // One pattern cannot be shown to admit exactly what another admits: a changed one counts both ways.
      effect: was === undefined ? 'narrowing' : is === undefined ? 'widening' : 'both',
      detail:
        was === undefined
          ? `${keyword} ${show(is)} added`
          : is === undefined
            ? `${keyword} ${show(was)} removed`
            : `${keyword} changed from ${show(was)} to ${show(is)}`,
    });
  }
  if (before.multipleOf !== after.multipleOf) {
    const was = before.multipleOf as number | undefined;
    const is = after.multipleOf as number | undefined;
    const divides = (a: number, b: number) => Number.isInteger(a / b);
    out.push({
      rule:
        was === undefined || (is !== undefined && divides(is, was)) ? 'bound-tightened' : 'bound-loosened',
      pointer: `${pointer}/multipleOf`,
      messagePath,
      effect:
        was === undefined
          ? 'narrowing'
          : is === undefined
            ? 'widening'
            : divides(is, was)
              ? 'narrowing'
              : divides(was, is)
                ? 'widening'
                : 'both',
      detail: `multipleOf ${show(was)} → ${show(is)}`,
    });
  }
  compareObject(before, after, pointer, at, out);

  if (
    isObject(before.items) ||
    isObject(after.items) ||
    typeof before.items === 'boolean' ||
    typeof after.items === 'boolean'
  ) {
    const was = (before.items ?? true) as Schema;
    const is = (after.items ?? true) as Schema;
    if (!Array.isArray(was) && !Array.isArray(is)) compare(was, is, `${pointer}/items`, `${at}/*`, out);
  }
  for (const keyword of ['definitions', '$defs'] as const) {
    const was = isObject(before[keyword]) ? before[keyword] : {};
    const is = isObject(after[keyword]) ? after[keyword] : {};
    // A definition added or removed changes nothing by itself; a $ref to it is compared as a keyword.
    for (const name of Object.keys(was)) {
      if (name in is) {
        compare(
          was[name] as Schema,
          is[name] as Schema,
          `${pointer}/${keyword}/${token(name)}`,
          `(${keyword} ${name})`,
          out,
        );
      }
    }
  }

  // Anything else (allOf, anyOf, oneOf, not, $ref, if/then/else, tuple items...): compared as a
  // whole, and a change counts both ways, since this checker cannot tell which way it goes.
  const others = new Set([...Object.keys(before), ...Object.keys(after)].filter((key) => !HANDLED.has(key)));
  if (Array.isArray(before.items) || Array.isArray(after.items)) others.add('items');
  for (const keyword of [...others].sort()) {
    if (canonical(before[keyword]) === canonical(after[keyword])) continue;
    out.push({
      rule: 'keyword-changed',
      pointer: `${pointer}/${token(keyword)}`,
      messagePath,
      effect: 'both',
      detail:
        before[keyword] === undefined
          ? `${keyword} added`
          : after[keyword] === undefined
            ? `${keyword} removed`
            : `${keyword} changed`,
    });
  }
}

function compareTypes(
  before: ObjectSchema,
  after: ObjectSchema,
  pointer: string,
  messagePath: string,
  out: Change[],
) {
  const was = typesOf(before);
  const is = typesOf(after);
  if (was === undefined && is === undefined) return;
  // integer is a number: number → integer narrows, integer → number widens, and neither is a type lost.
  const within = (type: string, types: Set<string> | undefined) =>
    types === undefined || types.has(type) || (type === 'integer' && types.has('number'));
  const removed =
    was === undefined
      ? [...(is ?? [])].map((type) => `any type but ${type}`)
      : [...was].filter((type) => !within(type, is));
  const narrowedToInteger =
    was !== undefined &&
    is !== undefined &&
    [...was].some((type) => type === 'number' && !is.has('number') && is.has('integer'));
  const added =
    is === undefined ? [...(was ?? [])].map(() => 'any type') : [...is].filter((type) => !within(type, was));
  if (removed.length > 0 || narrowedToInteger) {
    out.push({
      rule: 'type-narrowed',
      pointer: `${pointer}/type`,
      messagePath,
      effect: 'narrowing',
      detail:
        was === undefined
          ? `type limited to ${show(after.type)}`
          : `type ${show(before.type)} → ${show(after.type)}: ${narrowedToInteger && removed.length === 0 ? 'number limited to integer' : `${removed.join(', ')} no longer admitted`}`,
    });
  }
  if (added.length > 0) {
    out.push({
      rule: 'type-widened',
      pointer: `${pointer}/type`,
      messagePath,
      effect: 'widening',
      detail:
        is === undefined
          ? `type ${show(before.type)} removed: any type admitted`
          : `type ${show(before.type)} → ${show(after.type)}: ${[...new Set(added)].join(', ')} now admitted`,
    });
  }
}

function compareValues(
  before: ObjectSchema,
  after: ObjectSchema,
  pointer: string,
  messagePath: string,
  out: Change[],
) {
  const was = valuesOf(before);
  const is = valuesOf(after);
  if (was === undefined && is === undefined) return;
  const keyword = (schema: ObjectSchema) => ('const' in schema ? 'const' : 'enum');
  const at = `${pointer}/${keyword(is === undefined ? before : after)}`;
  if (was === undefined && is !== undefined) {
    out.push({
      rule: 'enum-narrowed',
      pointer: at,
      messagePath,
      effect: 'narrowing',
      detail: `limited to ${show([...is.values()])}`,
    });
    return;
  }
  if (was !== undefined && is === undefined) {
    out.push({
      rule: 'enum-widened',
      pointer: at,
      messagePath,
      effect: 'widening',
      detail: `the limit to ${show([...was.values()])} removed`,
    });
    return;
  }
  const removed = [...was!.entries()].filter(([key]) => !is!.has(key)).map(([, value]) => value);
  const added = [...is!.entries()].filter(([key]) => !was!.has(key)).map(([, value]) => value);
  if (removed.length > 0) {
    out.push({
      rule: 'enum-narrowed',
      pointer: at,
      messagePath,
      effect: 'narrowing',
      detail: `${show(removed)} no longer admitted`,
    });
  }
  if (added.length > 0) {
    out.push({
      rule: 'enum-widened',
      pointer: at,
      messagePath,
      effect: 'widening',
      detail: `${show(added)} now admitted`,
    });
  }
}

function compareBounds(
  before: ObjectSchema,
  after: ObjectSchema,
  pointer: string,
  messagePath: string,
  out: Change[],
) {
  for (const [keywords, tighter] of [
    [LOWER_BOUNDS, (was: number, is: number) => is > was],
    [UPPER_BOUNDS, (was: number, is: number) => is < was],
  ] as const) {
    for (const keyword of keywords) {
      const was = before[keyword];
      const is = after[keyword];
      if (was === is) continue;
      // draft-04's boolean exclusiveMinimum/exclusiveMaximum are not used here; a non-number counts both ways.
      const numeric = (value: unknown) => value === undefined || typeof value === 'number';
      if (!numeric(was) || !numeric(is)) {
        out.push({
          rule: 'keyword-changed',
          pointer: `${pointer}/${keyword}`,
          messagePath,
          effect: 'both',
          detail: `${keyword} changed`,
        });
        continue;
      }
      const narrows = was === undefined || (is !== undefined && tighter(was as number, is as number));
      out.push({
        rule: narrows ? 'bound-tightened' : 'bound-loosened',
        pointer: `${pointer}/${keyword}`,
        messagePath,
        effect: narrows ? 'narrowing' : 'widening',
        detail:
          was === undefined
            ? `${keyword} ${show(is)} added`
            : is === undefined
              ? `${keyword} ${show(was)} removed`
              : `${keyword} ${show(was)} → ${show(is)}`,
      });
    }
  }
}

function compareObject(
  before: ObjectSchema,
  after: ObjectSchema,
  pointer: string,
  at: string,
  out: Change[],
) {
  const wasProperties = isObject(before.properties) ? before.properties : {};
  const isProperties = isObject(after.properties) ? after.properties : {};
  const wasRequired = new Set(Array.isArray(before.required) ? (before.required as string[]) : []);
  const isRequired = new Set(Array.isArray(after.required) ? (after.required as string[]) : []);
  const wasExtra = (before.additionalProperties ?? true) as Schema;
  const isExtra = (after.additionalProperties ?? true) as Schema;
  const names = [
    ...new Set([...Object.keys(wasProperties), ...Object.keys(isProperties), ...wasRequired, ...isRequired]),
  ];

  for (const name of names) {
    const propertyPointer = `${pointer}/properties/${token(name)}`;
    const path = `${at}/${token(name)}`;
    const inBefore = name in wasProperties;
    const inAfter = name in isProperties;
    if (inBefore && !inAfter && !isRequired.has(name)) {
      out.push({
        rule: 'property-removed',
        pointer: propertyPointer,
        messagePath: path,
        effect: 'read',
        detail: wasRequired.has(name)
          ? `required property ${show(name)} removed`
          : `property ${show(name)} removed (consumers of the previous release may read it)`,
      });
      continue;
    }
    if (!inBefore && inAfter) {
      if (isRequired.has(name)) {
        out.push({
          rule: 'required-added',
          pointer: `${pointer}/required`,
          messagePath: path,
          effect: 'read',
          detail: `new required property ${show(name)}: messages sent before it lack it`,
        });
      } else if (wasExtra === false) {
        out.push({
          rule: 'property-added',
          pointer: propertyPointer,
          messagePath: path,
          effect: 'widening',
          detail: `new property ${show(name)} where the released schema refuses unknown properties (additionalProperties: false)`,
          unknownPropertiesOnly: true,
        });
      } else if (isObject(wasExtra) && Object.keys(wasExtra).length > 0) {
        // The released schema held unknown properties to its additionalProperties schema: the new
        // property is compared with that.
        compare(wasExtra, isProperties[name] as Schema, propertyPointer, path, out);
      } else {
        out.push({
          rule: 'property-added',
          pointer: propertyPointer,
          messagePath: path,
          effect: 'none',
          detail: `new optional property ${show(name)}`,
        });
      }
      continue;
    }
    if (wasRequired.has(name) && !isRequired.has(name)) {
      out.push({
        rule: 'required-removed',
        pointer: `${pointer}/required`,
        messagePath: path,
        effect: 'read',
        detail: `${show(name)} no longer required: consumers of the previous release count on it`,
      });
    }
    if (!wasRequired.has(name) && isRequired.has(name)) {
      out.push({
        rule: 'required-added',
        pointer: `${pointer}/required`,
        messagePath: path,
        effect: 'read',
        detail: `${show(name)} now required: messages sent before may lack it`,
      });
    }
    if (inBefore && inAfter) {
      compare(wasProperties[name] as Schema, isProperties[name] as Schema, propertyPointer, path, out);
    }
  }

  const closed = (schema: Schema) => schema === false;
  if (!closed(wasExtra) && closed(isExtra)) {
    out.push({
      rule: 'additional-properties-closed',
      pointer: `${pointer}/additionalProperties`,
      messagePath: `${at}/*`,
      effect: 'narrowing',
      detail: 'additionalProperties is now false: a property the released schema let through is refused',
      unknownPropertiesOnly: true,
    });
  } else if (closed(wasExtra) && !closed(isExtra)) {
    out.push({
      rule: 'additional-properties-opened',
      pointer: `${pointer}/additionalProperties`,
      messagePath: `${at}/*`,
      effect: 'widening',
      detail: 'additionalProperties is no longer false: unknown properties are let through',
      unknownPropertiesOnly: true,
    });
  } else if (!closed(wasExtra) && !closed(isExtra)) {
    compare(wasExtra, isExtra, `${pointer}/additionalProperties`, `${at}/*`, out);
  }
}

/** Who a change breaks, given the contract's consumers. */
export function judge(change: Change, consumers: readonly JudgedConsumer[]): Finding {
  if (consumers.length === 0) return { ...change, breaking: false, why: 'no consumer' };
  // A consumer that ignores unknown properties validates the relaxed schema, where this change is none.
  const strict = consumers.some(
    (consumer) => consumer.strict && !(change.unknownPropertiesOnly && consumer.ignoresUnknownProperties),
  );
  if (change.unknownPropertiesOnly && !strict && consumers.some((consumer) => consumer.strict)) {
    return {
      ...change,
      breaking: false,
      why: 'every consumer that validates ignores properties its schema does not name (and producers send only what theirs names)',
    };
  }
  switch (change.effect) {
    case 'none':
      return { ...change, breaking: false, why: 'additive: a consumer ignores a property it does not know' };
    case 'read':
      return { ...change, breaking: true, why: 'a consumer reads the property and finds it missing' };
    case 'narrowing':
      return strict
        ? {
            ...change,
            breaking: true,
            why: 'a new consumer refuses messages sent before it (queued, in a dead-letter queue, stored and replayed)',
          }
        : { ...change, breaking: false, why: 'no consumer validates: sending less than before breaks none' };
    case 'widening':
      return strict
        ? {
            ...change,
            breaking: true,
            why: 'a consumer of the previous release validates and refuses what it now may receive',
          }
        : { ...change, breaking: false, why: 'no consumer validates: each reads what it knows' };
    case 'both':
      return strict
        ? {
            ...change,
            breaking: true,
            why: 'consumers validate, and this change may admit or refuse messages the released schema did not',
          }
        : { ...change, breaking: false, why: 'no consumer validates' };
  }
}

/** Every change with whom it breaks. */
export function compareContract(
  released: Schema,
  current: Schema,
  consumers: readonly JudgedConsumer[],
): Finding[] {
  return diffSchemas(released, current).map((change) => judge(change, consumers));
}
