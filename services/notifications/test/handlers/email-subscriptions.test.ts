/**
 * E-mail subscriptions through their handlers, on the in-memory world: a confirmation mail that
 * cannot be sent at creation still answers 201 with the subscription pending and says how to have
 * the mail sent; pause and resume never make an unconfirmed (or unsubscribed) address active.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { HttpLambdaHandler } from '@herald/shared/entry/http';
import {
  authEnvironment,
  captureLogs,
  expectProblem,
  httpEvent,
  lambdaContext,
  type AuthFixture,
} from '@herald/shared/testing/http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { AttemptResult, EmailMessage } from '../../src/delivery/ports';
import { confirmEmail, type EmailLinkDeps } from '../../src/subscriptions/email-confirmation';
import type { SubscriptionDeps } from '../../src/subscriptions/ports';
import { MemoryQueues } from '../support/memory';
import { world } from '../support/world';

let auth: AuthFixture;
let logs: ReturnType<typeof captureLogs>;
let w: ReturnType<typeof world>;
let mails: EmailMessage[];
/** What the mailer does next: an answer, or an error it throws (SES's client failing outright). */
let mailer: Array<AttemptResult | Error>;
let keysFail: boolean;
let links: EmailLinkDeps;
let jobs: MemoryQueues;
const handlers: Record<string, HttpLambdaHandler> = {};
const WRITE = { scope: 'subscriptions:read subscriptions:write' };

beforeAll(async () => {
  auth = await authEnvironment();
  const deps = (): SubscriptionDeps => ({ ...w.subscriptionDeps, emailLinks: () => links });
  handlers.create = (await import('../../src/handlers/create-subscription')).createHandler(deps);
  handlers.resend = (await import('../../src/handlers/resend-confirmation')).createHandler(() => links);
  handlers.pause = (await import('../../src/handlers/pause-subscription')).createHandler(deps);
  handlers.resume = (await import('../../src/handlers/resume-subscription')).createHandler(() => ({
    ...deps(),
    jobs: { send: (job, delay) => jobs.sendJob(job, delay) },
  }));
});

beforeEach(() => {
  w = world();
  logs = captureLogs();
  mails = [];
  mailer = [];
  keysFail = false;
  jobs = new MemoryQueues();
  links = {
    repository: w.subscriptions,
    keys: async () => {
      if (keysFail) throw Object.assign(new Error('secret unreadable'), { name: 'AccessDeniedException' });
      return { current: new Uint8Array(32).fill(3) };
    },
    mailer: {
      async send(message) {
        const next = mailer.shift() ?? { statusCode: 200, durationMs: 1 };
        if (next instanceof Error) throw next;
        if (!next.error) mails.push(message);
        return next;
      },
    },
    linkBaseUrl: 'https://api.herald.example',
    now: w.now,
  };
});
afterEach(() => logs.restore());

async function call(
  name: string,
  method: string,
  path: string,
  options: { body?: unknown; id?: string } = {},
) {
  const event = httpEvent({
    method,
    path,
    headers: await auth.headers({ claims: WRITE }),
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    ...(options.id ? { pathParameters: { id: options.id } } : {}),
  });
  const response = (await handlers[name]!(event, lambdaContext())) as APIGatewayProxyStructuredResultV2;
  return { response, body: JSON.parse(response.body ?? '{}') as Record<string, unknown> };
}

const create = () =>
  call('create', 'POST', '/v1/subscriptions', {
    body: { email: 'ops@example.com', eventTypes: ['order.*'] },
  });
const action = (name: 'pause' | 'resume' | 'resend', id: string) =>
  call(name, 'POST', `/v1/subscriptions/${id}/${name === 'resend' ? 'resend-confirmation' : name}`, { id });
/** A problem response of `status` whose type is `slug`. */
function refused(response: APIGatewayProxyStructuredResultV2, status: number, slug: string) {
  const path = String(JSON.parse(response.body ?? '{}').instance);
  expect(expectProblem(response, status, path)).toMatchObject({
    type: `https://herald.dev/problems/${slug}`,
  });
}
const tokenIn = (text: string) => /\?token=([^\s]+)/.exec(text)![1]!;

