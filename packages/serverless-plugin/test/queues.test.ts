import { describe, expect, test } from '@jest/globals';
import { deadLetterQueueResources, queueResources } from '../src/queues';

const context = { key: 'ServiceKey', alarmPrefix: 'herald-prod-svc' };
const ref = (id: string) => ({ Ref: id });
const getAtt = (id: string, attribute: string) => ({ 'Fn::GetAtt': [id, attribute] });
const workQueueArn = {
  'Fn::Sub': 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:herald-prod-svc-work',
};
const notEmptyAlarm = { name: 'work-dlq-not-empty', description: 'Work failed; inspect the work DLQ.' };
const denyNonTls = (queueId: string) => ({
  Sid: 'DenyNonTls',
  Effect: 'Deny',
  Principal: '*',
  Action: 'sqs:*',
  Resource: getAtt(queueId, 'Arn'),
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

describe('queueResources', () => {
  test('a queue with its dead-letter queue, redrive, the dead-letter queue’s alarm and the queue’s policy', () => {
    const allowBus = { Sid: 'BusSends', Effect: 'Allow', Resource: getAtt('WorkQueue', 'Arn') };
    const resources = queueResources(
      'WorkQueue',
      {
        QueueName: 'herald-prod-svc-work',
        VisibilityTimeout: 60,
        deadLetterQueue: { maxReceiveCount: 5, notEmptyAlarm },
        policy: { statements: [allowBus], denyNonTls: true },
      },
      context,
    );

    expect(resources).toEqual({
      WorkQueue: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          QueueName: 'herald-prod-svc-work',
          VisibilityTimeout: 60,
          KmsMasterKeyId: ref('ServiceKey'),
          KmsDataKeyReusePeriodSeconds: 300,
          RedrivePolicy: { deadLetterTargetArn: getAtt('WorkDeadLetterQueue', 'Arn'), maxReceiveCount: 5 },
        },
      },
      WorkDeadLetterQueue: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          QueueName: 'herald-prod-svc-work-dlq',
          MessageRetentionPeriod: 1_209_600,
          KmsMasterKeyId: ref('ServiceKey'),
          // Named by ARN, not referenced: the queue refers to its dead-letter queue already.
          RedriveAllowPolicy: { redrivePermission: 'byQueue', sourceQueueArns: [workQueueArn] },
        },
      },
      WorkDeadLetterQueueAlarm: {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: 'herald-prod-svc-work-dlq-not-empty',
          AlarmDescription: 'Work failed; inspect the work DLQ.',
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: getAtt('WorkDeadLetterQueue', 'QueueName') }],
          Statistic: 'Maximum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        },
      },
      WorkQueuePolicy: {
        Type: 'AWS::SQS::QueuePolicy',
        Properties: {
          Queues: [ref('WorkQueue')],
          PolicyDocument: { Version: '2012-10-17', Statement: [allowBus, denyNonTls('WorkQueue')] },
        },
      },
    });
  });

  test('CloudFormation properties pass through and win over the defaults, on the queue and its dead-letter queue', () => {
    const resources = queueResources(
      'WorkQueue',
      {
        QueueName: 'work',
        KmsDataKeyReusePeriodSeconds: 600,
        MaximumMessageSize: 262_144,
        deadLetterQueue: { maxReceiveCount: 3, QueueName: 'work-failures', MessageRetentionPeriod: 86_400 },
      },
      context,
    );
    expect(resources.WorkQueue!.Properties).toMatchObject({
      KmsDataKeyReusePeriodSeconds: 600,
      MaximumMessageSize: 262_144,
    });
    expect(resources.WorkDeadLetterQueue!.Properties).toEqual({
      QueueName: 'work-failures',
      MessageRetentionPeriod: 86_400,
      KmsMasterKeyId: ref('ServiceKey'),
      RedriveAllowPolicy: {
        redrivePermission: 'byQueue',
        sourceQueueArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:work' }],
      },
    });
  });

  test('a queue without a dead-letter queue has no redrive, and a policy keeps the id it is given', () => {
    const resources = queueResources(
      'WorkQueue',
      { QueueName: 'work', policy: { id: 'WorkQueueTlsOnly', denyNonTls: true } },
      context,
    );
    expect(Object.keys(resources).sort()).toEqual(['WorkQueue', 'WorkQueueTlsOnly']);
    expect(resources.WorkQueue!.Properties.RedrivePolicy).toBeUndefined();
    expect(resources.WorkQueueTlsOnly!.Properties.PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [denyNonTls('WorkQueue')],
    });
  });

  test.each([
    [
      'a dead-letter queue named after a queue whose name is an intrinsic',
      { QueueName: { 'Fn::Sub': 'work-${AWS::Region}' }, deadLetterQueue: { maxReceiveCount: 5 } },
      /WorkQueue: its QueueName is not plain text/,
    ],
    [
      'a policy with nothing in it',
      { QueueName: 'work', policy: {} },
      /WorkQueue: its policy has no statements/,
    ],
  ])('refuses %s', (_, declaration, message) => {
    expect(() => queueResources('WorkQueue', declaration as never, context)).toThrow(message);
  });
});

describe('deadLetterQueueResources', () => {
  test('a dead-letter queue of no queue of the service: kept 14 days, encrypted, no queue may redrive to it, with its alarm and policy', () => {
    const allowRule = { Sid: 'RuleDeadLetters', Effect: 'Allow' };
    const resources = deadLetterQueueResources(
      'RuleDeadLetterQueue',
      { QueueName: 'rule-dlq', notEmptyAlarm, policy: { statements: [allowRule] } },
      context,
    );
    expect(Object.keys(resources)).toEqual([
      'RuleDeadLetterQueue',
      'RuleDeadLetterQueuePolicy',
      'RuleDeadLetterQueueAlarm',
    ]);
    expect(resources.RuleDeadLetterQueue!.Properties).toEqual({
      QueueName: 'rule-dlq',
      MessageRetentionPeriod: 1_209_600,
      KmsMasterKeyId: ref('ServiceKey'),
      RedriveAllowPolicy: { redrivePermission: 'denyAll' },
    });
    expect(resources.RuleDeadLetterQueuePolicy!.Properties.PolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [allowRule],
    });
    expect(resources.RuleDeadLetterQueueAlarm!.Properties.Dimensions).toEqual([
      { Name: 'QueueName', Value: getAtt('RuleDeadLetterQueue', 'QueueName') },
    ]);
  });

  test('refuses one without a name, and an alarm without the service’s alarm prefix', () => {
    expect(() => deadLetterQueueResources('RuleDeadLetterQueue', {}, context)).toThrow(
      /RuleDeadLetterQueue: QueueName is missing/,
    );
    expect(() =>
      deadLetterQueueResources(
        'RuleDeadLetterQueue',
        { QueueName: 'rule-dlq', notEmptyAlarm },
        { key: 'ServiceKey' },
      ),
    ).toThrow(/alarm "work-dlq-not-empty": set custom.herald.alarmPrefix/);
  });
});
