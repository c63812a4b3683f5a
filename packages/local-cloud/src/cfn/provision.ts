/**
 * Provisions one packaged CloudFormation template into the local cloud, in dependency order as
 * CloudFormation would: queues, tables, buckets, SNS topics and their SQS subscriptions are created
 * for real in the emulators; event
 * buses, rules, secrets, SSM parameters, functions and event source mappings become data for the parts of the local
 * cloud that run them; everything else is reported as not emulated, with the reason. Every Ref and
 * Fn::GetAtt resolves to the names and ARNs AWS would give.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { ACCOUNT_ID, REGION } from '../aws';
import type { BusRule, EventSource } from '../types';
import { createTable, TABLE_PROPERTIES } from './dynamodb';
import { busRule, EVENT_BUS_PROPERTIES } from './events';
import { createResolver, type ResolvedResource, type Resolver } from './intrinsics';
import {
  eventSourceMapping,
  FUNCTION_PROPERTIES,
  functionDefinition,
  type FunctionDefinition,
} from './lambda';
import { notEmulatedReason } from './not-emulated';
import { creationOrder } from './order';
import { checkProperties, emptyReport, errorMessage, type Ignore, type ProvisionReport } from './report';
import { physicalName, resourceIdentity, type NamingContext } from './resources';
import { BUCKET_PROPERTIES, createBucket } from './s3';
import { secretDefinition, type SecretDefinition } from './secrets';
import { parameterDefinition, type ParameterDefinition } from './ssm';
import { createSubscription, createTopic, SUBSCRIPTION_PROPERTIES, TOPIC_PROPERTIES } from './sns';
import { createQueue, QUEUE_PROPERTIES } from './sqs';
import { assertTemplate, isRecord, TemplateError, type Template } from './template';

export interface ProvisionOptions {
  /** The stack's name, as `serverless` names it: `<service>-<stage>`, e.g. `herald-processing-local`. */
  stackName: string;
  /** `sns` (fauxqs's SNS, beside its SQS): without it, topics and subscriptions are not emulated. */
  clients: { sqs: SQSClient; dynamodb: DynamoDBClient; s3: S3Client; sns?: SNSClient };
  /** Exports of stacks provisioned before this one, for Fn::ImportValue. */
  exports?: Record<string, string>;
  /** Values for the template's Parameters; the rest take their Default. */
  parameters?: Record<string, string | string[]>;
  accountId?: string;
  region?: string;
  log: ProvisionLog;
}

export interface ProvisionLog {
  info(line: string): void;
  /** Something the caller should look at: an output that could not be resolved. */
  warn(line: string): void;
}

export interface ProvisionResult {
  /** Output name → value, every intrinsic resolved. */
  outputs: Record<string, string>;
  /** Export name → value, for the stacks provisioned after this one. */
  exports: Record<string, string>;
  eventSources: EventSource[];
  busRules: BusRule[];
  eventBuses: Array<{ name: string; arn: string }>;
  secrets: SecretDefinition[];
  /** SSM parameters (what the service publishes for the others' deploys), for the local Parameter Store. */
  parameters: ParameterDefinition[];
  functions: FunctionDefinition[];
  /** Every provisioned resource (emulated or not) with its type, Ref value and attributes. */
  resources: Record<string, ResolvedResource & { type: string }>;
  report: ProvisionReport;
}

interface Step {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
  path: string;
  identity: ResolvedResource;
  naming: NamingContext;
  ignore: Ignore;
}

const NO_SNS = 'no SNS client was given to provisioning, so no topic or subscription was made';

/** What a resource became: attributes known only after creation, or why it is not emulated. */
type Outcome = { extra?: Record<string, string>; notEmulated?: string };

async function provisionResource(
  step: Step,
  options: ProvisionOptions,
  result: ProvisionResult,
): Promise<Outcome> {
  const { logicalId, type, properties, path, identity, naming, ignore } = step;
  const { sqs, dynamodb, s3 } = options.clients;
  const name = () => physicalName(type, logicalId, properties, naming);
  switch (type) {
    case 'AWS::SQS::Queue':
      checkProperties(properties, QUEUE_PROPERTIES, ignore);
      await createQueue(
        sqs,
        { name: identity.attributes.QueueName!, url: identity.ref, properties, path },
        ignore,
      );
      return {};
    case 'AWS::DynamoDB::Table':
      checkProperties(properties, TABLE_PROPERTIES, ignore);
      return { extra: await createTable(dynamodb, { name: identity.ref, properties, path }, ignore) };
    case 'AWS::S3::Bucket': {
      checkProperties(properties, BUCKET_PROPERTIES, ignore);
      const bucket = { name: identity.ref, region: naming.region, properties, path };
      result.eventSources.push(...(await createBucket(s3, bucket, ignore)));
      return {};
    }
    case 'AWS::Events::EventBus':
      checkProperties(properties, EVENT_BUS_PROPERTIES, ignore);
      result.eventBuses.push({ name: identity.ref, arn: identity.attributes.Arn! });
      return {};
    case 'AWS::Events::Rule': {
      const rule = busRule({ name: name(), arn: identity.attributes.Arn!, properties, path }, ignore);
      if ('notEmulated' in rule) return { notEmulated: rule.notEmulated };
      result.busRules.push(rule);
      return {};
    }
    case 'AWS::SecretsManager::Secret':
      result.secrets.push(secretDefinition({ name: name(), arn: identity.ref, properties, path }, ignore));
      return {};
    case 'AWS::SSM::Parameter':
      result.parameters.push(parameterDefinition({ name: name(), properties, path }, ignore));
      return {};
    case 'AWS::Lambda::Function':
      checkProperties(properties, FUNCTION_PROPERTIES, ignore);
      result.functions.push(
        functionDefinition(logicalId, identity.ref, identity.attributes.Arn!, properties, path),
      );
      return {};
    case 'AWS::SNS::Topic':
      if (!options.clients.sns) return { notEmulated: NO_SNS };
      checkProperties(properties, TOPIC_PROPERTIES, ignore);
      await createTopic(
        options.clients.sns,
        { name: identity.attributes.TopicName!, arn: identity.ref, properties, path },
        ignore,
      );
      return {};
    case 'AWS::SNS::Subscription': {
      if (!options.clients.sns) return { notEmulated: NO_SNS };
      checkProperties(properties, SUBSCRIPTION_PROPERTIES, ignore);
      const made = await createSubscription(options.clients.sns, { properties, path }, ignore);
      if (made.notEmulated !== undefined) return { notEmulated: made.notEmulated };
      return made.subscriptionArn ? { extra: { SubscriptionArn: made.subscriptionArn } } : {};
    }
    case 'AWS::Lambda::EventSourceMapping': {
      const mapping = eventSourceMapping(properties, path, ignore);
      if ('notEmulated' in mapping) return { notEmulated: mapping.notEmulated };
      result.eventSources.push(mapping);
      return {};
    }
    default:
      return { notEmulated: notEmulatedReason(type) };
  }
}

