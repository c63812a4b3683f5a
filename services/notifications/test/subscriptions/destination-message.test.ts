/**
 * What an AWS destination receives (the request each service gets, signed as a webhook), and how
 * an AWS error counts: a refusal fails at once, a passing trouble is retried, and an error the
 * mapping does not know is never taken for a passing one unless AWS answered 5xx or not at all.
 */
import { describe, expect, test } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { signatureHeader } from '../../src/delivery/webhook-message';
import { parseDestinationArn, type DestinationTarget } from '../../src/subscriptions/destination-arn';
import {
  destinationError,
  destinationRequest,
  partitionKey,
  queueUrl,
  type DestinationMessage,
} from '../../src/subscriptions/destination-message';
import { formatSecret, generateSecret } from '../../src/subscriptions/signing-secrets';

const target = (arn: string): DestinationTarget => {
  const parsed = parseDestinationArn(arn);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
};

const secret = generateSecret();
const at = new Date();
const body = JSON.stringify({
  id: 'evt-1',
  type: 'order.created',
  timestamp: '2026-11-28T10:00:00.000Z',
  subject: 'order/42',
  data: { total: 1.5e-7, note: 'café' },
});
const message: DestinationMessage = {
  body,
  headers: {
    'webhook-id': 'msg_01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC',
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatureHeader('msg_01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC', at, body, [secret]),
  },
  correlationId: 'corr-1',
  eventId: 'evt-1',
  eventType: 'order.created',
  subject: 'order/42',
  time: '2026-11-28T10:00:00.000Z',
};
const verify = (payload: string, headers: Record<string, string>) =>
  new Webhook(formatSecret(secret)).verify(payload, headers);

describe('the request each destination gets', () => {
  test('SQS: the body as sent to a webhook, the headers as String attributes', () => {
    const request = destinationRequest(target('arn:aws:sqs:eu-west-1:123456789012:orders'), message);
    expect(request).toEqual({
      service: 'sqs',
      region: 'eu-west-1',
      input: {
        QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
        MessageBody: body,
        MessageAttributes: {
          'webhook-id': { DataType: 'String', StringValue: message.headers['webhook-id'] },
          'webhook-timestamp': { DataType: 'String', StringValue: message.headers['webhook-timestamp'] },
          'webhook-signature': { DataType: 'String', StringValue: message.headers['webhook-signature'] },
          'x-correlation-id': { DataType: 'String', StringValue: 'corr-1' },
        },
      },
    });
    if (request.service !== 'sqs') throw new Error('not sqs');
    const attributes = Object.fromEntries(
      Object.entries(request.input.MessageAttributes).map(([name, value]) => [name, value.StringValue]),
    );
    expect(verify(request.input.MessageBody, attributes)).toMatchObject({ id: 'evt-1' });
  });

  test('a FIFO queue or topic: the subject groups, webhook-id deduplicates', () => {
    const sqs = destinationRequest(target('arn:aws:sqs:eu-west-1:123456789012:orders.fifo'), message);
    expect(sqs.input).toMatchObject({
      MessageGroupId: 'order/42',
      MessageDeduplicationId: message.headers['webhook-id'],
    });
    const sns = destinationRequest(target('arn:aws:sns:eu-west-1:123456789012:orders.fifo'), {
      ...message,
      subject: undefined,
    });
    expect(sns.input).toMatchObject({ MessageGroupId: 'evt-1' });
    expect(
      destinationRequest(target('arn:aws:sns:eu-west-1:123456789012:orders'), message).input,
    ).not.toHaveProperty('MessageGroupId');
  });

  test('SNS: Publish to the topic with the same attributes', () => {
    const request = destinationRequest(target('arn:aws:sns:us-east-1:123456789012:events'), message);
    expect(request).toMatchObject({
      service: 'sns',
      region: 'us-east-1',
      input: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:events', Message: body },
    });
    expect(Object.keys((request.input as { MessageAttributes: object }).MessageAttributes)).toEqual([
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
      'x-correlation-id',
    ]);
  });

  test('EventBridge: one entry on the bus ARN, the headers and payload in the detail, verifiable', () => {
    const request = destinationRequest(
      target('arn:aws:events:us-east-1:123456789012:event-bus/orders'),
      message,
    );
    if (request.service !== 'events') throw new Error('not events');
    const [entry] = request.input.Entries;
    expect(entry).toMatchObject({
      EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/orders',
      Source: 'herald',
      DetailType: 'order.created',
      Time: new Date('2026-11-28T10:00:00.000Z'),
    });
    const detail = JSON.parse(entry.Detail) as { headers: Record<string, string>; payload: unknown };
    expect(detail.headers).toEqual({ ...message.headers, 'x-correlation-id': 'corr-1' });
    // The documented check: the payload as compact JSON is the signed body.
    expect(JSON.stringify(detail.payload)).toBe(body);
    expect(verify(JSON.stringify(detail.payload), detail.headers)).toMatchObject({ subject: 'order/42' });
  });

  test('Kinesis: the stream ARN, the subject as partition key, the wrapper as data', () => {
    const request = destinationRequest(
      target('arn:aws:kinesis:eu-west-1:123456789012:stream/clicks'),
      message,
    );
    if (request.service !== 'kinesis') throw new Error('not kinesis');
    expect(request.input.StreamARN).toBe('arn:aws:kinesis:eu-west-1:123456789012:stream/clicks');
    expect(request.input.PartitionKey).toBe('order/42');
    const data = new TextDecoder().decode(request.input.Data);
    expect(data).toBe(
      `{"headers":${JSON.stringify({ ...message.headers, 'x-correlation-id': 'corr-1' })},"payload":${body}}`,
    );
    const wrapped = JSON.parse(data) as { headers: Record<string, string>; payload: unknown };
    expect(verify(JSON.stringify(wrapped.payload), wrapped.headers)).toMatchObject({ id: 'evt-1' });
  });

  test('a subject Kinesis cannot take as a partition key gives way to the event id', () => {
    expect(partitionKey({ subject: 'x'.repeat(257), eventId: 'evt-9' })).toBe('evt-9');
    expect(partitionKey({ subject: '', eventId: 'evt-9' })).toBe('evt-9');
    expect(partitionKey({ eventId: 'evt-9' })).toBe('evt-9');
  });

  test('queue URLs in the China partition', () => {
    expect(queueUrl(target('arn:aws-cn:sqs:cn-north-1:123456789012:q'))).toBe(
      'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q',
    );
  });
});

