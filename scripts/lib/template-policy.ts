/**
 * Rules every packaged CloudFormation template must keep, so that each function may do only what its
 * own job needs and no data rests unencrypted: one role per function (and the framework's shared
 * default role not deployed at all), no IAM wildcard unless AWS offers nothing narrower, the runtime
 * and architecture we build for (nodejs22.x, arm64), queues, topics, tables and log groups
 * encrypted with the service's own KMS key, that key rotated, point-in-time recovery on every table,
 * and every queue refusing requests made without TLS.
 */

export interface Template {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

interface Statement {
  Effect?: string;
  Action?: unknown;
  Resource?: unknown;
}

/** Actions that AWS does not scope to resources: their `Resource` can only be "*". */
export const actionsWithoutResourceScope = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']);

const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

function roleOf(fn: Record<string, unknown> | undefined): string | undefined {
  const role = fn?.Role as { 'Fn::GetAtt'?: [string, string] } | undefined;
  return role?.['Fn::GetAtt']?.[0];
}

function statementsOf(role: Record<string, unknown> | undefined): Statement[] {
  const policies = asList(role?.Policies) as Array<{ PolicyDocument?: { Statement?: unknown } }>;
  return policies.flatMap((policy) => asList(policy.PolicyDocument?.Statement) as Statement[]);
}

function resourceText(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const sub = (resource as { 'Fn::Sub'?: unknown } | null)?.['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  if (Array.isArray(sub) && typeof sub[0] === 'string') return sub[0];
  return '';
}

/**
 * "*", or an ARN that wildcards its region, account or whole resource part. A trailing wildcard
 * inside one named resource (a log group's streams, `.../log-group:/aws/lambda/fn:*`) is as narrow
 * as AWS allows and passes.
 */
function isWildcardResource(arn: string): boolean {
  return (
    arn === '*' ||
    /^arn:[^:]+:[^:]+:\*:/.test(arn) ||
    /^arn:[^:]+:[^:]+:[^:]*:\*:/.test(arn) ||
    /^arn:[^:]+:[^:]+:[^:]*:[^:]*:\*$/.test(arn)
  );
}

/**
 * The one wildcard account allowed: assuming AWS destination owners' roles (notifications'
 * deliverAws and createSubscription). The roles are in tenants' accounts, unknown when deploying,
 * so the account cannot be named; what keeps it narrow is the role path, a fixed prefix every
 * destination role must be under (`arn:aws:iam::*:role/<prefix>/*`, the prefix without wildcards),
 * and the ExternalId each role's trust policy requires. Any wider (`role/*`, a wildcard in the
 * prefix, another action) is refused as before.
 */
export function isDestinationRoleGrant(actions: readonly string[], resources: readonly string[]): boolean {
  return (
    actions.length === 1 &&
    actions[0] === 'sts:AssumeRole' &&
    resources.length > 0 &&
    resources.every((arn) =>
      /^arn:(\$\{AWS::Partition\}|aws[a-z-]*):iam::\*:role\/[A-Za-z0-9+=,.@_-]+(\/[A-Za-z0-9+=,.@_-]+)*\/\*$/.test(
        arn,
      ),
    )
  );
}

const DEFAULT_ROLE = 'IamRoleLambdaExecution';

/** A Deny of requests made without TLS (`aws:SecureTransport` false). */
function deniesNonTls(statement: Statement & { Condition?: unknown }): boolean {
  const condition = statement.Condition as { Bool?: Record<string, unknown> } | undefined;
  return statement.Effect === 'Deny' && String(condition?.Bool?.['aws:SecureTransport']) === 'false';
}

/** Logical ids of the queues whose policy refuses requests without TLS. */
function queuesRefusingNonTls(resources: NonNullable<Template['Resources']>): Set<string> {
  const covered = new Set<string>();
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::SQS::QueuePolicy') continue;
    const props = resource.Properties ?? {};
    const document = props.PolicyDocument as { Statement?: unknown } | undefined;
    if (!(asList(document?.Statement) as Statement[]).some(deniesNonTls)) continue;
    for (const queue of asList(props.Queues)) {
      const id = (queue as { Ref?: unknown } | null)?.Ref;
      if (typeof id === 'string') covered.add(id);
    }
  }
  return covered;
}

function checkStatement(roleName: string, statement: Statement): string[] {
  if (statement.Effect !== 'Allow') return [];
  const problems: string[] = [];
  const actions = asList(statement.Action).map(String);
  for (const action of actions) {
    if (action === '*' || action.endsWith(':*')) problems.push(`${roleName}: wildcard action "${action}"`);
  }
  const resources = asList(statement.Resource).map(resourceText);
  const wildcardResource = resources.some(isWildcardResource);
  const scopeless = actions.every((action) => actionsWithoutResourceScope.has(action));
  if (wildcardResource && !scopeless && !isDestinationRoleGrant(actions, resources)) {
    problems.push(`${roleName}: wildcard resource for ${actions.join(', ')}`);
  }
  if (asList(statement.Resource).some((r) => r === '')) {
    problems.push(`${roleName}: empty resource for ${actions.join(', ')} (a parameter is not set)`);
  }
  return problems;
}

export function checkTemplate(template: Template): string[] {
  const resources = template.Resources ?? {};
  const problems: string[] = [];
  const roleUsers = new Map<string, string[]>();
  const tlsOnly = queuesRefusingNonTls(resources);
  if (DEFAULT_ROLE in resources)
    problems.push(
      `${DEFAULT_ROLE}: the framework's shared default role is deployed; no function may need it`,
    );

  for (const [name, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::Lambda::Function': {
        const role = roleOf(props);
        if (!role) problems.push(`${name}: no role of its own in this template`);
        else roleUsers.set(role, [...(roleUsers.get(role) ?? []), name]);
        if (props.Runtime !== 'nodejs22.x')
          problems.push(`${name}: runtime ${String(props.Runtime)}, expected nodejs22.x`);
        if (!asList(props.Architectures).includes('arm64')) problems.push(`${name}: not arm64`);
        break;
      }
      case 'AWS::SQS::Queue':
        if (!props.KmsMasterKeyId) problems.push(`${name}: queue not encrypted with a KMS key`);
        if (!tlsOnly.has(name)) problems.push(`${name}: no queue policy refuses requests without TLS`);
        break;
      case 'AWS::SNS::Topic':
        if (!props.KmsMasterKeyId) problems.push(`${name}: topic not encrypted with a KMS key`);
        break;
      case 'AWS::DynamoDB::Table': {
        const sse = props.SSESpecification as { SSEEnabled?: boolean; KMSMasterKeyId?: unknown } | undefined;
        if (!sse?.SSEEnabled || !sse.KMSMasterKeyId)
          problems.push(`${name}: table not encrypted with a KMS key`);
        const pitr = props.PointInTimeRecoverySpecification as
          { PointInTimeRecoveryEnabled?: boolean } | undefined;
        if (!pitr?.PointInTimeRecoveryEnabled) problems.push(`${name}: point-in-time recovery off`);
        break;
      }
      case 'AWS::Logs::LogGroup':
        if (!props.KmsKeyId) problems.push(`${name}: log group not encrypted with a KMS key`);
        break;
      case 'AWS::KMS::Key':
        if (props.EnableKeyRotation !== true) problems.push(`${name}: key rotation off`);
        break;
      case 'AWS::IAM::Role':
        for (const statement of statementsOf(props)) problems.push(...checkStatement(name, statement));
        break;
    }
  }

  for (const [role, users] of roleUsers) {
    if (users.length > 1)
      problems.push(`${role}: shared by ${users.join(', ')}; each function needs its own role`);
    if (role === DEFAULT_ROLE) problems.push(`${users.join(', ')}: on the shared default role`);
  }
  return problems;
}
