/**
 * The TypeScript types of @herald/client (packages/client/src/herald-api.generated.ts), made by
 * openapi-typescript from the merged document, and the few enums a browser offers as choices
 * (audit-filters.generated.ts): `npm run openapi` writes them beside the documents and
 * `npm run openapi:check` fails when they are stale, so the client never drifts from the API.
 * Checked in rather than made at build time: the client's sources run as they are (tsx, Jest, a
 * bundler), with no build step of their own.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';
import type { Document } from './document';

export const CLIENT_TYPES = 'packages/client/src/herald-api.generated.ts';
export const CLIENT_VALUES = 'packages/client/src/audit-filters.generated.ts';

const HEADER =
  '// Written by `npm run openapi` (scripts/openapi/client-types.ts) from openapi/herald.openapi.json\n' +
  '// with openapi-typescript. Do not edit: change the sources of the document and run it again.\n\n';

type Schema = Record<string, unknown>;
const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * openapi-typescript reads no `if`/`then`/`else` (it types POST /v1/events's body, one event or
 * `{ events }`, as an empty object), so for the types only, each such schema is read as the union it
 * means: `then` with what `if` requires, or `else`. The documents keep the schema the handler validates with.
 */
export function withConditionalsAsUnions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withConditionalsAsUnions);
  if (!isSchema(value)) return value;
  const walked = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withConditionalsAsUnions(v)]));
  const { if: condition, then: matched, else: otherwise, ...rest } = walked;
  if (!isSchema(condition) || !isSchema(matched) || !isSchema(otherwise)) return walked;
  const required = [...((condition.required as string[]) ?? []), ...((matched.required as string[]) ?? [])];
  return {
    ...rest,
    oneOf: [{ type: 'object', ...matched, ...(required.length > 0 ? { required } : {}) }, otherwise],
  };
}

export async function clientTypesText(path: string, merged: Document): Promise<string> {
  const ast = await openapiTS(withConditionalsAsUnions(merged) as Parameters<typeof openapiTS>[0]);
  return format(HEADER + astToString(ast), { ...(await resolveConfig(path)), filepath: path });
}

/**
 * Query parameters whose values a browser offers as choices (the console's audit filters): each
 * enum as a constant of its own, so a page imports a few strings, never the document, and a value
 * the API gains is offered as soon as the client is written again.
 */
const QUERY_ENUMS = [
  { constant: 'AUDIT_ACTIONS', path: '/v1/audit', method: 'get', parameter: 'action' },
  { constant: 'AUDIT_RESOURCE_TYPES', path: '/v1/audit', method: 'get', parameter: 'resourceType' },
] as const;

interface QueryParameter {
  name?: string;
  in?: string;
  schema?: { enum?: unknown[] };
}

/** The query parameters' enums as constants, each checked against the client's type of it. */
export async function clientValuesText(path: string, merged: Document): Promise<string> {
  const constants = QUERY_ENUMS.map(({ constant, path: route, method, parameter }) => {
    const operation = merged.paths[route]?.[method] as
      { operationId?: string; parameters?: QueryParameter[] } | undefined;
    const values = operation?.parameters?.find((p) => p.in === 'query' && p.name === parameter)?.schema?.enum;
    if (operation?.operationId === undefined || !values?.every((value) => typeof value === 'string'))
      throw new Error(
        `${method.toUpperCase()} ${route} has no query parameter ${parameter} with a string enum`,
      );
    const type = `NonNullable<NonNullable<operations['${operation.operationId}']['parameters']['query']>['${parameter}']>`;
    return (
      `/** ${method.toUpperCase()} ${route}'s \`${parameter}\` values. */\n` +
      `export const ${constant} = ${JSON.stringify(values)} as const satisfies ReadonlyArray<${type}>;\n`
    );
  });
  const header =
    '// Written by `npm run openapi` (scripts/openapi/client-types.ts) from openapi/herald.openapi.json:\n' +
    "// its query parameters' enums. Do not edit: change the sources of the document and run it again.\n\n" +
    "import type { operations } from './herald-api.generated';\n\n";
  return format(header + constants.join('\n'), { ...(await resolveConfig(path)), filepath: path });
}

/** Writes the client's types under `outputRoot`, or with `check` only says whether they are stale. */
export async function writeClientTypes(
  merged: Document,
  check: boolean,
  outputRoot: string,
): Promise<string[]> {
  const stale: string[] = [];
  for (const [file, textOf] of [
    [CLIENT_TYPES, clientTypesText],
    [CLIENT_VALUES, clientValuesText],
  ] as const) {
    const path = join(outputRoot, file);
    const text = await textOf(path, merged);
    if ((await readFile(path, 'utf8').catch(() => undefined)) === text) continue;
    stale.push(file);
    if (!check) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
    }
  }
  return stale;
}
