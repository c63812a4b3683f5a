/**
 * Double opt-in and unsubscribing for e-mail subscriptions. A new e-mail subscription is `pending`
 * and its address is sent a signed link that expires; following it makes the subscription `active`.
 * Deliveries to a pending subscription are cancelled (never sent, never queued up for later), so an
 * address that never confirms gets the one confirmation mail and nothing else. Every delivery mail
 * carries a signed unsubscribe link (RFC 8058 one-click) that makes the subscription `unsubscribed`.
 */
import type { AttemptResult, EmailMessage } from '../delivery/ports';
import { toView, type SubscriptionRecord, type SubscriptionView } from '../model/subscription';
import { Conflict, NotFound } from '../problems';
import {
  signEmailToken,
  verifyEmailToken,
  type EmailTokenKeys,
  type EmailTokenPurpose,
  type TokenCheck,
} from './email-confirmation-token';
import type { SubscriptionRepository } from './ports';

/** A confirmation link works for three days; ask for another after that. */
export const CONFIRM_TTL_SECONDS = 3 * 86_400;
/** An unsubscribe link works a year: mail clients offer it long after the mail arrived. */
export const UNSUBSCRIBE_TTL_SECONDS = 365 * 86_400;
/** A tenant may have the confirmation sent again once a minute per subscription. */
export const RESEND_INTERVAL_SECONDS = 60;

export interface EmailLinkDeps {
  repository: Pick<SubscriptionRepository, 'get' | 'update'>;
  /** The link-signing keys, read when first needed (a secret only notifications holds). */
  keys: () => Promise<EmailTokenKeys>;
  mailer: { send(message: EmailMessage): Promise<AttemptResult> };
  /** The public base of the HTTP API the links point to, without a trailing slash. */
  linkBaseUrl: string;
  now: () => Date;
}

/** The tenant asked for the confirmation mail again too soon. */
export class ResendTooSoon extends Error {
  override readonly name = 'ResendTooSoon';
  constructor(readonly retryAfterSeconds: number) {
    super(`The confirmation mail was sent less than ${RESEND_INTERVAL_SECONDS} s ago; try again later`);
  }
}

type Addressed = Pick<SubscriptionRecord, 'id' | 'tenantId' | 'email'>;

export async function emailLink(
  purpose: EmailTokenPurpose,
  subscription: Addressed,
  deps: Pick<EmailLinkDeps, 'keys' | 'linkBaseUrl' | 'now'>,
): Promise<string> {
  const ttl = purpose === 'confirm' ? CONFIRM_TTL_SECONDS : UNSUBSCRIBE_TTL_SECONDS;
  const token = signEmailToken(
    {
      purpose,
      subscriptionId: subscription.id,
      tenantId: subscription.tenantId,
      email: subscription.email!,
      expiresAt: Math.floor(deps.now().getTime() / 1000) + ttl,
    },
    await deps.keys(),
  );
  return `${deps.linkBaseUrl}/v1/email/${purpose}?token=${token}`;
}

function confirmationMessage(subscription: Addressed, link: string): EmailMessage {
  return {
    to: subscription.email!,
    subject: '[Herald] Confirm your subscription',
    text: [
      'Someone asked Herald to send event notifications to this address.',
      '',
      'To receive them, confirm within three days:',
      link,
      '',
      'If you did not ask for this, ignore this mail: nothing more will be sent to you.',
      `Subscription: ${subscription.id}`,
    ].join('\n'),
  };
}

/** Whether the confirmation mail went out; when not, why (an error class, never an address). */
export type ConfirmationMail = { sent: true } | { sent: false; reason: string };

/**
 * Sends the confirmation mail and records when; the subscription as it is after, and whether the
 * mail went out. Nothing here throws for a mail that could not be sent (SES refusing or down, the
 * link key unreadable): the subscription exists and stays pending without `confirmationSentAt`, and
 * the tenant asks for the mail again.
 */
export async function requestConfirmation(
  subscription: SubscriptionRecord,
  deps: EmailLinkDeps,
): Promise<{ subscription: SubscriptionView; mail: ConfirmationMail }> {
  const unsent = (reason: string) => ({
    subscription: toView(subscription),
    mail: { sent: false as const, reason },
  });
  let sent: AttemptResult;
  try {
    const link = await emailLink('confirm', subscription, deps);
    sent = await deps.mailer.send(confirmationMessage(subscription, link));
  } catch (error) {
    return unsent((error as { name?: string }).name ?? 'Error');
  }
  if (sent.error) return unsent(sent.error.class);
  const now = deps.now().toISOString();
  let updated: SubscriptionRecord | undefined;
  try {
    updated = await deps.repository.update(
      subscription.tenantId,
      subscription.id,
      { set: { confirmationSentAt: now } },
      { statusIn: ['pending'] },
    );
  } catch {
    // The mail went out; only its time is not kept (a resend is then not held back a minute).
  }
  return { subscription: toView(updated ?? subscription), mail: { sent: true } };
}

