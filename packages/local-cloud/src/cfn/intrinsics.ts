/**
 * Resolves CloudFormation intrinsic functions the way CloudFormation does when it creates a stack:
 * Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If (with the Conditions section's
 * Fn::Equals/Not/And/Or), Fn::ImportValue, Fn::GetAZs, Fn::Base64 and Fn::FindInMap, following the AWS
 * CloudFormation intrinsic function reference.
 *
 * Resources are looked up in `context.resources` (those created so far, with their Ref value and
 * attributes), which the caller fills in as it creates them. Anything that cannot be resolved throws a
 * TemplateError naming its place in the template rather than leaving a half-resolved value behind.
 */
import { stableUuid } from './ids';
import { childPath, isRecord, TemplateError, type Template } from './template';

/** What a created resource answers to `Ref` and `Fn::GetAtt`. */
export interface ResolvedResource {
  ref: string;
  attributes: Record<string, string>;
}

export interface IntrinsicContext {
  accountId: string;
  region: string;
  /** `aws` */
  partition: string;
  /** `amazonaws.com` */
  urlSuffix: string;
  stackName: string;
  /** Defaults to an AWS-shaped stack ARN derived from the stack name. */
  stackId?: string;
  /** Logical id → the resource created for it. Read on every lookup, so it may grow as resources are made. */
  resources: Record<string, ResolvedResource>;
  /** Values for the template's Parameters (otherwise their Default). */
  parameters?: Record<string, string | string[]>;
  /** Export name → value, as other stacks exported them (for Fn::ImportValue). */
  exports?: Record<string, string>;
  /** The region's Availability Zones for Fn::GetAZs; defaults to AWS's zone names for the region. */
  availabilityZones?: (region: string) => string[];
}

/** `Ref: AWS::NoValue`: the property or list item it stands in is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export interface Resolver {
  /** `value` with every intrinsic function resolved; undefined if it is AWS::NoValue itself. */
  resolve(value: unknown, path: string): unknown;
  /** The named condition of the Conditions section. */
  condition(name: string, path: string): boolean;
  /** False when the resource has a Condition that is false: CloudFormation does not create it. */
  isIncluded(logicalId: string): boolean;
}

type Scope = 'template' | 'conditions';

const CONDITION_FUNCTIONS = new Set(['Fn::Equals', 'Fn::Not', 'Fn::And', 'Fn::Or']);

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

/** AWS's zone names: us-east-1 has six, the other regions are given their first three. */
export function defaultAvailabilityZones(region: string): string[] {
  const letters = region === 'us-east-1' ? 'abcdef' : 'abc';
  return [...letters].map((letter) => `${region}${letter}`);
}

const isListType = (type: string) => type === 'CommaDelimitedList' || type.startsWith('List<');

function parameterValues(
  template: Template,
  given: Record<string, string | string[]>,
): Map<string, string | string[]> {
  const declared = template.Parameters ?? {};
  for (const name of Object.keys(given))
    if (!(name in declared)) throw new TemplateError('Parameters', `${name} is not declared in the template`);
  const values = new Map<string, string | string[]>();
  for (const [name, parameter] of Object.entries(declared)) {
    const path = `Parameters.${name}`;
    if (parameter.Type.startsWith('AWS::SSM::'))
      throw new TemplateError(
        path,
        `${parameter.Type} parameters need SSM, which the local cloud does not have`,
      );
    const raw = given[name] ?? parameter.Default;
    if (raw === undefined) throw new TemplateError(path, 'no value was given and it has no Default');
    let value: string | string[];
    if (isListType(parameter.Type)) value = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
    else if (Array.isArray(raw))
      throw new TemplateError(path, `a ${parameter.Type} parameter takes one value`);
    else value = String(raw);
    if (parameter.AllowedValues && !isListType(parameter.Type)) {
      if (!parameter.AllowedValues.map(String).includes(value as string))
        throw new TemplateError(path, `${String(value)} is not one of its AllowedValues`);
    }
    values.set(name, value);
  }
  return values;
}

const describe = (value: unknown) =>
  Array.isArray(value)
    ? 'a list'
    : value === NO_VALUE
      ? 'AWS::NoValue'
      : isRecord(value)
        ? 'an object'
        : String(value);

