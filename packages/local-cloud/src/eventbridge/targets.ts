// What a rule target receives: the matched event, a constant (Input), part of the event (InputPath), or a
// template filled from the event (InputTransformer), as the EventBridge "input transformation" docs describe.
import { evaluateJsonPath, JsonPathSyntaxError, parseJsonPath } from './json-path';
import type { JsonPathResult } from './json-path';

export interface InputTransformer {
  readonly InputPathsMap?: Readonly<Record<string, string>>;
  readonly InputTemplate: string;
}

/** The input-shaping part of a PutTargets target. */
export interface TargetInput {
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: InputTransformer;
}

export interface TargetInputContext {
  readonly ruleName: string;
  /** Defaults to the ARN of a rule with that name on the event's default bus. */
  readonly ruleArn?: string;
  /** ISO 8601 time EventBridge received the event; defaults to now. */
  readonly ingestionTime?: string;
}

/** PutTargets rejects these with a ValidationException. */
export class TargetInputValidationError extends Error {
  override name = 'ValidationException';
}

const MAX_INPUT_CHARS = 8192;
const MAX_PATH_CHARS = 256;
const MAX_PATHS = 100;
const VARIABLE_NAME = /^[A-Za-z0-9_-]+$/;
const PLACEHOLDER = /^<([A-Za-z0-9_.-]+)>/;

/** Reserved template variables; InputPathsMap cannot define them (its names have no dots). */
const RULE_NAME = 'aws.events.rule-name';
const RULE_ARN = 'aws.events.rule-arn';
const EVENT = 'aws.events.event';
const EVENT_JSON = 'aws.events.event.json';
const INGESTION_TIME = 'aws.events.event.ingestion-time';

function invalid(message: string): never {
  throw new TargetInputValidationError(message);
}

/** The checks PutTargets makes on Input / InputPath / InputTransformer. */
export function validateTargetInput(target: TargetInput): void {
  const set = [target.Input, target.InputPath, target.InputTransformer].filter(
    (option) => option !== undefined,
  );
  if (set.length > 1)
    invalid('Only one of Input, InputPath, or InputTransformer may be provided for a target');
  if (target.Input !== undefined) validateInput(target.Input);
  if (target.InputPath !== undefined) validatePath(target.InputPath, 'InputPath');
  if (target.InputTransformer !== undefined) validateTransformer(target.InputTransformer);
}

function validateInput(input: string): void {
  if (input.length > MAX_INPUT_CHARS) invalid(`Input must be at most ${MAX_INPUT_CHARS} characters`);
  try {
    JSON.parse(input);
  } catch {
    invalid('Input must be valid JSON text');
  }
}

function validatePath(path: string, what: string): void {
  if (path.length > MAX_PATH_CHARS) invalid(`${what} must be at most ${MAX_PATH_CHARS} characters`);
  try {
    parseJsonPath(path);
  } catch (error) {
    if (error instanceof JsonPathSyntaxError) invalid(`${what} is not a valid JSON path: ${error.message}`);
    throw error;
  }
}

function validateTransformer(transformer: InputTransformer): void {
  const template = transformer.InputTemplate;
  if (typeof template !== 'string' || template.length < 1 || template.length > MAX_INPUT_CHARS) {
    invalid(`InputTemplate must be between 1 and ${MAX_INPUT_CHARS} characters`);
  }
  const entries = Object.entries(transformer.InputPathsMap ?? {});
  if (entries.length > MAX_PATHS) invalid(`InputPathsMap can have at most ${MAX_PATHS} entries`);
  for (const [name, path] of entries) {
    // The key pattern also keeps out the reserved "aws." names.
    if (!VARIABLE_NAME.test(name) || name.length > MAX_PATH_CHARS) {
      invalid(`InputPathsMap key "${name}" must match ${VARIABLE_NAME.source}`);
    }
    validatePath(path, `InputPathsMap value for "${name}"`);
  }
  if (template.trimStart().startsWith('{')) rejectPlaceholderKeys(template);
}

