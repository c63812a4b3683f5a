/**
 * One run of the queue consumers' fuzz, shared by the test and the bench: generate each
 * consumer's messages from the seed, send them, wait for what the handled ones deliver and for the
 * dead ones in their DLQs (taking ours out), and judge each consumer; then the NDJSON uploads; then
 * what the consumers' tenant holds once everything has settled.
 */
import fc from 'fast-check';
import { eventually, localCloud } from '../../setup/local-cloud';
import { uploadLine } from './arbitraries';
import {
  dispatchSpecs,
  dlqOf,
  inboundSpecs,
  MessageFactory,
  sendAll,
  setForNow,
  takeDead,
  taskSpecs,
  type Sent,
} from './consumers';
import type { LogWatch } from './logs';
import { quiet, subscriberHalfWritten, type WebhookCollector } from './outcomes';
import { patienceMs, type FuzzSettings } from './settings';
import { asFile, strayObjects, uploadAndCheck, type UploadOutcome } from './uploads';
import { call, type FuzzTenant } from './world';

export interface ConsumerVerdict {
  consumer: string;
  sent: number;
  /** Must have reached the DLQ, and did not. */
  notDead: string[];
  /** Must have been handled, and reached the DLQ. */
  dead: string[];
  /** Handled, but what it should have delivered never arrived. */
  undelivered: string[];
  /** Reached the DLQ without its consumer ever refusing it: killed by timeouts or crashes. */
  unrefused: string[];
}

export interface ConsumerTarget {
  tenant: FuzzTenant;
  emailSubscription: string;
  replaySubscription: string;
  run: string;
}

/** Long enough for a function to fail a message before it comes round again. */
const TEST_VISIBILITY_SECONDS = '2';

/**
 * Notifications' queues wait minutes before a failed message comes back (sized for real
 * functions): cut to seconds while the fuzz runs, so bad messages reach their DLQs in time.
 * Returns what puts them back.
 */
export async function shortenVisibility(): Promise<() => Promise<void>> {
  const { notifications } = localCloud().outputs;
  const undo: Array<() => Promise<void>> = [];
  for (const url of [
    notifications.DispatchQueueUrl!,
    notifications.DeliveryQueueUrl!,
    notifications.SlowDeliveryQueueUrl!,
    notifications.EmailQueueUrl!,
  ])
    undo.push(await setForNow(url, { VisibilityTimeout: TEST_VISIBILITY_SECONDS }));
  return async () => {
    for (const step of undo) await step();
  };
}

const shown = (message: Sent) => `${message.kind} ${message.messageId}: ${message.body.slice(0, 300)}`;

