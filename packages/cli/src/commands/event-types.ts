/** herald event-types list | get | put | deprecate */
import { readFile } from 'node:fs/promises';
import type { EventType, EventTypeDefinition } from '@herald/client';
import type { Command, Context } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import { fields, table } from '../format';

const typeName = { min: 1, max: 1, names: 'TYPE' };

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`${file} is not JSON (${what})`);
  }
}

function showType(context: Context, eventType: EventType) {
  if (context.json) return context.out(JSON.stringify(eventType));
  const { schema, examples, ...rest } = eventType;
  context.out(fields({ ...rest, examples: examples?.length }));
  if (schema !== undefined) context.out(`schema:\n${JSON.stringify(schema, null, 2)}`);
}

/** The type as a PUT body: what GET answers, less what the API sets itself. */
const definitionOf = ({
  description,
  schema,
  examples,
  deprecated,
  replacedBy,
}: EventType): EventTypeDefinition => ({
  description,
  ...(schema === undefined ? {} : { schema }),
  ...(examples === undefined ? {} : { examples }),
  deprecated,
  ...(replacedBy === undefined ? {} : { replacedBy }),
});

export const list: Command = {
  words: ['event-types', 'list'],
  summary: "List the tenant's event types",
  usage: '',
  details: 'With --json, one event type per line (NDJSON).',
  async run(context) {
    const rows: EventType[] = [];
    for await (const eventType of context.client().eventTypes.list({ pageSize: 100 })) {
      if (context.json) context.out(JSON.stringify(eventType));
      else rows.push(eventType);
    }
    if (!context.json)
      context.out(
        rows.length === 0
          ? 'No event types.'
          : table(rows, [
              { header: 'type', value: (row) => row.type },
              { header: 'version', value: (row) => row.version },
              { header: 'schema', value: (row) => (row.schema === undefined ? 'no' : 'yes') },
              {
                header: 'deprecated',
                value: (row) =>
                  row.deprecated ? `yes${row.replacedBy ? ` (${row.replacedBy})` : ''}` : 'no',
              },
              { header: 'description', value: (row) => row.description },
            ]),
      );
    return EXIT.ok;
  },
};

export const get: Command = {
  words: ['event-types', 'get'],
  summary: 'Show one event type, with its schema',
  usage: 'TYPE',
  positionals: typeName,
  async run(context, _values, [type]) {
    showType(context, await context.client().eventTypes.get(type!));
    return EXIT.ok;
  },
};

export const put: Command = {
  words: ['event-types', 'put'],
  summary: 'Register or replace an event type (its description, JSON Schema and examples)',
  usage: 'TYPE --description TEXT [--file SCHEMA.json] [--examples EXAMPLES.json]',
  positionals: typeName,
  options: {
    description: {
      type: 'string',
      valueName: 'TEXT',
      description: 'what an event of the type means (required)',
    },
    file: {
      type: 'string',
      short: 'f',
      valueName: 'FILE',
      description: "a JSON Schema (draft 2020-12 subset) each event's data must match",
    },
    examples: { type: 'string', valueName: 'FILE', description: 'a JSON array of example data' },
  },
  details: `Replaces the whole type: a schema or examples left out are removed, and a deprecated type
is no longer deprecated. Ingest applies the change within a minute. A schema the API refuses (a
remote $ref, a format outside its list, a pattern with backreferences or lookaround) or an example
that does not match it is named by pointer, and the command exits 1.

Example:
  herald event-types put order.created --description "An order was placed" --file order.schema.json`,
  async run(context, values, [type]) {
    const description = values.description as string | undefined;
    if (description === undefined) throw new UsageError('--description is required');
    const schema =
      values.file === undefined ? undefined : await readJson(values.file as string, 'a JSON Schema');
    const examples =
      values.examples === undefined ? undefined : await readJson(values.examples as string, 'a JSON array');
    if (examples !== undefined && !Array.isArray(examples))
      throw new UsageError(`${values.examples as string} must hold a JSON array of examples`);
    if (
      schema !== undefined &&
      (typeof schema !== 'object' || schema === null || Array.isArray(schema)) &&
      typeof schema !== 'boolean'
    )
      throw new UsageError(`${values.file as string} must hold a JSON Schema (an object or a boolean)`);
    const definition = {
      description,
      ...(schema === undefined ? {} : { schema }),
      ...(examples === undefined ? {} : { examples }),
    } as EventTypeDefinition;
    showType(context, await context.client().eventTypes.put(type!, definition));
    return EXIT.ok;
  },
};

export const deprecate: Command = {
  words: ['event-types', 'deprecate'],
  summary: 'Deprecate an event type (its events are still accepted, with a warning)',
  usage: 'TYPE [--replaced-by TYPE]',
  positionals: typeName,
  options: {
    'replaced-by': {
      type: 'string',
      valueName: 'TYPE',
      description: 'the type producers should send instead',
    },
  },
  details: `Reads the type and puts it back deprecated, keeping its description, schema and examples.
Events of a deprecated type are accepted; POST /v1/events answers them under "deprecations".`,
  async run(context, values, [type]) {
    const client = context.client();
    const current = await client.eventTypes.get(type!);
    // A replacement named before is kept unless another is given.
    const replacedBy = (values['replaced-by'] as string | undefined) ?? current.replacedBy;
    const { replacedBy: _previous, ...kept } = definitionOf(current);
    showType(
      context,
      await client.eventTypes.put(type!, {
        ...kept,
        deprecated: true,
        ...(replacedBy === undefined ? {} : { replacedBy }),
      }),
    );
    return EXIT.ok;
  },
};
