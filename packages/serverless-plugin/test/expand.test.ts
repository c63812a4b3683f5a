import { describe, expect, test } from '@jest/globals';
import type { Resources } from '../src/cloudformation';
import { addResources, encryptLogGroups, expand } from '../src/expand';

const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });

describe('expand', () => {
  test('queues, dead-letter queues of their own and the functions’ error alarms, by logical id', () => {
    const resources = expand(
      {
        key: 'ServiceKey',
        alarmPrefix: 'herald-prod-svc',
        queues: { WorkQueue: { QueueName: 'work', deadLetterQueue: { maxReceiveCount: 5 } } },
        deadLetterQueues: { BusDeadLetterQueue: { QueueName: 'bus-dlq' } },
      },
      [
        {
          name: 'getEvent',
          functionId: 'GetEventLambdaFunction',
          logGroupId: 'GetEventLogGroup',
          errorsAlarm: { name: 'get-event-errors', description: 'GET /v1/events/{id} is failing.' },
        },
        { name: 'quiet', functionId: 'QuietLambdaFunction', logGroupId: 'QuietLogGroup' },
      ],
    );

    expect(Object.keys(resources).sort()).toEqual([
      'BusDeadLetterQueue',
      'GetEventErrorsAlarm',
      'WorkDeadLetterQueue',
      'WorkQueue',
    ]);
    expect(resources.GetEventErrorsAlarm).toEqual({
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: 'herald-prod-svc-get-event-errors',
        AlarmDescription: 'GET /v1/events/{id} is failing.',
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'GetEventLambdaFunction' } }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      },
    });
  });

  test('refuses two declarations that make the same logical id', () => {
    expect(() =>
      expand(
        {
          key: 'ServiceKey',
          queues: { WorkQueue: { QueueName: 'work', deadLetterQueue: { maxReceiveCount: 5 } } },
          deadLetterQueues: { WorkDeadLetterQueue: { QueueName: 'other-dlq' } },
        },
        [],
      ),
    ).toThrow(/WorkDeadLetterQueue is declared twice/);
  });
});

describe('addResources', () => {
  const queue = { Type: 'AWS::SQS::Queue', Properties: {} };

  test('adds to the template', () => {
    const template: Resources = { Other: queue };
    addResources(template, { WorkQueue: queue });
    expect(Object.keys(template)).toEqual(['Other', 'WorkQueue']);
  });

  test('refuses an id the template has, or that `resources` declares by hand', () => {
    expect(() => addResources({ WorkQueue: queue }, { WorkQueue: queue })).toThrow(
      /WorkQueue is in the template/,
    );
    expect(() => addResources({}, { WorkQueue: queue }, { WorkQueue: queue })).toThrow(
      /WorkQueue is in the template/,
    );
  });
});

describe('encryptLogGroups', () => {
  const logGroup = () => ({ Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/lambda/x' } });

  test('sets the service key on the log group of every function that has one', () => {
    const template: Resources = { WorkLogGroup: logGroup() };
    encryptLogGroups(
      template,
      [
        { name: 'work', functionId: 'WorkLambdaFunction', logGroupId: 'WorkLogGroup' },
        { name: 'quiet', functionId: 'QuietLambdaFunction' },
      ],
      'ServiceKey',
    );
    expect(template.WorkLogGroup!.Properties).toEqual({
      LogGroupName: '/aws/lambda/x',
      KmsKeyId: getAtt('ServiceKey', 'Arn'),
    });
  });

  test('refuses a log group that is not in the template', () => {
    expect(() =>
      encryptLogGroups(
        {},
        [{ name: 'work', functionId: 'WorkLambdaFunction', logGroupId: 'WorkLogGroup' }],
        'ServiceKey',
      ),
    ).toThrow(/WorkLogGroup: no such log group/);
  });
});
