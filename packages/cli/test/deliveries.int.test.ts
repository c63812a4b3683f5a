/**
 * The herald binary's delivery commands against the shared local cloud: `deliveries tail` prints each
 * attempt as it happens (the first delivery, a redelivery, a replay's), `deliveries list` shows the
 * history, `redeliver` sends one delivery again with the same webhook-id, and `replay` sends a time
 * window's stored events again. The webhooks are checked where they arrive, at the receiver.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { eventually, tokenFor } from '../../../test/setup/local-cloud';
import { endpointUrl, newEndpoint, receivedUntil } from '../../../test/e2e/support/receiver';
import { herald, heraldBin, heraldEnv, start } from './run-herald';

jest.setTimeout(180_000);

const SCOPES = ['events:write', 'events:read', 'subscriptions:read', 'subscriptions:write'];
const type = `cli.delivered${randomBytes(3).toString('hex')}`;
let env: NodeJS.ProcessEnv;
let subscription: string;
let endpoint: string;
let tail: ReturnType<typeof start>;

beforeAll(async () => {
  const tenant = `cli-d-${randomBytes(6).toString('hex')}`;
  env = heraldEnv(await tokenFor({ tenant, scopes: SCOPES }));
  endpoint = newEndpoint(tenant);
  const created = await herald(
    ['subscriptions', 'create', '--url', endpointUrl(endpoint), '--events', type, '--json'],
    env,
  );
  expect(created.code).toBe(0);
  subscription = (JSON.parse(created.stdout) as { id: string }).id;
});

afterAll(async () => {
  tail?.kill();
  if (subscription) await herald(['subscriptions', 'delete', subscription], env);
});

interface TailLine {
  delivery: { id: string; eventId: string; status: string };
  attempt: { outcome: string; statusCode?: number };
}
const tailLines = (): TailLine[] =>
  tail.output.stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as TailLine);

describe('deliveries', () => {
  test('tail follows the first delivery, a redelivery with the same webhook-id and a replay', async () => {
    tail = start(
      heraldBin,
      ['deliveries', 'tail', '--subscription', subscription, '--interval', '1', '--json'],
      env,
    );
    await tail.waitFor(/Following delivery attempts/, 'stderr');

    const since = new Date(Date.now() - 60_000).toISOString();
    const sent = await herald(['events', 'send', JSON.stringify({ type, data: { n: 1 } })], env);
    expect(sent.code).toBe(0);
    const eventId = /accepted\s+(\S+)/.exec(sent.stdout)![1]!;

    const [first] = await receivedUntil(endpoint, (requests) => requests.length >= 1, 'the first webhook');
    expect(first!.json).toMatchObject({ id: eventId, type });
    const firstAttempt = await eventually(
      async () => tailLines().find((line) => line.delivery.eventId === eventId),
      60_000,
      'tail prints the first attempt',
    );
    expect(firstAttempt.attempt).toMatchObject({ outcome: 'succeeded', statusCode: 200 });
    const deliveryId = firstAttempt.delivery.id;

    const listed = await herald(['deliveries', 'list', '--subscription', subscription, '--json'], env);
    expect(listed.code).toBe(0);
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([expect.objectContaining({ id: deliveryId, eventId, status: 'succeeded' })]);

    const redelivered = await herald(['redeliver', deliveryId, '--json'], env);
    expect(redelivered.code).toBe(0);
    const again = await receivedUntil(endpoint, (requests) => requests.length >= 2, 'the redelivery');
    expect(again[1]!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    const printed = (count: number) => async () => (tailLines().length >= count ? tailLines() : undefined);
    const afterRedelivery = await eventually(printed(2), 60_000, 'tail prints the redelivery');
    expect(afterRedelivery[1]).toMatchObject({
      delivery: { id: deliveryId },
      attempt: { outcome: 'succeeded' },
    });

    const replayed = await herald(['replay', subscription, '--since', since, '--json'], env);
    expect(replayed.code).toBe(0);
    const all = await receivedUntil(endpoint, (requests) => requests.length >= 3, 'the replayed event');
    expect(all[2]!.json).toMatchObject({ id: eventId, type });
    const afterReplay = await eventually(printed(3), 60_000, 'tail prints the replay');
    expect(afterReplay[2]).toMatchObject({ delivery: { eventId }, attempt: { outcome: 'succeeded' } });

    // What tail printed is each attempt once, none of them from before it started.
    const keys = tailLines().map((line) => `${line.delivery.id}/${JSON.stringify(line.attempt)}`);
    expect(new Set(keys).size).toBe(keys.length);

    tail.interrupt();
    expect(await tail.exited).toMatchObject({ code: 0 });
  });

  test('replay without --since is a usage error (exit 2) that says what to give', async () => {
    const ran = await herald(['replay', subscription], env);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/--since is required/);
  });
});
