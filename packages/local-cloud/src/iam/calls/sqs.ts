/**
 * SQS, in its JSON 1.0 protocol (`X-Amz-Target: AmazonSQS.<Op>`) and its query protocol (form body
 * `Action=<Op>&QueueUrl=...`).
 *
 * Actions and resources (Service Authorization Reference, "Actions, resources, and condition keys for
 * Amazon SQS"): every queue operation acts on the queue's ARN, the queue named by the last segment of
 * its `QueueUrl` (GetQueueUrl by `QueueName`, the message move operations by `SourceArn`). The batch
 * operations authorize as their single action (SendMessageBatch → sqs:SendMessage, DeleteMessageBatch →
 * sqs:DeleteMessage, ChangeMessageVisibilityBatch → sqs:ChangeMessageVisibility). StartMessageMoveTask
 * also needs sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on the source queue and
 * sqs:SendMessage on the destination (SQS Developer Guide, "Configuring a dead-letter queue redrive
 * using the Amazon SQS API"); the local cloud checks them when the task starts (AWS, as it runs).
 *
 * KMS: a queue under a customer managed key (SQS Developer Guide, "Key management"): a producer needs
 * kms:GenerateDataKey and kms:Decrypt on the key, a consumer kms:Decrypt, through SQS, with the
 * encryption context `aws:sqs:arn` = the queue's ARN.
 */
import type { AuthorizationRequest } from '../types';
import { describeCall } from '../../faults/aws-errors';
import { catalogueAction, resourceArn } from './catalogue';
import {
  type HttpCall,
  type Interpretation,
  UnknownCall,
  jsonBody,
  kmsViaService,
  request,
  str,
} from './common';

const SINGLE_ACTION: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

interface Queue {
  QueueName: string;
  Account: string;
}

function queueFromUrl(url: string | undefined, i: Interpretation): Queue | undefined {
  if (!url) return undefined;
  // The path only: fauxqs names its queues `http://sqs.<region>.127.0.0.1:<port>/...`, a host WHATWG
  // URL refuses; SQS itself reads only the account and the name.
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/)[0]!;
  const segments = path.split('/').filter(Boolean);
  const name = segments.at(-1);
  if (!name) return undefined;
  const account =
    segments.length >= 2 && /^\d{12}$/.test(segments.at(-2)!) ? segments.at(-2)! : i.facts.accountId;
  return { QueueName: name, Account: account };
}

function queueFromArn(arn: string | undefined): Queue | undefined {
  const match = arn && /^arn:[^:]+:sqs:[^:]*:(\d*):(.+)$/.exec(arn);
  return match ? { QueueName: match[2]!, Account: match[1]! } : undefined;
}

function params(operation: string, call: HttpCall): Record<string, unknown> {
  if (call.headers['x-amz-target']) return jsonBody('sqs', operation, call);
  const form = new URLSearchParams(call.body.toString('utf8'));
  const query = new URL(call.path, 'http://localhost').searchParams;
  const get = (name: string) => form.get(name) ?? query.get(name) ?? undefined;
  return {
    QueueUrl: get('QueueUrl'),
    QueueName: get('QueueName'),
    SourceArn: get('SourceArn'),
    DestinationArn: get('DestinationArn'),
  };
}

export function interpretSqs(call: HttpCall, i: Interpretation) {
  // One reading of the operation for the whole local cloud: the fault stage's.
  const { operation } = describeCall('sqs', call.method, call.path, call.headers, call.body);
  const p = params(operation, call);
  const action = SINGLE_ACTION[operation] ?? operation;
  let details;
  try {
    details = catalogueAction('sqs', action);
  } catch {
    throw new UnknownCall('sqs', operation);
  }
  const arnOf = (queue: Queue) => resourceArn('sqs', 'SendMessage', 'queue', { ...queue }, i.facts);
  const on = (name: string, queue: Queue) => request('sqs', name, 'queue', { ...queue }, i.base, i.facts);
  const kms = (queue: Queue, actions: ('Decrypt' | 'GenerateDataKey')[]) =>
    kmsViaService('sqs', i.facts.encryptionKey(arnOf(queue)), actions, { 'aws:sqs:arn': arnOf(queue) }, i);

  if (details.resourceTypes.length === 0)
    return { operation, requests: [request('sqs', action, undefined, {}, i.base, i.facts)] };
  const queue =
    operation === 'GetQueueUrl' || operation === 'CreateQueue'
      ? p.QueueName
        ? { QueueName: String(p.QueueName), Account: str(p.QueueOwnerAWSAccountId) ?? i.facts.accountId }
        : undefined
      : operation.endsWith('MessageMoveTask') || operation === 'ListMessageMoveTasks'
        ? queueFromArn(str(p.SourceArn))
        : queueFromUrl(str(p.QueueUrl), i);
  if (!queue)
    throw new UnknownCall('sqs', operation, `it names no queue (QueueUrl ${JSON.stringify(p.QueueUrl)})`);

  const requests: AuthorizationRequest[] = [on(action, queue)];
  if (action === 'SendMessage') requests.push(...kms(queue, ['GenerateDataKey', 'Decrypt']));
  if (action === 'ReceiveMessage') requests.push(...kms(queue, ['Decrypt']));
  if (operation === 'StartMessageMoveTask') {
    for (const needed of ['ReceiveMessage', 'DeleteMessage', 'GetQueueAttributes'])
      requests.push(on(needed, queue));
    requests.push(...kms(queue, ['Decrypt']));
    const destination = queueFromArn(str(p.DestinationArn));
    if (destination) {
      requests.push(on('SendMessage', destination));
      requests.push(...kms(destination, ['GenerateDataKey', 'Decrypt']));
    }
  }
  return { operation, requests };
}