export function createResolver(template: Template, context: IntrinsicContext): Resolver {
  const parameters = parameterValues(template, context.parameters ?? {});
  const conditions = new Map<string, boolean>();
  const evaluating = new Set<string>();
  const zones = context.availabilityZones ?? defaultAvailabilityZones;
  const stackId =
    context.stackId ??
    `arn:${context.partition}:cloudformation:${context.region}:${context.accountId}:stack/${context.stackName}/${stableUuid(`stack:${context.stackName}`)}`;

  function value(input: unknown, path: string, scope: Scope): unknown {
    if (Array.isArray(input))
      return input
        .map((item, index) => value(item, childPath(path, index), scope))
        .filter((item) => item !== NO_VALUE);
    if (!isRecord(input)) return input;
    const fn = intrinsicName(input, path);
    if (fn !== undefined) return call(fn, input[fn], childPath(path, fn), scope);
    const output: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(input)) {
      const resolved = value(item, childPath(path, key), scope);
      if (resolved !== NO_VALUE) output[key] = resolved;
    }
    return output;
  }

  function call(fn: string, arg: unknown, path: string, scope: Scope): unknown {
    switch (fn) {
      case 'Ref':
        return ref(arg, path, scope);
      case 'Fn::GetAtt':
        return getAtt(arg, path, scope);
      case 'Fn::Sub':
        return sub(arg, path, scope);
      case 'Fn::Join':
        return join(arg, path, scope);
      case 'Fn::Select':
        return select(arg, path, scope);
      case 'Fn::Split':
        return split(arg, path, scope);
      case 'Fn::If':
        return ifThen(arg, path, scope);
      case 'Fn::ImportValue':
        return importValue(arg, path, scope);
      case 'Fn::GetAZs':
        return zones(arg === '' ? context.region : string(value(arg, path, scope), path) || context.region);
      case 'Fn::Base64':
        return Buffer.from(string(value(arg, path, scope), path), 'utf8').toString('base64');
      case 'Fn::FindInMap':
        return findInMap(arg, path, scope);
      default:
        if (CONDITION_FUNCTIONS.has(fn))
          throw new TemplateError(path, `${fn} can only be used in the Conditions section`);
        throw new TemplateError(path, `${fn} is not supported by the local cloud`);
    }
  }

  /** A value used as a string: numbers and booleans become their text, as CloudFormation does. */
  function string(resolved: unknown, path: string): string {
    if (typeof resolved === 'string') return resolved;
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    throw new TemplateError(path, `expected a string but this is ${describe(resolved)}`);
  }

  function list(resolved: unknown, path: string): unknown[] {
    if (!Array.isArray(resolved))
      throw new TemplateError(path, `expected a list but this is ${describe(resolved)}`);
    return resolved;
  }

  function args(arg: unknown, path: string, fn: string, counts: number[], shape: string): unknown[] {
    if (!Array.isArray(arg) || !counts.includes(arg.length))
      throw new TemplateError(path, `${fn} takes ${shape}`);
    return arg;
  }

  function created(logicalId: string, path: string, how: string) {
    const condition = template.Resources[logicalId]?.Condition;
    if (!isIncluded(logicalId))
      throw new TemplateError(
        path,
        `${how} resource ${logicalId}, which is not created because its condition ${condition} is false`,
      );
    const resource = context.resources[logicalId];
    if (!resource)
      throw new TemplateError(
        path,
        `${how} resource ${logicalId}, which has not been created yet (a dependency is missing)`,
      );
    return resource;
  }

  function pseudo(name: string, path: string): unknown {
    switch (name) {
      case 'AWS::AccountId':
        return context.accountId;
      case 'AWS::Region':
        return context.region;
      case 'AWS::Partition':
        return context.partition;
      case 'AWS::URLSuffix':
        return context.urlSuffix;
      case 'AWS::StackName':
        return context.stackName;
      case 'AWS::StackId':
        return stackId;
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        throw new TemplateError(path, `Ref to unknown pseudo parameter ${name}`);
    }
  }

  function ref(name: unknown, path: string, scope: Scope): unknown {
    if (typeof name !== 'string')
      throw new TemplateError(
        path,
        'Ref takes the literal name of a resource, parameter or pseudo parameter',
      );
    if (name.startsWith('AWS::')) return pseudo(name, path);
    const parameter = parameters.get(name);
    if (parameter !== undefined) return parameter;
    if (template.Resources[name]) {
      if (scope === 'conditions')
        throw new TemplateError(path, `conditions can only refer to parameters, not to resource ${name}`);
      return created(name, path, 'Ref to').ref;
    }
    throw new TemplateError(
      path,
      `Ref to unknown resource ${name} (no resource, parameter or pseudo parameter has that name)`,
    );
  }

  function attribute(logicalId: string, name: string, path: string, scope: Scope): string {
    const resource = template.Resources[logicalId];
    if (!resource) throw new TemplateError(path, `Fn::GetAtt to unknown resource ${logicalId}`);
    if (scope === 'conditions')
      throw new TemplateError(path, `conditions can only refer to parameters, not to resource ${logicalId}`);
    const attributes = created(logicalId, path, 'Fn::GetAtt to').attributes;
    const found = attributes[name];
    if (found === undefined) {
      const known = Object.keys(attributes);
      throw new TemplateError(
        path,
        `resource ${logicalId} (${resource.Type}) has no attribute ${name} in the local cloud (${known.length ? `it has ${known.join(', ')}` : 'it has none'})`,
      );
    }
    return found;
  }

  function getAtt(arg: unknown, path: string, scope: Scope): string {
    if (typeof arg === 'string') {
      const dot = arg.indexOf('.');
      if (dot <= 0 || dot === arg.length - 1)
        throw new TemplateError(
          path,
          'Fn::GetAtt takes "LogicalId.AttributeName" or [LogicalId, AttributeName]',
        );
      return attribute(arg.slice(0, dot), arg.slice(dot + 1), path, scope);
    }
    const [logicalId, name] = args(arg, path, 'Fn::GetAtt', [2], '[LogicalId, AttributeName]');
    if (typeof logicalId !== 'string')
      throw new TemplateError(childPath(path, 0), 'the logical id must be a literal string');
    // The attribute name may itself be a Ref (to a parameter).
    return attribute(
      logicalId,
      string(value(name, childPath(path, 1), scope), childPath(path, 1)),
      path,
      scope,
    );
  }

  function sub(arg: unknown, path: string, scope: Scope): string {
    let text: unknown = arg;
    const variables = new Map<string, string>();
    if (Array.isArray(arg)) {
      const [first, map] = args(arg, path, 'Fn::Sub', [2], 'a string, or [string, {variable: value}]');
      if (!isRecord(map))
        throw new TemplateError(childPath(path, 1), 'the variables of Fn::Sub must be an object');
      for (const [name, item] of Object.entries(map)) {
        const itemPath = childPath(childPath(path, 1), name);
        variables.set(name, string(value(item, itemPath, scope), itemPath));
      }
      text = first;
    }
    if (typeof text !== 'string')
      throw new TemplateError(
        path,
        'the string of Fn::Sub must be a literal string (no functions inside it)',
      );
    return text.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
      // `${!Literal}` is how a template writes `${Literal}` itself.
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      if (name === '') throw new TemplateError(path, 'Fn::Sub has an empty ${} variable');
      const given = variables.get(name);
      if (given !== undefined) return given;
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::'))
        return attribute(name.slice(0, dot), name.slice(dot + 1), path, scope);
      const resolved = ref(name, path, scope);
      if (typeof resolved !== 'string')
        throw new TemplateError(
          path,
          `\${${name}} is ${describe(resolved)}, which Fn::Sub cannot put in a string`,
        );
      return resolved;
    });
  }

  function join(arg: unknown, path: string, scope: Scope): string {
    const [delimiter, items] = args(arg, path, 'Fn::Join', [2], '[delimiter, [values...]]');
    if (typeof delimiter !== 'string')
      throw new TemplateError(childPath(path, 0), 'the delimiter must be a literal string');
    const itemsPath = childPath(path, 1);
    return list(value(items, itemsPath, scope), itemsPath)
      .map((item, index) => string(item, childPath(itemsPath, index)))
      .join(delimiter);
  }

  function select(arg: unknown, path: string, scope: Scope): unknown {
    const [rawIndex, items] = args(arg, path, 'Fn::Select', [2], '[index, [values...]]');
    const indexPath = childPath(path, 0);
    const indexText = string(value(rawIndex, indexPath, scope), indexPath);
    if (!/^\d+$/.test(indexText))
      throw new TemplateError(indexPath, `the index must be a whole number, not ${indexText}`);
    const index = Number(indexText);
    const resolved = list(value(items, childPath(path, 1), scope), childPath(path, 1));
    if (index >= resolved.length)
      throw new TemplateError(path, `index ${index} is out of range for a list of ${resolved.length}`);
    return resolved[index];
  }

  function split(arg: unknown, path: string, scope: Scope): string[] {
    const [delimiter, source] = args(arg, path, 'Fn::Split', [2], '[delimiter, string]');
    if (typeof delimiter !== 'string' || delimiter === '')
      throw new TemplateError(childPath(path, 0), 'the delimiter must be a non-empty literal string');
    return string(value(source, childPath(path, 1), scope), childPath(path, 1)).split(delimiter);
  }

  function ifThen(arg: unknown, path: string, scope: Scope): unknown {
    const [name] = args(arg, path, 'Fn::If', [3], '[conditionName, valueIfTrue, valueIfFalse]');
    if (typeof name !== 'string')
      throw new TemplateError(childPath(path, 0), 'the condition must be named by a literal string');
    const branch = condition(name, childPath(path, 0)) ? 1 : 2;
    return value((arg as unknown[])[branch], childPath(path, branch), scope);
  }

  function importValue(arg: unknown, path: string, scope: Scope): string {
    const name = string(value(arg, path, scope), path);
    const exported = context.exports?.[name];
    if (exported === undefined) {
      const known = Object.keys(context.exports ?? {});
      throw new TemplateError(
        path,
        `Fn::ImportValue: no stack exports ${name} (${known.length ? `exports: ${known.join(', ')}` : 'no exports were given'})`,
      );
    }
    return exported;
  }

  function findInMap(arg: unknown, path: string, scope: Scope): unknown {
    const parts = args(arg, path, 'Fn::FindInMap', [3, 4], '[MapName, TopLevelKey, SecondLevelKey]');
    const [mapName, topKey, secondKey] = parts
      .slice(0, 3)
      .map((part, index) => string(value(part, childPath(path, index), scope), childPath(path, index)));
    const found = template.Mappings?.[mapName!]?.[topKey!]?.[secondKey!];
    if (found !== undefined) return value(found, `Mappings.${mapName}.${topKey}.${secondKey}`, scope);
    // A fourth argument { DefaultValue } is the AWS::LanguageExtensions form.
    const fallback = parts[3];
    if (isRecord(fallback) && 'DefaultValue' in fallback)
      return value(fallback.DefaultValue, childPath(childPath(path, 3), 'DefaultValue'), scope);
    if (!template.Mappings?.[mapName!])
      throw new TemplateError(path, `Fn::FindInMap: there is no mapping ${mapName}`);
    throw new TemplateError(path, `Fn::FindInMap: mapping ${mapName} has no ${topKey} / ${secondKey}`);
  }

  function same(a: unknown, b: unknown): boolean {
    const normal = (item: unknown): unknown =>
      Array.isArray(item)
        ? item.map(normal)
        : typeof item === 'number' || typeof item === 'boolean'
          ? String(item)
          : item;
    return JSON.stringify(normal(a)) === JSON.stringify(normal(b));
  }

  function conditionValue(input: unknown, path: string): boolean {
    if (isRecord(input) && Object.keys(input).length === 1 && typeof input.Condition === 'string')
      return condition(input.Condition, childPath(path, 'Condition'));
    const fn = intrinsicName(input, path);
    const fnPath = childPath(path, fn ?? '');
    const arg = fn === undefined ? undefined : (input as Record<string, unknown>)[fn];
    switch (fn) {
      case 'Fn::Equals': {
        const [a, b] = args(arg, fnPath, fn, [2], '[value1, value2]');
        return same(
          value(a, childPath(fnPath, 0), 'conditions'),
          value(b, childPath(fnPath, 1), 'conditions'),
        );
      }
      case 'Fn::Not': {
        const [inner] = args(arg, fnPath, fn, [1], '[condition]');
        return !conditionValue(inner, childPath(fnPath, 0));
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const items = args(arg, fnPath, fn, [2, 3, 4, 5, 6, 7, 8, 9, 10], 'a list of 2 to 10 conditions');
        const results = items.map((item, index) => conditionValue(item, childPath(fnPath, index)));
        return fn === 'Fn::And' ? results.every(Boolean) : results.some(Boolean);
      }
      default:
        throw new TemplateError(
          path,
          'a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or {"Condition": name}',
        );
    }
  }

  function condition(name: string, path: string): boolean {
    const known = conditions.get(name);
    if (known !== undefined) return known;
    const definition = template.Conditions?.[name];
    if (definition === undefined) throw new TemplateError(path, `unknown condition ${name}`);
    if (evaluating.has(name)) throw new TemplateError(path, `condition ${name} depends on itself`);
    evaluating.add(name);
    try {
      const result = conditionValue(definition, `Conditions.${name}`);
      conditions.set(name, result);
      return result;
    } finally {
      evaluating.delete(name);
    }
  }

  function isIncluded(logicalId: string): boolean {
    const name = template.Resources[logicalId]?.Condition;
    return name === undefined || condition(name, `Resources.${logicalId}.Condition`);
  }

  return {
    resolve(input, path) {
      const resolved = value(input, path, 'template');
      return resolved === NO_VALUE ? undefined : resolved;
    },
    condition,
    isIncluded,
  };
}