function resolveOutputs(
  template: Template,
  resolver: Resolver,
  result: ProvisionResult,
  stack: string,
  log: ProvisionLog,
) {
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    const path = `Outputs.${name}`;
    try {
      if (!isRecord(output) || !('Value' in output)) throw new TemplateError(path, 'an output needs a Value');
      if (output.Condition !== undefined && !resolver.condition(output.Condition, `${path}.Condition`)) {
        result.report.skipped.push({ logicalId: path, reason: `condition ${output.Condition} is false` });
        continue;
      }
      const value = resolver.resolve(output.Value, `${path}.Value`);
      if (!['string', 'number', 'boolean'].includes(typeof value))
        throw new TemplateError(`${path}.Value`, 'an output value must resolve to a string');
      result.outputs[name] = String(value);
      if (output.Export !== undefined) {
        const exportName = resolver.resolve(output.Export.Name, `${path}.Export.Name`);
        if (typeof exportName !== 'string')
          throw new TemplateError(`${path}.Export.Name`, 'an export name must be a string');
        result.exports[exportName] = result.outputs[name];
      }
    } catch (error) {
      // One bad output must not take down a stack that is otherwise usable; it is reported instead.
      if (!(error instanceof TemplateError)) throw error;
      delete result.outputs[name];
      result.report.outputErrors.push({ output: name, error: error.message });
      log.warn(`output ${name} of ${stack} not resolved: ${error.message}`);
    }
  }
}

export async function provisionTemplate(
  template: Template,
  options: ProvisionOptions,
): Promise<ProvisionResult> {
  assertTemplate(template, options.stackName);
  const { stackName, log } = options;
  const naming: NamingContext = {
    stackName,
    accountId: options.accountId ?? ACCOUNT_ID,
    region: options.region ?? REGION,
    partition: 'aws',
    urlSuffix: 'amazonaws.com',
  };
  const result: ProvisionResult = {
    outputs: {},
    exports: {},
    eventSources: [],
    busRules: [],
    eventBuses: [],
    secrets: [],
    parameters: [],
    functions: [],
    resources: {},
    report: emptyReport(),
  };
  const { report } = result;
  const resources: Record<string, ResolvedResource> = {};
  const resolver = createResolver(template, {
    ...naming,
    resources,
    parameters: options.parameters,
    exports: options.exports,
  });

  for (const logicalId of creationOrder(template)) {
    const { Type: type, Properties, Condition } = template.Resources[logicalId]!;
    if (!resolver.isIncluded(logicalId)) {
      report.skipped.push({ logicalId, reason: `condition ${Condition} is false` });
      continue;
    }
    const path = `Resources.${logicalId}.Properties`;
    const properties = (resolver.resolve(Properties ?? {}, path) ?? {}) as Record<string, unknown>;
    const ignore: Ignore = (property, reason) =>
      report.ignoredProperties.push({ logicalId, property, reason });
    const identity = resourceIdentity(type, logicalId, properties, naming);
    let outcome: Outcome;
    try {
      outcome = await provisionResource(
        { logicalId, type, properties, path, identity, naming, ignore },
        options,
        result,
      );
    } catch (error) {
      if (error instanceof TemplateError) throw error;
      throw new Error(`Resources.${logicalId} (${type}): ${errorMessage(error)}`, { cause: error });
    }
    const final = outcome.extra
      ? resourceIdentity(type, logicalId, properties, naming, outcome.extra)
      : identity;
    resources[logicalId] = final;
    result.resources[logicalId] = { type, ...final };
    if (outcome.notEmulated !== undefined)
      report.notEmulated.push({ logicalId, type, reason: outcome.notEmulated });
    else {
      report.created.push(logicalId);
      log.info(`${stackName}: ${type} ${logicalId} → ${final.ref}`);
    }
  }

  resolveOutputs(template, resolver, result, stackName, log);
  log.info(
    `${stackName}: ${report.created.length} resources provisioned, ${report.notEmulated.length} not emulated, ` +
      `${report.ignoredProperties.length} properties not applied, ${report.outputErrors.length} output errors`,
  );
  return result;
}
