/**
 * The per-tenant daily e-mail cap: one enforcement point taking the limit as input, a number or the
 * tenant's limit by tenant (deliverEmail's: the tenant's own setting as notifications keeps it from
 * tenant.settings_updated, else the stage's `tenantLimits` for the tenant, else the stage's default). Each UTC day a tenant may send `limit` mails; the ones over it are held until the
 * next UTC day and sent then, never dropped.
 */

/** Counts a tenant's mails of one UTC day: one conditional write, true when the mail fits under `limit`. */
export interface EmailDayCounter {
  tryCount(tenantId: string, day: string, limit: number): Promise<boolean>;
}

/** A cap the same for every tenant, or each tenant's own (which may have to be read). */
export type EmailCapLimit = number | ((tenantId: string) => number | Promise<number>);

export type EmailCapDecision =
  { send: true } | { send: false; reason: 'daily-email-cap'; heldUntil: string; limit: number };

/** `2026-11-30` for any time of that UTC day. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The start of the next UTC day, when held mails go out. */
export function nextUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

export async function enforceDailyEmailCap(
  tenantId: string,
  cap: EmailCapLimit,
  counter: EmailDayCounter,
  now: Date,
): Promise<EmailCapDecision> {
  const limit = typeof cap === 'number' ? cap : await cap(tenantId);
  if (await counter.tryCount(tenantId, utcDay(now), limit)) return { send: true };
  return { send: false, reason: 'daily-email-cap', heldUntil: nextUtcDay(now).toISOString(), limit };
}
