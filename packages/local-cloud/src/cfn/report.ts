/**
 * What provisioning tells its caller about fidelity. Nothing in a template is dropped silently: a
 * resource the local cloud does not emulate, or a property it does not apply (or that an emulator
 * accepted but does not keep), is listed by name with the reason.
 */
import { childPath, isRecord, TemplateError } from './template';

export interface ProvisionReport {
  /** Logical ids created in an emulator or turned into data for the local cloud, in creation order. */
  created: string[];
  notEmulated: Array<{ logicalId: string; type: string; reason: string }>;
  ignoredProperties: Array<{ logicalId: string; property: string; reason: string }>;
  /** Resources and outputs CloudFormation would not create either: their Condition is false. */
  skipped: Array<{ logicalId: string; reason: string }>;
  /** Outputs whose value could not be resolved; the rest of the stack is still provisioned. */
  outputErrors: Array<{ output: string; error: string }>;
}

export const emptyReport = (): ProvisionReport => ({
  created: [],
  notEmulated: [],
  ignoredProperties: [],
  skipped: [],
  outputErrors: [],
});

/** Records the properties of one resource that are not applied locally. */
export type Ignore = (property: string, reason: string) => void;

export interface PropertyRules {
  /** Properties the local cloud applies (or carries into the data it hands out). */
  used: readonly string[];
  /** Properties it knows but does not apply, with the reason. */
  ignored?: Readonly<Record<string, string>>;
}

/** Reports every property that is ignored or unknown; `prefix` places nested objects (`Targets[0]`). */
export function checkProperties(
  properties: Record<string, unknown>,
  rules: PropertyRules,
  ignore: Ignore,
  prefix = '',
): void {
  for (const name of Object.keys(properties)) {
    if (rules.used.includes(name)) continue;
    ignore(childPath(prefix, name), rules.ignored?.[name] ?? 'not known to the local cloud, so not applied');
  }
}

/** CloudFormation's `Tags: [{ Key, Value }]` as a map. */
export function tagMap(tags: unknown, path: string): Record<string, string> {
  if (!Array.isArray(tags)) throw new TemplateError(path, 'Tags must be a list of { Key, Value }');
  return Object.fromEntries(
    tags.map((tag, index) => {
      if (!isRecord(tag) || typeof tag.Key !== 'string')
        throw new TemplateError(childPath(path, index), 'a tag needs a Key and a Value');
      return [tag.Key, String(tag.Value ?? '')];
    }),
  );
}

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Numbers in templates are often strings ("5"); AWS APIs want numbers. */
export function integer(value: unknown, path: string): number | undefined {
  if (value === undefined) return undefined;
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  if (!Number.isInteger(number))
    throw new TemplateError(path, `expected a whole number, not ${JSON.stringify(value)}`);
  return number;
}

export function boolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new TemplateError(path, `expected true or false, not ${JSON.stringify(value)}`);
}
