// What the local bus's API refuses, with the ValidationException wording AWS uses.
import { serviceOfArn } from '../aws';
import { AwsError } from '../aws-json-protocol';
import type { EventBusTarget } from './delivery';
import { targetInput } from './delivery';
import { TargetInputValidationError, validateTargetInput } from './targets';

interface NamePattern {
  readonly regex: RegExp;
  /** As AWS quotes it in the ValidationException. */
  readonly text: string;
}
export const RULE_NAME: NamePattern = { regex: /^[.\-_A-Za-z0-9]{1,64}$/, text: '[\\.\\-_A-Za-z0-9]+' };
// Custom bus names cannot contain '/', which only partner buses use.
export const BUS_NAME: NamePattern = { regex: /^[.\-_A-Za-z0-9]{1,256}$/, text: '[\\.\\-_A-Za-z0-9]+' };
export const TARGET_ID: NamePattern = RULE_NAME;

export function validation(message: string): AwsError {
  return new AwsError('ValidationException', message);
}

export function checkName(value: string, pattern: NamePattern, member: string): void {
  if (!pattern.regex.test(value)) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ` +
        `Member must satisfy regular expression pattern: ${pattern.text}`,
    );
  }
}

/** The pattern as PutRule takes it (JSON text) or as a template gives it (parsed), with the text AWS echoes. */
export function parsePattern(pattern: string | object | undefined): { pattern?: unknown; text?: string } {
  if (pattern === undefined) return {};
  if (typeof pattern !== 'string') return { pattern, text: JSON.stringify(pattern) };
  try {
    return { pattern: JSON.parse(pattern), text: pattern };
  } catch (error) {
    throw new AwsError(
      'InvalidEventPatternException',
      `Event pattern is not valid. Reason: ${(error as Error).message}`,
    );
  }
}

export function checkRange(value: number | undefined, min: number, max: number, member: string): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw validation(
      `1 validation error detected: Value '${value}' at 'targets.member.${member}' failed to satisfy ` +
        `constraint: Member must have value between ${min} and ${max}`,
    );
  }
}

/** Why the local bus cannot take this target, or undefined when it can. */
export function targetProblem(target: EventBusTarget): string | undefined {
  const service = serviceOfArn(target.arn);
  if (service !== 'sqs' && service !== 'lambda') {
    return `Target ${target.id}: the local event bus delivers to SQS queues and Lambda functions only, not ${target.arn}.`;
  }
  if (target.deadLetterArn !== undefined && serviceOfArn(target.deadLetterArn) !== 'sqs') {
    return `Target ${target.id}: DeadLetterConfig.Arn must be an SQS queue ARN.`;
  }
  if (service === 'sqs' && target.arn.endsWith('.fifo') && !target.sqsMessageGroupId) {
    return `Target ${target.id}: SqsParameters.MessageGroupId is required for a FIFO queue.`;
  }
  try {
    validateTargetInput(targetInput(target));
  } catch (error) {
    if (error instanceof TargetInputValidationError) return `Target ${target.id}: ${error.message}`;
    throw error;
  }
  return undefined;
}
