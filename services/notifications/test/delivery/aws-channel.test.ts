/**
 * AWS destination subscriptions end to end in memory: created through the API logic (ExternalId,
 * test connection), fanned out to their own lane, sent by the AWS channel with the assumed role's
 * credentials, and retried or failed by the pipeline as any channel's attempts are.
 */
import { describe, expect, test } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { deliverTask } from '../../src/delivery/pipeline';
import { awsChannel } from '../../src/delivery/aws-channel';
import { rotateSecret } from '../../src/subscriptions/rotate-secret';
import { testSubscriptionDestination } from '../../src/subscriptions/destination-test';
import { InvalidInput } from '../../src/problems';
import type { ExternalIdStore } from '../../src/subscriptions/destination-external-id';
import type { DestinationRequest, DestinationSender } from '../../src/subscriptions/destination-message';
import {
  roleSessions,
  type AssumeRoleRequest,
  type RoleCredentials,
  type StsPort,
} from '../../src/subscriptions/destination-role';
import { memoryCipher } from '../support/memory';
import { world } from '../support/world';

class MemoryExternalIds implements ExternalIdStore {
  readonly items = new Map<string, string>();
  async get(tenantId: string) {
    return this.items.get(tenantId);
  }
  async putIfAbsent(tenantId: string, externalId: string) {
    if (this.items.has(tenantId)) return false;
    this.items.set(tenantId, externalId);
    return true;
  }
}

class MemorySts implements StsPort {
  readonly requests: AssumeRoleRequest[] = [];
  refuse: string | undefined;
  async assumeRole(request: AssumeRoleRequest): Promise<RoleCredentials> {
    this.requests.push(request);
    if (this.refuse)
      throw Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), {
        name: this.refuse,
        $metadata: { httpStatusCode: 403 },
      });
    return {
      accessKeyId: 'ASIATEST',
      secretAccessKey: 's',
      sessionToken: 't',
      expiration: new Date(Date.now() + 3600_000),
    };
  }
}

class RecordingSender implements DestinationSender {
  readonly sent: Array<{ request: DestinationRequest; credentials: RoleCredentials | undefined }> = [];
  readonly refusals: Array<{ name: string; status: number }> = [];
  async send(request: DestinationRequest, credentials: RoleCredentials | undefined) {
    this.sent.push({ request, credentials });
    const refusal = this.refusals.shift();
    if (refusal)
      throw Object.assign(new Error('refused'), {
        name: refusal.name,
        $metadata: { httpStatusCode: refusal.status },
      });
  }
}

const QUEUE = 'arn:aws:sqs:eu-west-1:123456789012:orders';
const ROLE = 'arn:aws:iam::123456789012:role/herald-destinations/orders';

function setup() {
  const w = world();
  const externalIds = new MemoryExternalIds();
  const sts = new MemorySts();
  const sender = new RecordingSender();
  const sessions = roleSessions(sts);
  w.subscriptionDeps.destinations = () => ({
    externalIds,
    rolePathPrefix: 'herald-destinations',
    sender,
    sessions,
  });
  const channel = awsChannel({ sender, cipher: memoryCipher, sessions });
  const subscribe = (destination = { arn: QUEUE, roleArn: ROLE }, tenantId = 'acme') =>
    w.subscribe({ url: undefined, destination }, tenantId);
  const run = async () => {
    const next = w.queues.take();
    expect(next.lane).toBe('aws');
    return deliverTask(next.task, next.messageId, { ...w.deliverDeps('aws'), channel });
  };
  return { w, externalIds, sts, sender, subscribe, run };
}

const attributesOf = (request: DestinationRequest) =>
  Object.fromEntries(
    Object.entries(
      (request.input as { MessageAttributes: Record<string, { StringValue: string }> }).MessageAttributes,
    ).map(([name, value]) => [name, value.StringValue]),
  );

