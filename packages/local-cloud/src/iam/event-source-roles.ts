/**
 * What an event source mapping asks of its function's role. Lambda's pollers act with the function's
 * execution role: on a queue sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes ("Using
 * Lambda with Amazon SQS", execution role permissions; and kms:Decrypt through SQS for a queue under a
 * customer managed key), on a stream dynamodb:DescribeStream, dynamodb:GetShardIterator and
 * dynamodb:GetRecords ("Using Lambda with DynamoDB"; it lists dynamodb:ListStreams too, an action on no
 * resource, which the framework grants on the stream's ARN only, where it matches nothing, and
 * deployments poll streams without it: not judged). CreateEventSourceMapping
 * refuses a role without them ("The function execution role does not have permissions to call
 * ReceiveMessage on SQS"), so the deployment would fail.
 *
 * The local pollers call the emulators directly (one client for all mappings, and fauxqs in process),
 * so the local cloud judges these calls once, when it starts, as the calls the pollers stand for,
 * through the gateway's authorizer: a role without them stops the local cloud as it would stop the
 * deployment, and the grants they use count as used. (S3 notifications invoke through the function's
 * resource policy, not its role: nothing to judge here.)
 */
import type { EventSource } from '../types';
import type { HttpCall } from './calls';
import type { GatewayService } from './gateway-answers';

export interface PollerCall {
  service: GatewayService;
  call: HttpCall;
}

const json = (target: string, version: '1.0' | '1.1', body: object): HttpCall => ({
  method: 'POST',
  path: '/',
  headers: { 'x-amz-target': target, 'content-type': `application/x-amz-json-${version}` },
  body: Buffer.from(JSON.stringify(body)),
});

/** The calls a mapping's poller makes with the function's role, as the SDK would send them. */
export function pollerCalls(source: EventSource): PollerCall[] {
  if (source.kind === 'sqs') {
    const queue = { QueueUrl: source.queueUrl };
    return [
      { service: 'sqs', call: json('AmazonSQS.ReceiveMessage', '1.0', queue) },
      { service: 'sqs', call: json('AmazonSQS.DeleteMessage', '1.0', { ...queue, ReceiptHandle: 'r' }) },
      {
        service: 'sqs',
        call: json('AmazonSQS.GetQueueAttributes', '1.0', { ...queue, AttributeNames: ['All'] }),
      },
    ];
  }
  if (source.kind === 'dynamodb-stream') {
    const stream = { StreamArn: source.streamArn };
    const streams = (operation: string, body: object): PollerCall => ({
      service: 'dynamodb',
      call: json(`DynamoDBStreams_20120810.${operation}`, '1.0', body),
    });
    return [
      streams('DescribeStream', stream),
      streams('GetShardIterator', { ...stream, ShardId: 'shard', ShardIteratorType: 'LATEST' }),
      // An iterator names its stream (calls/dynamodb.ts reads it from there).
      streams('GetRecords', { ShardIterator: `${source.streamArn}|shard|0` }),
    ];
  }
  return [];
}