describe('AWS errors as attempt results', () => {
  const failure = (name: string, status?: number) => ({
    name,
    message: 'said',
    ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
  });

  test.each([
    ['AccessDenied', 403, 'destination-access-denied'],
    ['AccessDeniedException', 400, 'destination-access-denied'],
    ['AuthorizationError', 403, 'destination-access-denied'],
    ['KMSAccessDeniedException', 400, 'destination-access-denied'],
    ['QueueDoesNotExist', 400, 'destination-not-found'],
    ['AWS.SimpleQueueService.NonExistentQueue', 400, 'destination-not-found'],
    ['NotFound', 404, 'destination-not-found'],
    ['ResourceNotFoundException', 400, 'destination-not-found'],
    ['InvalidParameter', 400, 'destination-refused'],
    ['InvalidParameterValue', 400, 'destination-refused'],
    ['ValidationException', 400, 'destination-refused'],
    ['InvalidMessageContents', 400, 'destination-refused'],
    ['SomethingNew', 400, 'destination-refused'],
  ])('%s (%d) fails at once: %s', (name, status, kind) => {
    expect(destinationError('sqs', failure(name, status))).toEqual({
      class: kind,
      message: `sqs ${name}: said`,
      retryable: false,
    });
  });

  test.each([
    ['ThrottlingException', 400, 'throttled'],
    ['Throttling', 400, 'throttled'],
    ['ProvisionedThroughputExceededException', 400, 'throttled'],
    ['KMSThrottlingException', 400, 'throttled'],
    ['InternalError', 500, 'unavailable'],
    ['ServiceUnavailable', 503, 'unavailable'],
    ['SomethingNew', 502, 'unavailable'],
    ['SomethingNew', 429, 'throttled'],
    ['ExpiredToken', 400, 'destination-credentials-expired'],
  ])('%s (%d) is retried: %s', (name, status, kind) => {
    expect(destinationError('sns', failure(name, status))).toMatchObject({ class: kind, retryable: true });
  });

  test('no answer at all is retried; a failure that is not AWS’s and not the network is not', () => {
    expect(destinationError('sqs', { name: 'TimeoutError' })).toMatchObject({
      class: 'connection',
      retryable: true,
    });
    expect(destinationError('sqs', { name: 'Error', code: 'ECONNRESET' })).toMatchObject({ retryable: true });
    expect(destinationError('sqs', { name: 'TypeError', message: 'x is undefined' })).toMatchObject({
      retryable: false,
    });
  });
});
