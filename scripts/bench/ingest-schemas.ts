/**
 * Tenants' event-type schemas in ingest (services/ingest/src/event-schemas.ts): what compiling a
 * schema costs (once per tenant, type and version per container) and what validating one event's
 * data costs, for a realistic schema and for the worst case the rules allow. No local cloud: the
 * code acceptEvents runs, in this process.
 *
 *   npx tsx scripts/bench/ingest-schemas.ts [--iterations 2000]
 *
 * The worst case: a schema of almost 64 KiB, nested to the depth limit, of properties each with a
 * pattern (every one compiled by RE2), and an event of about 250 KiB that it takes in full: an array
 * of 1,000 distinct objects under uniqueItems (the largest maxItems allowed; Ajv compares items
 * pairwise), and long strings under a pattern that backtracks exponentially in JavaScript's own engine.
 */
import { parseArgs } from 'node:util';
import {
  compileSchema,
  MAX_SCHEMA_BYTES,
  MAX_SCHEMA_DEPTH,
  MAX_UNIQUE_ITEMS,
} from '../../services/ingest/src/event-schemas';
import { ORDER, ORDER_SCHEMA } from '../../services/ingest/test/support/schemas';
import { figure } from './lib/figures';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '2000' } } });
const iterations = Number(values.iterations);

function timed<T>(fn: () => T): { ms: number; result: T } {
  const started = performance.now();
  const result = fn();
  return { ms: performance.now() - started, result };
}

function compiled(schema: unknown) {
  const result = compileSchema(schema);
  if (!result.ok) throw new Error(`the bench's schema is refused: ${JSON.stringify(result.problems)}`);
  return result;
}

/** Median of `runs` timings of fn, in ms. */
function median(runs: number, fn: () => void): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) times.push(timed(fn).ms);
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

// The first compile of a container also compiles Ajv's draft 2020-12 meta-schema (once).
const first = timed(() => compiled(ORDER_SCHEMA));
first.result.release?.();
const compileRealistic = median(50, () => compiled(structuredClone(ORDER_SCHEMA)).release?.());
const realistic = compiled(ORDER_SCHEMA);
if (realistic.validate(ORDER) !== undefined) throw new Error('the realistic event does not match');
const validateRealistic =
  (median(5, () => {
    for (let i = 0; i < iterations; i += 1) realistic.validate(ORDER);
  }) /
    iterations) *
  1000;

/** A schema just under 64 KiB: MAX_SCHEMA_DEPTH levels, each with patterned properties. */
function worstSchema(): Record<string, unknown> {
  const level = (depth: number, width: number): Record<string, unknown> => {
    const properties: Record<string, unknown> = {};
    for (let p = 0; p < width; p += 1)
      properties[`p${p}`] = { type: 'string', pattern: `^(a|aa)+${p}?$`, maxLength: 4096 };
    if (depth < MAX_SCHEMA_DEPTH - 2) properties.next = level(depth + 1, width);
    return { type: 'object', properties };
  };
  let width = 1;
  let schema = level(0, width);
  for (;;) {
    const wider = level(0, width + 1);
    if (Buffer.byteLength(JSON.stringify(wrap(wider))) > MAX_SCHEMA_BYTES) break;
    schema = wider;
    width += 1;
  }
  return wrap(schema);
}
function wrap(nested: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      nested,
      items: {
        type: 'array',
        maxItems: MAX_UNIQUE_ITEMS,
        uniqueItems: true,
        items: { type: 'object', properties: { id: { type: 'integer' }, tags: { type: 'array' } } },
      },
    },
  };
}
/**
 * About 250 KiB that the worst schema takes in full (a failing value would stop validation at the
 * first error): every level's two patterned strings, and 1,000 distinct objects for uniqueItems.
 */
function worstData(): Record<string, unknown> {
  const items = Array.from({ length: MAX_UNIQUE_ITEMS }, (_, id) => ({ id, tags: ['x', 'y', String(id)] }));
  const levels = MAX_SCHEMA_DEPTH - 2;
  const length = Math.floor((250 * 1024 - Buffer.byteLength(JSON.stringify(items))) / levels / 2);
  let nested: Record<string, unknown> = {};
  for (let depth = levels - 1; depth >= 0; depth -= 1) {
    nested = {
      p0: 'a'.repeat(length),
      p1: 'a'.repeat(length),
      ...(depth === levels - 1 ? {} : { next: nested }),
    };
  }
  return { nested, items };
}

const schema = worstSchema();
const data = worstData();
const compileWorst = median(5, () => compiled(structuredClone(schema)).release?.());
const worst = compiled(schema);
if (worst.validate(data) !== undefined) throw new Error('the worst-case event does not match');
const validateWorst = median(5, () => worst.validate(data));
const schemaKiB = Buffer.byteLength(JSON.stringify(schema)) / 1024;
const dataKiB = Buffer.byteLength(JSON.stringify(data)) / 1024;

console.log(
  [
    `realistic schema (${(Buffer.byteLength(JSON.stringify(ORDER_SCHEMA)) / 1024).toFixed(1)} KiB):`,
    `  first compile in a container (with Ajv's meta-schema): ${first.ms.toFixed(1)} ms`,
    `  compile: ${compileRealistic.toFixed(2)} ms; validate: ${validateRealistic.toFixed(2)} µs per event`,
    `worst case allowed (schema ${schemaKiB.toFixed(1)} KiB, depth ${MAX_SCHEMA_DEPTH}; event ${dataKiB.toFixed(0)} KiB):`,
    `  compile: ${compileWorst.toFixed(1)} ms; validate: ${validateWorst.toFixed(1)} ms per event`,
  ].join('\n'),
);
figure({
  figure: 'event-type schema: first compile in a container (realistic)',
  value: first.ms,
  unit: 'ms',
});
figure({ figure: 'event-type schema: compile (realistic)', value: compileRealistic, unit: 'ms' });
figure({ figure: 'event-type schema: validate one event (realistic)', value: validateRealistic, unit: 'µs' });
figure({ figure: 'event-type schema: compile (64 KiB worst case)', value: compileWorst, unit: 'ms' });
figure({ figure: 'event-type schema: validate one event (worst case)', value: validateWorst, unit: 'ms' });