/** "If InputTemplate is a JSON object, the placeholder cannot be used as an object key." */
function rejectPlaceholderKeys(template: string): void {
  scanTemplate(template, (name, inString, after) => {
    if (!inString && after.trimStart().startsWith(':'))
      invalid(`InputTemplate placeholder <${name}> cannot be an object key`);
    return undefined;
  });
}

/** The exact string the target is sent. Throws TargetInputValidationError for an invalid target. */
export function shapeTargetInput(target: TargetInput, event: object, context: TargetInputContext): string {
  validateTargetInput(target);
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return renderJson(evaluateJsonPath(event, target.InputPath));
  if (target.InputTransformer !== undefined) {
    // An event is a JSON object; the reserved variables read its fields by name.
    return renderTemplate(target.InputTransformer, event as Readonly<Record<string, unknown>>, context);
  }
  return JSON.stringify(event);
}

/** A path that finds nothing is delivered as JSON null. */
function renderJson(result: JsonPathResult): string {
  return result.found ? JSON.stringify(result.value) : 'null';
}

/**
 * Placeholder substitution follows the documented rules: outside a JSON string a variable becomes its JSON
 * value (strings gain quotes, a missing path is null); inside a string it becomes the raw text, unescaped
 * (EventBridge does not escape extracted values), an object or array loses its quotes, and a missing path is
 * empty. Unknown `<names>` are left as they are.
 */
function renderTemplate(
  transformer: InputTransformer,
  event: Readonly<Record<string, unknown>>,
  context: TargetInputContext,
): string {
  const paths = transformer.InputPathsMap ?? {};
  const resolve = (name: string): JsonPathResult | undefined => {
    const reserved = reservedVariable(name, event, context);
    if (reserved !== undefined) return reserved;
    const path = paths[name];
    return path === undefined ? undefined : evaluateJsonPath(event, path);
  };
  return scanTemplate(transformer.InputTemplate, (name, inString) => {
    const result = resolve(name);
    if (result === undefined) return undefined;
    return inString ? renderInString(result) : renderJson(result);
  });
}

function renderInString(result: JsonPathResult): string {
  if (!result.found) return '';
  const { value } = result;
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value);
  return typeof value === 'object' && value !== null ? json.replaceAll('"', '') : json;
}

function reservedVariable(
  name: string,
  event: Readonly<Record<string, unknown>>,
  context: TargetInputContext,
): JsonPathResult | undefined {
  const found = (value: unknown): JsonPathResult => ({ found: true, value });
  switch (name) {
    case RULE_NAME:
      return found(context.ruleName);
    case RULE_ARN:
      return found(context.ruleArn ?? defaultRuleArn(event, context.ruleName));
    case INGESTION_TIME:
      return found(context.ingestionTime ?? new Date().toISOString());
    case EVENT: {
      // Documented as "the original event payload as JSON (without the detail field)".
      const { detail: _detail, ...withoutDetail } = event;
      return found(withoutDetail);
    }
    case EVENT_JSON:
      return found(event);
    default:
      return undefined;
  }
}

function defaultRuleArn(event: Readonly<Record<string, unknown>>, ruleName: string): string {
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  return `arn:aws:events:${text(event.region)}:${text(event.account)}:rule/${ruleName}`;
}

/**
 * Walks the template tracking whether we are inside a JSON string (honouring backslash escapes) and hands
 * every `<name>` to `replace`; undefined keeps the placeholder text.
 */
function scanTemplate(
  template: string,
  replace: (name: string, inString: boolean, after: string) => string | undefined,
): string {
  let output = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if (inString && char === '\\') {
      output += template.slice(i, i + 2);
      i++;
      continue;
    }
    if (char === '"') inString = !inString;
    const placeholder = char === '<' ? PLACEHOLDER.exec(template.slice(i)) : null;
    if (placeholder) {
      const [whole, name = ''] = placeholder;
      const replacement = replace(name, inString, template.slice(i + whole.length));
      if (replacement !== undefined) {
        output += replacement;
        i += whole.length - 1;
        continue;
      }
    }
    output += char;
  }
  return output;
}
