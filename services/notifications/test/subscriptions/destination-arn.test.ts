/** AWS destination ARNs and role ARNs: each refusal names the part that is wrong. */
import { describe, expect, test } from '@jest/globals';
import {
  destinationProblems,
  parseDestinationArn,
  parseRoleArn,
} from '../../src/subscriptions/destination-arn';

const PREFIX = 'herald-destinations';
const ROLE = 'arn:aws:iam::123456789012:role/herald-destinations/orders';

describe('destination ARNs', () => {
  test.each([
    ['arn:aws:sqs:eu-west-1:123456789012:orders', 'sqs', 'orders', false],
    ['arn:aws:sqs:eu-west-1:123456789012:orders.fifo', 'sqs', 'orders.fifo', true],
    ['arn:aws:sns:us-east-1:123456789012:order-events', 'sns', 'order-events', false],
    ['arn:aws-cn:sns:cn-north-1:123456789012:t.fifo', 'sns', 't.fifo', true],
    ['arn:aws:events:us-east-1:123456789012:event-bus/orders', 'events', 'orders', false],
    ['arn:aws:kinesis:ap-southeast-2:123456789012:stream/clicks', 'kinesis', 'clicks', false],
  ])('%s is %s %s', (arn, service, name, fifo) => {
    const parsed = parseDestinationArn(arn);
    expect(parsed).toEqual({ ok: true, value: expect.objectContaining({ arn, service, name, fifo }) });
  });

  test.each([
    ['orders', /must be an ARN/],
    ['arn:aws:sqs:eu-west-1:123456789012', /must be an ARN/],
    ['arn:azure:sqs:eu-west-1:123456789012:q', /^partition "azure"/],
    ['arn:aws:s3:eu-west-1:123456789012:bucket', /^service "s3" is not a destination/],
    ['arn:aws:lambda:eu-west-1:123456789012:function:f', /^service "lambda"/],
    ['arn:aws:sqs:europe:123456789012:q', /^region "europe"/],
    ['arn:aws:sqs::123456789012:q', /^region ""/],
    ['arn:aws:sqs:eu-west-1:1234:q', /^account "1234"/],
    ['arn:aws:sqs:eu-west-1:123456789012:bad name', /^resource "bad name" is not an SQS queue/],
    ['arn:aws:sqs:eu-west-1:123456789012:' + 'q'.repeat(81), /^resource "q+" is not an SQS queue/],
    [
      'arn:aws:events:eu-west-1:123456789012:rule/orders',
      /^resource "rule\/orders" is not an EventBridge event bus/,
    ],
    ['arn:aws:kinesis:eu-west-1:123456789012:orders', /^resource "orders" is not a Kinesis data stream/],
  ])('%s is refused: %s', (arn, message) => {
    const parsed = parseDestinationArn(arn);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });
});

describe('role ARNs', () => {
  test('a role under the prefix, any account, deeper paths too', () => {
    expect(parseRoleArn(ROLE, PREFIX)).toEqual({
      ok: true,
      value: { account: '123456789012', partition: 'aws' },
    });
    expect(parseRoleArn('arn:aws:iam::210987654321:role/herald-destinations/team/x', PREFIX).ok).toBe(true);
  });

  test.each([
    [
      'arn:aws:iam::123456789012:role/orders',
      /^resource "role\/orders" is not a role under the path \/herald-destinations\//,
    ],
    ['arn:aws:iam::123456789012:role/herald-destinations-evil/orders', /is not a role under the path/],
    ['arn:aws:iam::123456789012:user/herald-destinations/orders', /is not a role under the path/],
    ['arn:aws:iam::123456789012:role/herald-destinations/', /does not end in a role name/],
    ['arn:aws:iam::123456789012:role/herald-destinations/a b', /does not end in a role name/],
    ['arn:aws:sts::123456789012:role/herald-destinations/orders', /^service "sts" is not iam/],
    [
      'arn:aws:iam:us-east-1:123456789012:role/herald-destinations/orders',
      /^region "us-east-1" must be empty/,
    ],
    ['arn:aws:iam::12345678901x:role/herald-destinations/orders', /^account "12345678901x"/],
    ['role/herald-destinations/orders', /must be a role ARN/],
  ])('%s is refused: %s', (arn, message) => {
    const parsed = parseRoleArn(arn, PREFIX);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
  });

  test('problems are pointed at the field, and the partitions must agree', () => {
    expect(
      destinationProblems({ arn: 'arn:aws:sqs:eu-west-1:123456789012:q', roleArn: ROLE }, PREFIX),
    ).toEqual([]);
    expect(destinationProblems({ arn: 'nope', roleArn: 'nope' }, PREFIX).map((p) => p.pointer)).toEqual([
      '/body/destination/arn',
      '/body/destination/roleArn',
    ]);
    expect(
      destinationProblems({ arn: 'arn:aws-cn:sqs:cn-north-1:123456789012:q', roleArn: ROLE }, PREFIX),
    ).toEqual([
      {
        pointer: '/body/destination/roleArn',
        message: expect.stringMatching(/^partition "aws" is not the destination's/),
      },
    ]);
  });
});
