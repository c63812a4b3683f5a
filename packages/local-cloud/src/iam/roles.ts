/**
 * What the local cloud enforces, read from the packaged templates: each function's execution role
 * (the role's inline policies and the policies attached to it), the resource policies the templates
 * declare (queue, bucket, topic, event bus, secret and table policies, KMS key policies), and the
 * facts about resources a call alone does not carry (facts.ts).
 *
 * Every value is resolved as provisioning resolved it: the same intrinsic resolver over the Ref values
 * and attributes provisioning gave each resource, so a role grants on exactly the ARNs the local cloud
 * created. What cannot be evaluated locally (a managed policy no template declares, a permissions
 * boundary, a role no template declares) fails loudly rather than being enforced half.
 */
import { createResolver, type ResolvedResource } from '../cfn/intrinsics';
import { creationOrder } from '../cfn/order';
import type { ProvisionResult } from '../cfn/provision';
import { resourceIdentity, type NamingContext } from '../cfn/resources';
import { isRecord, TemplateError, type Template } from '../cfn/template';
import {
  bucketArnOf,
  queueArnFromUrl,
  resourceFacts,
  tableArnOf,
  type AccountScope,
  type DeclaredResource,
} from './facts';
import type { CallerIdentity, NamedPolicy, PolicyDocument, ResourceFacts, Statement } from './types';

export type { AccountScope, DeclaredResource } from './facts';

/** One provisioned stack: its template, what provisioning gave each resource, and what it was given. */
export interface IamStack {
  /** `herald-<service>-<stage>` */
  stackName: string;
  template: Template;
  provisioned: Pick<ProvisionResult, 'resources'>;
  /** The Parameters values provisioning was given, if any. */
  parameters?: Record<string, string | string[]>;
  /** The exports provisioning was given (for Fn::ImportValue), if any. */
  exports?: Record<string, string>;
}

export interface FunctionRole {
  caller: CallerIdentity;
  /** The role's inline policies, then the policies attached to it, each named `<LogicalId>/<PolicyName>`. */
  policies: readonly NamedPolicy[];
  stackName: string;
  functionLogicalId: string;
  roleLogicalId: string;
}

export interface ResourcePolicy {
  policy: NamedPolicy;
  /** A KMS key policy: it must allow the call itself, or allow the account so IAM policies can. */
  isKeyPolicy: boolean;
}

export interface IamModel {
  /** By function deployed name (e.g. `herald-ingest-local-acceptEvents`). */
  functions: ReadonlyMap<string, FunctionRole>;
  /**
   * The resource policy that applies to a resource ARN: a queue's, a bucket's (also for its objects,
   * `arn:aws:s3:::bucket/key`), an event bus's, a topic's, a secret's (also named by name or partial
   * ARN), a table's (also for its indexes) or a stream's, a KMS key's (also named by alias ARN).
   */
  resourcePolicy(resourceArn: string): ResourcePolicy | undefined;
  facts: ResourceFacts;
}

/** A template declares something the local cloud cannot enforce, or cannot read. */
export class IamModelError extends Error {
  override readonly name = 'IamModelError';
}

export interface IamModelOptions extends AccountScope {
  /** `amazonaws.com` unless given. */
  urlSuffix?: string;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const list = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/** The resource types whose properties the model reads. */
const READ_TYPES = new Set([
  'AWS::Lambda::Function',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::Events::EventBus',
  'AWS::Events::EventBusPolicy',
  'AWS::KMS::Key',
  'AWS::KMS::Alias',
  'AWS::SecretsManager::Secret',
  'AWS::SecretsManager::ResourcePolicy',
  'AWS::DynamoDB::Table',
]);

const where = (resource: DeclaredResource, property?: string) =>
  `${resource.stackName}: Resources.${resource.logicalId}${property ? `.Properties.${property}` : ''}`;

/** A Json-typed property: the value, or the value of its JSON text. */
function json(value: unknown, path: string): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new IamModelError(`${path}: a string that is not JSON`);
  }
}

/**
 * A policy document as the template gives it: an object, or its JSON text (CloudFormation takes both
 * for its Json-typed properties). Each statement must say Allow or Deny; the rest is the evaluator's.
 */
function policyDocument(value: unknown, path: string): PolicyDocument {
  const document = json(value, path);
  if (!isRecord(document) || document.Statement === undefined)
    throw new IamModelError(`${path}: a policy document needs a Statement`);
  list(document.Statement).forEach((statement, index) => {
    if (!isRecord(statement) || (statement.Effect !== 'Allow' && statement.Effect !== 'Deny'))
      throw new IamModelError(`${path}.Statement[${index}]: a statement's Effect must be Allow or Deny`);
  });
  return document as unknown as PolicyDocument;
}

