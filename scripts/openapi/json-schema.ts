/**
 * The project's JSON Schema files as OpenAPI 3.1 schemas. A file's `definitions` become components
 * (named in PascalCase, as compile-schemas names their types) and its `#/definitions/x` references
 * point at them; a request schema (`{ body, pathParameters, queryStringParameters }`, what the
 * validation middleware checks) is split into the request body and the parameters.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { pascalCase } from '../compile-schemas';

export type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The components/schemas of one document, each registered once under one name. */
export class Components {
  readonly schemas: Record<string, Schema> = {};
  /** Where each component came from, to name both files when two differ under one name. */
  private readonly sources = new Map<string, string>();

  constructor(private readonly root: string) {}

  /** Registers a schema under a name (an identical one is fine) and answers its reference. */
  add(name: string, schema: Schema, source: string): Schema {
    const known = this.schemas[name];
    if (known !== undefined && !isDeepStrictEqual(known, schema)) {
      throw new Error(`Two schemas named ${name}: in ${this.sources.get(name)} and in ${source}`);
    }
    this.schemas[name] = schema;
    this.sources.set(name, source);
    return { $ref: `#/components/schemas/${name}` };
  }

  /** A schema file, its definitions registered, references rewritten (without its own `definitions`). */
  read(file: string): Schema {
    const schema = JSON.parse(readFileSync(join(this.root, file), 'utf8')) as Schema;
    const { definitions, ...rest } = schema;
    if (isSchema(definitions)) {
      for (const [key, definition] of Object.entries(definitions)) {
        this.add(pascalCase(key), rewriteReferences(definition, file) as Schema, file);
      }
    }
    return rewriteReferences(rest, file) as Schema;
  }

  /** A reference to one definition of a schema file (registering the file's definitions). */
  definition(file: string, key: string): Schema {
    this.read(file);
    const name = pascalCase(key);
    if (!(name in this.schemas)) throw new Error(`${file} has no definition ${key}`);
    return { $ref: `#/components/schemas/${name}` };
  }

  /** A whole schema file as one component. */
  file(file: string, name: string): Schema {
    const { $comment, ...schema } = this.read(file);
    return this.add(name, typeof $comment === 'string' ? { description: $comment, ...schema } : schema, file);
  }
}

function rewriteReferences(node: unknown, file: string): unknown {
  if (Array.isArray(node)) return node.map((item) => rewriteReferences(item, file));
  if (!isSchema(node)) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => {
      if (key !== '$ref') return [key, rewriteReferences(value, file)];
      const match = typeof value === 'string' ? /^#\/definitions\/([^/]+)$/.exec(value) : null;
      if (!match) throw new Error(`${file}: $ref ${String(value)} is not #/definitions/<name>`);
      return [key, `#/components/schemas/${pascalCase(match[1]!)}`];
    }),
  );
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: Schema;
}

export interface RequestParts {
  body: Schema | undefined;
  bodyRequired: boolean;
  parameters: Parameter[];
  /** The schema's `$comment`, which says what the route takes. */
  comment: string | undefined;
}

const asStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

function parametersOf(part: unknown, where: 'path' | 'query'): Parameter[] {
  if (!isSchema(part) || !isSchema(part.properties)) return [];
  const required = asStrings(part.required);
  return Object.entries(part.properties).map(([name, schema]) => {
    const { description, ...rest } = schema as Schema;
    return {
      name,
      in: where,
      // A path parameter is always required in OpenAPI (and in API Gateway's route).
      required: where === 'path' || required.includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

/** The request body and parameters a request schema file describes. */
export function requestParts(components: Components, file: string): RequestParts {
  const schema = components.read(file);
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const body = properties.body;
  return {
    body: isSchema(body) ? body : undefined,
    bodyRequired: asStrings(schema.required).includes('body'),
    parameters: [
      ...parametersOf(properties.pathParameters, 'path'),
      ...parametersOf(properties.queryStringParameters, 'query'),
    ],
    comment: typeof schema.$comment === 'string' ? schema.$comment : undefined,
  };
}
