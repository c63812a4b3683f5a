/**
 * SNS, in its query protocol (form body `Action=Publish&TopicArn=...`).
 *
 * Publish (Service Authorization Reference, "Actions, resources, and condition keys for Amazon SNS"):
 * sns:Publish on the topic, named by `TopicArn` (Herald publishes to topics only, never to a phone
 * number or an endpoint's `TargetArn`). KMS: a topic under a customer managed key needs
 * kms:GenerateDataKey and kms:Decrypt on the key from the publisher, through SNS (SNS Developer
 * Guide, "Encryption at rest": "Key management").
 */
import type { AuthorizationRequest } from '../types';
import { type HttpCall, type Interpretation, UnknownCall, kmsViaService, request } from './common';

function params(call: HttpCall): URLSearchParams {
  const form = new URLSearchParams(call.body.toString('utf8'));
  const query = new URL(call.path, 'http://localhost').searchParams;
  for (const [name, value] of query) if (!form.has(name)) form.set(name, value);
  return form;
}

export function interpretSns(call: HttpCall, i: Interpretation) {
  const p = params(call);
  const operation = p.get('Action') ?? 'Unknown';
  if (operation !== 'Publish') throw new UnknownCall('sns', operation);
  const topicArn = p.get('TopicArn') ?? p.get('TargetArn') ?? undefined;
  const match = topicArn && /^arn:[^:]+:sns:[^:]*:(\d*):([^:]+)$/.exec(topicArn);
  if (!match)
    throw new UnknownCall('sns', operation, `it names no topic (TopicArn ${JSON.stringify(topicArn)})`);
  const publish = request('sns', 'Publish', 'topic', { TopicName: match[2]! }, i.base, i.facts);
  const requests: AuthorizationRequest[] = [{ ...publish, resource: topicArn! }];
  requests.push(
    ...kmsViaService('sns', i.facts.encryptionKey(topicArn!), ['GenerateDataKey', 'Decrypt'], {}, i),
  );
  return { operation, requests };
}
