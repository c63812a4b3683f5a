/**
 * An AWS destination's ARNs, parsed and judged when a subscription is written: the target (an SQS
 * queue, an SNS topic, an EventBridge event bus or a Kinesis stream, in any account) and the role
 * Herald assumes to reach it, which must sit under the stage's path prefix: Herald's own policy
 * may assume `arn:aws:iam::*:role/<prefix>/*` and nothing else, so a role outside it could never be
 * assumed and is refused now rather than failing every delivery. Each refusal names the part of
 * the ARN that is wrong.
 */
import type { FieldProblem } from '../problems';

export type DestinationService = 'sqs' | 'sns' | 'events' | 'kinesis';

/** A destination as its ARN names it. */
export interface DestinationTarget {
  arn: string;
  service: DestinationService;
  partition: string;
  region: string;
  account: string;
  /** The queue's, topic's, bus's or stream's name. */
  name: string;
  /** An SQS FIFO queue or SNS FIFO topic (`.fifo`): each message needs a group and a deduplication id. */
  fifo: boolean;
}

export interface DestinationInput {
  arn: string;
  roleArn: string;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const PARTITION = /^aws(-[a-z]+)*$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const ACCOUNT = /^\d{12}$/;

/** The resource part each service's destination ARN has (the service's own naming rules). */
const RESOURCES: Record<DestinationService, { what: string; pattern: RegExp; rule: string }> = {
  sqs: {
    what: 'an SQS queue',
    pattern: /^[A-Za-z0-9_-]{1,75}(\.fifo)?$|^[A-Za-z0-9_-]{1,80}$/,
    rule: 'a queue name: 1 to 80 letters, digits, hyphens or underscores (a FIFO queue ending in .fifo)',
  },
  sns: {
    what: 'an SNS topic',
    pattern: /^[A-Za-z0-9_-]{1,251}(\.fifo)?$|^[A-Za-z0-9_-]{1,256}$/,
    rule: 'a topic name: 1 to 256 letters, digits, hyphens or underscores (a FIFO topic ending in .fifo)',
  },
  events: {
    what: 'an EventBridge event bus',
    pattern: /^event-bus\/[A-Za-z0-9._\-/]{1,256}$/,
    rule: 'event-bus/<name>, the name 1 to 256 letters, digits, . _ - or /',
  },
  kinesis: {
    what: 'a Kinesis data stream',
    pattern: /^stream\/[A-Za-z0-9_.-]{1,128}$/,
    rule: 'stream/<name>, the name 1 to 128 letters, digits, . _ or -',
  },
};

const SERVICES = Object.keys(RESOURCES) as DestinationService[];

const isService = (value: string): value is DestinationService =>
  (SERVICES as readonly string[]).includes(value);

/** `arn:partition:service:region:account:resource`, each part judged in turn (the first wrong one is named). */
export function parseDestinationArn(arn: string): Parsed<DestinationTarget> {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn')
    return {
      ok: false,
      message: 'must be an ARN: arn:<partition>:<service>:<region>:<account>:<resource>',
    };
  const [, partition, service, region, account] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(':');
  if (!PARTITION.test(partition))
    return {
      ok: false,
      message: `partition "${partition}" is not an AWS partition (aws, aws-cn, aws-us-gov)`,
    };
  if (!isService(service))
    return {
      ok: false,
      message: `service "${service}" is not a destination: sqs (a queue), sns (a topic), events (an event bus) or kinesis (a stream)`,
    };
  if (!REGION.test(region))
    return { ok: false, message: `region "${region}" is not a region code such as us-east-1` };
  if (!ACCOUNT.test(account))
    return { ok: false, message: `account "${account}" is not an AWS account id (12 digits)` };
  const spec = RESOURCES[service];
  if (!spec.pattern.test(resource))
    return { ok: false, message: `resource "${resource}" is not ${spec.what}: expected ${spec.rule}` };
  const name = service === 'sqs' || service === 'sns' ? resource : resource.slice(resource.indexOf('/') + 1);
  return {
    ok: true,
    value: {
      arn,
      service,
      partition,
      region,
      account,
      name,
      fifo: (service === 'sqs' || service === 'sns') && name.endsWith('.fifo'),
    },
  };
}

/** A role name after the prefix: IAM's characters, any deeper path allowed (the policy's `/*` covers it). */
const ROLE_REST = /^([\w+=,.@-]{1,64}\/)*[\w+=,.@-]{1,64}$/;

/** The role's account, or why the role cannot be one Herald may assume. */
export function parseRoleArn(
  roleArn: string,
  prefix: string,
): Parsed<{ account: string; partition: string }> {
  const parts = roleArn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn')
    return { ok: false, message: 'must be a role ARN: arn:aws:iam::<account>:role/<path>/<name>' };
  const [, partition, service, region, account, resource] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!PARTITION.test(partition))
    return {
      ok: false,
      message: `partition "${partition}" is not an AWS partition (aws, aws-cn, aws-us-gov)`,
    };
  if (service !== 'iam')
    return { ok: false, message: `service "${service}" is not iam: a role's ARN is IAM's` };
  if (region !== '') return { ok: false, message: `region "${region}" must be empty: IAM roles are global` };
  if (!ACCOUNT.test(account))
    return { ok: false, message: `account "${account}" is not an AWS account id (12 digits)` };
  const under = `role/${prefix}/`;
  if (!resource.startsWith(under))
    return {
      ok: false,
      message: `resource "${resource}" is not a role under the path /${prefix}/: Herald may assume only roles named ${under}<name>`,
    };
  if (!ROLE_REST.test(resource.slice(under.length)))
    return {
      ok: false,
      message: `resource "${resource}" does not end in a role name (1 to 64 letters, digits or + = , . @ _ -)`,
    };
  return { ok: true, value: { account, partition } };
}

/** The destination's problems as field problems of the request (`/body/destination/arn`, `…/roleArn`). */
export function destinationProblems(input: DestinationInput, prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const target = parseDestinationArn(input.arn);
  if (!target.ok) problems.push({ pointer: '/body/destination/arn', message: target.message });
  const role = parseRoleArn(input.roleArn, prefix);
  if (!role.ok) problems.push({ pointer: '/body/destination/roleArn', message: role.message });
  if (target.ok && role.ok && target.value.partition !== role.value.partition)
    problems.push({
      pointer: '/body/destination/roleArn',
      message: `partition "${role.value.partition}" is not the destination's ("${target.value.partition}"): a role reaches resources of its own partition only`,
    });
  return problems;
}

/** The target of a stored destination (validated when written). */
export function destinationTarget(arn: string): DestinationTarget {
  const parsed = parseDestinationArn(arn);
  if (!parsed.ok) throw new Error(`Stored destination ARN is invalid: ${parsed.message}`);
  return parsed.value;
}
