/**
 * Every HTTP route of every packaged service template, for the local stage and prod, sits behind the
 * tenants service's Lambda REQUEST authorizer (serverless.shared.yml), except the public routes listed
 * below: a route that loses its authorizer fails here. An API key is checked by that authorizer alone
 * (the functions refuse one that no authorizer judged), and the local cloud runs the authorizer as the
 * templates declare it, so a route without it would refuse API keys, and one with API Gateway's JWT
 * authorizer would refuse them in AWS while every local test passed.
 *
 * A new account deploys processing, then tenants, then ingest and notifications, each once: the
 * services name the authorizer by its ARN (nothing tenants publishes), processing's API is granted
 * the authorizer by the tenants stack (processing deploys before the function exists), and every
 * value a service reads when it deploys is published by one deployed before it.
 *
 * The authorizer's own role holds the grants of a tenant made on its first use (its creation and
 * audit entry) only for a stage whose autoCreateTenants is on: local's, not prod's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { DeployedService } from '@herald/local-cloud';
import { packageStage } from '../lib/package-stage';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
type Resources = Record<string, Resource>;

const root = join(import.meta.dirname, '..', '..');
/** Every service whose serverless.yml declares HTTP routes: a new one is covered without a change here. */
const SERVICES = readdirSync(join(root, 'services')).filter((service) => {
  try {
    return /^\s+- httpApi:/m.test(readFileSync(join(root, 'services', service, 'serverless.yml'), 'utf8'));
  } catch {
    return false;
  }
});
const STAGES = ['local', 'prod'] as const;

/**
 * The routes anyone may call, without a credential, by design. Each has its own protection; keep
 * this list short and say why for each.
 */
const PUBLIC_ROUTES: Record<string, string[]> = {
  notifications: [
    // A tenant's v1a public keys (a JWKS): receivers fetch them to verify webhooks; nothing secret.
    'GET /v1/tenants/{tenantId}/webhook-keys.json',
    // The links in confirmation and unsubscribe e-mails: the recipient has no credential, the link
    // carries a signed token of its own.
    'GET /v1/email/confirm',
    'GET /v1/email/unsubscribe',
    // RFC 8058 one-click unsubscribe, which mail clients POST to the same link.
    'POST /v1/email/unsubscribe',
  ],
};

/**
 * The authorizer's ARN as every other service names it: the tenants function's, as osls names it
 * (herald-tenants-<stage>-authorize), in the stack's own account and region.
 */