/**
 * The provisioned resources as AWS names them: DynamoDB Local names a table's stream in a region of
 * its own ("ddblocal"), where AWS names it in the table's region, as the calls are read (calls/dynamodb.ts).
 */
function inAwsRegion(
  resources: Record<string, ResolvedResource>,
  region: string,
): Record<string, ResolvedResource> {
  return Object.fromEntries(
    Object.entries(resources).map(([logicalId, resource]) => {
      const stream = resource.attributes.StreamArn;
      if (!stream?.includes(':dynamodb:ddblocal:')) return [logicalId, resource];
      const StreamArn = stream.replace(':dynamodb:ddblocal:', `:dynamodb:${region}:`);
      return [logicalId, { ...resource, attributes: { ...resource.attributes, StreamArn } }];
    }),
  );
}

/** Every resource the model reads, with its properties resolved as provisioning resolved them. */
function declaredResources(stack: IamStack, options: IamModelOptions): DeclaredResource[] {
  const { stackName, template } = stack;
  const provisioned = {
    ...stack.provisioned,
    resources: inAwsRegion(stack.provisioned.resources, options.region),
  };
  const resolver = createResolver(template, {
    accountId: options.accountId,
    region: options.region,
    partition: options.partition,
    urlSuffix: options.urlSuffix ?? 'amazonaws.com',
    stackName,
    resources: provisioned.resources,
    parameters: stack.parameters,
    exports: stack.exports,
  });
  const declared: DeclaredResource[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!READ_TYPES.has(resource.Type) || !resolver.isIncluded(logicalId)) continue;
    const made = provisioned.resources[logicalId];
    if (!made)
      throw new IamModelError(`${stackName}: Resources.${logicalId} (${resource.Type}) was not provisioned`);
    const path = `Resources.${logicalId}.Properties`;
    let properties: unknown;
    try {
      properties = resolver.resolve(resource.Properties ?? {}, path);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      throw new IamModelError(`${stackName}: ${error.message}`, { cause: error });
    }
    declared.push({
      stackName,
      logicalId,
      type: resource.Type,
      ref: made.ref,
      attributes: made.attributes,
      properties: isRecord(properties) ? properties : {},
    });
  }
  return declared;
}

interface RoleEntry {
  resource: DeclaredResource;
  arn: string;
  policies: NamedPolicy[];
}

/** Roles with their inline policies, then the policies attached to them, by role ARN. */
function roles(declared: readonly DeclaredResource[]): Map<string, RoleEntry> {
  const byArn = new Map<string, RoleEntry>();
  const byName = new Map<string, RoleEntry>();
  const managed = new Map<string, DeclaredResource>();
  for (const resource of declared) {
    if (resource.type === 'AWS::IAM::ManagedPolicy') managed.set(resource.ref, resource);
    if (resource.type !== 'AWS::IAM::Role') continue;
    const arn = resource.attributes.Arn;
    if (!arn) throw new IamModelError(`${where(resource)}: the role has no ARN`);
    // A permissions boundary caps what the policies grant ("Permissions boundaries for IAM entities"):
    // enforcing the policies without it would allow what AWS denies.
    if (resource.properties.PermissionsBoundary !== undefined)
      throw new IamModelError(
        `${where(resource, 'PermissionsBoundary')}: permissions boundaries are not evaluated by the local cloud`,
      );
    const policies = list(resource.properties.Policies).map((policy, index) => {
      const path = `${where(resource, 'Policies')}[${index}]`;
      const name = isRecord(policy) ? text(policy.PolicyName) : undefined;
      if (!isRecord(policy) || !name) throw new IamModelError(`${path}: an inline policy needs a PolicyName`);
      return { name: `${resource.logicalId}/${name}`, document: policyDocument(policy.PolicyDocument, path) };
    });
    const entry = { resource, arn, policies };
    byArn.set(arn, entry);
    byName.set(resource.ref, entry);
  }

  const managedPolicy = (policy: DeclaredResource): NamedPolicy => ({
    name: policy.logicalId,
    document: policyDocument(policy.properties.PolicyDocument, where(policy, 'PolicyDocument')),
  });
  for (const entry of byArn.values()) {
    list(entry.resource.properties.ManagedPolicyArns).forEach((arn, index) => {
      const policy = typeof arn === 'string' ? managed.get(arn) : undefined;
      if (!policy)
        throw new IamModelError(
          `${where(entry.resource, 'ManagedPolicyArns')}[${index}]: ${String(arn)} is a managed policy no template ` +
            'declares, so the local cloud cannot know what it grants; declare the permissions in the role instead',
        );
      entry.policies.push(managedPolicy(policy));
    });
  }
  // AWS::IAM::Policy and AWS::IAM::ManagedPolicy attach themselves to roles named in `Roles`.
  for (const resource of declared) {
    const isPolicy = resource.type === 'AWS::IAM::Policy';
    if (!isPolicy && resource.type !== 'AWS::IAM::ManagedPolicy') continue;
    for (const roleName of list(resource.properties.Roles)) {
      const entry = byName.get(String(roleName));
      if (!entry) continue;
      entry.policies.push(
        isPolicy
          ? {
              name: `${resource.logicalId}/${text(resource.properties.PolicyName) ?? resource.ref}`,
              document: policyDocument(resource.properties.PolicyDocument, where(resource, 'PolicyDocument')),
            }
          : managedPolicy(resource),
      );
    }
  }
  return byArn;
}

