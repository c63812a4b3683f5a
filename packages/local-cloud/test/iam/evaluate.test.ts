// The decision on one request of a function acting as its role: identity policies, the resource's
// policy, KMS key policies, and the message a denial carries.
import { describe, expect, test } from '@jest/globals';
import { describeDenial, evaluate, PolicyError, sessionArn } from '../../src/iam/evaluate';
import type { EvaluationInput } from '../../src/iam/evaluate';
import type { AuthorizationRequest, CallerIdentity, NamedPolicy, Statement } from '../../src/iam/types';

const ACCOUNT = '000000000000';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:herald-local-processing-inbound`;
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/herald-local-events`;
const BUS = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/herald-local`;
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/6f1f3c1e-0000-4000-8000-000000000001`;

const acceptEvents: CallerIdentity = {
  functionName: 'herald-ingest-local-acceptEvents',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/herald-ingest-local-acceptEvents-us-east-1-lambdaRole`,
  accountId: ACCOUNT,
};
const publish: CallerIdentity = {
  functionName: 'herald-processing-local-publish',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/herald-processing-local-publish-us-east-1-lambdaRole`,
  accountId: ACCOUNT,
};
const deliver: CallerIdentity = {
  functionName: 'herald-notifications-local-deliver',
  roleArn: `arn:aws:iam::${ACCOUNT}:role/herald-notifications-local-deliver-us-east-1-lambdaRole`,
  accountId: ACCOUNT,
};

function policy(name: string, ...statements: Statement[]): NamedPolicy {
  return { name, document: { Version: '2012-10-17', Statement: statements } };
}

function request(
  action: string,
  resource: string,
  context: AuthorizationRequest['context'] = {},
): AuthorizationRequest {
  return { action, resource, context: { 'aws:SecureTransport': 'true', ...context } };
}

function decide(input: Partial<EvaluationInput> & Pick<EvaluationInput, 'request'>) {
  return evaluate({ caller: acceptEvents, identityPolicies: [], ...input });
}

const sendToInbound: Statement = {
  Sid: 'SendToInbound',
  Effect: 'Allow',
  Action: ['sqs:SendMessage'],
  Resource: QUEUE,
};
const role = policy('AcceptEventsIamRoleLambdaExecution/ingest-local-lambda', sendToInbound);

