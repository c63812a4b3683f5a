/**
 * Assuming a destination's role: the STS request Herald makes (its ExternalId, a session name that
 * says Herald and the subscription, so the destination owner's CloudTrail shows who sent what), and
 * the credentials kept per container until shortly before they expire, so a busy subscription costs
 * one AssumeRole an hour, not one a message.
 */

/** The AssumeRole request, in STS's field names. */
export interface AssumeRoleRequest {
  RoleArn: string;
  RoleSessionName: string;
  ExternalId: string;
  DurationSeconds: number;
}

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** STS as the destinations need it; an adapter wraps the SDK's client, tests hold an in-memory one. */
export interface StsPort {
  /** The role's temporary credentials; throws STS's error (its `name`: AccessDenied, …) otherwise. */
  assumeRole(request: AssumeRoleRequest): Promise<RoleCredentials>;
}

/** What a delivery or a test-connection assumes: the subscription's role with the tenant's ExternalId. */
export interface RoleToAssume {
  roleArn: string;
  externalId: string;
  subscriptionId: string;
}

/** An hour: STS's default, and the longest a role allows unless its owner raised MaxSessionDuration. */
export const SESSION_SECONDS = 3600;
/** Credentials are renewed this long before they expire, so none expires between use and send. */
export const RENEW_BEFORE_MS = 5 * 60_000;
const MAX_SESSIONS = 1000;

/** `herald-<subscription id>`: STS allows 2-64 of `[\w+=,.@-]`, which a subscription id keeps to. */
export function sessionName(subscriptionId: string): string {
  return `herald-${subscriptionId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

export function assumeRoleRequest(role: RoleToAssume): AssumeRoleRequest {
  return {
    RoleArn: role.roleArn,
    RoleSessionName: sessionName(role.subscriptionId),
    ExternalId: role.externalId,
    DurationSeconds: SESSION_SECONDS,
  };
}

export interface RoleSessions {
  credentials(role: RoleToAssume): Promise<RoleCredentials>;
  /** Forgets a subscription's credentials (the destination refused them: they may be stale). */
  forget(role: RoleToAssume): void;
}

/**
 * Credentials per (subscription, role, ExternalId), each kept until RENEW_BEFORE_MS before it
 * expires; tasks of one subscription asking at once share one AssumeRole. At most 1,000 kept, the
 * oldest dropped first.
 */
export function roleSessions(sts: StsPort, now: () => number = Date.now): RoleSessions {
  const kept = new Map<string, Promise<RoleCredentials>>();
  const keyOf = (role: RoleToAssume) => `${role.subscriptionId} ${role.roleArn} ${role.externalId}`;
  return {
    async credentials(role) {
      const key = keyOf(role);
      const held = kept.get(key);
      if (held) {
        const credentials = await held.catch(() => undefined);
        if (credentials && credentials.expiration.getTime() - RENEW_BEFORE_MS > now()) return credentials;
        if (kept.get(key) === held) kept.delete(key);
        else return this.credentials(role);
      }
      const made = sts.assumeRole(assumeRoleRequest(role));
      kept.set(key, made);
      if (kept.size > MAX_SESSIONS) kept.delete(kept.keys().next().value!);
      // A failure is not kept: the next task asks STS again (the owner may have fixed the role).
      made.catch(() => {
        if (kept.get(key) === made) kept.delete(key);
      });
      return made;
    },
    forget(role) {
      kept.delete(keyOf(role));
    },
  };
}
