/** What every interpreter shares: the call's shape, the error for a call it cannot read, the
 * request context every AWS request carries, and the KMS requests a service makes for its caller. */
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthorizationRequest, CallerIdentity, ResourceFacts } from '../types';
import { iamAction, resourceArn } from './catalogue';

export type AwsService =
  'sqs' | 'sns' | 'dynamodb' | 'events' | 'kms' | 's3' | 'secretsmanager' | 'ses' | 'ssm';

export interface HttpCall {
  method: string;
  /** With the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface InterpretedCall {
  operation: string;
  /** Everything IAM checks for the call; all must be allowed. */
  requests: AuthorizationRequest[];
}

/** A call whose operation the local cloud does not know what IAM asks for (or cannot read). */
export class UnknownCall extends Error {
  constructor(
    readonly service: AwsService,
    readonly operation: string,
    reason = 'the local cloud does not know what IAM authorizes for it',
  ) {
    super(`${service} ${operation}: ${reason}`);
    this.name = 'UnknownCall';
  }
}

export type Context = Record<string, string | string[]>;

/**
 * Keys every request sets. `aws:SecureTransport` is "true": the SDK speaks HTTPS to AWS, and plain
 * HTTP on loopback is an artefact of the local cloud (the templates' DenyNonTls statements must not
 * fire). Principal keys come from the caller when the interpreter is told who it is (IAM User Guide,
 * "AWS global condition context keys": for a role session aws:PrincipalArn is the role's ARN).
 */
export function baseContext(facts: ResourceFacts, caller?: CallerIdentity): Context {
  return {
    'aws:SecureTransport': 'true',
    'aws:RequestedRegion': facts.region,
    'aws:PrincipalAccount': caller?.accountId ?? facts.accountId,
    ...(caller ? { 'aws:PrincipalArn': caller.roleArn } : {}),
  };
}

export interface Interpretation {
  facts: ResourceFacts;
  base: Context;
}

export const headerOf = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The operation of a JSON-protocol call: `X-Amz-Target: <Prefix>.<Operation>` (as the fault stage reads it). */
export function targetOperation(call: HttpCall): string {
  const target = headerOf(call.headers, 'x-amz-target') ?? '';
  return target.slice(target.lastIndexOf('.') + 1) || 'Unknown';
}

export function jsonBody(service: AwsService, operation: string, call: HttpCall): Record<string, unknown> {
  if (call.body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(call.body.toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new UnknownCall(service, operation, 'its body is not a JSON object');
}

export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * The KMS requests a service makes with the caller's permissions when the resource is encrypted under
 * a customer managed key: each with `kms:ViaService` = `<service>.<region>.amazonaws.com`,
 * `kms:CallerAccount`, and the service's encryption context as `kms:EncryptionContext:<key>` plus
 * `kms:EncryptionContextKeys` (KMS Developer Guide, "AWS KMS condition keys").
 */
export function kmsViaService(
  via: AwsService,
  keyArn: string | undefined,
  actions: readonly ('Decrypt' | 'GenerateDataKey')[],
  encryptionContext: Record<string, string>,
  { facts, base }: Interpretation,
): AuthorizationRequest[] {
  if (!keyArn) return [];
  const context: Context = {
    ...base,
    'kms:ViaService': `${via}.${facts.region}.amazonaws.com`,
    'kms:CallerAccount': String(base['aws:PrincipalAccount']),
    ...encryptionContextKeys(encryptionContext),
  };
  return actions.map((action) => ({ action: iamAction('kms', action), resource: keyArn, context }));
}

export function encryptionContextKeys(encryptionContext: Record<string, string>): Context {
  const keys = Object.keys(encryptionContext);
  if (keys.length === 0) return {};
  return {
    ...Object.fromEntries(keys.map((key) => [`kms:EncryptionContext:${key}`, encryptionContext[key]!])),
    'kms:EncryptionContextKeys': keys,
  };
}

/** One request for `prefix:action` on a resource built from the catalogue's ARN format. */
export function request(
  prefix: string,
  action: string,
  resourceType: string | undefined,
  values: Record<string, string>,
  context: Context,
  facts: ResourceFacts,
): AuthorizationRequest {
  return {
    action: iamAction(prefix, action),
    resource: resourceType ? resourceArn(prefix, action, resourceType, values, facts) : '*',
    context,
  };
}