const authorizerArn = (stage: string) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:herald-tenants-${stage}-authorize:live`,
});
/** Processing's API id, as the tenants stack takes it: the local cloud's, and prod's stand-in (stages/prod.yml). */
const PROCESSING_API_ID = { local: 'jb7qdx6h6i', prod: 'a1b2c3d4e5' };
/** The order of a new account's first deploys (serverless-compose.yml, stages/README.md). */
const DEPLOY_ORDER = ['processing', 'tenants', 'notifications', 'ingest'];
/** Values no service publishes: the bootstrap writes them before any deploy. */
const BOOTSTRAPPED = ['ingest/publicKeys'];
const CACHE_TTL = { local: 5, prod: 60 };
const OWN_ALIAS = { 'Fn::Join': [':', [{ 'Fn::GetAtt': ['AuthorizeLambdaFunction', 'Arn'] }, 'live']] };

const templates = new Map<string, Resources>();

beforeAll(async () => {
  // One after the other: packaging is CPU-bound.
  for (const stage of STAGES)
    for (const service of SERVICES) {
      const { update } = await packageStage(service as DeployedService, stage);
      templates.set(`${service} ${stage}`, (update as { Resources: Resources }).Resources);
    }
}, 900_000);

const byType = (resources: Resources, type: string) =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);

/** The function ARN inside an authorizer's AuthorizerUri (a Fn::Join osls writes). */
function uriTarget(uri: unknown): unknown {
  const parts = (uri as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return parts[parts.indexOf(':lambda:path/2015-03-31/functions/') + 1];
}

test('the services with routes are found', () => {
  expect(SERVICES).toEqual(expect.arrayContaining(['ingest', 'processing', 'notifications', 'tenants']));
});

describe.each(STAGES)('stage %s', (stage) => {
  describe.each(SERVICES)('%s', (service) => {
    const resources = () => templates.get(`${service} ${stage}`)!;

    test('its one authorizer is the tenants Lambda REQUEST authorizer, cached per Authorization header', () => {
      const authorizers = byType(resources(), 'AWS::ApiGatewayV2::Authorizer');
      expect(authorizers.map(([id]) => id)).toEqual(['HttpApiAuthorizerHeraldTenants']);
      const { AuthorizerUri, ...properties } = authorizers[0]![1].Properties;
      expect(properties).toEqual({
        ApiId: { Ref: 'HttpApi' },
        Name: 'heraldTenants',
        AuthorizerType: 'REQUEST',
        IdentitySource: ['$request.header.Authorization'],
        EnableSimpleResponses: true,
        AuthorizerPayloadFormatVersion: '2.0',
        AuthorizerResultTtlInSeconds: CACHE_TTL[stage],
      });
      expect(uriTarget(AuthorizerUri)).toEqual(service === 'tenants' ? OWN_ALIAS : authorizerArn(stage));
    });

    test('every route uses it, but the listed public routes, which use none; no route carries scopes', () => {
      const routes = byType(resources(), 'AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties);
      expect(routes.length).toBeGreaterThan(0);
      const publicRoutes = PUBLIC_ROUTES[service] ?? [];
      for (const route of routes) {
        const key = route.RouteKey as string;
        if (publicRoutes.includes(key)) {
          expect({ key, type: route.AuthorizationType, id: route.AuthorizerId }).toEqual({ key });
          continue;
        }
        expect({ key, type: route.AuthorizationType, id: route.AuthorizerId }).toEqual({
          key,
          type: 'CUSTOM',
          id: { Ref: 'HttpApiAuthorizerHeraldTenants' },
        });
        // API Gateway refuses scopes on a Lambda authorizer's route; the function checks them.
        expect(route).not.toHaveProperty('AuthorizationScopes');
      }
      // The list names routes that exist, so it cannot keep a route public after it is gone.
      expect(routes.map((route) => route.RouteKey)).toEqual(expect.arrayContaining(publicRoutes));
    });

    test('API Gateway may invoke the authorizer for this API alone, granted where the function exists', () => {
      const permissions = byType(resources(), 'AWS::Lambda::Permission')
        .map(([, permission]) => permission.Properties)
        .filter((permission) =>
          service === 'tenants'
            ? JSON.stringify(permission.FunctionName) === JSON.stringify(OWN_ALIAS) &&
              permission.Principal === 'apigateway.amazonaws.com'
            : JSON.stringify(permission.FunctionName) === JSON.stringify(authorizerArn(stage)),
        );
      // Processing deploys before the authorizer exists: the tenants stack grants its API instead.
      if (service === 'processing') {
        expect(permissions).toEqual([]);
        return;
      }
      // The tenants stack: its own API, and processing's.
      expect(permissions).toHaveLength(service === 'tenants' ? 2 : 1);
      for (const permission of permissions)
        expect(permission).toMatchObject({
          Action: 'lambda:InvokeFunction',
          Principal: 'apigateway.amazonaws.com',
          SourceAccount: { Ref: 'AWS::AccountId' },
        });
      // Each API is named by its own id: no other API may use this grant.
      if (service === 'tenants')
        expect(permissions.map((permission) => permission.SourceArn)).toEqual([
          {
            'Fn::Sub':
              'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/authorizers/*',
          },
          {
            'Fn::Sub': `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:${PROCESSING_API_ID[stage]}/authorizers/*`,
          },
        ]);
      else
        expect(permissions[0]!.SourceArn).toEqual({
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':execute-api:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':',
              { Ref: 'HttpApi' },
              '/*',
            ],
          ],
        });
    });
  });
});

describe.each(STAGES)('a new account, stage %s', (stage) => {
  test('deploys processing, tenants, then the others, each once: every value a service reads is published before it', () => {
    const published = new Map<string, string>();
    for (const service of DEPLOY_ORDER)
      for (const [, parameter] of byType(templates.get(`${service} ${stage}`)!, 'AWS::SSM::Parameter')) {
        const name = /^\/herald\/[^/]+\/([a-z]+\/[A-Za-z]+)$/.exec(String(parameter.Properties.Name))?.[1];
        if (name) published.set(name, service);
      }
    const unmet: string[] = [];
    DEPLOY_ORDER.forEach((service, index) => {
      const config = readFileSync(join(root, 'services', service, 'serverless.yml'), 'utf8');
      for (const [, read] of config.matchAll(/\$\{heraldPublished:([a-z]+\/[A-Za-z]+)\}/g)) {
        if (BOOTSTRAPPED.includes(read!)) continue;
        const by = published.get(read!);
        if (!by || DEPLOY_ORDER.indexOf(by) >= index)
          unmet.push(`${service} reads ${read}, published by ${by ?? 'no service'}`);
      }
    });
    expect(unmet).toEqual([]);
    // Processing's API id, which the tenants stack's grant names, is one of them.
    expect(published.get('processing/apiId')).toBe('processing');
    expect(readFileSync(join(root, 'services', 'tenants', 'serverless.yml'), 'utf8')).toMatch(
      /processingApiId: \$\{heraldPublished:processing\/apiId\}/,
    );
  });
});

/**
 * The authorizer creates a tenant on its first use, and records that in the audit log, only where
 * the stage's autoCreateTenants is on (local; the sample stages/prod.yml has it off): its role holds
 * that creation's grants there alone (services/tenants/serverless.yml, custom.authorizeStatements).
 */
