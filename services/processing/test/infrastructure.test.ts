/**
 * The service's CloudFormation for a deployed stage (prod), as `serverless package` writes it: the
 * settings the issue asks for, least privilege per function, and the repository's template policy.
 * Packaged into a temporary folder, so the local cloud's own packages are left alone.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { packageStage } from '../../../scripts/lib/package-stage';
import { checkTemplate } from '../../../scripts/lib/template-policy';

type Resource = { Type: string; Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
let template: { Resources: Record<string, Resource>; Outputs: Record<string, unknown> };

beforeAll(async () => {
  template = (await packageStage('processing', 'prod')).update as typeof template;
}, 300_000);

const resource = (logicalId: string) => {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`no resource ${logicalId}`);
  return found.Properties;
};
const getAtt = (logicalId: string, attribute: string) => ({ 'Fn::GetAtt': [logicalId, attribute] });
const ref = (logicalId: string) => ({ Ref: logicalId });

/** Every allowed action of a function's role, with the resources it is allowed on. */
function grants(fn: string): Array<{ actions: string[]; resources: unknown[] }> {
  const role = resource(`${fn}IamRoleLambdaExecution`);
  return role.Policies.flatMap((policy: { PolicyDocument: { Statement: unknown[] } }) =>
    policy.PolicyDocument.Statement.map((statement) => {
      const s = statement as { Action: string | string[]; Resource: unknown };
      return { actions: ([] as string[]).concat(s.Action), resources: ([] as unknown[]).concat(s.Resource) };
    }),
  );
}
const actionsOf = (fn: string) =>
  grants(fn)
    .flatMap((grant) => grant.actions)
    .filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:'))
    .sort();
const resourcesFor = (fn: string, action: string) =>
  grants(fn)
    .filter((grant) => grant.actions.includes(action))
    .flatMap((grant) => grant.resources);

