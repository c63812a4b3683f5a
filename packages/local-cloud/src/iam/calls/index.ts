/**
 * What an AWS call asks IAM for: the operation a function's HTTP request to an emulator is, and every
 * authorization request AWS would evaluate for it (the action or actions, each resource's ARN, and the
 * condition keys the request sets), all of which must be allowed. Includes the KMS requests a service
 * makes with the caller's permissions when a resource is under a customer managed key.
 *
 * Action names and ARN formats come from the maintained IAM catalogue (./catalogue.ts); what the
 * documentation says beyond it (batch operations, transactions, KMS through services, which attributes
 * a DynamoDB request names) is stated beside each service's interpreter with its source.
 */
import type { CallerIdentity, ResourceFacts } from '../types';
import { type AwsService, type HttpCall, type InterpretedCall, UnknownCall, baseContext } from './common';
import { interpretDynamoDb } from './dynamodb';
import { interpretEvents } from './events';
import { interpretKms } from './kms';
import { interpretS3 } from './s3';
import { interpretSecretsManager } from './secretsmanager';
import { interpretSes } from './ses';
import { interpretSns } from './sns';
import { interpretSsm } from './ssm';
import { interpretSqs } from './sqs';

export { UnknownCall };
export type { AwsService, HttpCall, InterpretedCall };

/**
 * Every operation the interpreters know, per service: what Herald's functions call (and the local
 * cloud calls for them: event source polling), and a few neighbours. Kept beside the interpreters so
 * a test can check that every AWS command in Herald's code is one of them.
 */
export const INTERPRETED_OPERATIONS: Readonly<Record<AwsService, readonly string[]>> = {
  sqs: [
    'SendMessage',
    'SendMessageBatch',
    'ReceiveMessage',
    'DeleteMessage',
    'DeleteMessageBatch',
    'ChangeMessageVisibility',
    'ChangeMessageVisibilityBatch',
    'GetQueueAttributes',
    'GetQueueUrl',
    'StartMessageMoveTask',
    'ListMessageMoveTasks',
  ],
  dynamodb: [
    'GetItem',
    'PutItem',
    'UpdateItem',
    'DeleteItem',
    'Query',
    'Scan',
    'BatchGetItem',
    'BatchWriteItem',
    'TransactGetItems',
    'TransactWriteItems',
    'DescribeStream',
    'GetShardIterator',
    'GetRecords',
    'ListStreams',
  ],
  sns: ['Publish'],
  events: ['PutEvents'],
  kms: ['Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'DescribeKey'],
  s3: ['PutObject', 'GetObject', 'HeadObject', 'DeleteObject', 'ListObjects', 'ListObjectsV2'],
  secretsmanager: ['GetSecretValue', 'DescribeSecret'],
  ses: ['SendEmail'],
  // Nothing of Herald's: what `npm run bootstrap` calls, so a function that tried would be judged too.
  ssm: [
    'GetParameter',
    'GetParameters',
    'GetParametersByPath',
    'PutParameter',
    'DeleteParameter',
    'DeleteParameters',
  ],
};

const INTERPRETERS = {
  sqs: interpretSqs,
  sns: interpretSns,
  dynamodb: interpretDynamoDb,
  events: interpretEvents,
  kms: interpretKms,
  s3: interpretS3,
  secretsmanager: interpretSecretsManager,
  ses: interpretSes,
  ssm: interpretSsm,
} satisfies Record<AwsService, unknown>;

/**
 * The authorization requests of one call. `caller`, when given, adds the principal's keys
 * (`aws:PrincipalArn`), which resource policies such as a queue's "only these roles send" test.
 * Throws UnknownCall for an operation it does not know.
 */
export function interpretCall(
  service: AwsService,
  call: HttpCall,
  facts: ResourceFacts,
  caller?: CallerIdentity,
): InterpretedCall {
  const interpreter = INTERPRETERS[service];
  if (!interpreter) throw new UnknownCall(service, 'any', 'the local cloud does not know this service');
  return interpreter(call, { facts, base: baseContext(facts, caller) });
}