/** The confirmation mail could not be sent now; the subscription is unchanged. */
export class ConfirmationNotSent extends Error {
  override readonly name = 'ConfirmationNotSent';
  constructor(readonly reason: string) {
    super('The confirmation mail could not be sent; try again later');
  }
}

/** `POST /v1/subscriptions/{id}/resend-confirmation`: a pending e-mail subscription, once a minute. */
export async function resendConfirmation(
  tenantId: string,
  id: string,
  deps: EmailLinkDeps,
): Promise<SubscriptionView> {
  const subscription = await deps.repository.get(tenantId, id);
  if (!subscription) throw new NotFound('subscription');
  if (subscription.kind !== 'email' || subscription.status !== 'pending') {
    throw new Conflict('not-pending', 'Only a pending e-mail subscription awaits confirmation');
  }
  if (subscription.confirmationSentAt) {
    const since = (deps.now().getTime() - Date.parse(subscription.confirmationSentAt)) / 1000;
    if (since < RESEND_INTERVAL_SECONDS) throw new ResendTooSoon(Math.ceil(RESEND_INTERVAL_SECONDS - since));
  }
  const { subscription: after, mail } = await requestConfirmation(subscription, deps);
  if (!mail.sent) throw new ConfirmationNotSent(mail.reason);
  return after;
}

export type LinkOutcome =
  | { outcome: 'confirmed' | 'already-confirmed' | 'unsubscribed' | 'already-unsubscribed' }
  | { outcome: 'refused'; reason: Exclude<TokenCheck, { ok: true }>['reason'] | 'gone' | 'unsubscribed' };

type Refusal = Extract<LinkOutcome, { outcome: 'refused' }>['reason'];

async function checked(
  token: string,
  purpose: EmailTokenPurpose,
  deps: EmailLinkDeps,
): Promise<{ refused: Refusal } | { subscription: SubscriptionRecord }> {
  const check = verifyEmailToken(token, purpose, await deps.keys(), deps.now());
  if (!check.ok) return { refused: check.reason };
  const { tenantId, subscriptionId, email } = check.claims;
  const subscription = await deps.repository.get(tenantId, subscriptionId);
  // A link names the address it was sent to: one for an address since changed does nothing.
  if (!subscription || subscription.kind !== 'email' || subscription.email !== email)
    return { refused: 'gone' };
  return { subscription };
}

/** `GET /v1/email/confirm?token=`: pending → active; following it again changes nothing. */
export async function confirmEmail(token: string, deps: EmailLinkDeps): Promise<LinkOutcome> {
  const found = await checked(token, 'confirm', deps);
  if ('refused' in found) return { outcome: 'refused', reason: found.refused };
  const { subscription } = found;
  if (subscription.status === 'unsubscribed') return { outcome: 'refused', reason: 'unsubscribed' };
  if (subscription.status !== 'pending') return { outcome: 'already-confirmed' };
  const now = deps.now().toISOString();
  const updated = await deps.repository.update(
    subscription.tenantId,
    subscription.id,
    { set: { status: 'active', confirmedAt: now, updatedAt: now } },
    { statusIn: ['pending'] },
  );
  return { outcome: updated ? 'confirmed' : 'already-confirmed' };
}

/** `POST /v1/email/unsubscribe?token=` (RFC 8058 one-click): nothing is sent to the address any more. */
export async function unsubscribeEmail(token: string, deps: EmailLinkDeps): Promise<LinkOutcome> {
  const found = await checked(token, 'unsubscribe', deps);
  if ('refused' in found) {
    // Deleted meanwhile: the address gets nothing either way.
    return found.refused === 'gone'
      ? { outcome: 'already-unsubscribed' }
      : { outcome: 'refused', reason: found.refused };
  }
  const { subscription } = found;
  if (subscription.status === 'unsubscribed') return { outcome: 'already-unsubscribed' };
  const now = deps.now().toISOString();
  const updated = await deps.repository.update(
    subscription.tenantId,
    subscription.id,
    { set: { status: 'unsubscribed', unsubscribedAt: now, updatedAt: now } },
    { statusIn: ['active', 'paused', 'disabled', 'pending'] },
  );
  return { outcome: updated ? 'unsubscribed' : 'already-unsubscribed' };
}

/** Checks an unsubscribe link without using it (the page a GET shows, whose button POSTs). */
export async function checkUnsubscribeLink(token: string, deps: EmailLinkDeps): Promise<TokenCheck> {
  return verifyEmailToken(token, 'unsubscribe', await deps.keys(), deps.now());
}
