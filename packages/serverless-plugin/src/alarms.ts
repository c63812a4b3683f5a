/**
 * Herald's two everyday alarms. Both fire on the first occurrence and stay quiet without data: a
 * dead-letter queue should always be empty, and a function should never throw.
 */
import { getAtt, ref } from './cloudformation';
import type { Resource } from './cloudformation';
import type { AlarmDeclaration } from './declarations';

const onFirstOccurrence = {
  EvaluationPeriods: 1,
  Threshold: 0,
  ComparisonOperator: 'GreaterThanThreshold',
  TreatMissingData: 'notBreaching',
};

function alarmName(prefix: string | undefined, alarm: AlarmDeclaration): string {
  if (!prefix) throw new Error(`alarm "${alarm.name}": set custom.herald.alarmPrefix`);
  return `${prefix}-${alarm.name}`;
}

/** Alarms as soon as the queue (logical id) holds a visible message. */
export function queueNotEmptyAlarm(queueId: string, alarm: AlarmDeclaration, prefix?: string): Resource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: alarmName(prefix, alarm),
      AlarmDescription: alarm.description,
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(queueId, 'QueueName') }],
      Statistic: 'Maximum',
      Period: 60,
      ...onFirstOccurrence,
    },
  };
}

/** Alarms when the function (its AWS::Lambda::Function logical id) threw within five minutes. */
export function functionErrorsAlarm(functionId: string, alarm: AlarmDeclaration, prefix?: string): Resource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: alarmName(prefix, alarm),
      AlarmDescription: alarm.description,
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: ref(functionId) }],
      Statistic: 'Sum',
      Period: 300,
      ...onFirstOccurrence,
    },
  };
}
