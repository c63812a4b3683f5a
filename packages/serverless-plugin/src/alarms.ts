/**
 * Herald's everyday alarms. Each fires on the first occurrence (or above its threshold) and stays
 * quiet without data: a dead-letter queue should always be empty, a function should never throw or
 * be throttled, an HTTP API should never answer 5xx.
 */
import { getAtt, ref } from './cloudformation';
import type { Resource } from './cloudformation';
import type { AlarmDeclaration, ThresholdAlarmDeclaration } from './declarations';

const FIVE_MINUTES = 300;

function alarmName(prefix: string | undefined, alarm: AlarmDeclaration): string {
  if (!prefix) throw new Error(`alarm "${alarm.name}": set custom.herald.alarmPrefix`);
  return `${prefix}-${alarm.name}`;
}

interface Watched {
  namespace: string;
  metric: string;
  dimension: { Name: string; Value: unknown };
  statistic: 'Sum' | 'Maximum';
  period: number;
  threshold?: number;
}

function alarmOn(watched: Watched, alarm: AlarmDeclaration, prefix?: string): Resource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: alarmName(prefix, alarm),
      AlarmDescription: alarm.description,
      Namespace: watched.namespace,
      MetricName: watched.metric,
      Dimensions: [watched.dimension],
      Statistic: watched.statistic,
      Period: watched.period,
      EvaluationPeriods: 1,
      Threshold: watched.threshold ?? 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    },
  };
}

/** Alarms as soon as the queue (logical id) holds a visible message. */
export function queueNotEmptyAlarm(queueId: string, alarm: AlarmDeclaration, prefix?: string): Resource {
  return alarmOn(
    {
      namespace: 'AWS/SQS',
      metric: 'ApproximateNumberOfMessagesVisible',
      dimension: { Name: 'QueueName', Value: getAtt(queueId, 'QueueName') },
      statistic: 'Maximum',
      period: 60,
    },
    alarm,
    prefix,
  );
}

const functionMetric = (functionId: string, metric: string): Watched => ({
  namespace: 'AWS/Lambda',
  metric,
  dimension: { Name: 'FunctionName', Value: ref(functionId) },
  statistic: 'Sum',
  period: FIVE_MINUTES,
});

/** Alarms when the function (its AWS::Lambda::Function logical id) threw within five minutes. */
export function functionErrorsAlarm(functionId: string, alarm: AlarmDeclaration, prefix?: string): Resource {
  return alarmOn(functionMetric(functionId, 'Errors'), alarm, prefix);
}

/** Alarms when Lambda refused to run the function (concurrency) within five minutes. */
export function functionThrottlesAlarm(
  functionId: string,
  alarm: AlarmDeclaration,
  prefix?: string,
): Resource {
  return alarmOn(functionMetric(functionId, 'Throttles'), alarm, prefix);
}

/** Alarms when the HTTP API (its logical id) answered more 5xx than the threshold within five minutes. */
export function serverErrorsAlarm(
  apiId: string,
  alarm: ThresholdAlarmDeclaration,
  prefix?: string,
): Resource {
  return alarmOn(
    {
      namespace: 'AWS/ApiGateway',
      metric: '5xx',
      dimension: { Name: 'ApiId', Value: ref(apiId) },
      statistic: 'Sum',
      period: FIVE_MINUTES,
      ...(alarm.threshold !== undefined ? { threshold: alarm.threshold } : {}),
    },
    { name: alarm.name, description: alarm.description },
    prefix,
  );
}

/** `work` → `work`, `getEvent` → `get-event`: a function's name as part of an alarm's. */
export const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
