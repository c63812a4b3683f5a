/**
 * AWS::SQS::Queue, created for real in fauxqs with every attribute the template sets, then read back:
 * an attribute fauxqs did not keep is reported rather than assumed.
 */
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { tagMap, type Ignore, type PropertyRules } from './report';
import { childPath } from './template';

const PLAIN_ATTRIBUTES = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
] as const;
/** CloudFormation takes these as JSON objects; SQS stores them as JSON strings. */
const JSON_ATTRIBUTES = ['RedrivePolicy', 'RedriveAllowPolicy'] as const;

export const QUEUE_PROPERTIES: PropertyRules = {
  used: ['QueueName', 'Tags', ...PLAIN_ATTRIBUTES, ...JSON_ATTRIBUTES],
};

const KMS_NOT_EMULATED = 'kept on the queue, but messages are not encrypted locally (KMS is not emulated)';

/** The SQS attributes a template's queue properties stand for. */
export function queueAttributes(properties: Record<string, unknown>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const name of PLAIN_ATTRIBUTES) {
    const value = properties[name];
    if (value === undefined) continue;
    // SQS refuses FifoQueue=false on a standard queue; false is what leaving it out means anyway.
    if ((name === 'FifoQueue' || name === 'ContentBasedDeduplication') && String(value) === 'false') continue;
    attributes[name] = String(value);
  }
  for (const name of JSON_ATTRIBUTES) {
    const value = properties[name];
    if (value !== undefined) attributes[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return attributes;
}

function sameAttribute(sent: string, stored: string | undefined): boolean {
  if (stored === sent) return true;
  try {
    // JSON attributes may come back re-serialised; numbers as numbers or strings.
    const normal = (text: string) =>
      JSON.stringify(JSON.parse(text), (_key, v: unknown) => (typeof v === 'number' ? String(v) : v));
    return stored !== undefined && normal(stored) === normal(sent);
  } catch {
    return false;
  }
}

export async function createQueue(
  sqs: SQSClient,
  queue: { name: string; url: string; properties: Record<string, unknown>; path: string },
  ignore: Ignore,
): Promise<void> {
  const attributes = queueAttributes(queue.properties);
  const tags =
    queue.properties.Tags === undefined
      ? undefined
      : tagMap(queue.properties.Tags, childPath(queue.path, 'Tags'));
  await sqs.send(new CreateQueueCommand({ QueueName: queue.name, Attributes: attributes, tags }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['All'] }),
  );
  const stored: Record<string, string | undefined> = Attributes ?? {};
  for (const [name, sent] of Object.entries(attributes)) {
    if (!sameAttribute(sent, stored[name]))
      ignore(name, `fauxqs did not keep it (sent ${sent}, reads back ${stored[name] ?? 'nothing'})`);
    else if (name === 'KmsMasterKeyId' || name === 'KmsDataKeyReusePeriodSeconds')
      ignore(name, KMS_NOT_EMULATED);
  }
}