export async function runConsumerFuzz(
  settings: FuzzSettings,
  target: ConsumerTarget,
  webhooks: WebhookCollector,
  logs: LogWatch,
): Promise<{ sent: Sent[]; verdicts: ConsumerVerdict[]; summary: string }> {
  const sample = <T>(arbitrary: fc.Arbitrary<T>, salt: number, share = 1): T[] =>
    fc.sample(arbitrary, { seed: settings.seed + salt, numRuns: Math.ceil(settings.messages * share) });
  const factory = new MessageFactory({
    tenant: target.tenant.id,
    webhookSubscription: target.tenant.subscription.id,
    emailSubscription: target.emailSubscription,
    replaySubscription: target.replaySubscription,
    run: target.run,
  });
  const { processing, notifications } = localCloud().outputs;
  const clock = performance.now();
  const phases: string[] = [];
  const phase = (name: string) => phases.push(`${name} ${((performance.now() - clock) / 1000).toFixed(0)} s`);
  const inbound = sample(inboundSpecs, 1);
  const dispatch = sample(dispatchSpecs, 2);
  const fast = sample(taskSpecs, 3);
  const slow = sample(taskSpecs, 4, 0.25);
  const email = sample(taskSpecs, 5, 0.5);
  const sent = (
    await Promise.all([
      sendAll(
        processing.InboundQueueUrl!,
        inbound.map((s) => factory.inbound(s)),
        inbound.map((s) => s.attributes),
      ),
      sendAll(
        notifications.DispatchQueueUrl!,
        dispatch.map((s) => factory.dispatch(s)),
        dispatch.map((s) => s.attributes),
      ),
      sendAll(
        notifications.DeliveryQueueUrl!,
        fast.map((s) => factory.task(s, 'webhook')),
        fast.map((s) => s.attributes),
      ),
      sendAll(
        notifications.SlowDeliveryQueueUrl!,
        slow.map((s) => factory.task(s, 'webhook')),
        slow.map((s) => s.attributes),
      ),
      sendAll(
        notifications.EmailQueueUrl!,
        email.map((s) => factory.task(s, 'email')),
        email.map((s) => s.attributes),
      ),
    ])
  ).flat();
  phase('sent');

  // What the handled messages deliver arrives; what must die reaches its DLQ.
  const mustArrive = sent.filter((m) => m.must === 'handled' && m.delivers);
  const notArrived = async () => {
    await webhooks.poll();
    const got = webhooks.at(target.tenant.subscription.endpoint);
    const events = new Set(got.map((w) => w.json?.id));
    const ids = new Set(got.map((w) => w.headers['webhook-id']));
    return mustArrive.filter((m) =>
      m.delivers!.eventId ? !events.has(m.delivers!.eventId) : !ids.has(m.delivers!.webhookId),
    );
  };
  const queues = [...new Set(sent.map((m) => m.queueUrl))];
  const deadFound = new Set<string>();
  const sweep = (pick: (m: Sent) => boolean, timeoutMs: number) =>
    Promise.all(
      queues.map(async (queue) => {
        const ids = new Set(sent.filter((m) => m.queueUrl === queue && pick(m)).map((m) => m.messageId));
        for (const id of await takeDead(dlqOf(queue), ids, timeoutMs)) deadFound.add(id);
      }),
    );
  await sweep((m) => m.must === 'dead', patienceMs(settings) + 30_000);
  phase('dead letters in');
  await eventually(
    async () => ((await notArrived()).length === 0 ? true : undefined),
    patienceMs(settings),
    'handled messages delivered',
  ).catch(() => undefined);
  phase('delivered');
  await quiet();
  phase('quiet');
  // A last look for anything of ours in the DLQs, whatever it was meant to come to.
  await sweep((m) => !deadFound.has(m.messageId), 3_000);
  const missing = new Set(await notArrived());
  const refused = await logs.refusedMessages();
  phase('swept');

  const consumers = [...new Set(sent.map((m) => m.consumer))];
  const verdicts = consumers.map((consumer): ConsumerVerdict => {
    const mine = sent.filter((m) => m.consumer === consumer);
    return {
      consumer,
      sent: mine.length,
      notDead: mine.filter((m) => m.must === 'dead' && !deadFound.has(m.messageId)).map(shown),
      dead: mine.filter((m) => m.must === 'handled' && deadFound.has(m.messageId)).map(shown),
      undelivered: mine.filter((m) => missing.has(m)).map(shown),
      unrefused: mine.filter((m) => deadFound.has(m.messageId) && !refused.has(m.messageId)).map(shown),
    };
  });
  const summary = verdicts
    .map((v) => {
      const mine = sent.filter((m) => m.consumer === v.consumer);
      const count = (must: string) => mine.filter((m) => m.must === must).length;
      return `${v.consumer.padEnd(14)} ${String(v.sent).padStart(5)} messages: handled ${count('handled')}, dead ${count('dead')}, either ${count('either')}`;
    })
    .join('\n')
    .concat(`\n(${phases.join(', ')})`);
  return { sent, verdicts, summary };
}

/** NDJSON files of fuzzed lines (50 a file), and a few objects no upload made. */
export async function runUploadFuzz(
  settings: FuzzSettings,
  target: ConsumerTarget,
): Promise<UploadOutcome[]> {
  const files = fc.sample(fc.array(uploadLine, { minLength: 50, maxLength: 50 }), {
    seed: settings.seed + 6,
    numRuns: Math.max(2, Math.round(settings.messages / 50)),
  });
  await strayObjects(target.tenant, [
    'uploads/%',
    'uploads/ünï/😀',
    `uploads/${target.tenant.id}/..`,
    'uploads/a b+c',
  ]);
  const outcomes: UploadOutcome[] = [];
  for (const [index, lines] of files.entries())
    outcomes.push(await uploadAndCheck(target.tenant, asFile(target.run, index, lines), 120_000));
  return outcomes;
}

/** Once all has settled: every line taken stored, every stored event delivered, nothing half-written. */
export async function consumerLeftovers(
  target: ConsumerTarget,
  uploads: readonly UploadOutcome[],
  webhooks: WebhookCollector,
  timeoutMs = 120_000,
): Promise<{ notStored: string[]; undelivered: string[]; halfWritten: string[] }> {
  await quiet();
  const stored: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(
      target.tenant.token,
      'processing',
      'GET',
      `/v1/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    // Herald's own events (an upload's herald.upload.completed) are opt-in: the subscription, to
    // every producer's type, is not to get them.
    const items = page.body.items as Array<{ id: string; type: string }>;
    stored.push(...items.filter((e) => !e.type.startsWith('herald.')).map((e) => e.id));
    cursor = page.body.nextCursor as string | undefined;
  } while (cursor);
  const storedIds = new Set(stored);
  const delivered = () => new Set(webhooks.at(target.tenant.subscription.endpoint).map((w) => w.json?.id));
  // The stretch from the table to the dispatch queue holds no queue to drain: wait for the webhooks.
  await eventually(
    async () => {
      await webhooks.poll();
      const got = delivered();
      return stored.every((id) => got.has(id)) ? true : undefined;
    },
    timeoutMs,
    'every stored event delivered',
  ).catch(() => undefined);
  const got = delivered();
  return {
    notStored: uploads.flatMap((u) => u.taken).filter((id) => !storedIds.has(id)),
    undelivered: stored.filter((id) => !got.has(id)),
    halfWritten: await subscriberHalfWritten(target.tenant, webhooks),
  };
}
