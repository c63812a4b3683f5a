/**
 * EventBridge resources as data for the local event bus: AWS::Events::EventBus as a bus to create and
 * AWS::Events::Rule as a BusRule with its pattern, state and targets (ARNs already resolved).
 */
import type { BusRule, BusTarget } from '../types';
import { checkProperties, integer, type Ignore, type PropertyRules } from './report';
import { eventBusName } from './resources';
import { childPath, isRecord, TemplateError } from './template';

export const EVENT_BUS_PROPERTIES: PropertyRules = {
  used: ['Name', 'Description'],
  ignored: {
    KmsKeyIdentifier: 'KMS is not emulated: events are not encrypted locally',
    DeadLetterConfig: "the bus's own dead-letter queue (for events it cannot decrypt) is not emulated",
    Policy: 'resource policies are not enforced locally',
    EventSourceName: 'partner event sources are not emulated',
    LogConfig: 'bus logging is not emulated',
    Tags: 'buses are not tagged locally',
  },
};

export const RULE_PROPERTIES: PropertyRules = {
  used: ['Name', 'EventBusName', 'EventPattern', 'State', 'Targets', 'Description'],
  ignored: {
    ScheduleExpression: 'schedules are not emulated: the rule never fires on a schedule',
    RoleArn: 'IAM is not enforced locally',
    Tags: 'rules are not tagged locally',
  },
};

const TARGET_PROPERTIES: PropertyRules = {
  used: ['Id', 'Arn', 'Input', 'InputPath', 'InputTransformer', 'DeadLetterConfig', 'RetryPolicy'],
  ignored: {
    RoleArn: 'IAM is not enforced locally',
    SqsParameters: 'MessageGroupId is not carried to the local bus',
  },
};

/** EventBridge delivers locally to the two kinds of target the local cloud has. */
const DELIVERABLE = /^arn:[^:]+:(sqs|lambda):/;

function target(value: unknown, path: string, property: string, ignore: Ignore): BusTarget | undefined {
  if (!isRecord(value)) throw new TemplateError(path, 'a target must be an object');
  const { Id: id, Arn: arn } = value;
  if (typeof id !== 'string' || typeof arn !== 'string')
    throw new TemplateError(path, 'a target needs an Id and an Arn');
  if (!DELIVERABLE.test(arn)) {
    ignore(
      property,
      `target ${arn} is neither an SQS queue nor a Lambda function, the only targets delivered locally`,
    );
    return undefined;
  }
  checkProperties(value, TARGET_PROPERTIES, ignore, property);
  const result: BusTarget = { id, arn };
  if (value.Input !== undefined) result.input = String(value.Input);
  if (value.InputPath !== undefined) result.inputPath = String(value.InputPath);
  if (value.InputTransformer !== undefined) {
    const transformer = value.InputTransformer;
    if (!isRecord(transformer) || typeof transformer.InputTemplate !== 'string')
      throw new TemplateError(
        childPath(path, 'InputTransformer'),
        'an input transformer needs an InputTemplate',
      );
    result.inputTransformer = {
      InputTemplate: transformer.InputTemplate,
      ...(isRecord(transformer.InputPathsMap)
        ? { InputPathsMap: transformer.InputPathsMap as Record<string, string> }
        : {}),
    };
  }
  if (isRecord(value.DeadLetterConfig) && typeof value.DeadLetterConfig.Arn === 'string')
    result.deadLetterArn = value.DeadLetterConfig.Arn;
  if (isRecord(value.RetryPolicy)) {
    const retry = value.RetryPolicy;
    const attempts = integer(retry.MaximumRetryAttempts, childPath(path, 'RetryPolicy.MaximumRetryAttempts'));
    if (attempts !== undefined) result.maximumRetryAttempts = attempts;
    if (retry.MaximumEventAgeInSeconds !== undefined)
      ignore(
        `${property}.RetryPolicy.MaximumEventAgeInSeconds`,
        'not carried to the local bus: retries stop at MaximumRetryAttempts only',
      );
  }
  return result;
}

/** EventPattern is JSON; CloudFormation takes it as an object or as a JSON string. */
function eventPattern(value: unknown, path: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch (error) {
    throw new TemplateError(path, `EventPattern is not valid JSON: ${(error as Error).message}`);
  }
}

/** The rule as the local bus routes it, or a reason it is not emulated (a schedule-only rule). */
export function busRule(
  rule: { name: string; arn: string; properties: Record<string, unknown>; path: string },
  ignore: Ignore,
): BusRule | { notEmulated: string } {
  const { name, arn, properties, path } = rule;
  if (properties.EventPattern === undefined)
    return { notEmulated: 'a rule with only a ScheduleExpression: schedules are not emulated' };
  checkProperties(properties, RULE_PROPERTIES, ignore);
  let state: BusRule['state'] = 'ENABLED';
  if (properties.State === 'DISABLED') state = 'DISABLED';
  else if (properties.State === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS')
    ignore('State', 'CloudTrail management events do not exist locally: the rule is simply ENABLED');
  else if (properties.State !== undefined && properties.State !== 'ENABLED')
    throw new TemplateError(
      childPath(path, 'State'),
      `State is ENABLED or DISABLED, not ${String(properties.State)}`,
    );
  const targets = properties.Targets ?? [];
  if (!Array.isArray(targets)) throw new TemplateError(childPath(path, 'Targets'), 'Targets must be a list');
  return {
    name,
    arn,
    eventBusName: eventBusName(properties.EventBusName),
    eventPattern: eventPattern(properties.EventPattern, childPath(path, 'EventPattern')),
    state,
    targets: targets
      .map((item, index) =>
        target(item, childPath(childPath(path, 'Targets'), index), childPath('Targets', index), ignore),
      )
      .filter((item): item is BusTarget => item !== undefined),
  };
}
