/** herald subscriptions create | list | get | update | delete | pause | resume | rotate-secret */
import type { CreatedSubscription, NewSubscription, Subscription, SubscriptionChange } from '@herald/client';
import type { Command, Context, Values } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import { fields, table } from '../format';
import { list as listOf, positiveInteger } from '../input';

const id = { min: 1, max: 1, names: 'SUBSCRIPTION_ID' };

const shared = {
  events: {
    type: 'string',
    multiple: true,
    valueName: 'TYPES',
    description: 'event types, comma-separated or repeated (order.* ends with a wildcard; * is all)',
  },
  'rate-limit': { type: 'string', valueName: 'N', description: 'deliveries per second at most' },
  description: { type: 'string', valueName: 'TEXT', description: 'what it is for' },
} as const;

function showSubscription(context: Context, subscription: Subscription) {
  const { secret: _secret, ...shown } = subscription as CreatedSubscription;
  context.out(context.json ? JSON.stringify(subscription) : fields(shown));
}

/** A new secret is never shown again: print it apart, with the warning that says so. */
function showSecret(context: Context, secret: string | undefined) {
  if (secret === undefined || context.json) return;
  context.out(`secret: ${secret}`);
  context.note('This secret is shown once: store it now (Herald keeps only an encrypted copy).');
}

function change(values: Values): SubscriptionChange {
  const eventTypes = listOf(values.events);
  const rateLimit = positiveInteger(values['rate-limit'], 'rate-limit');
  return {
    ...(typeof values.url === 'string' && { url: values.url }),
    ...(eventTypes.length > 0 && { eventTypes }),
    ...(rateLimit !== undefined && { rateLimit }),
    ...(typeof values.description === 'string' && { description: values.description }),
  } as SubscriptionChange;
}

export const create: Command = {
  words: ['subscriptions', 'create'],
  summary: 'Subscribe a webhook URL or an e-mail address to event types',
  usage: '(--url URL | --email ADDRESS) --events TYPES [--rate-limit N] [--description TEXT]',
  options: {
    url: { type: 'string', valueName: 'URL', description: 'the webhook to POST events to (https)' },
    email: {
      type: 'string',
      valueName: 'ADDRESS',
      description: 'an address to mail events to (confirmed first)',
    },
    ...shared,
  },
  details: `A webhook subscription's signing secret is printed once, when it is created.

Example:
  herald subscriptions create --url https://hooks.example.com/herald --events 'order.*'`,
  async run(context, values) {
    if (listOf(values.events).length === 0)
      throw new UsageError('--events is required, e.g. --events "order.*"');
    const subscription = {
      ...change(values),
      ...(typeof values.email === 'string' && { email: values.email }),
    } as NewSubscription;
    const created = await context.client().subscriptions.create(subscription);
    showSubscription(context, created);
    showSecret(context, created.secret);
    return EXIT.ok;
  },
};

export const list: Command = {
  words: ['subscriptions', 'list'],
  summary: "List the tenant's subscriptions",
  usage: '',
  details: 'With --json, one subscription per line (NDJSON).',
  async run(context) {
    const rows: Subscription[] = [];
    for await (const subscription of context.client().subscriptions.list({ pageSize: 100 })) {
      if (context.json) context.out(JSON.stringify(subscription));
      else rows.push(subscription);
    }
    if (!context.json)
      context.out(
        rows.length === 0
          ? 'No subscriptions.'
          : table(rows, [
              { header: 'id', value: (row) => row.id },
              { header: 'status', value: (row) => row.status },
              { header: 'target', value: (row) => row.url ?? row.email },
              { header: 'events', value: (row) => row.eventTypes.join(',') },
            ]),
      );
    return EXIT.ok;
  },
};

export const get: Command = {
  words: ['subscriptions', 'get'],
  summary: 'Show one subscription',
  usage: 'SUBSCRIPTION_ID',
  positionals: id,
  async run(context, _values, [subscriptionId]) {
    showSubscription(context, await context.client().subscriptions.get(subscriptionId!));
    return EXIT.ok;
  },
};

export const update: Command = {
  words: ['subscriptions', 'update'],
  summary: "Change a subscription's URL, event types, rate limit or description",
  usage: 'SUBSCRIPTION_ID [--url URL] [--events TYPES] [--rate-limit N] [--description TEXT]',
  positionals: id,
  options: { url: { type: 'string', valueName: 'URL', description: 'the new webhook URL' }, ...shared },
  async run(context, values, [subscriptionId]) {
    const body = change(values);
    if (Object.keys(body).length === 0)
      throw new UsageError('nothing to change: give --url, --events, --rate-limit or --description');
    showSubscription(context, await context.client().subscriptions.update(subscriptionId!, body));
    return EXIT.ok;
  },
};

export const remove: Command = {
  words: ['subscriptions', 'delete'],
  summary: 'Delete a subscription (its deliveries stop)',
  usage: 'SUBSCRIPTION_ID',
  positionals: id,
  async run(context, _values, [subscriptionId]) {
    await context.client().subscriptions.delete(subscriptionId!);
    context.out(
      context.json ? JSON.stringify({ id: subscriptionId, deleted: true }) : `deleted ${subscriptionId}`,
    );
    return EXIT.ok;
  },
};

export const pause: Command = {
  words: ['subscriptions', 'pause'],
  summary: 'Pause deliveries (held until resumed)',
  usage: 'SUBSCRIPTION_ID',
  positionals: id,
  async run(context, _values, [subscriptionId]) {
    showSubscription(context, await context.client().subscriptions.pause(subscriptionId!));
    return EXIT.ok;
  },
};

export const resume: Command = {
  words: ['subscriptions', 'resume'],
  summary: 'Resume a paused or disabled subscription',
  usage: 'SUBSCRIPTION_ID',
  positionals: id,
  async run(context, _values, [subscriptionId]) {
    showSubscription(context, await context.client().subscriptions.resume(subscriptionId!));
    return EXIT.ok;
  },
};

export const rotateSecret: Command = {
  words: ['subscriptions', 'rotate-secret'],
  summary: 'Give a webhook subscription a new signing secret (printed once)',
  usage: 'SUBSCRIPTION_ID [--grace-period SECONDS]',
  positionals: id,
  options: {
    'grace-period': {
      type: 'string',
      valueName: 'SECONDS',
      description: 'how long deliveries are signed with the old secret too',
    },
  },
  async run(context, values, [subscriptionId]) {
    const grace = positiveInteger(values['grace-period'], 'grace-period');
    const rotated = await context
      .client()
      .subscriptions.rotateSecret(subscriptionId!, grace === undefined ? {} : { gracePeriodSeconds: grace });
    if (context.json) context.out(JSON.stringify(rotated));
    else {
      const { secret, ...rest } = rotated as typeof rotated & { secret?: string };
      context.out(fields(rest));
      showSecret(context, secret);
    }
    return EXIT.ok;
  },
};
