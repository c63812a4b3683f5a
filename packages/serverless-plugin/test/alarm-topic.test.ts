import { describe, expect, test } from '@jest/globals';
import { alarmTopicResources, notifyAlarmTopic, parseSubscribers } from '../src/alarm-topic';
import type { Resources } from '../src/cloudformation';

const context = { key: 'ServiceKey', alarmPrefix: 'herald-prod-svc' };
const topic = { Ref: 'AlarmTopic' };
const alarm = (properties: Record<string, unknown> = {}) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: { AlarmName: 'a', ...properties },
});

describe('parseSubscribers', () => {
  test('e-mail addresses and https endpoints, separated by commas or spaces; nothing for none', () => {
    expect(parseSubscribers('ops@example.com, https://hooks.example.com/sns  oncall@example.org')).toEqual([
      { Protocol: 'email', Endpoint: 'ops@example.com' },
      { Protocol: 'https', Endpoint: 'https://hooks.example.com/sns' },
      { Protocol: 'email', Endpoint: 'oncall@example.org' },
    ]);
    expect(parseSubscribers('')).toEqual([]);
    expect(parseSubscribers(null)).toEqual([]);
    expect(parseSubscribers(undefined)).toEqual([]);
  });

  test.each(['http://hooks.example.com/sns', 'ops', 'arn:aws:sqs:us-east-1:1:q'])('refuses %s', (entry) => {
    expect(() => parseSubscribers(entry)).toThrow(/neither an e-mail address nor an https:\/\/ URL/);
  });
});

describe('alarmTopicResources', () => {
  const resources = alarmTopicResources(
    { subscribers: 'ops@example.com,https://hooks.example.com/sns' },
    context,
  );

  test('an encrypted topic, named after the alarm prefix', () => {
    expect(resources.AlarmTopic).toEqual({
      Type: 'AWS::SNS::Topic',
      Properties: {
        TopicName: 'herald-prod-svc-alarms',
        DisplayName: 'herald-prod-svc alarms',
        KmsMasterKeyId: { Ref: 'ServiceKey' },
      },
    });
  });

  test('only this service’s alarms may publish, in this account, and never without TLS', () => {
    const policy = resources.AlarmTopicPolicy!.Properties.PolicyDocument as { Statement: unknown[] };
    const [allow, deny] = policy.Statement;
    expect(allow).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Condition: {
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Sub':
              'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:herald-prod-svc-*',
          },
        },
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      },
    });
    expect(deny).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  test('one subscription per subscriber, whose logical id depends on its endpoint alone', () => {
    const subscriptions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SNS::Subscription');
    expect(subscriptions.map(([, r]) => r.Properties)).toEqual([
      { TopicArn: topic, Protocol: 'email', Endpoint: 'ops@example.com' },
      { TopicArn: topic, Protocol: 'https', Endpoint: 'https://hooks.example.com/sns' },
    ]);
    const alone = alarmTopicResources({ subscribers: 'https://hooks.example.com/sns' }, context);
    const ids = (r: Resources) => Object.keys(r).filter((id) => id.startsWith('AlarmTopicSubscription'));
    expect(ids(alone)).toEqual([ids(resources)[1]]);
  });

  test('needs the alarm prefix, which names the topic', () => {
    expect(() => alarmTopicResources({}, { key: 'ServiceKey', alarmPrefix: undefined })).toThrow(
      /set custom.herald.alarmPrefix/,
    );
  });
});

describe('notifyAlarmTopic', () => {
  test('every alarm notifies the topic when it fires and when it recovers, beside its own actions', () => {
    const resources: Resources = {
      AlarmTopic: { Type: 'AWS::SNS::Topic', Properties: {} },
      Plain: alarm(),
      Paging: alarm({ AlarmActions: ['arn:aws:sns:us-east-1:1:pager'] }),
      Already: alarm({ AlarmActions: [topic], OKActions: [topic] }),
    };
    notifyAlarmTopic(resources);
    expect(resources.Plain!.Properties).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
    expect(resources.Paging!.Properties).toMatchObject({
      AlarmActions: ['arn:aws:sns:us-east-1:1:pager', topic],
      OKActions: [topic],
    });
    expect(resources.Already!.Properties).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
  });

  test('refuses alarms that no one would hear of', () => {
    expect(() => notifyAlarmTopic({ Lonely: alarm() })).toThrow(/Lonely: no one would hear of them/);
    expect(() => notifyAlarmTopic({})).not.toThrow();
  });
});
