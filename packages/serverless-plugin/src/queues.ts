/**
 * A queue declaration → the AWS::SQS::Queue, its dead-letter queue and redrive, the dead-letter
 * queue's alarm, and either queue's policy. Every queue is encrypted with the service key.
 *
 * A dead-letter queue says which queues may send it their failures (RedriveAllowPolicy): its own
 * queue alone (`byQueue`), or none for the dead-letter queues of a stream, a bus or a rule
 * (`denyAll`), which SQS never redrives into.
 */
import { queueNotEmptyAlarm } from './alarms';
import { getAtt, ref } from './cloudformation';
import type { Resource, Resources } from './cloudformation';
import type { DeadLetterQueueDeclaration, QueueDeclaration, QueuePolicyDeclaration } from './declarations';

export interface QueueContext {
  /** Logical id of the service's AWS::KMS::Key. */
  key: string;
  alarmPrefix?: string | undefined;
}

/** The longest SQS keeps a message: time to look into what failed. */
const FOURTEEN_DAYS = 1_209_600;

/** `DispatchQueue` → `DispatchDeadLetterQueue`. */
export const deadLetterQueueId = (queueId: string) => `${queueId.replace(/Queue$/, '')}DeadLetterQueue`;

export function queueResources(id: string, declaration: QueueDeclaration, context: QueueContext): Resources {
  const { deadLetterQueue, policy, ...properties } = declaration;
  const resources: Resources = {};
  let redrive: Record<string, unknown> = {};
  if (deadLetterQueue) {
    const { maxReceiveCount, ...dlq } = deadLetterQueue;
    const dlqId = deadLetterQueueId(id);
    Object.assign(
      resources,
      deadLetterQueueResources(
        dlqId,
        {
          RedriveAllowPolicy: {
            redrivePermission: 'byQueue',
            sourceQueueArns: [queueArn(id, properties.QueueName)],
          },
          ...dlq,
          QueueName: dlq.QueueName ?? dlqName(id, properties.QueueName),
        },
        context,
      ),
    );
    redrive = { RedrivePolicy: { deadLetterTargetArn: getAtt(dlqId, 'Arn'), maxReceiveCount } };
  }
  resources[id] = {
    Type: 'AWS::SQS::Queue',
    // Five minutes between KMS calls for a data key: SQS's default, written out.
    Properties: {
      KmsMasterKeyId: ref(context.key),
      KmsDataKeyReusePeriodSeconds: 300,
      ...properties,
      ...redrive,
    },
  };
  if (policy) resources[policy.id ?? `${id}Policy`] = queuePolicy(id, policy);
  return resources;
}

export function deadLetterQueueResources(
  id: string,
  declaration: DeadLetterQueueDeclaration,
  context: QueueContext,
): Resources {
  const { notEmptyAlarm, policy, ...properties } = declaration;
  if (!properties.QueueName) throw new Error(`${id}: QueueName is missing`);
  const resources: Resources = {
    [id]: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        MessageRetentionPeriod: FOURTEEN_DAYS,
        KmsMasterKeyId: ref(context.key),
        RedriveAllowPolicy: { redrivePermission: 'denyAll' },
        ...properties,
      },
    },
  };
  if (policy) resources[policy.id ?? `${id}Policy`] = queuePolicy(id, policy);
  if (notEmptyAlarm) resources[`${id}Alarm`] = queueNotEmptyAlarm(id, notEmptyAlarm, context.alarmPrefix);
  return resources;
}

/**
 * The queue's ARN from its name: the dead-letter queue cannot refer to its queue, which refers to it
 * (its RedrivePolicy), without a cycle.
 */
function queueArn(queueId: string, queueName: unknown): { 'Fn::Sub': string } {
  if (typeof queueName !== 'string') {
    throw new Error(`${queueId}: its QueueName is not plain text, so its deadLetterQueue cannot name it`);
  }
  return { 'Fn::Sub': `arn:\${AWS::Partition}:sqs:\${AWS::Region}:\${AWS::AccountId}:${queueName}` };
}

function dlqName(queueId: string, queueName: unknown): string {
  if (typeof queueName !== 'string') {
    throw new Error(`${queueId}: its QueueName is not plain text, so name its deadLetterQueue (QueueName)`);
  }
  return `${queueName}-dlq`;
}

function queuePolicy(queueId: string, policy: QueuePolicyDeclaration): Resource {
  const statements = [...(policy.statements ?? [])];
  if (policy.denyNonTls) {
    statements.push({
      Sid: 'DenyNonTls',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sqs:*',
      Resource: getAtt(queueId, 'Arn'),
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  }
  if (statements.length === 0) throw new Error(`${queueId}: its policy has no statements`);
  return {
    Type: 'AWS::SQS::QueuePolicy',
    Properties: {
      Queues: [ref(queueId)],
      PolicyDocument: { Version: '2012-10-17', Statement: statements },
    },
  };
}
