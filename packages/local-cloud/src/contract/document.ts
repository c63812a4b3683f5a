/**
 * A service's OpenAPI document (openapi/<service>.openapi.json, built by `npm run openapi`) as the
 * contract checks read it: each operation with the pattern its path template matches and its
 * documented responses, the $refs of responses and headers resolved. Body schemas stay as the
 * document has them; the validator resolves their $refs inside the document itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from '../config';
import { repositoryRoot } from '../repository';

export interface DocumentedHeader {
  required: boolean;
  schema?: Record<string, unknown>;
}

export interface DocumentedResponse {
  /** Media type → the JSON pointer of its schema in the document ('' when it has none). */
  content: Record<string, string>;
  /** Lower-cased header name → what the document says of it. */
  headers: Record<string, DocumentedHeader>;
}

export interface DocumentedOperation {
  /** The operationId. */
  id: string;
  method: string;
  /** The path template, e.g. `/v1/subscriptions/{id}`. */
  template: string;
  pattern: RegExp;
  /** Status (or `default`) → the response. */
  responses: Record<string, DocumentedResponse>;
}

export interface ContractDocument {
  service: string;
  /** The document itself, for the validator to resolve schema $refs in. */
  raw: Record<string, unknown>;
  operations: DocumentedOperation[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

type Json = Record<string, unknown>;

function resolve(document: Json, value: Json): Json {
  let current = value;
  // A $ref to a $ref is allowed; a loop is not something the generator writes.
  for (let hops = 0; typeof current.$ref === 'string' && hops < 8; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith('#/')) throw new Error(`Only local $refs are read; got ${ref}`);
    current = ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<Json>((node, part) => {
        const next = node[part];
        if (next === undefined || next === null || typeof next !== 'object')
          throw new Error(`$ref ${ref} points at nothing`);
        return next as Json;
      }, document);
  }
  return current;
}

/** The regular expression a path template matches: each `{name}` is one non-empty segment. */
export function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (/^\{[^}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

function pointer(path: readonly string[]): string {
  return `#/${path.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

export function readContractDocument(service: string, raw: Json): ContractDocument {
  const operations: DocumentedOperation[] = [];
  for (const [template, item] of Object.entries((raw.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      const responses: Record<string, DocumentedResponse> = {};
      for (const [status, declared] of Object.entries((operation.responses ?? {}) as Record<string, Json>)) {
        const response = resolve(raw, declared);
        // Where the response's schemas are: under its own $ref target when it has one.
        const base =
          typeof declared.$ref === 'string'
            ? declared.$ref.slice(2).split('/')
            : ['paths', template, method, 'responses', status];
        const content: Record<string, string> = {};
        for (const [mediaType, media] of Object.entries((response.content ?? {}) as Record<string, Json>))
          content[mediaType.toLowerCase()] = media.schema
            ? pointer([...base, 'content', mediaType, 'schema'])
            : '';
        const headers: Record<string, DocumentedHeader> = {};
        for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
          const resolved = resolve(raw, header);
          headers[name.toLowerCase()] = {
            required: resolved.required === true,
            ...(resolved.schema ? { schema: resolve(raw, resolved.schema as Json) } : {}),
          };
        }
        responses[status] = { content, headers };
      }
      operations.push({
        id: typeof operation.operationId === 'string' ? operation.operationId : `${method} ${template}`,
        method: method.toUpperCase(),
        template,
        pattern: templatePattern(template),
        responses,
      });
    }
  }
  // A literal segment wins over a template (`/a/b` before `/a/{id}`): fewer templated segments first.
  const templated = (op: DocumentedOperation) => (op.template.match(/\{/g) ?? []).length;
  operations.sort((a, b) => templated(a) - templated(b));
  return { service, raw, operations };
}

/** The document `npm run openapi` wrote for a service. */
export function loadContractDocument(service: ServiceName): ContractDocument {
  const file = join(repositoryRoot, 'openapi', `${service}.openapi.json`);
  return readContractDocument(service, JSON.parse(readFileSync(file, 'utf8')) as Json);
}

/** The operation a request is for, by method and path (the query left aside). */
export function findOperation(
  document: ContractDocument,
  method: string,
  url: string,
): DocumentedOperation | undefined {
  const path = url.split('?')[0]!;
  const upper = method.toUpperCase();
  return document.operations.find((op) => op.method === upper && op.pattern.test(path));
}
