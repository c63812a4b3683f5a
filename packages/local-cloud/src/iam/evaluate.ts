/**
 * The decision AWS reaches on one request of a function acting as its execution role, for the subset of
 * IAM Herald uses: identity policies (the role's inline policies) and the resource's policy (queue,
 * bucket, bus, topic or KMS key policy), all in one account.
 *
 * The rules, from the IAM User Guide ("Policy evaluation logic", "Determining whether a request is
 * allowed or denied within an account") and the KMS Developer Guide ("Key policies in AWS KMS",
 * "Default key policy: Allows access to the AWS account and enables IAM policies"):
 * 1. An explicit Deny in any applicable statement wins.
 * 2. Otherwise the request is allowed if an identity policy allows it, or if the resource policy allows
 *    the caller's principal itself (its role, its session, or everyone: `*`). A resource policy that
 *    names the account (`"AWS": "<account id>"` or `arn:aws:iam::<account>:root`) delegates to IAM
 *    policies: on its own it allows no role anything.
 * 3. KMS differs: only the key policy can open a key. It must allow the role itself, or the account, and
 *    only in the latter case may identity policies grant; with neither, identity policies do nothing.
 */
import { contextLookup, evaluateConditions, PolicyError, variableResolver } from './conditions';
import type { ContextLookup } from './conditions';
import type {
  AuthorizationRequest,
  CallerIdentity,
  Decision,
  NamedPolicy,
  OneOrMany,
  PolicyPrincipal,
  RequestContext,
  Statement,
  StatementRef,
} from './types';
import { arnParts, matchAction, matchArn } from './wildcards';
import type { VariableResolver } from './wildcards';

export { PolicyError } from './conditions';

export interface EvaluationInput {
  caller: CallerIdentity;
  request: AuthorizationRequest;
  /** The role's policies. */
  identityPolicies: readonly NamedPolicy[];
  /** The queue, bucket, bus, topic or key policy of the resource, if it has one. */
  resourcePolicy?: NamedPolicy;
  /**
   * KMS: the key policy must allow, directly or by allowing the account (then IAM policies may grant).
   * Without a `resourcePolicy` the key has AWS's default key policy, which allows the account.
   */
  resourcePolicyIsKeyPolicy?: boolean;
}

/** The version of the policy language in which `${...}` is a policy variable ("IAM JSON policy elements: Version"). */
const VARIABLES_VERSION = '2012-10-17';

function list<T>(value: OneOrMany<T> | undefined): readonly T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/** The partition (`aws`) and role name of `arn:aws:iam::<account>:role/<path/>name`. */
function roleParts(roleArn: string): { partition: string; roleName: string } {
  const parts = arnParts(roleArn);
  const resource = parts?.[5] ?? '';
  return { partition: parts?.[1] ?? 'aws', roleName: resource.slice(resource.lastIndexOf('/') + 1) };
}

/**
 * The ARN AWS names a Lambda function's caller by: the session of its execution role, named after the
 * function ("User: arn:aws:sts::<account>:assumed-role/<role>/<function> is not authorized...").
 */
export function sessionArn(caller: CallerIdentity): string {
  const { partition, roleName } = roleParts(caller.roleArn);
  return `arn:${partition}:sts::${caller.accountId}:assumed-role/${roleName}/${caller.functionName}`;
}

/**
 * The request's context with the keys AWS sets from the principal ("AWS global condition context keys":
 * for a role session `aws:PrincipalArn` is the role's ARN), which the call alone cannot know. Keys the
 * request sets win.
 */
export function effectiveContext(caller: CallerIdentity, request: AuthorizationRequest): RequestContext {
  return {
    'aws:PrincipalArn': caller.roleArn,
    'aws:PrincipalAccount': caller.accountId,
    'aws:PrincipalType': 'AssumedRole',
    'aws:PrincipalIsAWSService': 'false',
    ...request.context,
  };
}

/** How a resource policy statement's principal applies to the caller. */
type PrincipalMatch = 'caller' | 'account' | undefined;

function principalMatch(principal: PolicyPrincipal, caller: CallerIdentity): PrincipalMatch {
  if (principal === '*') return 'caller';
  let match: PrincipalMatch;
  // Service, Federated and CanonicalUser principals are never a function's role.
  for (const value of list(principal.AWS)) {
    if (value === '*' || value === caller.roleArn || value === sessionArn(caller)) return 'caller';
    if (
      value === caller.accountId ||
      value === `arn:${roleParts(caller.roleArn).partition}:iam::${caller.accountId}:root`
    ) {
      match = 'account';
    }
  }
  return match;
}

/**
 * "IAM JSON policy elements: NotPrincipal": a statement applies to every principal but those listed, and
 * a role session is only left out when its session, its role and its account are all listed (AWS may
 * check each of them).
 */
