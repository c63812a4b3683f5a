/**
 * An alarm's notification path, on the local cloud: each service's alarm topic is provisioned from
 * its template (fauxqs's SNS), every alarm of the template names it, and a message published to it
 * the way CloudWatch publishes an alarm's change of state reaches a subscriber. CloudWatch itself is
 * not emulated, so the test publishes for it; fauxqs delivers to SQS subscribers only, so the
 * subscriber is a queue (an operator's e-mail or HTTPS endpoint stands in its place when deployed).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, test } from '@jest/globals';
import {
  GetTopicAttributesCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { clientConfig, queueArn } from '../src/aws';
import { loadTemplate } from '../src/cfn/load';
import { SERVICES } from '../src/config';
import { templatePath } from '../src/repository';
import { awsClients, eventually, localCloud } from '../../../test/setup/local-cloud';

const cloud = localCloud();
const { sqs } = awsClients();
const sns = new SNSClient(clientConfig(cloud.endpoints.aws.sqs));
const cleanups: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  sns.destroy();
  sqs.destroy();
}, 30_000);

type Resource = { Type: string; Properties: Record<string, unknown> };

/** The template's alarm topic and one of its alarms, as CloudFormation would name them locally. */
async function alarmOf(service: (typeof SERVICES)[number]) {
  // Other suites package services into folders of their own while this one runs, and `serverless
  // package` empties the service's .serverless/ first: wait for the template rather than fail.
  const template = (await eventually(
    () => loadTemplate(templatePath(service)).catch(() => undefined),
    120_000,
    `${service}'s packaged template`,
  )) as { Resources: Record<string, Resource> };
  const alarms = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
  const topics = new Set(alarms.flatMap((alarm) => JSON.stringify(alarm.Properties.AlarmActions)));
  const topicName = template.Resources.AlarmTopic!.Properties.TopicName as string;
  return { alarms, topics, topicArn: `arn:aws:sns:us-east-1:000000000000:${topicName}`, alarm: alarms[0]! };
}

/** What CloudWatch publishes to an alarm action's topic when the alarm changes state. */
function alarmStateChange(alarm: Resource, topicArn: string, newState: 'ALARM' | 'OK') {
  const name = alarm.Properties.AlarmName as string;
  const message = {
    AlarmName: name,
    AlarmDescription: alarm.Properties.AlarmDescription,
    AWSAccountId: '000000000000',
    AlarmConfigurationUpdatedTimestamp: '2026-11-30T09:00:00.000+0000',
    NewStateValue: newState,
    NewStateReason:
      'Threshold Crossed: 1 datapoint [1.0 (30/11/26 10:00:00)] was greater than the threshold (0.0).',
    StateChangeTime: new Date().toISOString().replace('Z', '+0000'),
    Region: 'US East (N. Virginia)',
    AlarmArn: `arn:aws:cloudwatch:us-east-1:000000000000:alarm:${name}`,
    OldStateValue: newState === 'ALARM' ? 'OK' : 'ALARM',
    OKActions: [topicArn],
    AlarmActions: [topicArn],
    InsufficientDataActions: [],
    Trigger: {
      MetricName: alarm.Properties.MetricName,
      Namespace: alarm.Properties.Namespace,
      StatisticType: 'Statistic',
      Statistic: String(alarm.Properties.Statistic).toUpperCase(),
      Unit: null,
      Period: alarm.Properties.Period,
      EvaluationPeriods: alarm.Properties.EvaluationPeriods,
      ComparisonOperator: alarm.Properties.ComparisonOperator,
      Threshold: alarm.Properties.Threshold,
      TreatMissingData: alarm.Properties.TreatMissingData,
    },
  };
  return {
    Subject: `${newState}: "${name}" in US East (N. Virginia)`.slice(0, 100),
    Message: JSON.stringify(message),
  };
}

describe('alarm topics on the local cloud', () => {
  test.each(SERVICES)(
    '%s: every alarm notifies the provisioned topic, and a change of state reaches its subscriber',
    async (service) => {
      const { alarms, topics, topicArn, alarm } = await alarmOf(service);
      expect(alarms.length).toBeGreaterThan(0);
      expect([...topics]).toEqual([JSON.stringify([{ Ref: 'AlarmTopic' }])]);
      const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
      expect(Attributes).toMatchObject({ TopicArn: topicArn, KmsMasterKeyId: expect.any(String) });

      const inbox = `alarm-inbox-${service}-${randomUUID().slice(0, 8)}`;
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: inbox }));
      cleanups.push(() => sqs.send(new DeleteQueueCommand({ QueueUrl })));
      const { SubscriptionArn } = await sns.send(
        new SubscribeCommand({
          TopicArn: topicArn,
          Protocol: 'sqs',
          Endpoint: queueArn(inbox),
          ReturnSubscriptionArn: true,
        }),
      );
      cleanups.push(() => sns.send(new UnsubscribeCommand({ SubscriptionArn })));

      for (const state of ['ALARM', 'OK'] as const)
        await sns.send(
          new PublishCommand({ TopicArn: topicArn, ...alarmStateChange(alarm, topicArn, state) }),
        );

      const received: Array<Record<string, string>> = [];
      await eventually(
        async () => {
          const { Messages = [] } = await sqs.send(
            new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
          );
          received.push(...Messages.map((m) => JSON.parse(m.Body!) as Record<string, string>));
          return received.length >= 2 ? received : undefined;
        },
        20_000,
        `both notifications of ${service}'s alarm`,
      );

      const name = alarm.Properties.AlarmName as string;
      expect(name.startsWith(`herald-local-${service}-`)).toBe(true);
      expect(received.map((n) => [n.Type, n.TopicArn, n.Subject])).toEqual(
        expect.arrayContaining([
          ['Notification', topicArn, `ALARM: "${name}" in US East (N. Virginia)`.slice(0, 100)],
          ['Notification', topicArn, `OK: "${name}" in US East (N. Virginia)`.slice(0, 100)],
        ]),
      );
      const states = received.map(
        (n) => JSON.parse(n.Message!) as { AlarmName: string; NewStateValue: string },
      );
      expect(states.map((s) => [s.AlarmName, s.NewStateValue]).sort()).toEqual([
        [name, 'ALARM'],
        [name, 'OK'],
      ]);
    },
    180_000,
  );
});
