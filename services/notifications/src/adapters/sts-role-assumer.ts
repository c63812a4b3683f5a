import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AssumeRoleRequest, RoleCredentials, StsPort } from '../subscriptions/destination-role';

/** STS's AssumeRole behind the destinations' port; STS's errors pass through as thrown. */
export class StsRoleAssumer implements StsPort {
  constructor(private readonly sts: STSClient) {}

  async assumeRole(request: AssumeRoleRequest): Promise<RoleCredentials> {
    const out = await this.sts.send(new AssumeRoleCommand(request));
    const credentials = out.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken)
      throw new Error('STS answered AssumeRole without credentials');
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration ?? new Date(Date.now() + 15 * 60_000),
    };
  }
}