function notPrincipalApplies(notPrincipal: PolicyPrincipal, caller: CallerIdentity): boolean {
  if (notPrincipal === '*') return false;
  const listed = new Set(list(notPrincipal.AWS));
  if (listed.has('*')) return false;
  const account =
    listed.has(caller.accountId) ||
    listed.has(`arn:${roleParts(caller.roleArn).partition}:iam::${caller.accountId}:root`);
  return !(listed.has(sessionArn(caller)) && listed.has(caller.roleArn) && account);
}

function statementPrincipal(
  statement: Statement,
  inResourcePolicy: boolean,
  caller: CallerIdentity,
): PrincipalMatch {
  // An identity policy has no Principal: its statements are about the role it is attached to (IAM would
  // refuse one that names a principal; it is ignored here).
  if (!inResourcePolicy) return 'caller';
  if (statement.Principal !== undefined) return principalMatch(statement.Principal, caller);
  if (statement.NotPrincipal !== undefined)
    return notPrincipalApplies(statement.NotPrincipal, caller) ? 'caller' : undefined;
  return undefined;
}

function actionMatches(statement: Statement, action: string): boolean {
  if (statement.Action !== undefined) return list(statement.Action).some((a) => matchAction(a, action));
  if (statement.NotAction !== undefined)
    return !list(statement.NotAction).some((a) => matchAction(a, action));
  return false;
}

function resourceMatches(
  statement: Statement,
  resource: string,
  inResourcePolicy: boolean,
  resolve: VariableResolver | undefined,
): boolean {
  if (statement.Resource !== undefined)
    return list(statement.Resource).some((r) => matchArn(r, resource, resolve));
  if (statement.NotResource !== undefined) {
    return !list(statement.NotResource).some((r) => matchArn(r, resource, resolve));
  }
  // A resource policy may leave Resource out: it is about the resource it is attached to.
  return inResourcePolicy;
}

interface Applicable {
  ref: StatementRef;
  effect: 'Allow' | 'Deny';
  principal: PrincipalMatch;
  /** Undefined when the condition holds; otherwise the failing `<Operator> <key>`. */
  failedCondition?: string;
}

function ref(policy: NamedPolicy, index: number, statement: Statement): StatementRef {
  return statement.Sid === undefined
    ? { policy: policy.name, index }
    : { policy: policy.name, index, sid: statement.Sid };
}

/** The statements of a policy whose principal, action and resource match the request. */
function applicableStatements(
  policy: NamedPolicy,
  inResourcePolicy: boolean,
  caller: CallerIdentity,
  request: AuthorizationRequest,
  context: ContextLookup,
): Applicable[] {
  const variables = policy.document.Version === VARIABLES_VERSION;
  const resolve = variables ? variableResolver(context) : undefined;
  const found: Applicable[] = [];
  list(policy.document.Statement).forEach((statement, index) => {
    const where = ref(policy, index, statement);
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') {
      throw new PolicyError(`${label(where)}: Effect must be Allow or Deny`);
    }
    const principal = statementPrincipal(statement, inResourcePolicy, caller);
    if (!principal) return;
    if (!actionMatches(statement, request.action)) return;
    if (!resourceMatches(statement, request.resource, inResourcePolicy, resolve)) return;
    let condition;
    try {
      condition = evaluateConditions(statement.Condition, context, variables);
    } catch (error) {
      if (error instanceof PolicyError) throw new PolicyError(`${label(where)}: ${error.message}`);
      throw error;
    }
    found.push({
      ref: where,
      effect: statement.Effect,
      principal,
      ...(condition.matched ? {} : { failedCondition: condition.failed }),
    });
  });
  return found;
}

