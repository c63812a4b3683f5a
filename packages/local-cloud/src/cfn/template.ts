/**
 * The shape of a CloudFormation template as the local cloud reads it, and the error every part of it
 * throws when a template cannot be honoured: it names the place in the template (e.g.
 * `Resources.InboundQueue.Properties.RedrivePolicy.deadLetterTargetArn`) so the fix is obvious.
 */

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  Metadata?: unknown;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface CfnParameter {
  Type: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  Description?: string;
}

export interface CfnOutput {
  Value: unknown;
  Description?: string;
  Export?: { Name: unknown };
  Condition?: string;
}

export interface Template {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Transform?: unknown;
  Parameters?: Record<string, CfnParameter>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, CfnOutput>;
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Appends a key to a template path: `a.b` + `c` → `a.b.c`; array indexes as `a[0]`. */
export function childPath(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
}

/** Checks the top level of a parsed template; the rest is checked where it is used. */
export function assertTemplate(value: unknown, source: string): asserts value is Template {
  if (!isRecord(value)) throw new TemplateError(source, 'a template must be a JSON object');
  if (!isRecord(value.Resources) || Object.keys(value.Resources).length === 0)
    throw new TemplateError(`${source}: Resources`, 'a template needs at least one resource');
  for (const [logicalId, resource] of Object.entries(value.Resources)) {
    if (!isRecord(resource) || typeof resource.Type !== 'string')
      throw new TemplateError(`Resources.${logicalId}`, 'every resource needs a Type');
    if (resource.Properties !== undefined && !isRecord(resource.Properties))
      throw new TemplateError(`Resources.${logicalId}.Properties`, 'Properties must be an object');
  }
  // A transform (SAM, LanguageExtensions, macros) rewrites the template on AWS's side first.
  if (value.Transform !== undefined)
    throw new TemplateError('Transform', 'template transforms are not expanded by the local cloud');
}

/**
 * The intrinsic function an object calls, or undefined for plain data. CloudFormation reads `Ref` or
 * `Fn::*` as a function only when it is the object's single key; an object mixing one with other keys
 * is a template mistake (often two merged overrides), so it is refused rather than guessed at.
 */
export function intrinsicName(value: unknown, path: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value);
  const functions = keys.filter((key) => key === 'Ref' || key.startsWith('Fn::'));
  if (functions.length === 0) return undefined;
  if (keys.length > 1) {
    const others = keys.filter((key) => key !== functions[0]);
    throw new TemplateError(
      path,
      `${functions[0]} must be the only key of its object, but ${others.join(', ')} ${others.length > 1 ? 'are' : 'is'} beside it`,
    );
  }
  return functions[0];
}

/** The argument list of an intrinsic function, when it has one of the lengths `fn` takes (`shape` says which). */
export function functionArguments(
  arg: unknown,
  path: string,
  fn: string,
  counts: number[],
  shape: string,
): unknown[] {
  if (!Array.isArray(arg) || !counts.includes(arg.length))
    throw new TemplateError(path, `${fn} takes ${shape}`);
  return arg;
}