function functionRoles(
  declared: readonly DeclaredResource[],
  roleByArn: ReadonlyMap<string, RoleEntry>,
  accountId: string,
): Map<string, FunctionRole> {
  const functions = new Map<string, FunctionRole>();
  for (const resource of declared) {
    if (resource.type !== 'AWS::Lambda::Function') continue;
    const roleArn = text(resource.properties.Role);
    const role = roleArn ? roleByArn.get(roleArn) : undefined;
    if (!role)
      throw new IamModelError(
        `${where(resource, 'Role')}: ${roleArn ?? 'no role'} is not a role the templates declare, so the local ` +
          'cloud cannot know what it allows',
      );
    const functionName = resource.ref;
    const other = functions.get(functionName);
    if (other)
      throw new IamModelError(
        `${where(resource)}: function ${functionName} is also declared by ${other.stackName} (${other.functionLogicalId})`,
      );
    functions.set(functionName, {
      caller: { functionName, roleArn: role.arn, accountId },
      policies: role.policies,
      stackName: resource.stackName,
      functionLogicalId: resource.logicalId,
      roleLogicalId: role.resource.logicalId,
    });
  }
  return functions;
}

interface PolicyEntry extends ResourcePolicy {
  /** Event bus policies add up (each AWS::Events::EventBusPolicy is one statement of the bus's policy). */
  mergeable: boolean;
}