/** AWS's default key policy, for a key declared without one (KMS Developer Guide, "Default key policy"). */
function defaultKeyPolicy(caller: CallerIdentity): NamedPolicy {
  const { partition } = roleParts(caller.roleArn);
  return {
    name: 'default key policy',
    document: {
      Version: VARIABLES_VERSION,
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: `arn:${partition}:iam::${caller.accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    },
  };
}

export function evaluate(input: EvaluationInput): Decision {
  const { caller, request, identityPolicies, resourcePolicyIsKeyPolicy = false } = input;
  const resourcePolicy =
    input.resourcePolicy ?? (resourcePolicyIsKeyPolicy ? defaultKeyPolicy(caller) : undefined);
  const context = contextLookup(effectiveContext(caller, request));

  const identity = identityPolicies.flatMap((p) => applicableStatements(p, false, caller, request, context));
  const resource = resourcePolicy ? applicableStatements(resourcePolicy, true, caller, request, context) : [];
  const holding = (s: Applicable): boolean => s.failedCondition === undefined;

  // A resource statement naming the account only matters for a key (elsewhere it grants nothing itself),
  // so only then is its failed condition worth telling.
  const couldAllow = (s: Applicable): boolean => s.principal === 'caller' || resourcePolicyIsKeyPolicy;
  const nearMisses = [...identity, ...resource.filter(couldAllow)]
    .filter((s) => s.effect === 'Allow' && !holding(s))
    .map((s) => ({ statement: s.ref, condition: s.failedCondition! }));

  const denyIdentity = identity.find((s) => s.effect === 'Deny' && holding(s));
  const denyResource = resource.find((s) => s.effect === 'Deny' && holding(s));
  const deny = denyIdentity ?? denyResource;
  if (deny) {
    return {
      allowed: false,
      reason: 'explicit-deny',
      allowedBy: [],
      deniedBy: deny.ref,
      deniedIn: denyIdentity ? 'identity-based' : 'resource-based',
      nearMisses,
    };
  }

  const identityAllows = identity.filter((s) => s.effect === 'Allow' && holding(s)).map((s) => s.ref);
  const resourceAllows = resource.filter((s) => s.effect === 'Allow' && holding(s));
  const toCaller = resourceAllows.filter((s) => s.principal === 'caller').map((s) => s.ref);
  const toAccount = resourceAllows.filter((s) => s.principal === 'account').map((s) => s.ref);

  let allowedBy: StatementRef[];
  if (resourcePolicyIsKeyPolicy) {
    // The account's statement is what lets the role's statements count, so it is part of the allowance.
    const throughIam =
      toAccount.length > 0 && identityAllows.length > 0 ? [...identityAllows, ...toAccount] : [];
    allowedBy = [...throughIam, ...toCaller];
    if (allowedBy.length === 0 && toAccount.length === 0) {
      return {
        allowed: false,
        reason: 'implicit-deny',
        allowedBy: [],
        nearMisses,
        keyPolicyDenial: { policy: resourcePolicy!.name, identityAllowedBy: identityAllows },
      };
    }
  } else {
    allowedBy = [...identityAllows, ...toCaller];
  }
  return allowedBy.length > 0
    ? { allowed: true, reason: 'allowed', allowedBy, nearMisses }
    : { allowed: false, reason: 'implicit-deny', allowedBy: [], nearMisses };
}

/** `statement SendToInbound of policy X`, or `statement #2 of policy X` when it has no Sid. */
function label(statement: StatementRef): string {
  return `statement ${statement.sid ?? `#${statement.index}`} of policy ${statement.policy}`;
}

function shownValue(context: ContextLookup, key: string): string {
  const value = context.get(key);
  if (value === undefined) return `${key} is absent`;
  return `${key} = ${JSON.stringify(value)}`;
}

/**
 * The message of an AccessDenied answer and of the local cloud's log line: AWS's own first sentence (the
 * SDK shows it), then what Herald's template is missing.
 */
export function describeDenial(
  caller: CallerIdentity,
  request: AuthorizationRequest,
  decision: Decision,
): string {
  const { action, resource } = request;
  const who = `${caller.functionName} (role ${roleParts(caller.roleArn).roleName})`;
  const head = `User: ${sessionArn(caller)} is not authorized to perform: ${action} on resource: ${resource}`;
  const context = contextLookup(effectiveContext(caller, request));

  if (decision.reason === 'explicit-deny' && decision.deniedBy) {
    const where = decision.deniedIn ?? 'resource-based';
    return `${head} with an explicit deny in ${where === 'identity-based' ? 'an' : 'a'} ${where} policy. ${who} is explicitly denied ${action} on ${resource} by ${label(decision.deniedBy)}`;
  }

  const misses = decision.nearMisses.map(
    ({ statement, condition }) =>
      `${label(statement)} allows the action and resource, but its condition ${condition} does not match (${shownValue(context, condition.slice(condition.indexOf(' ') + 1))})`,
  );
  if (decision.keyPolicyDenial) {
    const { policy, identityAllowedBy } = decision.keyPolicyDenial;
    const would = identityAllowedBy.map((s) => `; ${label(s)} would allow it`).join('');
    return (
      `${head} because no resource-based policy allows the ${action} action. ${who} is not allowed ${action} on ${resource}: ` +
      `the key policy ${policy} allows neither the role nor its account ${caller.accountId} (IAM policies can grant the use of a key only when its key policy allows the account)` +
      would +
      misses.map((m) => `; ${m}`).join('')
    );
  }
  const reason = misses.length > 0 ? misses.join('; ') : 'no statement in its role allows it';
  return `${head} because no identity-based policy allows the ${action} action. ${who} is not allowed ${action} on ${resource}: ${reason}`;
}
