/**
 * The TypeScript types of @herald/client (packages/client/src/herald-api.generated.ts), made by
 * openapi-typescript from the merged document: `npm run openapi` writes them beside the documents and
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

/** Writes the client's types under `outputRoot`, or with `check` only says whether they are stale. */
export async function writeClientTypes(
  merged: Document,
  check: boolean,
  outputRoot: string,
): Promise<string[]> {
  const path = join(outputRoot, CLIENT_TYPES);
  const text = await clientTypesText(path, merged);
  if ((await readFile(path, 'utf8').catch(() => undefined)) === text) return [];
  if (!check) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }
  return [CLIENT_TYPES];
}
