/**
 * Property-based fuzzing of every queue consumer on the local cloud: messages generated from a
 * fixed seed (FUZZ_MESSAGES per consumer) sent straight to processing's inbound queue and to
 * notifications' dispatch, delivery, slow-lane and e-mail queues, and NDJSON uploads of fuzzed
 * lines through S3 to onUpload. A consumer fails only the messages it cannot take (they reach its
 * dead-letter queue, each refused by the consumer itself, not killed by timeouts), handles the others (their events stored and delivered), and never crashes a
 * batch; an upload refuses bad lines one by one and is never left `processing`; whatever was
 * stored or fanned out is delivered, and no delivery is left half-written.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  consumerLeftovers,
  runConsumerFuzz,
  runUploadFuzz,
  shortenVisibility,
  type ConsumerTarget,
} from './support/consumer-run';
import { LogWatch, summariseFindings } from './support/logs';
import { WebhookCollector } from './support/outcomes';
import { fuzzSettings } from './support/settings';
import type { UploadOutcome } from './support/uploads';
import { consumerTenant, newRun } from './support/world';

const settings = fuzzSettings();
const run = newRun();
const webhooks = new WebhookCollector(`fz-${run}`);
let restore: (() => Promise<void>) | undefined;
let logs: LogWatch;
let target: ConsumerTarget;
let uploads: UploadOutcome[] = [];

beforeAll(async () => {
  logs = await LogWatch.start();
  webhooks.start();
  target = { ...(await consumerTenant(run)), run };
  restore = await shortenVisibility();
}, 300_000);

afterAll(async () => {
  webhooks.stop();
  await restore?.();
}, 60_000);

describe('fuzzing every queue consumer', () => {
  test('each consumer fails only the messages it cannot take, handles the rest, and crashes no batch', async () => {
    const { verdicts, summary } = await runConsumerFuzz(settings, target, webhooks, logs);
    console.log(summary);
    for (const verdict of verdicts)
      expect(verdict).toEqual({
        consumer: verdict.consumer,
        sent: verdict.sent,
        notDead: [],
        dead: [],
        undelivered: [],
        unrefused: [],
      });
    expect(verdicts.map((v) => v.consumer).sort()).toEqual([
      'consume',
      'deliver',
      'deliverEmail',
      'dispatch',
    ]);
  }, 600_000);

  test('uploads of fuzzed NDJSON lines: each line taken or refused alone, never left processing', async () => {
    uploads = await runUploadFuzz(settings, target);
    console.log(
      uploads
        .map(
          (u) =>
            `upload ${u.id}: ${u.status} ${JSON.stringify({ ...u.report, rejections: u.report?.rejections.length })}`,
        )
        .join('\n'),
    );
    expect(uploads.map((u) => ({ id: u.id, problems: u.problems }))).toEqual(
      uploads.map((u) => ({ id: u.id, problems: [] })),
    );
  }, 600_000);

  test('whatever the consumers stored or fanned out was delivered, and no delivery is left half-written', async () => {
    expect(await consumerLeftovers(target, uploads, webhooks)).toEqual({
      notStored: [],
      undelivered: [],
      halfWritten: [],
    });
  }, 300_000);

  test('the services logged no unhandled rejection, exception or crashed batch', async () => {
    const timeouts = await logs.timeouts();
    // Not failures in themselves (see support/logs.ts), but worth seeing.
    if (timeouts.length > 0)
      console.log(
        `Lambda timeouts (cold starts on a loaded machine?):\n${summariseFindings(timeouts).join('\n')}`,
      );
    expect(summariseFindings(await logs.unhandled())).toEqual([]);
  });
});
