/**
 * The physical names, `Ref` values and `Fn::GetAtt` attributes the local cloud gives each resource
 * type, in the forms AWS gives them (per each type's "Return values" in the CloudFormation resource
 * reference): a queue's Ref is its URL, a secret's Ref its ARN, a rule's Ref `<bus>|<name>` on a
 * custom bus, and so on. A resource whose template gives no name gets one as CloudFormation makes
 * them, `<stack>-<LogicalId>-<SUFFIX>` (shortened to the type's limit), with a suffix that is stable
 * per stack and logical id (see ids.ts).
 */
import { LOWER_ALNUM, MIXED_ALNUM, stableToken, stableUuid, UPPER_ALNUM } from './ids';
import type { ResolvedResource } from './intrinsics';
import { TemplateError } from './template';

export interface NamingContext {
  stackName: string;
  accountId: string;
  region: string;
  partition: string;
  urlSuffix: string;
}

interface NameRule {
  /** The property that names the resource, when the template sets it. */
  property?: string;
  /** The template must name it (CloudFormation makes no name up). */
  required?: boolean;
  maxLength: number;
  lowercase?: boolean;
  alphabet?: string;
  /** `secret`: Secrets Manager names are `<LogicalId>-<suffix>`, without the stack name. */
  style?: 'stack' | 'secret';
}

interface Env {
  ctx: NamingContext;
  logicalId: string;
  properties: Record<string, unknown>;
  name: string;
  /** `arn:<partition>:<service>:<region>:<account>:<resource>`; `global` leaves region out, `bare` both. */
  arn(service: string, resource: string, scope?: 'global' | 'bare'): string;
  token(purpose: string, length: number, alphabet: string): string;
  uuid(purpose: string): string;
  extra: Record<string, string>;
}

