/**
 * EventBridge (JSON 1.1, `X-Amz-Target: AWSEvents.<Op>`).
 *
 * PutEvents (Service Authorization Reference, "Actions, resources, and condition keys for Amazon
 * EventBridge"): events:PutEvents on each entry's event bus (`EventBusName` is a name or an ARN; no
 * name is the account's `default` bus), with that entry's `events:source` and `events:detail-type`;
 * one request per entry, so an entry with another source is denied even beside allowed ones.
 *
 * KMS: none for the caller. A bus under a customer managed key is encrypted by EventBridge as its own
 * service principal, which the key policy must allow (EventBridge User Guide, "Authorizing EventBridge
 * to use a customer managed key").
 */
import type { AuthorizationRequest } from '../types';
import {
  type HttpCall,
  type Interpretation,
  UnknownCall,
  jsonBody,
  targetOperation,
  request,
  str,
} from './common';

export function busName(nameOrArn: string | undefined): string {
  if (!nameOrArn) return 'default';
  const arn = /^arn:[^:]+:events:[^:]*:\d*:event-bus\/(.+)$/.exec(nameOrArn);
  return arn ? arn[1]! : nameOrArn;
}

export function interpretEvents(call: HttpCall, i: Interpretation) {
  const operation = targetOperation(call);
  if (operation !== 'PutEvents') throw new UnknownCall('events', operation);
  const params = jsonBody('events', operation, call);
  const entries = Array.isArray(params.Entries) ? (params.Entries as Record<string, unknown>[]) : [];
  const requests: AuthorizationRequest[] = entries.map((entry) =>
    request(
      'events',
      'PutEvents',
      'event-bus',
      { EventBusName: busName(str(entry?.EventBusName)) },
      {
        ...i.base,
        ...(str(entry?.Source) !== undefined ? { 'events:source': str(entry.Source)! } : {}),
        ...(str(entry?.DetailType) !== undefined ? { 'events:detail-type': str(entry.DetailType)! } : {}),
      },
      i.facts,
    ),
  );
  return { operation, requests };
}
