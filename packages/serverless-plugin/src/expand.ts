/**
 * Everything `custom.herald` and the functions' `errorsAlarm` declare, as CloudFormation: plain
 * functions over plain data, so the expansion is tested without osls.
 */
import { functionErrorsAlarm, functionThrottlesAlarm, kebab, serverErrorsAlarm } from './alarms';
import { alarmTopicResources } from './alarm-topic';
import { getAtt } from './cloudformation';
import type { Resources } from './cloudformation';
import type { AlarmDeclaration, HeraldDeclaration } from './declarations';
import { deadLetterQueueId, deadLetterQueueResources, queueResources } from './queues';

export const HTTP_API_ID = 'HttpApi';

export interface FunctionFacts {
  /** Its key under `functions`: `getEvent`. */
  name: string;
  /** Logical id osls gives the function: `GetEventLambdaFunction`. */
  functionId: string;
  /** Logical id of its log group, unless its logs are disabled: `GetEventLogGroup`. */
  logGroupId?: string | undefined;
  errorsAlarm?: AlarmDeclaration | undefined;
}

/** The resources to add to the template, by logical id. */
export function expand(herald: HeraldDeclaration, functions: readonly FunctionFacts[]): Resources {
  const context = { key: herald.key, alarmPrefix: herald.alarmPrefix };
  const parts: Resources[] = [
    ...Object.entries(herald.queues ?? {}).map(([id, queue]) => queueResources(id, queue, context)),
    ...Object.entries(herald.deadLetterQueues ?? {}).map(([id, dlq]) =>
      deadLetterQueueResources(id, dlq, context),
    ),
    ...functions.map((facts) => functionAlarms(herald, facts)),
    herald.serverErrorsAlarm
      ? {
          [`${HTTP_API_ID}ServerErrorsAlarm`]: serverErrorsAlarm(
            HTTP_API_ID,
            herald.serverErrorsAlarm,
            herald.alarmPrefix,
          ),
        }
      : {},
    herald.alarmTopic ? alarmTopicResources(herald.alarmTopic, context) : {},
  ];
  const resources: Resources = {};
  for (const part of parts) {
    for (const [id, resource] of Object.entries(part)) {
      if (id in resources) throw new Error(`${id} is declared twice`);
      resources[id] = resource;
    }
  }
  return resources;
}

/**
 * Adds the resources to the template osls is building. A logical id already there, or declared by
 * hand under `resources` (merged later, and silently over these), is a mistake.
 */
export function addResources(template: Resources, resources: Resources, declaredByHand: object = {}): void {
  for (const id of Object.keys(resources)) {
    if (id in template || id in declaredByHand) throw new Error(`${id} is in the template already`);
  }
  Object.assign(template, resources);
}

/** A function's own errorsAlarm, else the service's default ones (`functionAlarms`). */
function functionAlarms(herald: HeraldDeclaration, facts: FunctionFacts): Resources {
  const { functionId, name } = facts;
  const resources: Resources = {};
  const errors =
    facts.errorsAlarm ??
    (herald.functionAlarms?.errors
      ? { name: `${kebab(name)}-errors`, description: `The ${name} function is throwing.` }
      : undefined);
  if (errors)
    resources[alarmId(functionId, 'Errors')] = functionErrorsAlarm(functionId, errors, herald.alarmPrefix);
  if (herald.functionAlarms?.throttles) {
    resources[alarmId(functionId, 'Throttles')] = functionThrottlesAlarm(
      functionId,
      {
        name: `${kebab(name)}-throttles`,
        description: `Lambda is refusing to run the ${name} function (concurrency exhausted).`,
      },
      herald.alarmPrefix,
    );
  }
  return resources;
}

/** `ConsumeLambdaFunction` → `ConsumeErrorsAlarm`. */
const alarmId = (functionId: string, kind: 'Errors' | 'Throttles') =>
  `${functionId.replace(/LambdaFunction$/, '')}${kind}Alarm`;

export const errorsAlarmId = (functionId: string) => alarmId(functionId, 'Errors');

/** Logical ids of every dead-letter queue the declaration makes. */
export function deadLetterQueueIds(herald: HeraldDeclaration): Set<string> {
  return new Set([
    ...Object.entries(herald.queues ?? {})
      .filter(([, queue]) => queue.deadLetterQueue)
      .map(([id]) => deadLetterQueueId(id)),
    ...Object.keys(herald.deadLetterQueues ?? {}),
  ]);
}

/** Encrypts every function's log group (already in `resources`) with the service key. */
export function encryptLogGroups(
  resources: Resources,
  functions: readonly FunctionFacts[],
  key: string,
): void {
  for (const { logGroupId } of functions) {
    if (logGroupId === undefined) continue;
    const logGroup = resources[logGroupId];
    if (logGroup?.Type !== 'AWS::Logs::LogGroup') throw new Error(`${logGroupId}: no such log group`);
    logGroup.Properties.KmsKeyId = getAtt(key, 'Arn');
  }
}