describe('creating an AWS destination subscription', () => {
  test('assumes the role with the tenant’s ExternalId, sends a signed test message, and shows the ExternalId', async () => {
    const { sts, sender, subscribe, externalIds } = setup();
    const created = await subscribe();
    expect(created.subscription).toMatchObject({
      kind: 'aws',
      status: 'active',
      destination: { arn: QUEUE, roleArn: ROLE, externalId: externalIds.items.get('acme') },
    });
    expect(created.subscription).not.toHaveProperty('url');
    expect(created.secret).toMatch(/^whsec_/);
    expect(sts.requests).toEqual([
      expect.objectContaining({
        RoleArn: ROLE,
        ExternalId: externalIds.items.get('acme'),
        RoleSessionName: `herald-${created.subscription.id}`,
      }),
    ]);
    const [test] = sender.sent;
    expect(test!.credentials).toMatchObject({ accessKeyId: 'ASIATEST' });
    const body = (test!.request.input as { MessageBody: string }).MessageBody;
    expect(new Webhook(created.secret!).verify(body, attributesOf(test!.request))).toMatchObject({
      type: 'herald.destination.test',
      data: { subscriptionId: created.subscription.id },
    });
  });

  test('one ExternalId per tenant, the same for each of its destinations, another for another tenant', async () => {
    const { subscribe } = setup();
    const a = await subscribe();
    const b = await subscribe();
    const c = await subscribe(undefined, 'globex');
    expect(a.subscription.destination!.externalId).toMatch(/^herald-[A-Za-z0-9_-]{32}$/);
    expect(b.subscription.destination!.externalId).toBe(a.subscription.destination!.externalId);
    expect(c.subscription.destination!.externalId).not.toBe(a.subscription.destination!.externalId);
  });

  test('STS’s AccessDenied is a 422 listing what to check, and nothing is stored', async () => {
    const { w, sts, sender, subscribe } = setup();
    sts.refuse = 'AccessDenied';
    const error = (await subscribe().catch((e: unknown) => e)) as InvalidInput;
    expect(error).toBeInstanceOf(InvalidInput);
    const messages = error.problems.map((p) => `${p.pointer} ${p.message}`);
    expect(messages[0]).toMatch(
      /^\/body\/destination\/roleArn Herald could not assume the role \(sts AccessDenied/,
    );
    expect(messages.join('\n')).toMatch(/exists.*under the stage’s path prefix/);
    expect(messages.join('\n')).toMatch(/trust policy allows sts:AssumeRole to Herald’s delivery role/);
    expect(messages.join('\n')).toMatch(/sts:ExternalId/);
    expect(sender.sent).toEqual([]);
    expect(await w.subscriptions.listByPartition('TENANT#acme', 10)).toMatchObject({ items: [] });
  });

  test('a target that refuses the test message is a 422 on the ARN naming the permission', async () => {
    const { sender, subscribe } = setup();
    sender.refusals.push({ name: 'AccessDenied', status: 403 });
    const error = (await subscribe().catch((e: unknown) => e)) as InvalidInput;
    expect(error.problems).toEqual([
      {
        pointer: '/body/destination/arn',
        message: expect.stringMatching(
          /^the role was assumed, but the destination refused a test message \(sqs AccessDenied: refused\); check that the role's permission policy allows sqs:SendMessage on the queue/,
        ),
      },
    ]);
  });

  test('bad ARNs, a role outside the prefix, or two kinds at once are refused before anything is called', async () => {
    const { sts, subscribe, w } = setup();
    await expect(
      subscribe({ arn: 'arn:aws:s3:::bucket', roleArn: 'arn:aws:iam::123456789012:role/orders' }),
    ).rejects.toMatchObject({
      problems: [
        { pointer: '/body/destination/arn', message: expect.stringMatching(/^service "s3"/) },
        {
          pointer: '/body/destination/roleArn',
          message: expect.stringMatching(/not a role under the path \/herald-destinations\//),
        },
      ],
    });
    await expect(w.subscribe({ destination: { arn: QUEUE, roleArn: ROLE } })).rejects.toMatchObject({
      problems: [{ pointer: '/body', message: expect.stringMatching(/exactly one of url/) }],
    });
    await expect(
      subscribe(undefined).then(() =>
        w.subscribe({ url: undefined, destination: { arn: QUEUE, roleArn: ROLE }, timeoutSeconds: 5 }),
      ),
    ).rejects.toMatchObject({
      problems: [
        { pointer: '/body', message: 'headers and timeoutSeconds are for webhook subscriptions only' },
      ],
    });
    expect(sts.requests).toHaveLength(1);
  });
});

describe('delivering to an AWS destination', () => {
  test('an event goes on the AWS lane and reaches the queue signed, with the role’s credentials', async () => {
    const { w, sender, subscribe, run } = setup();
    const { secret } = await subscribe();
    await w.publish(w.keys.sign({ id: 'evt-a', data: { total: 7 } }));
    expect(await run()).toBe('succeeded');
    const { request, credentials } = sender.sent.at(-1)!;
    expect(request.service).toBe('sqs');
    expect(credentials?.accessKeyId).toBe('ASIATEST');
    const attributes = attributesOf(request);
    expect(
      new Webhook(secret!).verify((request.input as { MessageBody: string }).MessageBody, attributes),
    ).toMatchObject({
      id: 'evt-a',
      data: { total: 7 },
    });
    expect(attributes['webhook-id']).toMatch(/^msg_/);
  });

  test('a refusing destination fails at once; a throttling one is retried; one credential for both', async () => {
    const { w, sts, sender, subscribe, run } = setup();
    await subscribe();
    sender.refusals.push({ name: 'ThrottlingException', status: 400 });
    await w.publish(w.keys.sign({ id: 'evt-b' }));
    expect(await run()).toBe('retrying');
    sender.refusals.push({ name: 'QueueDoesNotExist', status: 400 });
    await w.publish(w.keys.sign({ id: 'evt-c' }));
    w.queues.tasks.sort((a, b) => (a.task.eventId === 'evt-c' ? -1 : b.task.eventId === 'evt-c' ? 1 : 0));
    expect(await run()).toBe('failed');
    expect(sts.requests).toHaveLength(1);
  });

  test('a role that can no longer be assumed fails the attempt, naming what to check', async () => {
    const { w, sts, subscribe } = setup();
    const { subscription } = await subscribe();
    sts.refuse = 'AccessDenied';
    await w.publish(w.keys.sign({ id: 'evt-d' }));
    const next = w.queues.take();
    // Another container: the credentials kept since the creation are not there.
    const channel = awsChannel({
      sender: new RecordingSender(),
      cipher: memoryCipher,
      sessions: roleSessions(sts),
    });
    expect(await deliverTask(next.task, next.messageId, { ...w.deliverDeps('aws'), channel })).toBe('failed');
    const [delivery] = (await w.deliveries.listBySubscription('acme', subscription.id, 10)).items;
    expect(delivery!.attempts.at(-1)).toMatchObject({
      error: 'assume-role-denied',
      detail: expect.stringMatching(/^sts AccessDenied: .*check that the role exists under the path prefix/),
    });
  });
});

describe('testing an AWS destination that exists', () => {
  test('the newest secret signs the test message; a refusal is said in the answer, pointed into the subscription', async () => {
    const { w, sender, subscribe, externalIds, sts } = setup();
    const { subscription } = await subscribe();
    const deps = {
      externalIds,
      sender,
      sessions: roleSessions(sts),
      repository: w.subscriptions,
      cipher: memoryCipher,
      now: w.now,
    };
    const rotated = await rotateSecret('acme', subscription.id, {}, w.subscriptionDeps);
    expect(await testSubscriptionDestination('acme', subscription.id, deps)).toEqual({
      ok: true,
      testedAt: w.now().toISOString(),
    });
    const { request } = sender.sent.at(-1)!;
    expect(
      new Webhook((rotated as { secret: string }).secret).verify(
        (request.input as { MessageBody: string }).MessageBody,
        attributesOf(request),
      ),
    ).toMatchObject({ type: 'herald.destination.test' });

    sender.refusals.push({ name: 'QueueDoesNotExist', status: 400 });
    const failed = await testSubscriptionDestination('acme', subscription.id, deps);
    expect(failed).toMatchObject({
      ok: false,
      errors: [{ pointer: '/destination/arn', message: expect.stringMatching(/QueueDoesNotExist/) }],
    });
  });

  test('a webhook subscription cannot be tested; another tenant’s is not found', async () => {
    const { w, sender, subscribe, externalIds, sts } = setup();
    const hook = await w.subscribe();
    const { subscription } = await subscribe();
    const deps = {
      externalIds,
      sender,
      sessions: roleSessions(sts),
      repository: w.subscriptions,
      cipher: memoryCipher,
      now: w.now,
    };
    await expect(testSubscriptionDestination('acme', hook.subscription.id, deps)).rejects.toMatchObject({
      slug: 'wrong-subscription-kind',
    });
    await expect(testSubscriptionDestination('globex', subscription.id, deps)).rejects.toMatchObject({
      name: 'NotFound',
    });
  });
});