describe('processing template (prod)', () => {
  test('passes the repository’s template policy: own role per function, no wildcards, encryption on', () => {
    expect(checkTemplate(template)).toEqual([]);
  });

  test('inbound queue: encrypted, visibility at least 6x the consume timeout, redrive to its DLQ', () => {
    const queue = resource('InboundQueue');
    const timeout = resource('ConsumeLambdaFunction').Timeout as number;
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    expect(queue.MaximumMessageSize).toBe(256 * 1024);
    expect(queue.KmsMasterKeyId).toEqual(ref('ProcessingKey'));
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: getAtt('InboundDeadLetterQueue', 'Arn'),
      maxReceiveCount: 5,
    });
    expect(resource('InboundDeadLetterQueue').KmsMasterKeyId).toEqual(ref('ProcessingKey'));
  });

  test('consume: the inbound queue’s event source and the function’s reserved concurrency, both bounded', () => {
    // A backlog may take no more than this of the account's concurrency, and always has it.
    expect(resource('ConsumeEventSourceMappingSQSInboundQueue').ScalingConfig).toEqual({
      MaximumConcurrency: 50,
    });
    expect(resource('ConsumeLambdaFunction').ReservedConcurrentExecutions).toBe(50);
  });

  test('events table: customer key, point-in-time recovery, TTL, stream of new images, both indexes', () => {
    const table = resource('EventsTable');
    expect(table.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: ref('ProcessingKey'),
    });
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(table.StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    expect(table.DeletionProtectionEnabled).toBe(true);
    expect(
      table.GlobalSecondaryIndexes.map(
        (index: { IndexName: string; KeySchema: Array<{ AttributeName: string }> }) => [
          index.IndexName,
          ...index.KeySchema.map((key) => key.AttributeName),
        ],
      ),
    ).toEqual([
      ['byTime', 'gsi1pk', 'gsi1sk'],
      ['byType', 'gsi2pk', 'gsi1sk'],
    ]);
  });

  test('publish reads inserts only, reports partial failures and names exhausted batches in its DLQ', () => {
    const mapping = resource('PublishEventSourceMappingDynamodbEventsTable');
    expect(mapping).toMatchObject({
      EventSourceArn: getAtt('EventsTable', 'StreamArn'),
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
      DestinationConfig: { OnFailure: { Destination: getAtt('PublishDeadLetterQueue', 'Arn') } },
    });
    expect(mapping.MaximumRecordAgeInSeconds).toBeLessThan(86_400);
  });

  test('the bus: KMS-encrypted, and only the services’ own roles may put events, each under its own source', () => {
    const bus = resource('EventBus');
    expect(bus.KmsKeyIdentifier).toEqual(getAtt('ProcessingKey', 'Arn'));
    const statements = bus.Policy.Statement as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(statements.every((s) => s.Effect === 'Deny' && s.Action === 'events:PutEvents')).toBe(true);
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid as string, s]));
    const role = (name: string) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${name}`,
    });
    expect(bySid.OnlyHeraldPublishersPutEvents!.Condition.ArnNotLike['aws:PrincipalArn']).toEqual([
      role('herald-processing-prod-publish-*'),
      role('herald-notifications-prod-*'),
      role('herald-ingest-prod-tenantData-*'),
      role('herald-ingest-prod-publishAudit-*'),
      role('herald-tenants-prod-*'),
    ]);
    // Each publisher under its own source alone: ingest's two publishers (tenant data, audit) too.
    const sources = {
      Processing: 'processing',
      Ingest: 'ingest',
      Notifications: 'notifications',
      Tenants: 'tenants',
    };
    for (const [name, source] of Object.entries(sources))
      expect(bySid[`${name}PutsOnlyItsOwnSource`]!.Condition.StringNotEquals).toEqual({
        'events:source': `herald.${source}`,
      });
    expect(bySid.IngestPutsOnlyItsOwnSource!.Condition.ArnLike['aws:PrincipalArn']).toEqual([
      role('herald-ingest-prod-tenantData-*'),
      role('herald-ingest-prod-publishAudit-*'),
    ]);
  });

  test('alarms on every DLQ’s depth and every function’s errors', () => {
    const alarms = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .map((r) => r.Properties.Dimensions[0].Value);
    for (const queue of ['InboundDeadLetterQueue', 'PublishDeadLetterQueue', 'EventBusDeadLetterQueue'])
      expect(alarms).toContainEqual(getAtt(queue, 'QueueName'));
    for (const fn of ['Consume', 'Publish', 'GetEvent', 'ListEvents'])
      expect(alarms).toContainEqual(ref(`${fn}LambdaFunction`));
  });

  test('outputs for the queue and the bus', () => {
    expect(template.Outputs).toMatchObject({
      InboundQueueUrl: { Value: ref('InboundQueue') },
      InboundQueueArn: { Value: getAtt('InboundQueue', 'Arn') },
      EventBusName: { Value: ref('EventBus') },
      EventBusArn: { Value: getAtt('EventBus', 'Arn') },
    });
  });

  test('each function’s role allows exactly what it does, on exactly its resources', () => {
    expect(actionsOf('Consume')).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'kms:Decrypt',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:ReceiveMessage',
    ]);
    expect(resourcesFor('Consume', 'dynamodb:PutItem')).toEqual([getAtt('EventsTable', 'Arn')]);
    // A subject's sequence counter: read and moved, its own attributes only (never a stored event's).
    for (const action of ['dynamodb:GetItem', 'dynamodb:UpdateItem'])
      expect(resourcesFor('Consume', action)).toEqual([getAtt('EventsTable', 'Arn')]);

    expect(actionsOf('Publish')).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
      'events:PutEvents',
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'sqs:SendMessage',
    ]);
    expect(resourcesFor('Publish', 'events:PutEvents')).toEqual([getAtt('EventBus', 'Arn')]);
    expect(resourcesFor('Publish', 'sqs:SendMessage')).toEqual([getAtt('PublishDeadLetterQueue', 'Arn')]);

    expect(actionsOf('GetEvent')).toEqual(['dynamodb:GetItem', 'kms:Decrypt']);
    expect(resourcesFor('GetEvent', 'dynamodb:GetItem')).toEqual([getAtt('EventsTable', 'Arn')]);

    // Listing reads the indexes only; it cannot read (or scan) the table itself.
    expect(actionsOf('ListEvents')).toEqual(['dynamodb:Query', 'kms:Decrypt']);
    expect(resourcesFor('ListEvents', 'dynamodb:Query')).toEqual([
      { 'Fn::Sub': '${EventsTable.Arn}/index/byTime' },
      { 'Fn::Sub': '${EventsTable.Arn}/index/byType' },
    ]);
  });

  test('every function’s log group is encrypted with the service key', () => {
    for (const fn of ['Consume', 'Publish', 'GetEvent', 'ListEvents'])
      expect(resource(`${fn}LogGroup`).KmsKeyId).toEqual(getAtt('ProcessingKey', 'Arn'));
  });
});
