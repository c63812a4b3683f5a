/**
 * The service's alarm topic: an SNS topic encrypted with the service key, that CloudWatch alarms of
 * this service alone may publish to (over TLS), with the subscribers a stage names. Every alarm of
 * the template notifies it when it fires and when it recovers.
 */
import { createHash } from 'node:crypto';
import { ref } from './cloudformation';
import type { Resource, Resources } from './cloudformation';
import type { AlarmTopicDeclaration } from './declarations';

export const ALARM_TOPIC_ID = 'AlarmTopic';

export interface Subscriber {
  Protocol: 'email' | 'https';
  Endpoint: string;
}

const EMAIL = /^[^@\s,]+@[^@\s,]+\.[^@\s,]+$/;

/** `ops@example.com, https://hooks.example.com/sns` → one subscriber each; empty → none. */
export function parseSubscribers(text: string | null | undefined): Subscriber[] {
  const entries = (text ?? '').split(/[\s,]+/).filter((entry) => entry !== '');
  return entries.map((entry) => {
    if (entry.startsWith('https://')) {
      try {
        new URL(entry);
        return { Protocol: 'https', Endpoint: entry };
      } catch {
        // reported below
      }
    }
    if (EMAIL.test(entry)) return { Protocol: 'email', Endpoint: entry };
    throw new Error(`alarmTopic.subscribers: "${entry}" is neither an e-mail address nor an https:// URL`);
  });
}

/** Stable per endpoint, so adding or removing one subscriber leaves the others in place. */
const subscriptionId = (subscriber: Subscriber) =>
  `${ALARM_TOPIC_ID}Subscription${createHash('sha256').update(subscriber.Endpoint).digest('hex').slice(0, 8).toUpperCase()}`;

export function alarmTopicResources(
  declaration: AlarmTopicDeclaration,
  context: { key: string; alarmPrefix: string | undefined },
): Resources {
  const prefix = context.alarmPrefix;
  if (!prefix) throw new Error('alarmTopic: set custom.herald.alarmPrefix, which names the topic');
  const topic = ref(ALARM_TOPIC_ID);
  const resources: Resources = {
    [ALARM_TOPIC_ID]: {
      Type: 'AWS::SNS::Topic',
      Properties: {
        TopicName: `${prefix}-alarms`,
        DisplayName: `${prefix} alarms`,
        KmsMasterKeyId: ref(context.key),
      },
    },
    [`${ALARM_TOPIC_ID}Policy`]: {
      Type: 'AWS::SNS::TopicPolicy',
      Properties: {
        Topics: [topic],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'ThisServicesAlarmsPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: topic,
              Condition: {
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Sub': `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:${prefix}-*`,
                  },
                },
                StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
              },
            },
            {
              Sid: 'DenyNonTls',
              Effect: 'Deny',
              Principal: '*',
              Action: 'sns:Publish',
              Resource: topic,
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
  };
  for (const subscriber of parseSubscribers(declaration.subscribers)) {
    resources[subscriptionId(subscriber)] = {
      Type: 'AWS::SNS::Subscription',
      Properties: { TopicArn: topic, ...subscriber },
    };
  }
  return resources;
}

/** Every alarm of the template notifies the topic when it fires and when it is OK again. */
export function notifyAlarmTopic(resources: Resources): void {
  const alarms = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
  if (alarms.length === 0) return;
  if (resources[ALARM_TOPIC_ID]?.Type !== 'AWS::SNS::Topic') {
    throw new Error(
      `${alarms.map(([id]) => id).join(', ')}: no one would hear of them; declare custom.herald.alarmTopic`,
    );
  }
  for (const [, alarm] of alarms) {
    for (const actions of ['AlarmActions', 'OKActions']) addTopic(alarm, actions);
  }
}

function addTopic(alarm: Resource, property: string): void {
  const actions = (alarm.Properties[property] as unknown[] | undefined) ?? [];
  const has = actions.some((action) => JSON.stringify(action) === JSON.stringify(ref(ALARM_TOPIC_ID)));
  alarm.Properties[property] = has ? actions : [...actions, ref(ALARM_TOPIC_ID)];
}
