/**
 * The HTTP routes a service declares in its serverless.yml: each function's httpApi events, with the
 * JWT authorizer's scopes, and the handler module that serves them. The file is read as written
 * (CloudFormation tags and ${...} variables are left unresolved: a route's method, path and scopes
 * are literals in every service).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import yaml from 'js-yaml';

export interface Route {
  service: string;
  /** The serverless function that serves the route. */
  functionName: string;
  method: string;
  path: string;
  /** Scopes the token must carry; undefined for a route without the JWT authorizer. */
  scopes: string[] | undefined;
  /** The handler module, relative to the service's folder (`src/handlers/get-event.ts`). */
  handlerFile: string;
}

export interface ServiceDefinition {
  name: string;
  /** The service's folder, relative to the repository root. */
  directory: string;
  /** The local stage's HTTP port (params), where the local cloud serves the service. */
  localPort: number | undefined;
  routes: Route[];
}

// CloudFormation's short forms (!GetAtt, !Sub, !Ref...) in every YAML kind: kept as plain values.
const CLOUDFORMATION_TAGS = [
  'GetAtt',
  'Sub',
  'Ref',
  'If',
  'Join',
  'Select',
  'Split',
  'Equals',
  'Not',
  'And',
  'Or',
  'FindInMap',
  'ImportValue',
  'Base64',
  'Cidr',
  'GetAZs',
  'Condition',
];
const SCHEMA = yaml.DEFAULT_SCHEMA.extend(
  CLOUDFORMATION_TAGS.flatMap((tag) =>
    (['scalar', 'sequence', 'mapping'] as const).map(
      (kind) => new yaml.Type(`!${tag}`, { kind, construct: (data: unknown) => ({ [tag]: data }) }),
    ),
  ),
);

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The routes and settings a serverless.yml declares. */
export function parseServerless(text: string, name: string, directory: string): ServiceDefinition {
  const document = yaml.load(text, { schema: SCHEMA });
  if (!isNode(document)) throw new Error(`${directory}/serverless.yml is not a mapping`);
  const params = isNode(document.params) ? document.params : {};
  const port = [params.local, params.default]
    .map((stage) => (isNode(stage) ? stage.httpPort : undefined))
    .find((value) => typeof value === 'number');
  const functions = isNode(document.functions) ? document.functions : {};
  const routes: Route[] = [];
  for (const [functionName, definition] of Object.entries(functions)) {
    if (!isNode(definition) || !Array.isArray(definition.events)) continue;
    for (const event of definition.events) {
      if (!isNode(event) || !isNode(event.httpApi)) continue;
      const { method, path, authorizer } = event.httpApi;
      if (typeof method !== 'string' || typeof path !== 'string' || typeof definition.handler !== 'string') {
        throw new Error(
          `${directory}/serverless.yml: ${functionName} has an httpApi event without a literal method, path or handler`,
        );
      }
      const scopes = isNode(authorizer)
        ? (Array.isArray(authorizer.scopes) ? authorizer.scopes : []).map(String)
        : undefined;
      routes.push({
        service: name,
        functionName,
        method: method.toUpperCase(),
        path,
        scopes,
        // `src/handlers/get-event.handler` is the export `handler` of src/handlers/get-event.ts.
        handlerFile: `${definition.handler.slice(0, definition.handler.lastIndexOf('.'))}.ts`,
      });
    }
  }
  return { name, directory, localPort: port as number | undefined, routes };
}

export async function readService(root: string, name: string): Promise<ServiceDefinition> {
  const directory = `services/${name}`;
  return parseServerless(await readFile(join(root, directory, 'serverless.yml'), 'utf8'), name, directory);
}
