/**
 * The STS request Herald makes for a destination (through an in-memory STS of the port's shape,
 * never a mocked SDK) and the credentials it keeps until shortly before they expire.
 */
import { describe, expect, test } from '@jest/globals';
import {
  RENEW_BEFORE_MS,
  roleSessions,
  sessionName,
  type AssumeRoleRequest,
  type RoleCredentials,
  type StsPort,
} from '../../src/subscriptions/destination-role';

class MemorySts implements StsPort {
  readonly requests: AssumeRoleRequest[] = [];
  refuse: string | undefined;
  constructor(private readonly clock: () => number) {}
  async assumeRole(request: AssumeRoleRequest): Promise<RoleCredentials> {
    this.requests.push(request);
    if (this.refuse)
      throw Object.assign(new Error('not authorized to perform: sts:AssumeRole'), { name: this.refuse });
    return {
      accessKeyId: `ASIA${this.requests.length}`,
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: new Date(this.clock() + request.DurationSeconds * 1000),
    };
  }
}

const role = {
  roleArn: 'arn:aws:iam::123456789012:role/herald-destinations/orders',
  externalId: 'herald-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  subscriptionId: 'sub_01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC',
};

describe('assuming a destination role', () => {
  test('the request names the role, the tenant’s ExternalId and Herald with the subscription', async () => {
    let now = 1_000_000;
    const sts = new MemorySts(() => now);
    await roleSessions(sts, () => now).credentials(role);
    expect(sts.requests).toEqual([
      {
        RoleArn: role.roleArn,
        ExternalId: role.externalId,
        RoleSessionName: 'herald-sub_01JDQ7ZK3M8Q5V6W7X8Y9Z0ABC',
        DurationSeconds: 3600,
      },
    ]);
    expect(sessionName('sub_x/y')).toBe('herald-sub_x-y');
    now += 0;
  });

  test('credentials are kept until shortly before they expire, one AssumeRole for tasks asking at once', async () => {
    let now = 1_000_000;
    const sts = new MemorySts(() => now);
    const sessions = roleSessions(sts, () => now);
    const [a, b] = await Promise.all([sessions.credentials(role), sessions.credentials(role)]);
    expect(a).toBe(b);
    expect(sts.requests).toHaveLength(1);
    now += 3600_000 - RENEW_BEFORE_MS - 1;
    expect(await sessions.credentials(role)).toBe(a);
    now += 2;
    expect((await sessions.credentials(role)).accessKeyId).toBe('ASIA2');
    expect(sts.requests).toHaveLength(2);
  });

  test('a refusal is not kept, and forgetting makes the next use assume again', async () => {
    const sts = new MemorySts(() => 0);
    const sessions = roleSessions(sts, () => 0);
    sts.refuse = 'AccessDenied';
    await expect(sessions.credentials(role)).rejects.toMatchObject({ name: 'AccessDenied' });
    sts.refuse = undefined;
    await sessions.credentials(role);
    sessions.forget(role);
    await sessions.credentials(role);
    expect(sts.requests).toHaveLength(3);
  });

  test('another ExternalId or subscription is another session', async () => {
    const sts = new MemorySts(() => 0);
    const sessions = roleSessions(sts, () => 0);
    await sessions.credentials(role);
    await sessions.credentials({ ...role, externalId: 'herald-other' });
    await sessions.credentials({ ...role, subscriptionId: 'sub_other' });
    expect(sts.requests).toHaveLength(3);
  });
});
