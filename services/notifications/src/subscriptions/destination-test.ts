/**
 * Test connection: before an AWS destination subscription is stored, Herald assumes its role and
 * sends one signed test message, so a role that cannot be assumed or a target that refuses is a
 * 422 now, naming what to check, instead of a subscription whose every delivery fails. STS gives
 * one AccessDenied for a role that does not exist, a trust policy without Herald and a wrong
 * ExternalId alike, so the answer lists every one of them.
 */
import { signatureHeader } from '../delivery/webhook-message';
import { Conflict, NotFound, type FieldProblem } from '../problems';
import { destinationTarget, type DestinationService } from './destination-arn';
import type { ExternalIdStore } from './destination-external-id';
import {
  destinationError,
  destinationRequest,
  type AwsFailure,
  type DestinationSender,
} from './destination-message';
import type { RoleCredentials, RoleSessions } from './destination-role';
import type { SubscriptionRepository } from './ports';
import { activeSecrets, secretContext, type SecretCipher } from './signing-secrets';

export interface DestinationDeps {
  externalIds: ExternalIdStore;
  /** The stage's role path prefix: roles must be `role/<prefix>/<name>`. */
  rolePathPrefix: string;
  sender: DestinationSender;
  /** Undefined where the stage sends with the function's own credentials (local: no STS emulator). */
  sessions: RoleSessions | undefined;
}

export const TEST_EVENT_TYPE = 'herald.destination.test';

/** What the role's permission policy must allow for each kind of target. */
const TARGET_PERMISSION: Record<DestinationService, string> = {
  sqs: 'sqs:SendMessage on the queue (and kms:GenerateDataKey and kms:Decrypt on its key when it is encrypted with a customer managed key)',
  sns: 'sns:Publish on the topic (and kms:GenerateDataKey and kms:Decrypt on its key when it is encrypted with a customer managed key)',
  events: 'events:PutEvents on the event bus',
  kinesis:
    'kinesis:PutRecord on the stream (and kms:GenerateDataKey on its key when it is encrypted with a customer managed key)',
};

export const ROLE_CHECKS = [
  'the role exists, in the account its ARN names, under the stage’s path prefix',
  'its trust policy allows sts:AssumeRole to Herald’s delivery role (the principal)',
  'the trust policy’s condition is StringEquals sts:ExternalId with the tenant’s ExternalId (GET /v1/destinations/external-id)',
  'the ExternalId in the condition matches exactly (it is Herald’s, per tenant, and cannot be chosen)',
];

/** The test message's problems; none when the role was assumed and the target took the message. */
export async function testDestination(
  input: {
    subscriptionId: string;
    destination: { arn: string; roleArn: string; externalId: string };
    /** The new subscription's signing secret: the test message is signed as its deliveries will be. */
    secret: Uint8Array;
    now: Date;
    correlationId?: string;
  },
  deps: Pick<DestinationDeps, 'sender' | 'sessions'>,
): Promise<FieldProblem[]> {
  const role = {
    roleArn: input.destination.roleArn,
    externalId: input.destination.externalId,
    subscriptionId: input.subscriptionId,
  };
  let credentials: RoleCredentials | undefined;
  try {
    credentials = deps.sessions ? await deps.sessions.credentials(role) : undefined;
  } catch (error) {
    const mapped = destinationError('sts', error as AwsFailure);
    if (mapped.class === 'destination-access-denied')
      return [
        {
          pointer: '/body/destination/roleArn',
          message: `Herald could not assume the role (${mapped.message}); STS answers AccessDenied alike for each of the following, so check them all`,
        },
        ...ROLE_CHECKS.map((check) => ({ pointer: '/body/destination/roleArn', message: `check: ${check}` })),
      ];
    return [
      {
        pointer: '/body/destination/roleArn',
        message: `Herald could not assume the role (${mapped.message})${mapped.retryable ? '; this may pass: try again' : ''}`,
      },
    ];
  }
  const target = destinationTarget(input.destination.arn);
  const messageId = `msg_test_${input.subscriptionId}`;
  const body = JSON.stringify({
    id: `test_${input.subscriptionId}`,
    type: TEST_EVENT_TYPE,
    timestamp: input.now.toISOString(),
    data: {
      subscriptionId: input.subscriptionId,
      message: 'Herald checks that it can reach this destination; this message can be ignored.',
    },
  });
  const request = destinationRequest(target, {
    body,
    headers: {
      'webhook-id': messageId,
      'webhook-timestamp': String(Math.floor(input.now.getTime() / 1000)),
      'webhook-signature': signatureHeader(messageId, input.now, body, [input.secret]),
    },
    correlationId: input.correlationId ?? messageId,
    eventId: `test_${input.subscriptionId}`,
    eventType: TEST_EVENT_TYPE,
    time: input.now.toISOString(),
  });
  try {
    await deps.sender.send(request, credentials);
    return [];
  } catch (error) {
    const mapped = destinationError(request.service, error as AwsFailure);
    return [
      {
        pointer: '/body/destination/arn',
        message: `the role was assumed, but the destination refused a test message (${mapped.message})${
          mapped.retryable ? '; this may pass: try again' : ''
        }; check that the role's permission policy allows ${TARGET_PERMISSION[target.service]}, and that the ${target.service === 'events' ? 'bus' : target.service === 'kinesis' ? 'stream' : target.service === 'sqs' ? 'queue' : 'topic'} exists in ${target.region}`,
      },
    ];
  }
}

/**
 * POST /v1/subscriptions/{id}/test: the same test message for a subscription that exists (its role
 * or the target's policy changed since, say), signed with its newest secret. What failed is said in
 * the answer, each problem pointing into the subscription (`/destination/roleArn`, `…/arn`).
 */
export async function testSubscriptionDestination(
  tenantId: string,
  id: string,
  deps: Pick<DestinationDeps, 'sender' | 'sessions'> & {
    repository: Pick<SubscriptionRepository, 'get'>;
    cipher: SecretCipher;
    now: () => Date;
  },
): Promise<{ ok: boolean; testedAt: string; errors?: FieldProblem[] }> {
  const subscription = await deps.repository.get(tenantId, id);
  if (!subscription) throw new NotFound('subscription');
  const now = deps.now();
  const [newest] = activeSecrets(subscription.secrets ?? [], now);
  if (subscription.kind !== 'aws' || !subscription.destination || !newest)
    throw new Conflict('wrong-subscription-kind', 'Only AWS destination subscriptions can be tested');
  const secret = await deps.cipher.decrypt(newest.ciphertext, secretContext(tenantId, id));
  const problems = await testDestination(
    { subscriptionId: id, destination: subscription.destination, secret, now },
    deps,
  );
  const errors = problems.map((problem) => ({ ...problem, pointer: problem.pointer.replace(/^\/body/, '') }));
  return { ok: errors.length === 0, testedAt: now.toISOString(), ...(errors.length > 0 ? { errors } : {}) };
}
