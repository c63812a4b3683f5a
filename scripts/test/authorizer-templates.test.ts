/**
 * Every HTTP route of every packaged service template, for the local stage and prod, sits behind the
 * tenants service's Lambda REQUEST authorizer (serverless.shared.yml), except the public routes listed
 * below: a route that loses its authorizer fails here. An API key is checked by that authorizer alone
 * (the functions refuse one that no authorizer judged), and the local cloud runs the authorizer as the
 * templates declare it, so a route without it would refuse API keys, and one with API Gateway's JWT
 * authorizer would refuse them in AWS while every local test passed.
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

/** The authorizer's ARN each stage names: the local cloud's, and prod's sample (stages/prod.yml). */
const AUTHORIZER_ARN = {
  local: 'arn:aws:lambda:us-east-1:000000000000:function:herald-tenants-local-authorize:live',
  prod: 'arn:aws:lambda:us-east-1:123456789012:function:herald-tenants-prod-authorize:live',
};
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
      expect(uriTarget(AuthorizerUri)).toEqual(service === 'tenants' ? OWN_ALIAS : AUTHORIZER_ARN[stage]);
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

    test('API Gateway may invoke the authorizer for this API alone', () => {
      const permissions = byType(resources(), 'AWS::Lambda::Permission')
        .map(([, permission]) => permission.Properties)
        .filter((permission) =>
          service === 'tenants'
            ? JSON.stringify(permission.FunctionName) === JSON.stringify(OWN_ALIAS) &&
              permission.Principal === 'apigateway.amazonaws.com'
            : permission.FunctionName === AUTHORIZER_ARN[stage],
        );
      expect(permissions).toHaveLength(1);
      expect(permissions[0]).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
      });
      // The API is named by its own id: no other API may use this grant.
      if (service === 'tenants')
        expect(permissions[0]!.SourceArn).toEqual({
          'Fn::Sub':
            'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/authorizers/*',
        });
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
