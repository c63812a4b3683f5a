/**
 * Changes to the finished template (after osls merged `resources` and every role was built):
 *
 * - the framework's default role `IamRoleLambdaExecution`, which no function uses once each has its
 *   own (serverless-iam-roles-per-function), yet which would still be deployed with the rights of
 *   every function's event sources, is removed (and DependsOn entries naming it with it);
 * - a permission for an AWS service to invoke a function names the account it acts for
 *   (`SourceAccount`), besides the resource (`SourceArn`);
 * - the HTTP API's access log group is encrypted with the service key, as the functions' are;
 * - a route behind a Lambda (REQUEST) authorizer carries no `AuthorizationScopes`: API Gateway takes
 *   them on JWT authorizers alone and refuses to create such a route. A route's scopes stay written
 *   beside it in serverless.yml, where the API's documentation reads them, and its function checks
 *   them (the shared auth middleware).
 */
import { getAtt } from './cloudformation';
import type { Resources } from './cloudformation';

export const DEFAULT_ROLE_ID = 'IamRoleLambdaExecution';
export const HTTP_API_LOG_GROUP_ID = 'HttpApiLogGroup';

const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/** Whether `value` refers to the logical id through Ref, Fn::GetAtt or Fn::Sub. */
function refersTo(value: unknown, id: string): boolean {
  if (Array.isArray(value)) return value.some((item) => refersTo(item, id));
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (record.Ref === id) return true;
  const getAttTarget = record['Fn::GetAtt'];
  if (Array.isArray(getAttTarget) && getAttTarget[0] === id) return true;
  if (typeof getAttTarget === 'string' && getAttTarget.split('.')[0] === id) return true;
  const sub = record['Fn::Sub'];
  const template = typeof sub === 'string' ? sub : Array.isArray(sub) ? sub[0] : undefined;
  if (typeof template === 'string' && new RegExp(`\\$\\{${id}[.}]`).test(template)) return true;
  return Object.values(record).some((item) => refersTo(item, id));
}

/** Removes the default role when nothing uses it; one that a function uses stays (and fails the template check). */
export function removeDefaultRole(resources: Resources): void {
  if (!(DEFAULT_ROLE_ID in resources)) return;
  const others = Object.entries(resources).filter(([id]) => id !== DEFAULT_ROLE_ID);
  if (others.some(([, resource]) => refersTo(resource.Properties, DEFAULT_ROLE_ID))) return;
  for (const [, resource] of others) {
    const withDependsOn = resource as { DependsOn?: unknown };
    if (withDependsOn.DependsOn === undefined) continue;
    const kept = asList(withDependsOn.DependsOn).filter((dependency) => dependency !== DEFAULT_ROLE_ID);
    if (kept.length === 0) delete withDependsOn.DependsOn;
    else withDependsOn.DependsOn = kept;
  }
  delete resources[DEFAULT_ROLE_ID];
}

export function scopeServicePermissions(resources: Resources): void {
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::Lambda::Permission') continue;
    const { Principal, SourceAccount } = resource.Properties;
    if (
      typeof Principal === 'string' &&
      Principal.endsWith('.amazonaws.com') &&
      SourceAccount === undefined
    ) {
      resource.Properties.SourceAccount = { Ref: 'AWS::AccountId' };
    }
  }
}

export function encryptHttpApiLogGroup(resources: Resources, key: string): void {
  const logGroup = resources[HTTP_API_LOG_GROUP_ID];
  if (logGroup?.Type === 'AWS::Logs::LogGroup') logGroup.Properties.KmsKeyId = getAtt(key, 'Arn');
}

/** Drops `AuthorizationScopes` from the routes of Lambda (CUSTOM) authorizers, which AWS refuses. */
export function dropRequestAuthorizerScopes(resources: Resources): void {
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::ApiGatewayV2::Route') continue;
    if (resource.Properties.AuthorizationType === 'CUSTOM') delete resource.Properties.AuthorizationScopes;
  }
}
