/**
 * Everything `custom.herald` and the functions' `errorsAlarm` declare, as CloudFormation: plain
 * functions over plain data, so the expansion is tested without osls.
 */
import { functionErrorsAlarm } from './alarms';
import { getAtt } from './cloudformation';
import type { Resources } from './cloudformation';
import type { AlarmDeclaration, HeraldDeclaration } from './declarations';
import { deadLetterQueueResources, queueResources } from './queues';

export interface FunctionFacts {
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
    ...functions.flatMap(({ functionId, errorsAlarm }) =>
      errorsAlarm
        ? [{ [errorsAlarmId(functionId)]: functionErrorsAlarm(functionId, errorsAlarm, herald.alarmPrefix) }]
        : [],
    ),
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

/** `ConsumeLambdaFunction` → `ConsumeErrorsAlarm`. */
export const errorsAlarmId = (functionId: string) =>
  `${functionId.replace(/LambdaFunction$/, '')}ErrorsAlarm`;

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