function resourcePolicies(
  declared: readonly DeclaredResource[],
  facts: ResourceFacts,
  options: IamModelOptions,
): Map<string, PolicyEntry> {
  const { partition, region, accountId } = options;
  const policies = new Map<string, PolicyEntry>();
  const queueArnByUrl = new Map<string, string>();
  for (const resource of declared)
    if (resource.type === 'AWS::SQS::Queue' && resource.attributes.Arn)
      queueArnByUrl.set(resource.ref, resource.attributes.Arn);

  const add = (arn: string, entry: PolicyEntry, source: DeclaredResource) => {
    const existing = policies.get(arn);
    if (!existing) {
      policies.set(arn, entry);
      return;
    }
    // A queue, bucket, topic, key or secret has one policy: a second one replaces the first in AWS,
    // in an order the template does not say, so the template is ambiguous.
    if (!existing.mergeable || !entry.mergeable)
      throw new IamModelError(
        `${where(source)}: ${arn} already has the policy ${existing.policy.name}; a resource has only one`,
      );
    policies.set(arn, {
      ...existing,
      policy: {
        name: `${existing.policy.name}+${entry.policy.name}`,
        document: {
          ...existing.policy.document,
          Statement: [
            ...list(existing.policy.document.Statement),
            ...list(entry.policy.document.Statement),
          ] as Statement[],
        },
      },
    });
  };
  const plain = (name: string, document: PolicyDocument, isKeyPolicy = false): PolicyEntry => ({
    policy: { name, document },
    isKeyPolicy,
    mergeable: false,
  });
  const busArn = (name: unknown) => {
    const given = text(name) ?? 'default';
    return given.startsWith('arn:')
      ? given
      : `arn:${partition}:events:${region}:${accountId}:event-bus/${given}`;
  };

  for (const resource of declared) {
    const { type, properties: p, logicalId } = resource;
    switch (type) {
      // "AWS::SQS::QueuePolicy": Queues are the queues' URLs.
      case 'AWS::SQS::QueuePolicy': {
        const document = policyDocument(p.PolicyDocument, where(resource, 'PolicyDocument'));
        for (const url of list(p.Queues)) {
          const arn = queueArnByUrl.get(String(url)) ?? queueArnFromUrl(String(url), partition);
          if (!arn)
            throw new IamModelError(`${where(resource, 'Queues')}: ${String(url)} is not a queue URL`);
          add(arn, plain(logicalId, document), resource);
        }
        break;
      }
      // "AWS::S3::BucketPolicy": Bucket is the bucket's name; the policy covers its objects too.
      case 'AWS::S3::BucketPolicy': {
        const bucket = text(p.Bucket);
        if (!bucket) throw new IamModelError(`${where(resource, 'Bucket')}: the bucket's name is missing`);
        const arn = bucket.startsWith('arn:') ? bucket : `arn:${partition}:s3:::${bucket}`;
        add(
          arn,
          plain(logicalId, policyDocument(p.PolicyDocument, where(resource, 'PolicyDocument'))),
          resource,
        );
        break;
      }
      // "AWS::SNS::TopicPolicy": Topics are the topics' ARNs.
      case 'AWS::SNS::TopicPolicy': {
        const document = policyDocument(p.PolicyDocument, where(resource, 'PolicyDocument'));
        for (const arn of list(p.Topics)) add(String(arn), plain(logicalId, document), resource);
        break;
      }
      case 'AWS::Events::EventBus':
        if (p.Policy !== undefined)
          add(
            resource.attributes.Arn ?? busArn(resource.ref),
            {
              ...plain(`${logicalId}/Policy`, policyDocument(p.Policy, where(resource, 'Policy'))),
              mergeable: true,
            },
            resource,
          );
        break;
      case 'AWS::Events::EventBusPolicy': {
        const arn = busArn(p.EventBusName);
        const statement = eventBusStatement(resource, arn, partition);
        add(
          arn,
          { ...plain(logicalId, { Version: '2012-10-17', Statement: [statement] }), mergeable: true },
          resource,
        );
        break;
      }
      // A key without KeyPolicy has AWS's default key policy, which the evaluator assumes.
      case 'AWS::KMS::Key':
        if (p.KeyPolicy !== undefined && resource.attributes.Arn)
          add(
            resource.attributes.Arn,
            plain(`${logicalId}/KeyPolicy`, policyDocument(p.KeyPolicy, where(resource, 'KeyPolicy')), true),
            resource,
          );
        break;
      case 'AWS::SecretsManager::ResourcePolicy': {
        const id = text(p.SecretId) ?? '';
        const arn = facts.secretArn(id) ?? id;
        add(
          arn,
          plain(logicalId, policyDocument(p.ResourcePolicy, where(resource, 'ResourcePolicy'))),
          resource,
        );
        break;
      }
      // "AWS::DynamoDB::Table ResourcePolicy": the table's policy also covers its indexes; the
      // stream has its own ("Using resource-based policies for DynamoDB").
      case 'AWS::DynamoDB::Table': {
        const tablePolicy = isRecord(p.ResourcePolicy) ? p.ResourcePolicy.PolicyDocument : undefined;
        if (tablePolicy !== undefined && resource.attributes.Arn)
          add(
            resource.attributes.Arn,
            plain(
              `${logicalId}/ResourcePolicy`,
              policyDocument(tablePolicy, where(resource, 'ResourcePolicy')),
            ),
            resource,
          );
        const stream = isRecord(p.StreamSpecification) ? p.StreamSpecification : {};
        const streamPolicy = isRecord(stream.ResourcePolicy)
          ? stream.ResourcePolicy.PolicyDocument
          : undefined;
        if (streamPolicy !== undefined && resource.attributes.StreamArn)
          add(
            resource.attributes.StreamArn,
            plain(
              `${logicalId}/StreamSpecification.ResourcePolicy`,
              policyDocument(streamPolicy, where(resource, 'StreamSpecification.ResourcePolicy')),
            ),
            resource,
          );
        break;
      }
      default:
        break;
    }
  }
  return policies;
}

/**
 * The statement an AWS::Events::EventBusPolicy adds to its bus's policy: its `Statement` as given, or
 * the older form (`Principal` an account id or `*`, `Action`, a `Condition` of Type/Key/Value), with
 * the StatementId as its Sid ("AWS::Events::EventBusPolicy" in the CloudFormation reference).
 */
