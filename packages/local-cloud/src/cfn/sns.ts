/**
 * AWS::SNS::Topic and AWS::SNS::Subscription, created for real in fauxqs's SNS. fauxqs delivers a
 * topic's messages to SQS queues only: a subscription of another protocol (e-mail, HTTPS, Lambda...)
 * is reported as not emulated rather than made, and a topic's attributes are read back, so one
 * fauxqs did not keep is reported rather than assumed.
 */
import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  SubscribeCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { tagMap, type Ignore, type PropertyRules } from './report';
import { childPath, isRecord, TemplateError } from './template';

/** Topic properties that are topic attributes of the same name. */
const TOPIC_ATTRIBUTES = [
  'DisplayName',
  'KmsMasterKeyId',
  'FifoTopic',
  'ContentBasedDeduplication',
  'SignatureVersion',
] as const;

export const TOPIC_PROPERTIES: PropertyRules = {
  used: ['TopicName', 'Tags', ...TOPIC_ATTRIBUTES],
  ignored: {
    Subscription: 'inline subscriptions are not made locally; declare AWS::SNS::Subscription resources',
    DataProtectionPolicy: 'SNS data protection is not emulated',
    DeliveryStatusLogging: 'delivery status logging (CloudWatch Logs) is not emulated',
    TracingConfig: 'X-Ray is not emulated',
    ArchivePolicy: 'message archiving is not emulated',
    FifoThroughputScope: 'FIFO throughput limits are not emulated',
  },
};

/** Subscription properties that are subscription attributes; the JSON ones SNS keeps as text. */
const SUBSCRIPTION_ATTRIBUTES = ['RawMessageDelivery', 'FilterPolicyScope'] as const;
const SUBSCRIPTION_JSON_ATTRIBUTES = ['FilterPolicy', 'RedrivePolicy'] as const;

export const SUBSCRIPTION_PROPERTIES: PropertyRules = {
  used: ['TopicArn', 'Protocol', 'Endpoint', ...SUBSCRIPTION_ATTRIBUTES, ...SUBSCRIPTION_JSON_ATTRIBUTES],
  ignored: {
    Region: 'the local cloud has one region',
    DeliveryPolicy: 'HTTP delivery retries are not emulated (fauxqs delivers to SQS only)',
    SubscriptionRoleArn: 'Firehose subscriptions are not emulated',
    ReplayPolicy: 'message replay is not emulated',
  },
};

const KMS_NOT_EMULATED = 'kept on the topic, but messages are not encrypted locally (KMS is not emulated)';

const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);

export async function createTopic(
  sns: SNSClient,
  topic: { name: string; arn: string; properties: Record<string, unknown>; path: string },
  ignore: Ignore,
): Promise<void> {
  const { properties, path } = topic;
  const attributes: Record<string, string> = {};
  for (const name of TOPIC_ATTRIBUTES) {
    const value = properties[name];
    // SNS refuses FifoTopic=false on a standard topic; false is what leaving it out means anyway.
    if (value === undefined || (name === 'FifoTopic' && String(value) === 'false')) continue;
    attributes[name] = text(value);
  }
  const tags =
    properties.Tags === undefined
      ? undefined
      : Object.entries(tagMap(properties.Tags, childPath(path, 'Tags'))).map(([Key, Value]) => ({
          Key,
          Value,
        }));
  const { TopicArn } = await sns.send(
    new CreateTopicCommand({ Name: topic.name, Attributes: attributes, Tags: tags }),
  );
  if (TopicArn !== topic.arn) throw new Error(`fauxqs made ${TopicArn ?? 'no topic'}, not ${topic.arn}`);
  const { Attributes: stored = {} } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
  for (const [name, sent] of Object.entries(attributes)) {
    if (stored[name] !== sent)
      ignore(name, `fauxqs did not keep it (sent ${sent}, reads back ${stored[name] ?? 'nothing'})`);
    else if (name === 'KmsMasterKeyId') ignore(name, KMS_NOT_EMULATED);
  }
}

/** Subscribes an SQS queue (its subscription ARN is returned); any other protocol is not emulated. */
export async function createSubscription(
  sns: SNSClient,
  subscription: { properties: Record<string, unknown>; path: string },
  ignore: Ignore,
): Promise<{ subscriptionArn?: string; notEmulated?: string }> {
  const { properties, path } = subscription;
  const { TopicArn, Protocol, Endpoint } = properties;
  if (typeof TopicArn !== 'string')
    throw new TemplateError(childPath(path, 'TopicArn'), 'a topic ARN is needed');
  if (typeof Protocol !== 'string')
    throw new TemplateError(childPath(path, 'Protocol'), 'a protocol is needed');
  if (Protocol.toLowerCase() !== 'sqs') {
    return {
      notEmulated: `fauxqs delivers SNS messages to SQS queues only: the ${Protocol} subscription to ${text(Endpoint)} is not made locally`,
    };
  }
  if (typeof Endpoint !== 'string' || !Endpoint.startsWith('arn:'))
    throw new TemplateError(childPath(path, 'Endpoint'), 'an SQS subscription names its queue by ARN');
  const attributes: Record<string, string> = {};
  for (const name of SUBSCRIPTION_ATTRIBUTES)
    if (properties[name] !== undefined) attributes[name] = text(properties[name]);
  for (const name of SUBSCRIPTION_JSON_ATTRIBUTES) {
    const value = properties[name];
    if (value === undefined) continue;
    if (!isRecord(value) && typeof value !== 'string')
      throw new TemplateError(childPath(path, name), 'expected a JSON object');
    attributes[name] = text(value);
  }
  if (attributes.RedrivePolicy !== undefined) {
    ignore('RedrivePolicy', 'kept on the subscription; fauxqs does not dead-letter undeliverable messages');
  }
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({
      TopicArn,
      Protocol: 'sqs',
      Endpoint,
      Attributes: attributes,
      ReturnSubscriptionArn: true,
    }),
  );
  return SubscriptionArn ? { subscriptionArn: SubscriptionArn } : {};
}
