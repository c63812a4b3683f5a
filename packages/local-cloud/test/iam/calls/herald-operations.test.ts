/**
 * Every AWS command in Herald's code is one the local cloud knows what IAM asks for: a new command
 * fails here, naming itself, rather than as an UnknownCall in the middle of an integration test.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type AwsService, INTERPRETED_OPERATIONS, UnknownCall, interpretCall } from '../../../src/iam/calls';
import { ACCOUNT, facts } from './recorder';

const ROOT = join(import.meta.dirname, '../../../../..');
const SOURCES = [
  'services/ingest/src',
  'services/processing/src',
  'services/notifications/src',
  'shared/src',
];

const PACKAGES: Record<string, AwsService> = {
  'client-sqs': 'sqs',
  'client-sns': 'sns',
  'client-dynamodb': 'dynamodb',
  'lib-dynamodb': 'dynamodb',
  'client-eventbridge': 'events',
  'client-kms': 'kms',
  'client-s3': 's3',
  'client-secrets-manager': 'secretsmanager',
  'client-sesv2': 'ses',
};

// The document client's commands are the table operations under shorter names.
const DOCUMENT_CLIENT: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

/** `service Operation` for every command imported from an AWS SDK client in Herald's sources. */
function heraldOperations(): string[] {
  const found = new Set<string>();
  for (const source of SOURCES)
    for (const file of files(join(ROOT, source))) {
      const text = readFileSync(file, 'utf8');
      for (const [, names, pkg] of text.matchAll(/import\s*{([^}]*)}\s*from\s*'@aws-sdk\/([\w-]+)'/g)) {
        const service = PACKAGES[pkg!];
        if (!service) continue;
        for (const [, command] of names!.matchAll(/\b(\w+)Command\b/g)) {
          const operation = pkg === 'lib-dynamodb' ? (DOCUMENT_CLIENT[command!] ?? command!) : command!;
          found.add(`${service} ${operation}`);
        }
      }
    }
  return [...found].sort();
}

// One body with every field the JSON-protocol interpreters read, so each operation can be interpreted.
const BODY = {
  TableName: 'plain',
  Key: { id: { S: 'x' } },
  Item: { id: { S: 'x' } },
  RequestItems: { plain: { Keys: [{ id: { S: 'x' } }] } },
  TransactItems: [],
  StreamArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/plain/stream/label`,
  ShardIterator: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/plain/stream/label|1|AA==`,
  QueueUrl: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/plain`,
  QueueName: 'plain',
  SourceArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:plain`,
  Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }],
  KeyId: 'alias/herald-local-notifications',
  SecretId: 'herald-local-email-link-key',
  Name: '/herald/local/processing/apiUrl',
  Names: ['/herald/local/processing/apiUrl'],
  Path: '/herald/local',
};

const TARGET_PREFIX: Partial<Record<AwsService, string>> = {
  sqs: 'AmazonSQS',
  dynamodb: 'DynamoDB_20120810',
  events: 'AWSEvents',
  kms: 'TrentService',
  secretsmanager: 'secretsmanager',
  ssm: 'AmazonSSM',
};

describe('Herald’s AWS calls', () => {
  const operations = heraldOperations();

  test('the sources were read (a broken search would pass vacuously)', () => {
    expect(operations).toEqual(
      expect.arrayContaining(['sqs SendMessage', 'dynamodb UpdateItem', 'ses SendEmail']),
    );
  });

  test.each(operations)('%s is interpreted', (entry) => {
    const [service, operation] = entry.split(' ') as [AwsService, string];
    expect(INTERPRETED_OPERATIONS[service]).toContain(operation);
  });
});

describe('the interpreted operations of the JSON protocols', () => {
  const STREAMS = new Set(['DescribeStream', 'GetShardIterator', 'GetRecords', 'ListStreams']);
  const cases = Object.entries(TARGET_PREFIX).flatMap(([service, prefix]) =>
    INTERPRETED_OPERATIONS[service as AwsService].map(
      (operation) =>
        [
          service as AwsService,
          `${STREAMS.has(operation) ? 'DynamoDBStreams_20120810' : prefix}.${operation}`,
        ] as const,
    ),
  );
  test.each(cases)('%s %s interprets', (service, target) => {
    const call = {
      method: 'POST',
      path: '/',
      headers: { 'x-amz-target': target },
      body: Buffer.from(JSON.stringify(BODY)),
    };
    expect(interpretCall(service, call, facts).operation).toBe(target.split('.')[1]);
  });

  test('an operation outside the list is an UnknownCall', () => {
    const call = {
      method: 'POST',
      path: '/',
      headers: { 'x-amz-target': 'AWSEvents.PutRule' },
      body: Buffer.from('{}'),
    };
    expect(() => interpretCall('events', call, facts)).toThrow(UnknownCall);
  });
});