function eventBusStatement(resource: DeclaredResource, busArn: string, partition: string): Statement {
  const p = resource.properties;
  const sid = text(p.StatementId);
  if (p.Statement !== undefined) {
    const path = where(resource, 'Statement');
    const statement = policyDocument({ Statement: json(p.Statement, path) }, path).Statement;
    if (Array.isArray(statement)) throw new IamModelError(`${path}: an event bus policy is one statement`);
    return { ...(statement as Statement), ...(sid ? { Sid: sid } : {}) };
  }
  const principal = text(p.Principal) ?? '*';
  const condition = isRecord(p.Condition) ? p.Condition : undefined;
  return {
    ...(sid ? { Sid: sid } : {}),
    Effect: 'Allow',
    Principal: principal === '*' ? '*' : { AWS: `arn:${partition}:iam::${principal}:root` },
    Action: text(p.Action) ?? 'events:PutEvents',
    Resource: busArn,
    ...(condition && text(condition.Type) && text(condition.Key)
      ? { Condition: { [String(condition.Type)]: { [String(condition.Key)]: String(condition.Value) } } }
      : {}),
  };
}

export function iamModel(stacks: readonly IamStack[], options: IamModelOptions): IamModel {
  const declared = stacks.flatMap((stack) => declaredResources(stack, options));
  const facts = resourceFacts(declared, options);
  const functions = functionRoles(declared, roles(declared), options.accountId);
  const policies = resourcePolicies(declared, facts, options);

  function resourcePolicy(resourceArn: string): ResourcePolicy | undefined {
    let arn = resourceArn;
    if (/^arn:[^:]+:s3:::/.test(arn)) arn = bucketArnOf(arn) ?? arn;
    else if (/^arn:[^:]+:dynamodb:/.test(arn) && !arn.includes('/stream/')) arn = tableArnOf(arn) ?? arn;
    else if (/^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(arn)) arn = facts.keyArn(arn) ?? arn;
    else if (!arn.startsWith('arn:') || arn.includes(':secretsmanager:')) arn = facts.secretArn(arn) ?? arn;
    const found = policies.get(arn);
    return found && { policy: found.policy, isKeyPolicy: found.isKeyPolicy };
  }

  return { functions, resourcePolicy, facts };
}

/** What provisioning would give a stack, without creating anything: names, ARNs and outputs. */
export interface PlannedStack extends IamStack {
  outputs: Record<string, string>;
  /** What the stack exports, for the stacks planned after it. */
  exported: Record<string, string>;
}

/**
 * The Ref values, attributes and outputs provisioning gives a stack, worked out the way it works them
 * out (the same resolver and the same names and ids) but without an emulator: for what reads the
 * model with no local cloud running (the unused-grants report, tests). One difference: a table's
 * StreamArn is DynamoDB Local's own once provisioned; here it has AWS's shape with a fixed label.
 */
export function planStack(
  template: Template,
  stackName: string,
  options: IamModelOptions & Pick<IamStack, 'parameters' | 'exports'>,
): PlannedStack {
  const naming: NamingContext = {
    stackName,
    accountId: options.accountId,
    region: options.region,
    partition: options.partition,
    urlSuffix: options.urlSuffix ?? 'amazonaws.com',
  };
  const resources: Record<string, ResolvedResource & { type: string }> = {};
  const resolver = createResolver(template, {
    ...naming,
    resources,
    parameters: options.parameters,
    exports: options.exports,
  });
  for (const logicalId of creationOrder(template)) {
    const { Type: type, Properties } = template.Resources[logicalId]!;
    if (!resolver.isIncluded(logicalId)) continue;
    const properties = (resolver.resolve(Properties ?? {}, `Resources.${logicalId}.Properties`) ??
      {}) as Record<string, unknown>;
    let identity = resourceIdentity(type, logicalId, properties, naming);
    if (type === 'AWS::DynamoDB::Table' && isRecord(properties.StreamSpecification))
      identity = resourceIdentity(type, logicalId, properties, naming, {
        StreamArn: `${identity.attributes.Arn}/stream/1970-01-01T00:00:00.000`,
      });
    resources[logicalId] = { type, ...identity };
  }
  const outputs: Record<string, string> = {};
  const exported: Record<string, string> = {};
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition !== undefined && !resolver.condition(output.Condition, `Outputs.${name}.Condition`))
      continue;
    outputs[name] = String(resolver.resolve(output.Value, `Outputs.${name}.Value`));
    if (output.Export !== undefined)
      exported[String(resolver.resolve(output.Export.Name, `Outputs.${name}.Export.Name`))] = outputs[name];
  }
  return {
    stackName,
    template,
    provisioned: { resources },
    parameters: options.parameters,
    exports: options.exports,
    outputs,
    exported,
  };
}
