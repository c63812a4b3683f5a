/**
 * The shapes the local cloud's IAM enforcement passes between its parts: policies as the packaged
 * templates declare them (intrinsics resolved), the authorization requests an AWS call makes, and the
 * decisions the evaluator reaches (see the package README, "IAM").
 */

/** A string, or a list of them, as IAM's policy grammar allows almost everywhere. */
export type OneOrMany<T> = T | readonly T[];

/** `Principal` / `NotPrincipal` of a resource policy: `"*"`, or `{ AWS | Service | Federated: ... }`. */
export type PolicyPrincipal = '*' | Readonly<Record<string, OneOrMany<string>>>;

/** Condition block: operator → condition key → value(s). Values may be booleans or numbers in JSON. */
export type ConditionBlock = Readonly<
  Record<string, Readonly<Record<string, OneOrMany<string | number | boolean>>>>
>;

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: OneOrMany<string>;
  NotAction?: OneOrMany<string>;
  Resource?: OneOrMany<string>;
  NotResource?: OneOrMany<string>;
  Principal?: PolicyPrincipal;
  NotPrincipal?: PolicyPrincipal;
  Condition?: ConditionBlock;
}

export interface PolicyDocument {
  Version?: string;
  Statement: OneOrMany<Statement>;
}

/** A policy with a name a person can find in the template (e.g. `AcceptEventsIamRoleLambdaExecution`). */
export interface NamedPolicy {
  /** Where it comes from: the role's or resource policy's logical id, and the policy name. */
  name: string;
  document: PolicyDocument;
}

/** Who makes a call: a function, acting as its execution role. */
export interface CallerIdentity {
  /** The function's deployed name, e.g. `herald-ingest-local-acceptEvents`. */
  functionName: string;
  /** `arn:aws:iam::<account>:role/<RoleName>` */
  roleArn: string;
  accountId: string;
}

/**
 * Condition key → value(s) of one request. Keys are compared case-insensitively (IAM's rule for key
 * names), so producers write them in AWS's documented spelling; values are compared as each operator
 * says. A multi-valued key (e.g. `dynamodb:Attributes`) is a list.
 */
export type RequestContext = Readonly<Record<string, string | readonly string[]>>;

/** One thing AWS authorizes: an action on a resource, with the request's condition keys. */
export interface AuthorizationRequest {
  /** `service:Action`, e.g. `dynamodb:PutItem`. */
  action: string;
  /** The resource's ARN (`*` for actions that have no resource type). */
  resource: string;
  context: RequestContext;
}

/** Where a statement is: the policy's name, the statement's index in it, and its Sid if any. */
export interface StatementRef {
  policy: string;
  index: number;
  sid?: string;
}

export type DecisionReason = 'allowed' | 'explicit-deny' | 'implicit-deny';

export interface Decision {
  allowed: boolean;
  reason: DecisionReason;
  /** The Allow statements that matched (empty unless allowed): what the unused-grants report counts. */
  allowedBy: readonly StatementRef[];
  /** The Deny statement that matched, when reason is `explicit-deny`. */
  deniedBy?: StatementRef;
  /**
   * Allow statements that matched the action and resource but not a condition, with the condition that
   * failed (`StringEquals kms:EncryptionContext:purpose`): said in a denial so the reader sees what is
   * missing rather than only that nothing allowed it.
   */
  nearMisses: readonly { statement: StatementRef; condition: string }[];
  /** With `deniedBy`: whether the Deny is in the role's policies or the resource's policy (AWS says which). */
  deniedIn?: 'identity-based' | 'resource-based';
  /**
   * KMS: the key policy allows neither the role nor its account, so the role's own statements
   * (`identityAllowedBy`, possibly some) cannot grant the use of the key.
   */
  keyPolicyDenial?: { policy: string; identityAllowedBy: readonly StatementRef[] };
}

/** The partition and sort key attribute names of a table or index. */
export interface KeySchema {
  partitionKey: string;
  sortKey?: string;
}

/**
 * What the templates say about the resources a call names, which the call alone does not: table keys
 * (for `dynamodb:LeadingKeys`), secrets' ARNs (a call may name a secret by name), and the customer
 * managed KMS key that encrypts a resource (the service calls KMS with the caller's permissions).
 */
export interface ResourceFacts {
  accountId: string;
  region: string;
  /** `aws` */
  partition: string;
  /** A table's keys (by table name), or an index's (`table/index`); undefined if unknown. */
  keySchema(table: string, index?: string): KeySchema | undefined;
  /** A secret's full ARN from what a call names it by (name, full or partial ARN). */
  secretArn(secretId: string): string | undefined;
  /** A key's ARN from a key id, key ARN, alias name (`alias/x`) or alias ARN. */
  keyArn(keyId: string): string | undefined;
  /** The ARN of the customer managed KMS key that encrypts this resource (queue, table, bucket, secret, bus). */
  encryptionKey(resourceArn: string): string | undefined;
}
