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
import { CONDITION_FUNCTIONS, createConditions, type Conditions } from './conditions';
import { stableUuid } from './ids';
import { parameterValues } from './parameters';
import {
  childPath,
  functionArguments as args,
  intrinsicName,
  isRecord,
  TemplateError,
  type Template,
} from './template';

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

export interface Resolver extends Conditions {
  /** `value` with every intrinsic function resolved; undefined if it is AWS::NoValue itself. */
  resolve(value: unknown, path: string): unknown;
}

type Scope = 'template' | 'conditions';

/** AWS's zone names: us-east-1 has six, the other regions are given their first three. */
export function defaultAvailabilityZones(region: string): string[] {
  const letters = region === 'us-east-1' ? 'abcdef' : 'abc';
  return [...letters].map((letter) => `${region}${letter}`);
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
  // Conditions refer to parameters only: they resolve their values in the 'conditions' scope.
  const { condition, isIncluded } = createConditions(template, (input, path) =>
    value(input, path, 'conditions'),
  );
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

  type Call = (arg: unknown, path: string, scope: Scope) => unknown;
  const calls = new Map<string, Call>([
    ['Ref', ref],
    ['Fn::GetAtt', getAtt],
    ['Fn::Sub', sub],
    ['Fn::Join', join],
    ['Fn::Select', select],
    ['Fn::Split', split],
    ['Fn::If', ifThen],
    ['Fn::ImportValue', importValue],
    ['Fn::GetAZs', getAZs],
    ['Fn::Base64', base64],
    ['Fn::FindInMap', findInMap],
  ]);

  function call(fn: string, arg: unknown, path: string, scope: Scope): unknown {
    const implementation = calls.get(fn);
    if (implementation) return implementation(arg, path, scope);
    if (CONDITION_FUNCTIONS.has(fn))
      throw new TemplateError(path, `${fn} can only be used in the Conditions section`);
    throw new TemplateError(path, `${fn} is not supported by the local cloud`);
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

  function getAZs(arg: unknown, path: string, scope: Scope): string[] {
    return zones(arg === '' ? context.region : string(value(arg, path, scope), path) || context.region);
  }

  function base64(arg: unknown, path: string, scope: Scope): string {
    return Buffer.from(string(value(arg, path, scope), path), 'utf8').toString('base64');
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

  return {
    resolve(input, path) {
      const resolved = value(input, path, 'template');
      return resolved === NO_VALUE ? undefined : resolved;
    },
    condition,
    isIncluded,
  };
}
