// A subscription's whole life in the web console, in Chromium, against the local cloud: created to
// the local webhook receiver with its secret shown once, a test event sent and seen succeeded with its
// attempt (and on the events pages), a failing receiver's retries and their reason, a redelivery,
// pause and resume, a rotated secret, and deletion. Then the other kinds the form creates: a v1a
// webhook (its public key shown, on its page too, and in the tenant's key set), an AWS destination
// to a local SQS queue (what its role must trust shown beside the fields, its secret once, the test
// message in the queue, test connection from its page, edit limited to what PATCH changes, an
// operational event type opted into), and a role outside the path prefix refused on the Role ARN
// field. Each page: axe (no serious or critical violation), screenshot.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import type { Browser, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { endpointUrl, newEndpoint, receivedUntil, setEndpointSecret } from '../e2e/support/receiver';
import { awsClients, eventually, localCloud } from '../setup/local-cloud';
import {
  checkPage,
  launch,
  navigate,
  openConsole,
  settled,
  signIn,
  type ConsolePage,
} from './support/browser';

jest.setTimeout(90_000);

const EVENT_TYPE = 'console.checked';

describe('a subscription in the web console', () => {
  const tenant = `console-${randomBytes(4).toString('hex')}`;
  const endpoint = newEndpoint(tenant);
  let browser: Browser;
  let app: ConsolePage;
  let page: Page;
  let firstSecret = '';
  beforeAll(async () => {
    browser = await launch();
    app = await openConsole(browser);
    page = app.page;
    await signIn(page, { tenant });
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** The subscription's page, opened from the list (a fresh load of its deliveries). */
  const openSubscription = async () => {
    await navigate(page, 'Subscriptions');
    await page.getByRole('heading', { name: 'Subscriptions', level: 1 }).waitFor();
    await page
      .getByRole('link', { name: /^sub_|console check/ })
      .first()
      .click();
    await page.getByRole('heading', { name: /^Subscription /, level: 1 }).waitFor();
    await settled(page);
  };
  /** Opens the subscription again until `done` holds of its deliveries section. */
  const deliveriesUntil = async (done: (text: string) => boolean, what: string) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      await openSubscription();
      const text = await page.getByRole('region', { name: 'Deliveries' }).innerText();
      if (done(text)) return text;
      if (Date.now() > deadline) throw new Error(`deliveries never showed ${what}: ${text}`);
      await page.waitForTimeout(1_000);
    }
  };

  test('created to the local webhook receiver; its secret is shown once', async () => {
    await navigate(page, 'Subscriptions');
    await settled(page);
    await page.getByRole('button', { name: 'Create subscription' }).click();
    await page.locator('#sub-url').fill(endpointUrl(endpoint));
    await page.locator('#sub-event-types').fill(EVENT_TYPE);
    await page.locator('#sub-description').fill('console check');
    await page.getByRole('button', { name: 'Create', exact: true }).click();

    const secret = page.locator('code.secret-value');
    await secret.waitFor();
    firstSecret = (await secret.innerText()).trim();
    expect(firstSecret).toMatch(/^whsec_/);
    // The receiver verifies each delivery with it, as the subscriber would.
    await setEndpointSecret(endpoint, firstSecret);
    expect(await checkPage(page, 'subscriptions-secret')).toEqual([]);

    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByText(firstSecret).count()).resolves.toBe(0);
    await settled(page);
    await page.getByRole('link', { name: 'console check' }).waitFor();
    expect(await checkPage(page, 'subscriptions')).toEqual([]);
  });

  test('a test event is sent, received verified, and shown succeeded with its attempt', async () => {
    await navigate(page, 'Send test event');
    await page.locator('#event-type').fill(EVENT_TYPE);
    await page.locator('#event-data').fill('{"checked":1}');
    await page.getByRole('button', { name: 'Send event' }).click();
    await page.getByRole('status').getByText('Event sent').waitFor();
    expect(await checkPage(page, 'send-test')).toEqual([]);

    const [received] = await receivedUntil(endpoint, (r) => r.length >= 1, 'the test event');
    expect(received!.verified).toBe(true);
    expect(received!.json?.type).toBe(EVENT_TYPE);

    const text = await deliveriesUntil((t) => /succeeded/.test(t), 'a succeeded delivery');
    expect(text).toContain(EVENT_TYPE);
    expect(text).toContain(received!.json!.id);
    expect(await page.locator('article.delivery tbody tr').count()).toBe(1);
    expect(await checkPage(page, 'subscription')).toEqual([]);
  });

  test('the events list and the event’s own page show it', async () => {
    const [received] = await receivedUntil(endpoint, (r) => r.length >= 1, 'the test event');
    const id = received!.json!.id;
    await navigate(page, 'Events');
    await page.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
    await settled(page);
    await page.getByRole('link', { name: id }).click();
    await page.getByRole('heading', { name: `Event ${id}`, level: 1 }).waitFor();
    await settled(page);
    await expect(page.getByRole('region', { name: 'Envelope' }).innerText()).resolves.toContain(EVENT_TYPE);
    expect(await checkPage(page, 'event')).toEqual([]);
    await navigate(page, 'Events');
    await settled(page);
    expect(await checkPage(page, 'events')).toEqual([]);
  });

  test('a failing receiver: the retries and their reason are shown', async () => {
    const response = await fetch(`${localCloud().endpoints.webhooks}/_endpoints/${endpoint}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failTimes: 2, status: 503 }),
    });
    expect(response.status).toBe(200);
    await navigate(page, 'Send test event');
    await page.locator('#event-type').fill(EVENT_TYPE);
    await page.locator('#event-data').fill('{"checked":2}');
    await page.getByRole('button', { name: 'Send event' }).click();
    await page.getByRole('status').getByText('Event sent').waitFor();

    // The local stage retries after 1 s and 2 s: two 503s, then succeeded.
    await openSubscription();
    const article = () => page.locator('article.delivery').first();
    const deadline = Date.now() + 60_000;
    while (
      (await article().locator('tbody tr').count()) < 3 ||
      !/succeeded/.test(await article().innerText())
    ) {
      if (Date.now() > deadline) throw new Error(`no third attempt: ${await article().innerText()}`);
      await page.waitForTimeout(1_000);
      await openSubscription();
    }
    const rows = await article().locator('tbody tr').allInnerTexts();
    expect(rows.filter((row) => row.includes('503'))).toHaveLength(2);
    // The receiver's answer is the reason, shown with each failed attempt.
    expect(rows.filter((row) => row.includes('configured failure'))).toHaveLength(2);
    expect(await checkPage(page, 'subscription-retries')).toEqual([]);
  });

  test('redeliver sends a delivery again, with the same webhook-id', async () => {
    const before = await receivedUntil(endpoint, (r) => r.length >= 4, 'the first deliveries');
    const last = page.locator('article.delivery').last();
    await last.getByRole('button', { name: 'Redeliver' }).click();
    await page.getByRole('status').getByText('will be sent again').waitFor();
    const after = await receivedUntil(endpoint, (r) => r.length > before.length, 'the redelivery');
    const again = after.at(-1)!;
    expect(again.verified).toBe(true);
    expect(before.map((r) => r.headers['webhook-id'])).toContain(again.headers['webhook-id']);
  });

  test('pause and resume', async () => {
    await openSubscription();
    const actions = page.getByRole('group', { name: 'Subscription actions' });
    await actions.getByRole('button', { name: 'Pause' }).click();
    await actions.getByRole('button', { name: 'Resume' }).waitFor();
    await expect(page.locator('dl.details .badge').innerText()).resolves.toBe('paused');
    await actions.getByRole('button', { name: 'Resume' }).click();
    await actions.getByRole('button', { name: 'Pause' }).waitFor();
    await expect(page.locator('dl.details .badge').innerText()).resolves.toBe('active');
  });

  test('rotate: a new secret, shown once', async () => {
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const secret = page.locator('code.secret-value');
    await secret.waitFor();
    const rotated = (await secret.innerText()).trim();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(firstSecret);
    expect(await checkPage(page, 'subscription-rotated')).toEqual([]);
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByText(rotated).count()).resolves.toBe(0);
  });

  test('delete, after confirming', async () => {
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this subscription?' });
    expect(await checkPage(page, 'subscription-delete')).toEqual([]);
    await dialog.getByRole('button', { name: 'Yes, delete it' }).click();
    await page.getByRole('heading', { name: 'Subscriptions', level: 1 }).waitFor();
    await settled(page);
    await expect(page.getByRole('link', { name: 'console check' }).count()).resolves.toBe(0);
    expect(app.errors).toEqual([]);
  });
});

describe('a v1a webhook and an AWS destination in the web console', () => {
  const tenant = `console-d-${randomBytes(4).toString('hex')}`;
  const endpoint = newEndpoint(tenant);
  // The local stage has no STS: Herald sends with its own roles, which reach only queues named
  // herald-local-destination-test-*; the role must still be named under the path prefix.
  const ROLE = 'arn:aws:iam::000000000000:role/herald-destinations/console-destinations';
  const { sqs } = awsClients();
  const queue = { url: '', arn: '' };
  let browser: Browser;
  let app: ConsolePage;
  let page: Page;
  let publicKey = '';
  let awsSecret = '';

  beforeAll(async () => {
    queue.url = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: `herald-local-destination-test-console-${randomBytes(4).toString('hex')}`,
        }),
      )
    ).QueueUrl!;
    queue.arn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['QueueArn'] }))
    ).Attributes!.QueueArn!;
    browser = await launch();
    app = await openConsole(browser);
    page = app.page;
    await signIn(page, { tenant });
  });
  afterAll(async () => {
    await browser?.close();
    if (queue.url) await sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url })).catch(() => undefined);
  });

  const startCreating = async () => {
    await navigate(page, 'Subscriptions');
    await page.getByRole('heading', { name: 'Subscriptions', level: 1 }).waitFor();
    await settled(page);
    await page.getByRole('button', { name: 'Create subscription' }).click();
    await page.getByRole('heading', { name: 'New subscription' }).waitFor();
  };
  const openSubscription = async (name: string) => {
    await navigate(page, 'Subscriptions');
    await page.getByRole('heading', { name: 'Subscriptions', level: 1 }).waitFor();
    await settled(page);
    await page.getByRole('link', { name }).click();
    await page.getByRole('heading', { name: `Subscription ${name}`, level: 1 }).waitFor();
    await settled(page);
  };
  /** The queue's messages until one satisfies `found`. */
  const messageWhere = (found: (message: Message) => boolean, what: string) => {
    const seen: Message[] = [];
    return eventually(
      async () => {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queue.url,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            MessageAttributeNames: ['All'],
            VisibilityTimeout: 600,
          }),
        );
        seen.push(...(out.Messages ?? []));
        return seen.find(found);
      },
      30_000,
      what,
    );
  };

  test('a v1a webhook: the scheme is chosen in the form, its public key shown after create', async () => {
    await startCreating();
    const scheme = page.getByRole('group', { name: 'Signature scheme' });
    // v1 is the default; the hint says how the two differ.
    await expect(scheme.getByRole('radio', { name: /^v1: shared secret/ }).isChecked()).resolves.toBe(true);
    await expect(page.locator('#sub-scheme-hint').innerText()).resolves.toMatch(/cannot sign/);
    await scheme.getByRole('radio', { name: /^v1a: Ed25519/ }).check();
    await page.getByLabel('Webhook URL').fill(endpointUrl(endpoint));
    await page.getByLabel('Event types').fill('console.signed');
    await page.getByLabel('Description (optional)').fill('console v1a');
    await page.getByRole('button', { name: 'Create', exact: true }).click();

    await page.getByRole('heading', { name: 'Public key' }).waitFor();
    publicKey = (await page.locator('code.public-key').innerText()).trim();
    expect(publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    // No signing secret: a v1a subscription has none to show.
    await expect(page.getByRole('heading', { name: 'Signing secret' }).count()).resolves.toBe(0);
    expect(await checkPage(page, 'subscriptions-public-key')).toEqual([]);
    await page.getByRole('button', { name: 'Done' }).click();
  });

  test('its page shows the scheme, the public key and the tenant’s key set, which holds the key', async () => {
    await openSubscription('console v1a');
    const details = page.locator('dl.details');
    await expect(details.innerText()).resolves.toMatch(/Signature scheme\s+v1a/);
    await expect(details.getByLabel('Public key').innerText()).resolves.toBe(publicKey);
    const jwks = details.getByRole('link', { name: /webhook-keys\.json$/ });
    const href = (await jwks.getAttribute('href'))!;
    expect(href).toBe(
      `${localCloud().endpoints.services.notifications}/v1/tenants/${tenant}/webhook-keys.json`,
    );
    const set = (await (await fetch(href)).json()) as { keys: { x: string }[] };
    const raw = Buffer.from(publicKey.slice('whpk_'.length), 'base64');
    expect(set.keys.map((key) => key.x)).toContain(raw.toString('base64url'));
    expect(await checkPage(page, 'subscription-v1a')).toEqual([]);

    // Edit says the scheme cannot change, and offers no choice of it.
    await page.getByRole('button', { name: 'Edit' }).click();
    const scheme = page.getByRole('group', { name: 'Signature scheme' });
    await expect(scheme.innerText()).resolves.toMatch(/make a new subscription to change it/);
    await expect(scheme.getByRole('radio').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  test('an AWS destination: what its role must trust is shown beside the fields', async () => {
    await startCreating();
    await page.getByRole('radio', { name: 'AWS destination' }).check();
    const trust = page.getByRole('region', { name: 'What the role must trust' });
    const externalId = (await trust.getByLabel('ExternalId').innerText()).trim();
    expect(externalId).toMatch(/^herald-[A-Za-z0-9_-]{32}$/);
    await expect(trust.getByLabel('Role path').innerText()).resolves.toBe('/herald-destinations/');
    const principals = await trust.locator('li').allInnerTexts();
    expect(principals).toEqual([
      'arn:aws:iam::000000000000:role/herald-notifications-local-deliverAws-us-east-1-lambdaRole',
      'arn:aws:iam::000000000000:role/herald-notifications-local-createSubscription-us-east-1',
      'arn:aws:iam::000000000000:role/herald-notifications-local-testDestination-us-east-1-lambdaRole',
    ]);
    await expect(trust.innerText()).resolves.toContain('services/notifications/README.md');
    // Herald's own events: offered one by one, and the form says * never includes them.
    const operational = page.getByRole('group', { name: /Herald.s own events/ });
    await expect(operational.getByRole('checkbox').count()).resolves.toBe(4);
    await expect(operational.innerText()).resolves.toMatch(/\* and prefixes never include them/);
    expect(await checkPage(page, 'subscriptions-aws-form')).toEqual([]);
  });

  test('a target that is no destination and a role outside the path prefix: the 422 on each field', async () => {
    await page.getByLabel('Destination ARN').fill('arn:aws:s3:us-east-1:000000000000:bucket');
    await page.getByLabel('Role ARN').fill('arn:aws:iam::000000000000:role/admin');
    await page.getByLabel('Event types').fill('console.aws');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const error = page.locator('#sub-role-arn-error');
    await error.waitFor();
    await expect(error.innerText()).resolves.toMatch(/not a role under the path \/herald-destinations\//);
    await expect(page.getByLabel('Role ARN').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#sub-destination-arn-error').innerText()).resolves.toMatch(
      /^service "s3" is not a destination/,
    );
    await expect(page.getByLabel('Destination ARN').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/HTTP 422/);
    expect(await checkPage(page, 'subscriptions-aws-refused')).toEqual([]);
  });

  test('created to a local SQS queue: its secret once, the signed test message in the queue', async () => {
    await page.getByLabel('Destination ARN').fill(queue.arn);
    await page.getByLabel('Role ARN').fill(ROLE);
    await page.getByLabel('Description (optional)').fill('console aws');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const secret = page.locator('code.secret-value');
    await secret.waitFor();
    awsSecret = (await secret.innerText()).trim();
    expect(awsSecret).toMatch(/^whsec_/);
    const message = await messageWhere(
      (m) => m.Body!.includes('herald.destination.test'),
      'the test message',
    );
    const headers = Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue!]),
    );
    expect(new Webhook(awsSecret).verify(message.Body!, headers)).toMatchObject({
      type: 'herald.destination.test',
    });
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('link', { name: 'console aws' }).waitFor();
  });

  test('its page: destination, role and ExternalId; test connection succeeds', async () => {
    await openSubscription('console aws');
    const details = await page.locator('dl.details').innerText();
    expect(details).toContain(queue.arn);
    expect(details).toContain(ROLE);
    expect(details).toMatch(/ExternalId\s+herald-/);
    const section = page.getByRole('region', { name: 'Test connection' });
    await section.getByRole('button', { name: 'Test connection' }).click();
    await section.getByText('Connection works').waitFor({ timeout: 30_000 });
    expect(await checkPage(page, 'subscription-aws')).toEqual([]);
  });

  test('edit: the destination is fixed, event types change, an operational type opted into', async () => {
    await page.getByRole('button', { name: 'Edit' }).click();
    await expect(page.locator('#sub-destination-fixed').innerText()).resolves.toMatch(/cannot be changed/);
    await expect(page.getByLabel('Destination ARN').count()).resolves.toBe(0);
    await page.getByLabel('Event types').fill('console.aws, console.more');
    await page.getByRole('checkbox', { name: 'herald.subscription.disabled' }).check();
    expect(await checkPage(page, 'subscription-aws-edit')).toEqual([]);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Edit' }).waitFor();
    await expect(page.locator('dl.details').innerText()).resolves.toMatch(
      /Event types\s+console\.aws, console\.more, herald\.subscription\.disabled/,
    );
    // Editing again shows the operational type ticked, not in the text.
    await page.getByRole('button', { name: 'Edit' }).click();
    await expect(page.getByLabel('Event types').inputValue()).resolves.toBe('console.aws\nconsole.more');
    await expect(
      page.getByRole('checkbox', { name: 'herald.subscription.disabled' }).isChecked(),
    ).resolves.toBe(true);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  test('a read-only user sees the destination, but neither Test connection nor Edit', async () => {
    const reader = await openConsole(browser);
    try {
      await signIn(reader.page, { tenant, scopes: ['events:read', 'subscriptions:read'] });
      await navigate(reader.page, 'Subscriptions');
      await settled(reader.page);
      await reader.page.getByRole('link', { name: 'console aws' }).click();
      await reader.page.getByRole('heading', { name: 'Subscription console aws', level: 1 }).waitFor();
      await settled(reader.page);
      await expect(reader.page.locator('dl.details').innerText()).resolves.toContain(ROLE);
      for (const name of ['Test connection', 'Edit', 'Rotate secret'])
        await expect(reader.page.getByRole('button', { name }).count()).resolves.toBe(0);
      expect(reader.errors).toEqual([]);
    } finally {
      await reader.context.close();
    }
  });

  test('test connection names what failed once the queue is gone', async () => {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));
    const section = page.getByRole('region', { name: 'Test connection' });
    await section.getByRole('button', { name: 'Test connection' }).click();
    await section.getByText('Connection failed').waitFor({ timeout: 30_000 });
    await expect(section.innerText()).resolves.toMatch(/Destination ARN: /);
    expect(await checkPage(page, 'subscription-aws-test-failed')).toEqual([]);
    expect(app.errors.filter((error) => !/^422 POST .*\/v1\/subscriptions$/.test(error))).toEqual([]);
  });
});
