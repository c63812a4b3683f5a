/**
 * The abuse limits in the service's CloudFormation for a deployed stage (prod), as `serverless
 * package` writes it: each limit reaches the functions that read it, the HTTP API is throttled, and
 * the functions may write no more of the subscriptions table than the limits need. Packaged into a
 * temporary folder (scripts/lib/package-stage.ts), so the local cloud's own packages are left alone.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { packageStage } from '../../../scripts/lib/package-stage';
import { checkTemplate } from '../../../scripts/lib/template-policy';
import { HEALTH_ATTRIBUTES } from '../src/model/subscription';

type Resource = { Type: string; Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
let template: { Resources: Record<string, Resource> };

beforeAll(async () => {
  template = (await packageStage('notifications', 'prod')).update as typeof template;
}, 300_000);

const resource = (logicalId: string) => {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`no resource ${logicalId}`);
  return found.Properties;
};
const environment = (fn: string): Record<string, unknown> =>
  resource(`${fn}LambdaFunction`).Environment.Variables;
const statements = (fn: string): Statement[] =>
  resource(`${fn}IamRoleLambdaExecution`).Policies.flatMap(
    (policy: { PolicyDocument: { Statement: Statement[] } }) => policy.PolicyDocument.Statement,
  );
const subscriptionsTable = { 'Fn::GetAtt': ['SubscriptionsTable', 'Arn'] };
/** The attributes a function may update on the subscriptions table, per statement allowing it. */
const updatableAttributes = (fn: string) =>
  statements(fn)
    .filter(
      (s) =>
        ([] as string[]).concat(s.Action).includes('dynamodb:UpdateItem') &&
        JSON.stringify(s.Resource) === JSON.stringify(subscriptionsTable),
    )
    .map((s) => s.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes']);

describe('abuse limits in the notifications template (prod)', () => {
  test('passes the repository’s template policy', () => {
    expect(checkTemplate(template)).toEqual([]);
  });

  test('each queue’s event source and each consumer’s reserved concurrency are bounded', () => {
    const mapping = (fn: string, queue: string) =>
      resource(`${fn}EventSourceMappingSQS${queue}`).ScalingConfig?.MaximumConcurrency;
    expect(mapping('Dispatch', 'DispatchQueue')).toBe(10);
    expect(mapping('Deliver', 'DeliveryQueue')).toBe(50);
    expect(mapping('Deliver', 'SlowDeliveryQueue')).toBe(5);
    expect(mapping('DeliverEmail', 'EmailQueue')).toBe(10);
    expect(mapping('DeliverAws', 'DestinationsQueue')).toBe(10);
    // A reservation below the sum of its event sources' maximum would throttle them.
    expect(resource('DispatchLambdaFunction').ReservedConcurrentExecutions).toBe(10);
    expect(resource('DeliverLambdaFunction').ReservedConcurrentExecutions).toBe(55);
    expect(resource('DeliverEmailLambdaFunction').ReservedConcurrentExecutions).toBe(10);
    expect(resource('DeliverAwsLambdaFunction').ReservedConcurrentExecutions).toBe(10);
  });

  test('AWS destinations: roles assumed under the prefix only, and the local test destinations denied', () => {
    for (const fn of ['DeliverAws', 'CreateSubscription', 'TestDestination']) {
      const all = statements(fn) as Array<Statement & { Effect: string }>;
      expect(all.filter((s) => ([] as string[]).concat(s.Action).includes('sts:AssumeRole'))).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/herald-destinations/*' },
        }),
      ]);
      const local = all.filter(
        (s) => s.Sid?.startsWith('Local') && s.Sid.endsWith('DestinationsWithOwnCredentials'),
      );
      expect(local).toHaveLength(3);
      for (const statement of local) expect(statement.Effect).toBe('Deny');
    }
    expect(environment('DeliverAws')).toMatchObject({ DESTINATIONS_ASSUME_ROLE: 'true' });
    // The principals a destination role must trust, as GET /v1/destinations/external-id shows them.
    expect(environment('GetDestinationExternalId').DESTINATIONS_PRINCIPALS).toEqual({
      'Fn::Join': [
        ',',
        ['DeliverAws', 'CreateSubscription', 'TestDestination'].map((fn) => ({
          'Fn::GetAtt': [`${fn}IamRoleLambdaExecution`, 'Arn'],
        })),
      ],
    });
  });

  test('the HTTP API is throttled at the stage’s rate and burst', () => {
    expect(resource('HttpApiStage').DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 100,
    });
  });

  test('each limit reaches the functions that read it, with its default', () => {
    const rates = { DEFAULT_RATE_LIMIT: '50', MAX_RATE_LIMIT: '500' };
    expect(environment('CreateSubscription')).toMatchObject({
      ...rates,
      MAX_SUBSCRIPTIONS_PER_TENANT: '100',
    });
    expect(environment('UpdateSubscription')).toMatchObject(rates);
    expect(environment('Deliver')).toMatchObject(rates);
    expect(environment('DeliverEmail')).toMatchObject({ ...rates, DAILY_EMAIL_CAP_PER_TENANT: '1000' });
    expect(environment('Deliver')).not.toHaveProperty('DAILY_EMAIL_CAP_PER_TENANT');
    expect(environment('Replay')).toMatchObject({
      MAX_REPLAY_WINDOW_HOURS: '24',
      MAX_CONCURRENT_REPLAYS_PER_TENANT: '5',
    });
    for (const fn of ['CreateSubscription', 'UpdateSubscription', 'Deliver']) {
      expect(environment(fn).WEBHOOK_ALLOWED_PORTS).toBe('443');
    }
    expect(environment('Dispatch')).not.toHaveProperty('MAX_CONCURRENT_REPLAYS_PER_TENANT');
  });

  test('the delivery functions may write the rate limit’s slot mark besides the subscription’s health, nothing more', () => {
    for (const fn of ['Deliver', 'DeliverEmail']) {
      expect(updatableAttributes(fn)).toEqual([['pk', 'sk', ...HEALTH_ATTRIBUTES]]);
      expect(HEALTH_ATTRIBUTES).toContain('rateSlotAt');
    }
  });

  test('replay and dispatch may update only the running replays of the tenant’s usage item', () => {
    for (const fn of ['Replay', 'Dispatch']) {
      expect(updatableAttributes(fn)).toEqual([['pk', 'sk', 'replays', 'replaysVersion']]);
      expect(statements(fn).find((s) => s.Sid === 'RecordRunningReplays')?.Condition).toMatchObject({
        StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] },
      });
    }
  });

  test('creating a subscription counts the tenant’s and moves only the usage version on', () => {
    const move = statements('CreateSubscription').find((s) => s.Sid === 'MoveSubscriptionsVersion');
    expect(move).toMatchObject({ Action: ['dynamodb:UpdateItem'], Resource: subscriptionsTable });
    // tenantStatusAt: read in the condition alone (the tenant's status the new subscription carries).
    expect(move?.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes']).toEqual([
      'pk',
      'sk',
      'subscriptionsVersion',
      'tenantStatusAt',
    ]);
    const count = statements('CreateSubscription').find((s) => s.Sid === 'CountTenantSubscriptions');
    expect(count).toMatchObject({
      Action: ['dynamodb:GetItem', 'dynamodb:Query'],
      Resource: subscriptionsTable,
    });
  });
});
