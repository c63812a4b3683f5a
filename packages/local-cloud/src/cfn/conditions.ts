/**
 * The Conditions section: Fn::Equals, Fn::Not, Fn::And, Fn::Or and {"Condition": name}, each condition
 * evaluated once, and the resources a false condition leaves out. `resolve` gives the value of what a
 * condition compares (parameters and pseudo parameters; conditions cannot refer to resources).
 */
import type { Template } from './template';
import { childPath, functionArguments as args, intrinsicName, isRecord, TemplateError } from './template';

export const CONDITION_FUNCTIONS = new Set(['Fn::Equals', 'Fn::Not', 'Fn::And', 'Fn::Or']);

export interface Conditions {
  /** The named condition of the Conditions section. */
  condition(name: string, path: string): boolean;
  /** False when the resource has a Condition that is false: CloudFormation does not create it. */
  isIncluded(logicalId: string): boolean;
}

export function createConditions(
  template: Template,
  resolve: (input: unknown, path: string) => unknown,
): Conditions {
  const conditions = new Map<string, boolean>();
  const evaluating = new Set<string>();

  function conditionValue(input: unknown, path: string): boolean {
    if (isRecord(input) && Object.keys(input).length === 1 && typeof input.Condition === 'string')
      return condition(input.Condition, childPath(path, 'Condition'));
    const fn = intrinsicName(input, path);
    const fnPath = childPath(path, fn ?? '');
    const arg = fn === undefined ? undefined : (input as Record<string, unknown>)[fn];
    switch (fn) {
      case 'Fn::Equals': {
        const [a, b] = args(arg, fnPath, fn, [2], '[value1, value2]');
        return same(resolve(a, childPath(fnPath, 0)), resolve(b, childPath(fnPath, 1)));
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

  return { condition, isIncluded };
}

/** Fn::Equals compares as CloudFormation does: numbers and booleans as their text. */
function same(a: unknown, b: unknown): boolean {
  const normal = (item: unknown): unknown =>
    Array.isArray(item)
      ? item.map(normal)
      : typeof item === 'number' || typeof item === 'boolean'
        ? String(item)
        : item;
  return JSON.stringify(normal(a)) === JSON.stringify(normal(b));
}
