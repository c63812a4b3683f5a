// The local cloud's SES endpoint through the real AWS SDK: aws-ses-v2-local keeps what is sent, and
// a recipient the front was told to refuse gets SendEmail's own error, as SES answers it, with
// nothing kept (see src/ses-front.ts).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { clientConfig } from '../src/aws';
import { startSes, type SesFront } from '../src/ses-front';

let ses: SesFront;
let client: SESv2Client;

beforeAll(async () => {
  ses = await startSes({ port: 'auto', use: { purpose: 'SES front under test', setting: 'none' } });
  client = new SESv2Client({ ...clientConfig(ses.endpoint), maxAttempts: 1 });
}, 30_000);

afterAll(async () => {
  client?.destroy();
  await ses?.stop();
}, 30_000);

const address = (label: string) => `${label}-${randomUUID()}@example.com`;

function send(to: string[], cc: string[] = []) {
  return client.send(
    new SendEmailCommand({
      FromEmailAddress: 'herald@example.com',
      Destination: { ToAddresses: to, CcAddresses: cc },
      Content: { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: `to ${to.join(', ')}` } } } },
    }),
  );
}

async function storedFor(recipient: string): Promise<unknown[]> {
  const store = (await (await fetch(`${ses.endpoint}/store`)).json()) as {
    emails: Array<{ destination: { to: string[]; cc: string[] } }>;
  };
  return store.emails.filter((m) => [...m.destination.to, ...m.destination.cc].includes(recipient));
}

const refuse = (recipient: string, settings: Record<string, unknown> = {}) =>
  fetch(`${ses.endpoint}/_refusals/${encodeURIComponent(recipient)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });

describe('the SES front', () => {
  test('passes a mail through to the emulator, which keeps it', async () => {
    const to = address('plain');
    const sent = await send([to]);
    expect(sent.MessageId).toBeTruthy();
    expect(await storedFor(to)).toHaveLength(1);
  });

  test('a refused recipient gets MessageRejected as SES says it, and nothing is kept; clearing it accepts again', async () => {
    const to = address('refused');
    const set = await refuse(to);
    expect(set.status).toBe(200);

    const error = await send([to]).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'MessageRejected',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: `Email address is not verified. The following identities failed the check in region US-EAST-1: ${to}`,
    });
    expect(await storedFor(to)).toHaveLength(0);
    // Refused as a mail: a recipient among others (here in Cc, in another case) refuses it whole.
    const other = address('other');
    await expect(send([other], [to.toUpperCase()])).rejects.toMatchObject({ name: 'MessageRejected' });
    expect(await storedFor(other)).toHaveLength(0);

    const listed = (await (await fetch(`${ses.endpoint}/_refusals`)).json()) as Record<string, unknown>;
    expect(listed[to]).toMatchObject({ error: 'MessageRejected' });
    expect((await fetch(`${ses.endpoint}/_refusals/${to}`, { method: 'DELETE' })).status).toBe(200);
    await send([to]);
    expect(await storedFor(to)).toHaveLength(1);
  });

  test('any of SendEmail’s errors, with its status and a message of the test’s own', async () => {
    const to = address('throttled');
    await refuse(to, { error: 'TooManyRequestsException', message: 'Maximum sending rate exceeded.' });
    await expect(send([to])).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      message: 'Maximum sending rate exceeded.',
      $metadata: { httpStatusCode: 429 },
    });
    await fetch(`${ses.endpoint}/_refusals/${to}`, { method: 'DELETE' });
  });

  test('an error SendEmail cannot answer, or a body that is not JSON, is refused as a setting', async () => {
    const to = address('bad-setting');
    const unknown = await refuse(to, { error: 'AccessDeniedException' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/MessageRejected/);
    const notJson = await fetch(`${ses.endpoint}/_refusals/${to}`, { method: 'PUT', body: '{' });
    expect(notJson.status).toBe(400);
    // Nothing was set: the mail goes.
    await send([to]);
    expect(await storedFor(to)).toHaveLength(1);
  });
});