// IAM User Guide, "Policy evaluation logic" and "Determining whether a request is allowed or denied
// within an account": by default everything is denied; an Allow allows; an explicit Deny overrides any
// Allow, wherever each is.
describe('allow, implicit deny, explicit deny', () => {
  test('an identity statement matching action and resource allows, and is named', () => {
    const decision = decide({ request: request('sqs:SendMessage', QUEUE), identityPolicies: [role] });
    expect(decision).toEqual({
      allowed: true,
      reason: 'allowed',
      allowedBy: [{ policy: role.name, index: 0, sid: 'SendToInbound' }],
      nearMisses: [],
    });
  });

  test('another action, or another resource, is implicitly denied', () => {
    for (const r of [request('sqs:ReceiveMessage', QUEUE), request('sqs:SendMessage', `${QUEUE}-dlq`)]) {
      expect(decide({ request: r, identityPolicies: [role] })).toEqual({
        allowed: false,
        reason: 'implicit-deny',
        allowedBy: [],
        nearMisses: [],
      });
    }
  });

  test('every matching Allow statement is counted, across policies', () => {
    const again = policy('Other/p', {
      Effect: 'Allow',
      Action: 'sqs:Send*',
      Resource: `arn:aws:sqs:*:${ACCOUNT}:herald-*`,
    });
    const decision = decide({ request: request('sqs:SendMessage', QUEUE), identityPolicies: [role, again] });
    expect(decision.allowedBy).toEqual([
      { policy: role.name, index: 0, sid: 'SendToInbound' },
      { policy: 'Other/p', index: 0 },
    ]);
  });

  test('an explicit Deny in an identity policy beats an Allow', () => {
    const deny = policy('Guard/p', { Sid: 'NoSends', Effect: 'Deny', Action: 'sqs:*', Resource: '*' });
    const decision = decide({ request: request('sqs:SendMessage', QUEUE), identityPolicies: [role, deny] });
    expect(decision).toMatchObject({
      allowed: false,
      reason: 'explicit-deny',
      allowedBy: [],
      deniedBy: { policy: 'Guard/p', index: 0, sid: 'NoSends' },
      deniedIn: 'identity-based',
    });
  });

  test('an explicit Deny in the resource policy beats an identity Allow', () => {
    const queuePolicy = policy('InboundQueuePolicy', {
      Sid: 'DenyNonTls',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sqs:*',
      Resource: QUEUE,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    const insecure = request('sqs:SendMessage', QUEUE, { 'aws:SecureTransport': 'false' });
    expect(
      decide({ request: insecure, identityPolicies: [role], resourcePolicy: queuePolicy }),
    ).toMatchObject({
      allowed: false,
      reason: 'explicit-deny',
      deniedBy: { policy: 'InboundQueuePolicy', index: 0, sid: 'DenyNonTls' },
      deniedIn: 'resource-based',
    });
    // The same Deny does not apply over TLS: the identity Allow stands.
    expect(
      decide({
        request: request('sqs:SendMessage', QUEUE),
        identityPolicies: [role],
        resourcePolicy: queuePolicy,
      }).allowed,
    ).toBe(true);
  });

  test('a Deny whose condition fails does not deny', () => {
    const deny = policy('Guard/p', {
      Effect: 'Deny',
      Action: 'sqs:SendMessage',
      Resource: QUEUE,
      Condition: { StringEquals: { 'aws:SecureTransport': 'false' } },
    });
    expect(
      decide({ request: request('sqs:SendMessage', QUEUE), identityPolicies: [role, deny] }).allowed,
    ).toBe(true);
  });
});

// IAM User Guide, "IAM JSON policy elements: NotAction" and "...: NotResource": the statement applies to
// everything except what is listed.
describe('NotAction and NotResource', () => {
  const notAction = policy('Role/p', {
    Effect: 'Allow',
    NotAction: ['sqs:DeleteQueue', 'sqs:Purge*'],
    Resource: QUEUE,
  });
  const notResource = policy('Role/p', {
    Effect: 'Allow',
    Action: 'sqs:SendMessage',
    NotResource: `${QUEUE}-dlq`,
  });

  test.each([
    [notAction, 'sqs:SendMessage', QUEUE, true],
    [notAction, 'sqs:DeleteQueue', QUEUE, false],
    [notAction, 'sqs:PurgeQueue', QUEUE, false],
    [notAction, 'sqs:SendMessage', `${QUEUE}-dlq`, false],
    [notResource, 'sqs:SendMessage', QUEUE, true],
    [notResource, 'sqs:SendMessage', `${QUEUE}-dlq`, false],
    [notResource, 'sqs:ReceiveMessage', QUEUE, false],
  ])('%#: %s on %s → %s', (p, action, resource, expected) => {
    expect(decide({ request: request(action, resource), identityPolicies: [p] }).allowed).toBe(expected);
  });

  test('a Deny with NotResource denies everything else', () => {
    const guard = policy('Guard/p', { Effect: 'Deny', Action: 'sqs:*', NotResource: QUEUE });
    const wide = policy('Role/p', { Effect: 'Allow', Action: 'sqs:*', Resource: '*' });
    expect(
      decide({ request: request('sqs:SendMessage', QUEUE), identityPolicies: [wide, guard] }).allowed,
    ).toBe(true);
    expect(
      decide({ request: request('sqs:SendMessage', `${QUEUE}-dlq`), identityPolicies: [wide, guard] }).reason,
    ).toBe('explicit-deny');
  });
});

// IAM User Guide, "Determining whether a request is allowed or denied within an account" and "IAM JSON
// policy elements: Principal": in one account a resource policy that names the role (or its session, or
// everyone) allows on its own; one that names the account delegates to the account's IAM policies.
describe('resource policies and principals', () => {
  const queuePolicy = (principal: Statement['Principal']): NamedPolicy =>
    policy('InboundQueuePolicy', {
      Sid: 'Senders',
      Effect: 'Allow',
      Principal: principal,
      Action: 'sqs:SendMessage',
      Resource: QUEUE,
    });
  const send = request('sqs:SendMessage', QUEUE);

  test.each([
    ['the role', { AWS: acceptEvents.roleArn }, true],
    ['the role, in a list', { AWS: ['arn:aws:iam::000000000000:role/other', acceptEvents.roleArn] }, true],
    ["the role's session", { AWS: sessionArn(acceptEvents) }, true],
    ['everyone', '*' as const, true],
    ['every AWS principal', { AWS: '*' }, true],
    ['another role', { AWS: publish.roleArn }, false],
    ['a service', { Service: 'events.amazonaws.com' }, false],
    ['the account by id', { AWS: ACCOUNT }, false],
    ['the account by root ARN', { AWS: ROOT }, false],
  ])('naming %s allows without an identity statement: %s', (_name, principal, expected) => {
    const decision = decide({
      request: send,
      resourcePolicy: queuePolicy(principal as Statement['Principal']),
    });
    expect(decision.allowed).toBe(expected);
    if (expected)
      expect(decision.allowedBy).toEqual([{ policy: 'InboundQueuePolicy', index: 0, sid: 'Senders' }]);
  });

  test('naming the account lets the identity policy decide, and only the identity statement is counted', () => {
    const decision = decide({
      request: send,
      identityPolicies: [role],
      resourcePolicy: queuePolicy({ AWS: ACCOUNT }),
    });
    expect(decision).toMatchObject({
      allowed: true,
      allowedBy: [{ policy: role.name, index: 0, sid: 'SendToInbound' }],
    });
  });

  test("a resource statement's failed condition is a near miss when it names the role, not when it names the account", () => {
    const conditional = (principal: Statement['Principal']): NamedPolicy =>
      policy('InboundQueuePolicy', {
        Sid: 'FromTheRule',
        Effect: 'Allow',
        Principal: principal,
        Action: 'sqs:SendMessage',
        Resource: QUEUE,
        Condition: {
          ArnEquals: { 'aws:SourceArn': `arn:aws:events:us-east-1:${ACCOUNT}:rule/herald-local/r` },
        },
      });
    expect(
      decide({ request: send, resourcePolicy: conditional({ AWS: acceptEvents.roleArn }) }).nearMisses,
    ).toEqual([
      {
        statement: { policy: 'InboundQueuePolicy', index: 0, sid: 'FromTheRule' },
        condition: 'ArnEquals aws:SourceArn',
      },
    ]);
    expect(decide({ request: send, resourcePolicy: conditional({ AWS: ACCOUNT }) }).nearMisses).toEqual([]);
  });

  test('identity statements ignore Principal; resource statements without Principal apply to no one', () => {
    const noPrincipal = policy('InboundQueuePolicy', {
      Effect: 'Allow',
      Action: 'sqs:SendMessage',
      Resource: QUEUE,
    });
    expect(decide({ request: send, resourcePolicy: noPrincipal }).allowed).toBe(false);
    const withPrincipal = policy('Role/p', { ...sendToInbound, Principal: { AWS: publish.roleArn } });
    expect(decide({ request: send, identityPolicies: [withPrincipal] }).allowed).toBe(true);
  });

  test('a resource policy statement without Resource is about its resource', () => {
    const bare = policy('InboundQueuePolicy', {
      Effect: 'Allow',
      Principal: { AWS: acceptEvents.roleArn },
      Action: 'sqs:SendMessage',
    });
    expect(decide({ request: send, resourcePolicy: bare }).allowed).toBe(true);
  });

  test.each([ROOT, ACCOUNT])("a Deny naming the account (%s) applies to the account's roles", (account) => {
    const deny = policy('InboundQueuePolicy', {
      Effect: 'Deny',
      Principal: { AWS: account },
      Action: 'sqs:*',
      Resource: QUEUE,
    });
    expect(decide({ request: send, identityPolicies: [role], resourcePolicy: deny }).reason).toBe(
      'explicit-deny',
    );
  });

  test('a Deny naming another account does not apply', () => {
    const deny = policy('InboundQueuePolicy', {
      Effect: 'Deny',
      Principal: { AWS: '111111111111' },
      Action: 'sqs:*',
      Resource: QUEUE,
    });
    expect(decide({ request: send, identityPolicies: [role], resourcePolicy: deny }).allowed).toBe(true);
  });

  // IAM User Guide, "IAM JSON policy elements: NotPrincipal": a session is exempt from a Deny only when
  // its session, its role and its account are all listed.
  test.each([
    [[sessionArn(acceptEvents), acceptEvents.roleArn, ROOT], true],
    [[sessionArn(acceptEvents), acceptEvents.roleArn, ACCOUNT], true],
    [[acceptEvents.roleArn, ROOT], false],
    [[sessionArn(acceptEvents), acceptEvents.roleArn], false],
    [[publish.roleArn], false],
  ])('Deny with NotPrincipal %j: exempt → %s', (listed, exempt) => {
    const deny = policy('InboundQueuePolicy', {
      Effect: 'Deny',
      NotPrincipal: { AWS: listed },
      Action: 'sqs:*',
      Resource: QUEUE,
    });
    expect(decide({ request: send, identityPolicies: [role], resourcePolicy: deny }).allowed).toBe(exempt);
  });
});

// Herald's own guards, as the packaged templates declare them: the inbound queue takes sends only from
// ingest and processing roles (Null + ArnNotLike on aws:PrincipalArn, which AWS sets from the caller),
// and the bus takes only each service's own source.
describe("Herald's resource policy guards", () => {
  const onlyIngestSends = policy('InboundQueuePolicy', {
    Sid: 'OnlyIngestSends',
    Effect: 'Deny',
    Principal: '*',
    Action: 'sqs:SendMessage',
    Resource: QUEUE,
    Condition: {
      Null: { 'aws:PrincipalArn': 'false' },
      ArnNotLike: {
        'aws:PrincipalArn': [
          `arn:aws:iam::${ACCOUNT}:role/herald-ingest-local-*`,
          `arn:aws:iam::${ACCOUNT}:role/herald-processing-local-*`,
        ],
      },
    },
  });
  const anyQueue = (name: string): NamedPolicy =>
    policy(name, { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: QUEUE });

  test('an ingest role sends; a notifications role with the same grant is denied by the queue', () => {
    const send = request('sqs:SendMessage', QUEUE);
    expect(
      evaluate({
        caller: acceptEvents,
        request: send,
        identityPolicies: [anyQueue('A')],
        resourcePolicy: onlyIngestSends,
      }).allowed,
    ).toBe(true);
    expect(
      evaluate({
        caller: deliver,
        request: send,
        identityPolicies: [anyQueue('D')],
        resourcePolicy: onlyIngestSends,
      }),
    ).toMatchObject({
      reason: 'explicit-deny',
      deniedBy: { sid: 'OnlyIngestSends' },
    });
  });

  const bus = policy('EventBus/Policy', {
    Sid: 'ProcessingPutsOnlyItsOwnSource',
    Effect: 'Deny',
    Principal: '*',
    Action: 'events:PutEvents',
    Resource: BUS,
    Condition: {
      ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/herald-processing-local-publish-*` },
      StringNotEquals: { 'events:source': 'herald.processing' },
    },
  });
  const put = policy('Publish/p', { Effect: 'Allow', Action: 'events:PutEvents', Resource: BUS });

  test.each([
    ['herald.processing', true],
    ['herald.notifications', false],
  ])('publish putting source %s → %s', (source, expected) => {
    const put1 = request('events:PutEvents', BUS, { 'events:source': source });
    expect(
      evaluate({ caller: publish, request: put1, identityPolicies: [put], resourcePolicy: bus }).allowed,
    ).toBe(expected);
  });

  test("the caller's own context keys win over the ones derived from it", () => {
    const put1 = request('events:PutEvents', BUS, {
      'events:source': 'other',
      'aws:PrincipalArn': deliver.roleArn,
    });
    expect(
      evaluate({ caller: publish, request: put1, identityPolicies: [put], resourcePolicy: bus }).allowed,
    ).toBe(true);
  });
});

// KMS Developer Guide, "Key policies in AWS KMS": "Unless the key policy explicitly allows it, you cannot
// use IAM policies to allow access to a KMS key", and "Default key policy: Allows access to the AWS
// account and enables IAM policies".
describe('KMS key policies', () => {
  const accountAdministers: Statement = {
    Sid: 'AccountAdministers',
    Effect: 'Allow',
    Principal: { AWS: ROOT },
    Action: 'kms:*',
    Resource: '*',
  };
  const decryptSecrets: Statement = {
    Sid: 'DecryptSigningSecrets',
    Effect: 'Allow',
    Action: ['kms:Decrypt'],
    Resource: KEY,
    Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'herald-webhook-signing-secret' } },
  };
  const deliverRole = policy('DeliverIamRoleLambdaExecution/notifications-local-lambda', decryptSecrets);
  const decrypt = request('kms:Decrypt', KEY, {
    'kms:EncryptionContext:purpose': 'herald-webhook-signing-secret',
  });
  const keyInput = (
    keyPolicy: NamedPolicy | undefined,
    identity: NamedPolicy[] = [deliverRole],
    r = decrypt,
  ): EvaluationInput => ({
    caller: deliver,
    request: r,
    identityPolicies: identity,
    ...(keyPolicy ? { resourcePolicy: keyPolicy } : {}),
    resourcePolicyIsKeyPolicy: true,
  });

  test('a key policy allowing the account lets the role policy grant; both are counted', () => {
    const keyPolicy = policy('NotificationsKey/KeyPolicy', accountAdministers);
    expect(evaluate(keyInput(keyPolicy))).toEqual({
      allowed: true,
      reason: 'allowed',
      allowedBy: [
        { policy: deliverRole.name, index: 0, sid: 'DecryptSigningSecrets' },
        { policy: 'NotificationsKey/KeyPolicy', index: 0, sid: 'AccountAdministers' },
      ],
      nearMisses: [],
    });
  });

  test('the account may be named by its id as well as by its root ARN', () => {
    const keyPolicy = policy('NotificationsKey/KeyPolicy', {
      ...accountAdministers,
      Principal: { AWS: ACCOUNT },
    });
    expect(evaluate(keyInput(keyPolicy))).toMatchObject({ allowed: true, reason: 'allowed' });
    const other = policy('NotificationsKey/KeyPolicy', {
      ...accountAdministers,
      Principal: { AWS: '111111111111' },
    });
    expect(evaluate(keyInput(other))).toMatchObject({
      allowed: false,
      keyPolicyDenial: { policy: 'NotificationsKey/KeyPolicy' },
    });
  });

  test('a key policy allowing the account is not enough without a role statement', () => {
    const keyPolicy = policy('NotificationsKey/KeyPolicy', accountAdministers);
    expect(evaluate(keyInput(keyPolicy, []))).toMatchObject({
      allowed: false,
      reason: 'implicit-deny',
      allowedBy: [],
    });
    expect(evaluate(keyInput(keyPolicy, [])).keyPolicyDenial).toBeUndefined();
  });

  test('a key policy allowing neither the role nor the account makes role statements useless', () => {
    const keyPolicy = policy('NotificationsKey/KeyPolicy', {
      Sid: 'OnlyPublish',
      Effect: 'Allow',
      Principal: { AWS: publish.roleArn },
      Action: 'kms:*',
      Resource: '*',
    });
    expect(evaluate(keyInput(keyPolicy))).toEqual({
      allowed: false,
      reason: 'implicit-deny',
      allowedBy: [],
      nearMisses: [],
      keyPolicyDenial: {
        policy: 'NotificationsKey/KeyPolicy',
        identityAllowedBy: [{ policy: deliverRole.name, index: 0, sid: 'DecryptSigningSecrets' }],
      },
    });
  });

  test('the same policies on a resource that is not a key would allow (the difference is KMS-only)', () => {
    const keyPolicy = policy('NotificationsKey/KeyPolicy', {
      Effect: 'Allow',
      Principal: { AWS: publish.roleArn },
      Action: 'kms:*',
      Resource: '*',
    });
    expect(evaluate({ ...keyInput(keyPolicy), resourcePolicyIsKeyPolicy: false }).allowed).toBe(true);
  });

  test('a key policy allowing the role itself needs no role statement', () => {
    const keyPolicy = policy('NotificationsKey/KeyPolicy', {
      Sid: 'Deliver',
      Effect: 'Allow',
      Principal: { AWS: deliver.roleArn },
      Action: 'kms:Decrypt',
      Resource: '*',
    });
    expect(evaluate(keyInput(keyPolicy, []))).toMatchObject({
      allowed: true,
      allowedBy: [{ sid: 'Deliver' }],
    });
  });

  test('a key without a declared policy has the default one, which allows the account', () => {
    expect(evaluate(keyInput(undefined))).toMatchObject({ allowed: true });
    expect(evaluate(keyInput(undefined, []))).toMatchObject({ allowed: false, reason: 'implicit-deny' });
  });

  test("a Deny in the key policy wins over the account's allowance", () => {
    const keyPolicy = policy('NotificationsKey/KeyPolicy', accountAdministers, {
      Sid: 'NoDecrypt',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:Decrypt',
      Resource: '*',
    });
    expect(evaluate(keyInput(keyPolicy))).toMatchObject({
      reason: 'explicit-deny',
      deniedBy: { sid: 'NoDecrypt' },
      deniedIn: 'resource-based',
    });
  });

  test('a decrypt without the required encryption context is a near miss naming the condition', () => {
    const keyPolicy = policy('NotificationsKey/KeyPolicy', accountAdministers);
    const bare = request('kms:Decrypt', KEY);
    expect(evaluate(keyInput(keyPolicy, [deliverRole], bare))).toEqual({
      allowed: false,
      reason: 'implicit-deny',
      allowedBy: [],
      nearMisses: [
        {
          statement: { policy: deliverRole.name, index: 0, sid: 'DecryptSigningSecrets' },
          condition: 'StringEquals kms:EncryptionContext:purpose',
        },
      ],
    });
  });
});

describe('policies the evaluator cannot evaluate', () => {
  test('an unsupported operator names the statement', () => {
    const odd = policy('Role/p', {
      Sid: 'FromTheOffice',
      Effect: 'Allow',
      Action: 'sqs:*',
      Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    });
    expect(() => decide({ request: request('sqs:SendMessage', QUEUE), identityPolicies: [odd] })).toThrow(
      new PolicyError(
        "statement FromTheOffice of policy Role/p: condition operator IpAddress is not supported by the local cloud's evaluator",
      ),
    );
  });

  test('an Effect other than Allow or Deny', () => {
    const odd = policy('Role/p', { Effect: 'allow' as 'Allow', Action: 'sqs:*', Resource: '*' });
    expect(() => decide({ request: request('sqs:SendMessage', QUEUE), identityPolicies: [odd] })).toThrow(
      PolicyError,
    );
  });
});

describe('describeDenial', () => {
  const session = `arn:aws:sts::${ACCOUNT}:assumed-role/herald-ingest-local-acceptEvents-us-east-1-lambdaRole/herald-ingest-local-acceptEvents`;

  test('nothing allows it: AWS wording, then which function and that its role has nothing', () => {
    const query = request('dynamodb:Query', TABLE);
    const decision = decide({ request: query, identityPolicies: [role] });
    expect(describeDenial(acceptEvents, query, decision)).toBe(
      `User: ${session} is not authorized to perform: dynamodb:Query on resource: ${TABLE} because no identity-based policy allows the dynamodb:Query action. ` +
        `herald-ingest-local-acceptEvents (role herald-ingest-local-acceptEvents-us-east-1-lambdaRole) is not allowed dynamodb:Query on ${TABLE}: no statement in its role allows it`,
    );
  });

  test('a statement would allow it but for its condition: the statement, the condition and the value', () => {
    const putOwn = policy('Deliver/p', {
      Sid: 'PublishDeliveryEvents',
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Resource: BUS,
      Condition: { StringEquals: { 'events:source': 'herald.notifications' } },
    });
    const put = request('events:PutEvents', BUS, { 'events:source': 'herald.processing' });
    const message = describeDenial(
      deliver,
      put,
      evaluate({ caller: deliver, request: put, identityPolicies: [putOwn] }),
    );
    expect(message).toMatch(
      /^User: arn:aws:sts::000000000000:assumed-role\/herald-notifications-local-deliver-us-east-1-lambdaRole\/herald-notifications-local-deliver is not authorized to perform: events:PutEvents on resource: /,
    );
    expect(message).toContain(
      ': statement PublishDeliveryEvents of policy Deliver/p allows the action and resource, but its condition StringEquals events:source does not match (events:source = "herald.processing")',
    );
  });

  test('an absent key is said to be absent; a statement without Sid is named by its index', () => {
    const p = policy('Role/p', {
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: KEY,
      Condition: { StringEquals: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } },
    });
    const r = request('kms:Decrypt', KEY);
    expect(describeDenial(acceptEvents, r, decide({ request: r, identityPolicies: [p] }))).toContain(
      'statement #0 of policy Role/p allows the action and resource, but its condition StringEquals kms:ViaService does not match (kms:ViaService is absent)',
    );
  });

  test('an explicit deny names the statement and where it is, as AWS does', () => {
    const deny = policy('InboundQueuePolicy', {
      Sid: 'OnlyIngestSends',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sqs:SendMessage',
      Resource: QUEUE,
    });
    const send = request('sqs:SendMessage', QUEUE);
    const decision = decide({ request: send, identityPolicies: [role], resourcePolicy: deny });
    expect(describeDenial(acceptEvents, send, decision)).toBe(
      `User: ${session} is not authorized to perform: sqs:SendMessage on resource: ${QUEUE} with an explicit deny in a resource-based policy. ` +
        `herald-ingest-local-acceptEvents (role herald-ingest-local-acceptEvents-us-east-1-lambdaRole) is explicitly denied sqs:SendMessage on ${QUEUE} by statement OnlyIngestSends of policy InboundQueuePolicy`,
    );
    const own = policy('Guard/p', { Effect: 'Deny', Action: 'sqs:*', Resource: '*' });
    expect(
      describeDenial(acceptEvents, send, decide({ request: send, identityPolicies: [role, own] })),
    ).toContain('with an explicit deny in an identity-based policy. ');
  });

  test('a key policy that opens the key to neither the role nor the account says so', () => {
    const keyPolicy = policy('ProcessingKey/KeyPolicy', {
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'kms:*',
      Resource: '*',
    });
    const grant = policy('AcceptEvents/p', {
      Sid: 'UseProcessingKey',
      Effect: 'Allow',
      Action: 'kms:GenerateDataKey',
      Resource: KEY,
    });
    const r = request('kms:GenerateDataKey', KEY);
    const decision = evaluate({
      caller: acceptEvents,
      request: r,
      identityPolicies: [grant],
      resourcePolicy: keyPolicy,
      resourcePolicyIsKeyPolicy: true,
    });
    const message = describeDenial(acceptEvents, r, decision);
    expect(message).toMatch(/because no resource-based policy allows the kms:GenerateDataKey action\. /);
    expect(message).toContain(
      `the key policy ProcessingKey/KeyPolicy allows neither the role nor its account ${ACCOUNT} (IAM policies can grant the use of a key only when its key policy allows the account); statement UseProcessingKey of policy AcceptEvents/p would allow it`,
    );
  });
});