describe('creating an e-mail subscription when its confirmation mail cannot be sent', () => {
  test.each([
    [
      'SES refuses it',
      () => mailer.push({ durationMs: 3, error: { class: 'unavailable', message: 'ServiceUnavailable' } }),
      'unavailable',
    ],
    [
      'SES’s client throws',
      () => mailer.push(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })),
      'TimeoutError',
    ],
    ['the link key cannot be read', () => (keysFail = true), 'AccessDeniedException'],
  ])('%s: 201, pending, and the body says the mail was not sent', async (_case, fail, reason) => {
    fail();
    const { response, body } = await create();
    expect(response.statusCode).toBe(201);
    expect(body).toMatchObject({ kind: 'email', status: 'pending', confirmationMail: { sent: false } });
    expect(body.confirmationSentAt).toBeUndefined();
    expect((body.confirmationMail as { detail: string }).detail).toContain(
      `POST /v1/subscriptions/${body.id as string}/resend-confirmation`,
    );
    expect(mails).toHaveLength(0);
    // It exists, pending, and the reason is logged (never the address).
    expect(await w.subscriptions.get('acme', body.id as string)).toMatchObject({ status: 'pending' });
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ message: 'Confirmation mail not sent', subscriptionId: body.id, reason }),
    );
    expect(logs.text()).not.toContain('ops@example.com');

    // Asked for again once the mail can go: sent, and its link confirms.
    keysFail = false;
    const resent = await action('resend', body.id as string);
    expect(resent.response.statusCode).toBe(200);
    expect(resent.body).toMatchObject({ status: 'pending', confirmationSentAt: w.now().toISOString() });
    expect(await confirmEmail(tokenIn(mails[0]!.text), links)).toEqual({ outcome: 'confirmed' });
  });

  test('a sent confirmation says so', async () => {
    const { response, body } = await create();
    expect(response.statusCode).toBe(201);
    expect(body).toMatchObject({ status: 'pending', confirmationMail: { sent: true } });
    expect(mails).toHaveLength(1);
  });

  test('a resend whose mail cannot be sent is a 503 problem, the subscription unchanged', async () => {
    mailer.push({ durationMs: 3, error: { class: 'throttled', message: 'TooManyRequestsException' } });
    const { body } = await create();
    mailer.push({ durationMs: 3, error: { class: 'throttled', message: 'TooManyRequestsException' } });
    const resent = await action('resend', body.id as string);
    refused(resent.response, 503, 'mail-not-sent');
    expect(await w.subscriptions.get('acme', body.id as string)).toMatchObject({ status: 'pending' });
  });
});

describe('pause and resume of an e-mail subscription', () => {
  test('a pending one is neither paused nor resumed: 409 not-confirmed, still pending, no release', async () => {
    const { body } = await create();
    const id = body.id as string;
    for (const name of ['pause', 'resume'] as const) {
      const { response } = await action(name, id);
      refused(response, 409, 'not-confirmed');
    }
    expect(await w.subscriptions.get('acme', id)).toMatchObject({ status: 'pending' });
    expect(jobs.jobs).toHaveLength(0);
  });

  test('a paused one whose address changed is pending: resume refuses, it stays pending', async () => {
    const { body } = await create();
    const id = body.id as string;
    await confirmEmail(tokenIn(mails[0]!.text), links);
    expect((await action('pause', id)).response.statusCode).toBe(200);
    await w.subscriptions.update('acme', id, { set: { email: 'new@example.com', status: 'pending' } });
    refused((await action('resume', id)).response, 409, 'not-confirmed');
    expect(await w.subscriptions.get('acme', id)).toMatchObject({ status: 'pending' });
  });

  test('an unsubscribed one stays unsubscribed: 409 unsubscribed', async () => {
    const { body } = await create();
    const id = body.id as string;
    await w.subscriptions.update('acme', id, { set: { status: 'unsubscribed' } });
    for (const name of ['pause', 'resume'] as const) {
      refused((await action(name, id)).response, 409, 'unsubscribed');
    }
    expect(await w.subscriptions.get('acme', id)).toMatchObject({ status: 'unsubscribed' });
  });

  test('a confirmed one pauses and resumes as any subscription', async () => {
    const { body } = await create();
    const id = body.id as string;
    await confirmEmail(tokenIn(mails[0]!.text), links);
    expect((await action('pause', id)).body).toMatchObject({ status: 'paused' });
    expect((await action('resume', id)).body).toMatchObject({ status: 'active' });
    expect(jobs.jobs).toHaveLength(1);
  });
});
