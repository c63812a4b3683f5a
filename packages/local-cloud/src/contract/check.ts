/**
 * Whether one HTTP response is what the service's OpenAPI document says the operation answers: the
 * status is documented; the Content-Type is one the document gives for that status (none when it
 * gives none); a JSON body matches that media type's schema; each header the document requires is
 * there, and each documented header that is there matches its schema. The schemas are the
 * document's own, compiled by ajv (JSON Schema 2020-12, as OpenAPI 3.1 has them) on first use.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { findOperation, type ContractDocument, type DocumentedOperation } from './document';

// ajv-formats is CommonJS: its default export is the function, one level down under ESM interop.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

export interface ObservedResponse {
  status: number;
  /** Lower-cased names; a repeated header's values joined by `, ` (as node:http gives them). */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type ContractVerdict =
  /** No documented operation has this method and path (a gateway's own 404, a probe). */
  | { kind: 'unmatched' }
  /**
   * Answered before any function ran: serverless-offline's own error for a request it will not pass
   * on (a malformed percent-escape, a Content-Type that is no media type...), where API Gateway
   * answers its own in AWS. Not the service's answer, so not judged against its document.
   */
  | { kind: 'gateway' }
  | { kind: 'checked'; operation: DocumentedOperation; status: number; violations: string[] };

export interface ContractChecker {
  service: string;
  check(method: string, url: string, response: ObservedResponse): ContractVerdict;
}

const JSON_MEDIA = /^application\/(?:[\w.+-]+\+)?json$/;

const describe = (errors: readonly ErrorObject[] | null | undefined, whole = '(body)') =>
  (errors ?? [])
    .map((error) => {
      const extra =
        error.keyword === 'additionalProperties'
          ? ` (${String((error.params as { additionalProperty?: string }).additionalProperty)})`
          : error.keyword === 'enum'
            ? ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`
            : '';
      return `${error.instancePath || whole} ${error.message ?? error.keyword}${extra}`;
    })
    .join('; ');

/** The body as it was before the service compressed it (it does when the client accepts it). */
function decoded(body: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(body);
    case 'deflate':
      return inflateSync(body);
    case 'br':
      return brotliDecompressSync(body);
    default:
      return body;
  }
}

/**
 * Every answer of Herald's HTTP stack carries X-Correlation-Id; hapi's own errors (serverless-offline
 * answers with them before invoking anything) carry none and have Boom's body,
 * `{ statusCode, error, message }`.
 */
function answeredBeforeAnyFunction(response: ObservedResponse): boolean {
  if (response.headers['x-correlation-id'] !== undefined || response.status < 400) return false;
  try {
    const body = JSON.parse(response.body.toString('utf8')) as Record<string, unknown> | null;
    return body?.statusCode === response.status && typeof body.error === 'string';
  } catch {
    return false;
  }
}

const headerValue = (value: string | string[] | undefined) =>
  Array.isArray(value) ? value.join(', ') : value;

export function contractChecker(document: ContractDocument): ContractChecker {
  const id = `herald:${document.service}`;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(document.raw, id);
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (schemaPointer: string) => {
    let validate = compiled.get(schemaPointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `${id}${schemaPointer}` });
      compiled.set(schemaPointer, validate);
    }
    return validate;
  };
  const headerValidators = new Map<Record<string, unknown>, ValidateFunction>();
  const headerValidator = (schema: Record<string, unknown>) => {
    let validate = headerValidators.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      headerValidators.set(schema, validate);
    }
    return validate;
  };

  return {
    service: document.service,
    check(method, url, response) {
      const operation = findOperation(document, method, url);
      if (!operation) return { kind: 'unmatched' };
      if (answeredBeforeAnyFunction(response)) return { kind: 'gateway' };
      const violations: string[] = [];
      const verdict = { kind: 'checked' as const, operation, status: response.status, violations };
      const documented = operation.responses[String(response.status)] ?? operation.responses.default;
      if (!documented) {
        const statuses = Object.keys(operation.responses).join(', ');
        violations.push(`status ${response.status} is not documented (documented: ${statuses})`);
        return verdict;
      }

      const contentType = headerValue(response.headers['content-type']);
      const mediaType = contentType?.split(';')[0]!.trim().toLowerCase();
      const mediaTypes = Object.keys(documented.content);
      const hasBody = response.body.length > 0 && method.toUpperCase() !== 'HEAD';
      if (mediaTypes.length === 0) {
        if (hasBody) violations.push(`a body (${contentType ?? 'no Content-Type'}) where none is documented`);
      } else if (!mediaType || !(mediaType in documented.content)) {
        violations.push(
          `Content-Type ${contentType ?? '(none)'} is not documented (documented: ${mediaTypes.join(', ')})`,
        );
      } else if (hasBody && JSON_MEDIA.test(mediaType) && documented.content[mediaType]) {
        let body: unknown;
        const encoding = headerValue(response.headers['content-encoding']);
        try {
          body = JSON.parse(decoded(response.body, encoding).toString('utf8'));
        } catch {
          violations.push(`the body is not JSON (${mediaType}${encoding ? `, ${encoding}` : ''})`);
        }
        if (body !== undefined) {
          const validate = validatorAt(documented.content[mediaType]);
          if (!validate(body)) violations.push(`body: ${describe(validate.errors)}`);
        }
      } else if (!hasBody && method.toUpperCase() !== 'HEAD') {
        violations.push(`no body where ${mediaTypes.join(' or ')} is documented`);
      }

      for (const [name, header] of Object.entries(documented.headers)) {
        const value = headerValue(response.headers[name]);
        if (value === undefined) {
          if (header.required) violations.push(`header ${name} is required and missing`);
          continue;
        }
        if (!header.schema) continue;
        const validate = headerValidator(header.schema);
        if (!validate(value))
          violations.push(`header ${name}: ${describe(validate.errors, JSON.stringify(value))}`);
      }
      return verdict;
    },
  };
}
