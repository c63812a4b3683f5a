// S3 bucket notifications to functions. The emulator (fauxqs) has no notification support, but its message spy
// records every object written or deleted; this watches the spy, shapes S3's event for each configuration that
// matches, and invokes the function asynchronously, as S3 does. An asynchronous invocation that fails is tried
// twice more (Lambda waits about 1 and then 2 minutes), then dropped with a log line.
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import type { FauxqsServer, S3SpyEvent, SpyMessage } from 'fauxqs';
import { REGION } from '../aws';
import type { FunctionInvoker, S3Notification } from '../types';
import { describeError, noopHandle, sleep, type EventSourceHandle, type Log } from './common';
import { notificationMatches, nextSequencer, toS3EventRecord, type S3ObjectChange } from './s3-event';

export interface S3NotificationDeps {
  fauxqs: Pick<FauxqsServer, 'spy'>;
  s3: S3Client;
  invoker: FunctionInvoker;
  log: Log;
}

export interface S3NotificationOptions {
  /** Waits before each retry of a failed asynchronous invocation; Lambda's are about 1 and 2 minutes. */
  retryDelaysMs?: readonly number[];
}

interface Configuration {
  notification: S3Notification;
  /** S3 names a configuration given no Id; this name is as good and says which function it feeds. */
  configurationId: string;
}

const isObjectChange = (message: SpyMessage): message is S3SpyEvent =>
  message.service === 's3' && (message.status === 'uploaded' || message.status === 'deleted');

/** How far apart the spy's two readings of one POST upload may be (they are taken in one synchronous step). */
const POST_PAIR_MS = 5;

export async function startS3Notifications(
  notifications: readonly S3Notification[],
  deps: S3NotificationDeps,
  options: S3NotificationOptions = {},
): Promise<EventSourceHandle> {
  const { s3, invoker, log } = deps;
  if (notifications.length === 0) return noopHandle;
  const spy = deps.fauxqs.spy;
  const retryDelaysMs = options.retryDelaysMs ?? [60_000, 120_000];
  const configurations: Configuration[] = notifications.map((notification, index) => ({
    notification,
    configurationId: `${notification.functionName}-s3-${index + 1}`,
  }));
  const controller = new AbortController();
  const { signal } = controller;
  const stopped = new Promise<undefined>((resolve) =>
    signal.addEventListener('abort', () => resolve(undefined), { once: true }),
  );
  // Notifications are for changes from now on; what the spy saw before is history. A WeakSet lets entries the
  // spy's bounded buffer evicts be collected.
  const seen = new WeakSet<SpyMessage>(spy.getAllMessages());
  const deliveries = new Set<Promise<void>>();

  /** The next object change not yet handled, oldest first; null if the spy was cleared; undefined once stopped. */
  async function nextChange(): Promise<S3SpyEvent | null | undefined> {
    // True once stopped too, so the spy lets go of this waiter at its next event instead of keeping it forever.
    // Clearing the spy (an emulator reset) rejects its waiters; that is no reason to stop watching.
    const waiting = spy
      .waitForMessage((message) => signal.aborted || (isObjectChange(message) && !seen.has(message)))
      .then(
        (message) => message as S3SpyEvent,
        () => null,
      );
    const change = await Promise.race([waiting, stopped]);
    return signal.aborted ? undefined : change;
  }

  /**
   * The spy records a copy as `uploaded` then `copied`, and a POST upload as `uploaded` twice, each pair in one
   * synchronous step, so by the time a change is handled its partner is in the buffer right behind it.
   */
  function partnerOf(change: S3SpyEvent): SpyMessage | undefined {
    const buffer = spy.getAllMessages();
    const next = buffer[buffer.indexOf(change) + 1];
    const same = next?.service === 's3' && next.bucket === change.bucket && next.key === change.key;
    return same ? next : undefined;
  }

  async function describeChange(change: S3SpyEvent): Promise<S3ObjectChange> {
    const base = { bucket: change.bucket, key: change.key, time: new Date(change.timestamp) };
    if (change.status === 'deleted')
      return { ...base, eventName: 'ObjectRemoved:Delete', sequencer: nextSequencer() };
    const partner = partnerOf(change);
    // The pair's two clock readings straddle a millisecond now and then (one step, two Date.now()).
    const isPost =
      partner?.status === 'uploaded' && Math.abs(partner.timestamp - change.timestamp) <= POST_PAIR_MS;
    if (isPost) seen.add(partner);
    let head: { size?: number; eTag?: string; versionId?: string };
    try {
      const out = await s3.send(new HeadObjectCommand({ Bucket: change.bucket, Key: change.key }));
      head = {
        size: out.ContentLength ?? 0,
        eTag: out.ETag?.replaceAll('"', ''),
        ...(out.VersionId !== undefined && out.VersionId !== 'null' && { versionId: out.VersionId }),
      };
    } catch (error) {
      log.warn(
        `S3 notification: s3://${change.bucket}/${change.key} is gone (${describeError(error)}); its size and ETag are unknown`,
      );
      head = { size: 0, eTag: '' };
    }
    const eventName =
      partner?.status === 'copied'
        ? 'ObjectCreated:Copy'
        : isPost
          ? 'ObjectCreated:Post'
          : // A multipart upload's ETag ends in "-<number of parts>".
            /-\d+$/.test(head.eTag ?? '')
            ? 'ObjectCreated:CompleteMultipartUpload'
            : 'ObjectCreated:Put';
    return { ...base, ...head, eventName, sequencer: nextSequencer() };
  }

  async function deliver(functionName: string, event: S3Event): Promise<void> {
    const what = `${event.Records[0]?.eventName} s3://${event.Records[0]?.s3.bucket.name}/${event.Records[0]?.s3.object.key} → ${functionName}`;
    for (let attempt = 0; ; attempt++) {
      try {
        await invoker.invokeAsync(functionName, event);
        return;
      } catch (error) {
        const delay = retryDelaysMs[attempt];
        if (delay === undefined || signal.aborted) {
          log.error(
            `S3 notification ${what}: dropped after ${attempt + 1} attempt(s): ${describeError(error)}`,
          );
          return;
        }
        log.warn(
          `S3 notification ${what}: invocation failed (${describeError(error)}); retrying in ${delay} ms`,
        );
        await sleep(delay, signal);
        if (signal.aborted) {
          log.error(`S3 notification ${what}: dropped, the local cloud is stopping`);
          return;
        }
      }
    }
  }

  async function handle(change: S3SpyEvent): Promise<void> {
    const candidates = configurations.filter((c) => c.notification.bucket === change.bucket);
    if (candidates.length === 0) return;
    const described = await describeChange(change);
    for (const { notification, configurationId } of candidates) {
      const record = toS3EventRecord(described, configurationId, REGION);
      if (!notificationMatches(notification, change.bucket, record.s3.object.key, described.eventName))
        continue;
      const delivery = deliver(notification.functionName, { Records: [record] });
      deliveries.add(delivery);
      void delivery.finally(() => deliveries.delete(delivery));
    }
  }

  const observing = (async () => {
    while (!signal.aborted) {
      const change = await nextChange();
      if (change === undefined) break;
      if (change === null) continue;
      seen.add(change);
      try {
        await handle(change);
      } catch (error) {
        log.error(`S3 notification for s3://${change.bucket}/${change.key} failed: ${describeError(error)}`);
      }
    }
  })();

  return {
    async stop() {
      controller.abort();
      await observing;
      // Retries waiting out their delay give up at once; invocations under way finish.
      while (deliveries.size > 0) await Promise.allSettled([...deliveries]);
    },
  };
}
