/** herald deliveries list | tail, herald redeliver, herald replay */
import type { Delivery, HeraldClient } from '@herald/client';
import type { Command, Context } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import { fields, table } from '../format';
import { positiveInteger } from '../input';

type Attempt = Delivery['attempts'][number];

const subscriptionOption = {
  subscription: {
    type: 'string',
    short: 's',
    valueName: 'SUBSCRIPTION_ID',
    description: "one subscription's deliveries (default: every subscription's)",
  },
} as const;

/** The newest deliveries of one subscription, or of each. */
async function newestDeliveries(client: HeraldClient, subscription: string | undefined, limit: number) {
  const ids: string[] = [];
  if (subscription !== undefined) ids.push(subscription);
  else for await (const each of client.subscriptions.list({ pageSize: 100 })) ids.push(each.id);
  const deliveries: Delivery[] = [];
  for (const id of ids) {
    for await (const delivery of client.subscriptions.deliveries(id, { pageSize: Math.min(limit, 100) })) {
      deliveries.push(delivery);
      if (deliveries.length >= limit * ids.length) break;
    }
  }
  return deliveries.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
}

export const list: Command = {
  words: ['deliveries', 'list'],
  summary: 'List deliveries, newest first, with their last attempt',
  usage: '[--subscription ID] [--limit N]',
  options: {
    ...subscriptionOption,
    limit: { type: 'string', valueName: 'N', description: 'at most N deliveries (default 20)' },
  },
  details: 'With --json, one delivery per line (NDJSON), each with every attempt.',
  async run(context, values) {
    const limit = positiveInteger(values.limit, 'limit') ?? 20;
    const deliveries = await newestDeliveries(
      context.client(),
      values.subscription as string | undefined,
      limit,
    );
    if (context.json) for (const delivery of deliveries) context.out(JSON.stringify(delivery));
    else
      context.out(
        deliveries.length === 0
          ? 'No deliveries.'
          : table(deliveries, [
              { header: 'id', value: (row) => row.id },
              { header: 'status', value: (row) => row.status },
              { header: 'event type', value: (row) => row.eventType },
              { header: 'event', value: (row) => row.eventId },
              { header: 'attempts', value: (row) => row.attempts.length },
              {
                header: 'last status',
                value: (row) => row.attempts.at(-1)?.statusCode ?? row.attempts.at(-1)?.error,
              },
              { header: 'created', value: (row) => row.createdAt },
            ]),
      );
    return EXIT.ok;
  },
};

const attemptKey = (delivery: Delivery, attempt: Attempt) =>
  `${delivery.id}/${attempt.run}/${attempt.attempt}`;

export function attemptLine(delivery: Delivery, attempt: Attempt): string {
  const answer = attempt.statusCode ?? attempt.error ?? '-';
  return [
    attempt.at,
    delivery.eventType,
    delivery.id,
    attempt.outcome,
    answer,
    `${Math.round(attempt.durationMs)} ms`,
  ].join('  ');
}

export const tail: Command = {
  words: ['deliveries', 'tail'],
  summary: 'Follow new delivery attempts as they happen (Ctrl-C ends it)',
  usage: '[--subscription ID] [--interval SECONDS]',
  options: {
    ...subscriptionOption,
    interval: { type: 'string', valueName: 'SECONDS', description: 'how often to look (default 2)' },
  },
  details: `Polls the deliveries listing and prints each attempt not seen before: time, event type,
delivery id, outcome, the receiver's status (or the failure), duration. With --json, one
{ delivery, attempt } per line.`,
  async run(context, values) {
    const intervalMs = (positiveInteger(values.interval, 'interval') ?? 2) * 1000;
    const subscription = values.subscription as string | undefined;
    const seen = new Set<string>();
    let first = true;
    let stopped = false;
    void context.io.stopped().then(() => (stopped = true));
    context.note('Following delivery attempts; Ctrl-C to stop.');
    while (!stopped) {
      const deliveries = await newestDeliveries(context.client(), subscription, 50);
      const fresh = deliveries
        .flatMap((delivery) => delivery.attempts.map((attempt) => ({ delivery, attempt })))
        .filter(({ delivery, attempt }) => !seen.has(attemptKey(delivery, attempt)))
        .sort((a, b) => a.attempt.at.localeCompare(b.attempt.at));
      for (const { delivery, attempt } of fresh) {
        seen.add(attemptKey(delivery, attempt));
        // What happened before the tail started is history, not news.
        if (first) continue;
        context.out(context.json ? JSON.stringify({ delivery, attempt }) : attemptLine(delivery, attempt));
      }
      first = false;
      await Promise.race([new Promise((resolve) => setTimeout(resolve, intervalMs)), context.io.stopped()]);
    }
    return EXIT.ok;
  },
};

export const redeliver: Command = {
  words: ['redeliver'],
  summary: 'Send one delivery again (same webhook-id)',
  usage: 'DELIVERY_ID',
  positionals: { min: 1, max: 1, names: 'DELIVERY_ID' },
  async run(context, _values, [id]) {
    const queued = await context.client().deliveries.redeliver(id!);
    context.out(context.json ? JSON.stringify(queued) : fields(queued));
    return EXIT.ok;
  },
};

export const replay: Command = {
  words: ['replay'],
  summary: "Deliver a subscription's stored events of a time window again",
  usage: 'SUBSCRIPTION_ID --since TIME [--until TIME]',
  positionals: { min: 1, max: 1, names: 'SUBSCRIPTION_ID' },
  options: {
    since: { type: 'string', valueName: 'TIME', description: 'from this time (RFC 3339), required' },
    until: { type: 'string', valueName: 'TIME', description: 'to this time (default now)' },
  },
  async run(context: Context, values, [id]) {
    if (typeof values.since !== 'string')
      throw new UsageError('--since is required, e.g. --since 2026-12-01T00:00:00Z');
    const accepted = await context.client().subscriptions.replay(id!, {
      since: values.since as string,
      ...(typeof values.until === 'string' && { until: values.until }),
    });
    context.out(context.json ? JSON.stringify(accepted) : fields(accepted));
    return EXIT.ok;
  },
};