describe.each([
  ['local', true],
  ['prod', false],
] as const)("the authorizer's role, stage %s (autoCreateTenants %s)", (stage, autoCreateTenants) => {
  type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown };
  const resources = () => templates.get(`tenants ${stage}`)!;
  const statements = (): Statement[] =>
    (
      resources().AuthorizeIamRoleLambdaExecution!.Properties.Policies as Array<{
        PolicyDocument: { Statement: Statement[] };
      }>
    ).flatMap((policy) => policy.PolicyDocument.Statement);
  /** The actions it is allowed on a resource of the template, by its logical id. */
  const actionsOn = (logicalId: string) =>
    statements()
      .filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Resource).includes(`"${logicalId}"`))
      .flatMap((s) => [s.Action].flat())
      .sort();

  test(
    autoCreateTenants
      ? 'reads keys and tenants, records a key’s use, creates a tenant and appends its creation to the audit log'
      : 'reads keys and tenants and records a key’s use; neither creates a tenant nor touches the audit log',
    () => {
      const environment = resources().AuthorizeLambdaFunction!.Properties.Environment as {
        Variables: Record<string, unknown>;
      };
      expect(String(environment.Variables.AUTO_CREATE_TENANTS)).toBe(String(autoCreateTenants));
      const sids = statements().map((s) => s.Sid);
      for (const sid of ['CreateTenantsOnFirstUse', 'AppendOwnAuditEntries'])
        expect({ sid, granted: sids.includes(sid) }).toEqual({ sid, granted: autoCreateTenants });
      expect(actionsOn('ApiKeysTable')).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
      expect(actionsOn('TenantsTable')).toEqual(
        autoCreateTenants ? ['dynamodb:GetItem', 'dynamodb:PutItem'] : ['dynamodb:GetItem'],
      );
      expect(actionsOn('AuditTable')).toEqual(
        autoCreateTenants ? ['dynamodb:PutItem', 'dynamodb:Query'] : [],
      );
    },
  );
});