interface TypeInfo {
  name?: NameRule;
  identity(env: Env): ResolvedResource;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The bus a rule is on: EventBusName may be a name or an ARN; no name means the default bus. */
export function eventBusName(value: unknown): string {
  const given = text(value);
  if (!given) return 'default';
  return given.startsWith('arn:') ? given.slice(given.indexOf(':event-bus/') + ':event-bus/'.length) : given;
}

/** S3 website endpoints use `s3-website-<region>` in the older regions and `s3-website.<region>` in the rest. */
const DASH_WEBSITE_REGIONS = new Set([
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'eu-west-1',
  'sa-east-1',
]);

/** A Lambda `FunctionName` (a name or an unqualified ARN, as a version or alias takes it) as the function's ARN. */
function lambdaFunctionArn(value: unknown, arn: Env['arn']): string {
  const given = text(value) ?? '';
  return given.startsWith('arn:') ? given : arn('lambda', `function:${given}`);
}

const plain = (ref: string, attributes: Record<string, string> = {}): ResolvedResource => ({
  ref,
  attributes,
});

const TYPES: Record<string, TypeInfo> = {
  'AWS::SQS::Queue': {
    name: { property: 'QueueName', maxLength: 80 },
    identity: ({ ctx, name, arn }) => {
      const url = `https://sqs.${ctx.region}.${ctx.urlSuffix}/${ctx.accountId}/${name}`;
      return plain(url, { Arn: arn('sqs', name), QueueName: name, QueueUrl: url });
    },
  },
  'AWS::SQS::QueuePolicy': {
    name: { maxLength: 255 },
    identity: ({ name }) => plain(name, { Id: name }),
  },
  'AWS::DynamoDB::Table': {
    name: { property: 'TableName', maxLength: 255 },
    identity: ({ name, arn, extra }) =>
      // StreamArn is DynamoDB Local's own LatestStreamArn, which its Streams API answers to.
      plain(name, {
        Arn: arn('dynamodb', `table/${name}`),
        ...(extra.StreamArn ? { StreamArn: extra.StreamArn } : {}),
      }),
  },
  'AWS::S3::Bucket': {
    name: { property: 'BucketName', maxLength: 63, lowercase: true },
    identity: ({ ctx, name, arn }) => {
      const website = DASH_WEBSITE_REGIONS.has(ctx.region)
        ? `s3-website-${ctx.region}`
        : `s3-website.${ctx.region}`;
      return plain(name, {
        Arn: arn('s3', name, 'bare'),
        DomainName: `${name}.s3.${ctx.urlSuffix}`,
        RegionalDomainName: `${name}.s3.${ctx.region}.${ctx.urlSuffix}`,
        DualStackDomainName: `${name}.s3.dualstack.${ctx.region}.${ctx.urlSuffix}`,
        WebsiteURL: `http://${name}.${website}.${ctx.urlSuffix}`,
      });
    },
  },
  'AWS::S3::BucketPolicy': { name: { maxLength: 255 }, identity: ({ name }) => plain(name) },
  'AWS::Events::EventBus': {
    name: { property: 'Name', required: true, maxLength: 256 },
    identity: ({ name, arn }) => plain(name, { Arn: arn('events', `event-bus/${name}`), Name: name }),
  },
  'AWS::Events::Rule': {
    name: { property: 'Name', maxLength: 64 },
    identity: ({ name, properties, arn }) => {
      const bus = eventBusName(properties.EventBusName);
      // Verified against AWS by others: Ref is the name on the default bus and `<bus>|<name>` on any other.
      return bus === 'default'
        ? plain(name, { Arn: arn('events', `rule/${name}`) })
        : plain(`${bus}|${name}`, { Arn: arn('events', `rule/${bus}/${name}`) });
    },
  },
  'AWS::SecretsManager::Secret': {
    name: { property: 'Name', maxLength: 512, alphabet: MIXED_ALNUM, style: 'secret' },
    identity: ({ name, arn, token }) => {
      // Secrets Manager ends every secret ARN with a hyphen and six random characters.
      const secretArn = arn('secretsmanager', `secret:${name}-${token('arn', 6, MIXED_ALNUM)}`);
      return plain(secretArn, { Id: secretArn });
    },
  },
  'AWS::SSM::Parameter': {
    // Ref is the parameter's name; Fn::GetAtt gives its Type and Value.
    name: { property: 'Name', maxLength: 1011, alphabet: MIXED_ALNUM },
    identity: ({ name, properties }) =>
      plain(name, { Type: text(properties.Type) ?? '', Value: String(properties.Value ?? '') }),
  },
  'AWS::KMS::Key': {
    identity: ({ arn, uuid }) => {
      const keyId = uuid('key');
      return plain(keyId, { Arn: arn('kms', `key/${keyId}`), KeyId: keyId });
    },
  },
  'AWS::KMS::Alias': {
    name: { property: 'AliasName', required: true, maxLength: 256 },
    identity: ({ name }) => plain(name),
  },
  'AWS::Lambda::Function': {
    name: { property: 'FunctionName', maxLength: 64, alphabet: MIXED_ALNUM },
    identity: ({ name, arn }) => plain(name, { Arn: arn('lambda', `function:${name}`) }),
  },
  // Versions and aliases are not emulated (one version of each function runs), but templates name
  // them: an alias's FunctionVersion reads its version's `Version`, and an invoker may name the alias.
  // As AWS gives them: a version's Ref is the function's ARN qualified by its number, an alias's by its
  // name. Every version is 1 here.
  'AWS::Lambda::Version': {
    identity: ({ properties, arn }) => {
      const functionArn = lambdaFunctionArn(properties.FunctionName, arn);
      return plain(`${functionArn}:1`, { Version: '1', FunctionArn: functionArn });
    },
  },
  'AWS::Lambda::Alias': {
    name: { property: 'Name', required: true, maxLength: 128 },
    identity: ({ properties, name, arn }) => {
      const aliasArn = `${lambdaFunctionArn(properties.FunctionName, arn)}:${name}`;
      return plain(aliasArn, { AliasArn: aliasArn });
    },
  },
  'AWS::Lambda::EventSourceMapping': {
    identity: ({ arn, uuid }) => {
      const id = uuid('mapping');
      return plain(id, { Id: id, EventSourceMappingArn: arn('lambda', `event-source-mapping:${id}`) });
    },
  },
  'AWS::Lambda::Permission': { name: { maxLength: 255 }, identity: ({ name }) => plain(name) },
  'AWS::IAM::Role': {
    name: { property: 'RoleName', maxLength: 64 },
    identity: ({ name, properties, arn, token }) =>
      plain(name, {
        Arn: arn('iam', `role${text(properties.Path) ?? '/'}${name}`, 'global'),
        RoleId: `AROA${token('role-id', 17, UPPER_ALNUM)}`,
      }),
  },
  'AWS::IAM::Policy': {
    name: { property: 'PolicyName', maxLength: 128 },
    identity: ({ name }) => plain(name, { Id: name }),
  },
  'AWS::IAM::ManagedPolicy': {
    name: { property: 'ManagedPolicyName', maxLength: 128 },
    identity: ({ name, properties, arn, token }) => {
      const policyArn = arn('iam', `policy${text(properties.Path) ?? '/'}${name}`, 'global');
      return plain(policyArn, {
        PolicyArn: policyArn,
        PolicyId: `ANPA${token('policy-id', 17, UPPER_ALNUM)}`,
      });
    },
  },
  'AWS::Logs::LogGroup': {
    name: { property: 'LogGroupName', maxLength: 512 },
    identity: ({ name, arn }) => plain(name, { Arn: arn('logs', `log-group:${name}:*`) }),
  },
  'AWS::CloudWatch::Alarm': {
    name: { property: 'AlarmName', maxLength: 255 },
    identity: ({ name, arn }) => plain(name, { Arn: arn('cloudwatch', `alarm:${name}`) }),
  },
  'AWS::SNS::Topic': {
    name: { property: 'TopicName', maxLength: 256 },
    identity: ({ name, arn }) => {
      const topicArn = arn('sns', name);
      return plain(topicArn, { TopicArn: topicArn, TopicName: name });
    },
  },
  'AWS::SNS::Subscription': {
    // Its Ref is the subscription's ARN (the topic's, then a UUID): the emulator's, once it exists.
    identity: ({ properties, uuid, name, extra }) => {
      const topicArn = text(properties.TopicArn);
      return plain(extra.SubscriptionArn ?? (topicArn ? `${topicArn}:${uuid('subscription')}` : name));
    },
  },
  'AWS::ApiGatewayV2::Api': {
    identity: ({ ctx, token }) => {
      const id = token('api', 10, LOWER_ALNUM);
      return plain(id, {
        ApiId: id,
        ApiEndpoint: `https://${id}.execute-api.${ctx.region}.${ctx.urlSuffix}`,
      });
    },
  },
  'AWS::ApiGatewayV2::Stage': {
    name: { property: 'StageName', required: true, maxLength: 128 },
    identity: ({ name }) => plain(name),
  },
  'AWS::ApiGatewayV2::Authorizer': {
    identity: ({ token }) => {
      const id = token('authorizer', 7, LOWER_ALNUM);
      return plain(id, { AuthorizerId: id });
    },
  },
  'AWS::ApiGatewayV2::Integration': {
    identity: ({ token }) => {
      const id = token('integration', 7, LOWER_ALNUM);
      return plain(id, { IntegrationId: id });
    },
  },
  'AWS::ApiGatewayV2::Route': {
    identity: ({ token }) => {
      const id = token('route', 7, LOWER_ALNUM);
      return plain(id, { RouteId: id });
    },
  },
};

/** Types whose Ref and attributes the local cloud knows; any other type gets a generated Ref and no attributes. */
export const KNOWN_RESOURCE_TYPES: ReadonlySet<string> = new Set(Object.keys(TYPES));

/** A name as CloudFormation generates one: `<stack>-<LogicalId>-<SUFFIX>`, both parts shortened to fit. */
export function generatedName(
  ctx: NamingContext,
  logicalId: string,
  rule: Pick<NameRule, 'maxLength' | 'lowercase' | 'alphabet' | 'style'>,
  ending = '',
): string {
  const alphabet = rule.lowercase ? LOWER_ALNUM : (rule.alphabet ?? UPPER_ALNUM);
  const suffix = stableToken(`${ctx.stackName}/${logicalId}/name`, 12, alphabet);
  if (rule.style === 'secret') return `${logicalId.slice(0, rule.maxLength - 13)}-${suffix}`;
  const room = rule.maxLength - suffix.length - 2 - ending.length;
  let stack = ctx.stackName;
  let logical = logicalId;
  if (stack.length + logical.length > room) {
    stack = stack.slice(0, Math.max(room - logical.length, Math.floor(room / 2)));
    logical = logical.slice(0, room - stack.length);
  }
  const name = `${stack}-${logical}-${suffix}${ending}`;
  return rule.lowercase ? name.toLowerCase() : name;
}

/** The resource's physical name: the one its template gives, or one made up as CloudFormation would. */
export function physicalName(
  type: string,
  logicalId: string,
  properties: Record<string, unknown>,
  ctx: NamingContext,
): string {
  const rule = TYPES[type]?.name ?? { maxLength: 255 };
  const given = rule.property ? properties[rule.property] : undefined;
  if (typeof given === 'string' && given !== '') return given;
  if (given !== undefined)
    throw new TemplateError(`Resources.${logicalId}.Properties.${rule.property}`, 'a name must be a string');
  if (rule.required)
    throw new TemplateError(`Resources.${logicalId}.Properties`, `${type} needs ${rule.property}`);
  // A FIFO queue's name must end in .fifo; CloudFormation adds it to the names it makes.
  const fifo = type === 'AWS::SQS::Queue' && String(properties.FifoQueue) === 'true';
  return generatedName(ctx, logicalId, rule, fifo ? '.fifo' : '');
}

/**
 * What `Ref` and `Fn::GetAtt` give for a resource. `extra` carries attributes only known once the
 * resource exists (a table's StreamArn).
 */
export function resourceIdentity(
  type: string,
  logicalId: string,
  properties: Record<string, unknown>,
  ctx: NamingContext,
  extra: Record<string, string> = {},
): ResolvedResource {
  const seed = `${ctx.stackName}/${logicalId}`;
  const env: Env = {
    ctx,
    logicalId,
    properties,
    name: physicalName(type, logicalId, properties, ctx),
    extra,
    arn: (service, resource, scope) =>
      `arn:${ctx.partition}:${service}:${scope ? '' : ctx.region}:${scope === 'bare' ? '' : ctx.accountId}:${resource}`,
    token: (purpose, length, alphabet) => stableToken(`${seed}/${purpose}`, length, alphabet),
    uuid: (purpose) => stableUuid(`${seed}/${purpose}`),
  };
  const info = TYPES[type];
  return info ? info.identity(env) : plain(env.name);
}
