/** herald subscriptions create | list | get | update | delete | pause | resume | rotate-secret | test-filter */
import type {
  CreatedSubscription,
  FilterTestRequest,
  NewSubscription,
  Subscription,
  SubscriptionChange,
} from '@herald/client';
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
  filter: {
    type: 'string',
    valueName: 'JSON',
    description: 'a content filter, an EventBridge event pattern over type, source, subject and data',
  },
  header: {
    type: 'string',
    multiple: true,
    valueName: 'NAME=VALUE',
    description: 'a header sent with every attempt (repeatable; on update, NAME= removes it)',
  },
  'secret-header': {
    type: 'string',
    multiple: true,
    valueName: 'NAME=VALUE',
    description: 'a header whose value is kept encrypted and never shown again (repeatable)',
  },
  timeout: { type: 'string', valueName: 'SECONDS', description: 'how long an attempt waits for an answer' },
  ordering: {
    type: 'string',
    valueName: 'none|subject',
    description:
      "subject: one subject's events one at a time, in the order stored; none (the default): at once",
  },
} as const;

/** --ordering as the API's `ordering`. */
function orderingOption(value: unknown): 'none' | 'subject' | undefined {
  if (value === undefined) return undefined;
  if (value === 'none' || value === 'subject') return value;
  throw new UsageError(`--ordering must be none or subject, not ${JSON.stringify(value)}`);
}

type HeaderValue = string | { value: string; secret: true } | null;

/** --header and --secret-header as the API's headers: `NAME=VALUE`; on update `NAME=` removes one. */
function headersOption(values: Values, allowRemove: boolean): Record<string, HeaderValue> | undefined {
  const given = (flag: 'header' | 'secret-header') =>
    [values[flag]].flat().filter((v): v is string => typeof v === 'string');
  const headers: Record<string, HeaderValue> = {};
  for (const flag of ['header', 'secret-header'] as const)
    for (const pair of given(flag)) {
      const at = pair.indexOf('=');
      if (at <= 0) throw new UsageError(`--${flag} must be NAME=VALUE, not ${JSON.stringify(pair)}`);
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (value === '' && !allowRemove) throw new UsageError(`--${flag} ${name} has no value`);
      headers[name] = value === '' ? null : flag === 'secret-header' ? { value, secret: true } : value;
    }
  return Object.keys(headers).length > 0 ? headers : undefined;
}

/** --filter's JSON: an object, or (on update) null to remove the filter. */
function filterOption(value: unknown, allowNull: boolean): Record<string, unknown> | null | undefined {
  if (typeof value !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new UsageError(
      '--filter must be JSON, e.g. --filter \'{"data":{"total":[{"numeric":[">",100]}]}}\'',
    );
  }
  if (parsed === null && allowNull) return null;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UsageError(`--filter must be a JSON object${allowNull ? ' (or null to remove it)' : ''}`);
  return parsed as Record<string, unknown>;
}

/** --destination-arn and --role-arn: an AWS destination, both or neither. */
function destinationOption(values: Values): { arn: string; roleArn: string } | undefined {
  const arn = values['destination-arn'];
  const roleArn = values['role-arn'];
  if (arn === undefined && roleArn === undefined) return undefined;
  if (typeof arn !== 'string' || typeof roleArn !== 'string')
    throw new UsageError(
      '--destination-arn and --role-arn go together: the target and the role Herald assumes',
    );
  return { arn, roleArn };
}

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

function change(values: Values, allowNullFilter = false): SubscriptionChange {
  const eventTypes = listOf(values.events);
  const rateLimit = positiveInteger(values['rate-limit'], 'rate-limit');
  const filter = filterOption(values.filter, allowNullFilter);
  const headers = headersOption(values, allowNullFilter);
  const timeoutSeconds = positiveInteger(values.timeout, 'timeout');
  const ordering = orderingOption(values.ordering);
  return {
    ...(headers !== undefined && { headers }),
    ...(ordering !== undefined && { ordering }),
    ...(timeoutSeconds !== undefined && { timeoutSeconds }),
    ...(typeof values.url === 'string' && { url: values.url }),
    ...(eventTypes.length > 0 && { eventTypes }),
    ...(filter !== undefined && { filter }),
    ...(rateLimit !== undefined && { rateLimit }),
    ...(typeof values.description === 'string' && { description: values.description }),
  } as SubscriptionChange;
}

export const create: Command = {
  words: ['subscriptions', 'create'],
  summary: 'Subscribe a webhook URL, an e-mail address or an AWS destination to event types',
  usage:
    '(--url URL | --email ADDRESS | --destination-arn ARN --role-arn ARN) --events TYPES [--filter JSON] [--header N=V] [--secret-header N=V] [--timeout S] [--rate-limit N] [--ordering none|subject] [--signature-scheme v1|v1a] [--description TEXT]',
  options: {
    url: { type: 'string', valueName: 'URL', description: 'the webhook to POST events to (https)' },
    'signature-scheme': {
      type: 'string',
      valueName: 'v1|v1a',
      description: 'how webhooks are signed: v1 (HMAC, a secret; the default) or v1a (Ed25519, a public key)',
    },
    email: {
      type: 'string',
      valueName: 'ADDRESS',
      description: 'an address to mail events to (confirmed first)',
    },
    'destination-arn': {
      type: 'string',
      valueName: 'ARN',
      description: 'an SQS queue, SNS topic, EventBridge bus or Kinesis stream to send to (with --role-arn)',
    },
    'role-arn': {
      type: 'string',
      valueName: 'ARN',
      description:
        'the role Herald assumes to reach it (GET /v1/destinations/external-id: its ExternalId and path)',
    },
    ...shared,
  },
  details: `A webhook subscription's signing secret is printed once, when it is created. With
--signature-scheme v1a it has no secret: Herald signs with an Ed25519 key of its own and prints the
public key (whpk_...) that verifies its webhooks, which GET and the tenant's key set show again.

Example:
  herald subscriptions create --url https://hooks.example.com/herald --events 'order.*'
  herald subscriptions create --url https://hooks.example.com/big --events 'order.*' \\
    --filter '{"data":{"total":[{"numeric":[">",100]}]}}'
  herald subscriptions create --url https://hooks.example.com/herald --events '*' --signature-scheme v1a`,
  async run(context, values) {
    if (listOf(values.events).length === 0)
      throw new UsageError('--events is required, e.g. --events "order.*"');
    const destination = destinationOption(values);
    const scheme = values['signature-scheme'];
    if (scheme !== undefined && scheme !== 'v1' && scheme !== 'v1a')
      throw new UsageError('--signature-scheme must be v1 or v1a');
    const subscription = {
      ...change(values),
      ...(typeof values.email === 'string' && { email: values.email }),
      ...(destination !== undefined && { destination }),
      ...(scheme !== undefined && { signatureScheme: scheme }),
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
              { header: 'target', value: (row) => row.url ?? row.email ?? row.destination?.arn },
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
  summary:
    "Change a subscription's URL, event types, content filter, headers, timeout, rate limit, ordering or description",
  usage:
    'SUBSCRIPTION_ID [--url URL] [--events TYPES] [--filter JSON|null] [--header N=V] [--secret-header N=V] [--timeout S] [--rate-limit N] [--ordering none|subject] [--description TEXT]',
  positionals: id,
  options: { url: { type: 'string', valueName: 'URL', description: 'the new webhook URL' }, ...shared },
  async run(context, values, [subscriptionId]) {
    const body = change(values, true);
    if (Object.keys(body).length === 0)
      throw new UsageError(
        'nothing to change: give --url, --events, --filter, --header, --secret-header, --timeout, --rate-limit, --ordering or --description',
      );
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

export const testFilter: Command = {
  words: ['subscriptions', 'test-filter'],
  summary: "Show which of the tenant's newest stored events a content filter would match",
  usage: '--filter JSON [--events TYPES] [--since TIME] [--limit N]',
  options: {
    filter: shared.filter,
    events: shared.events,
    since: { type: 'string', valueName: 'TIME', description: 'read events stored since (RFC 3339)' },
    limit: {
      type: 'string',
      valueName: 'N',
      description: 'how many of the newest events to read (at most 100)',
    },
  },
  details: `Reads the newest stored events (100 at most) and lists those the filter matches, as a
subscription with that filter would receive them.

Example:
  herald subscriptions test-filter --events 'order.*' --filter '{"data":{"total":[{"numeric":[">",100]}]}}'`,
  async run(context, values) {
    const filter = filterOption(values.filter, false);
    if (!filter) throw new UsageError('--filter is required, e.g. --filter \'{"source":["shop"]}\'');
    const eventTypes = listOf(values.events);
    const limit = positiveInteger(values.limit, 'limit');
    const request = {
      filter,
      ...(eventTypes.length > 0 && { eventTypes }),
      ...(typeof values.since === 'string' && { since: values.since }),
      ...(limit !== undefined && { limit }),
    } as FilterTestRequest;
    const answer = await context.client().subscriptions.testFilter(request);
    if (context.json) context.out(JSON.stringify(answer));
    else {
      context.out(
        answer.matched.length === 0
          ? 'No event matched.'
          : table(answer.matched, [
              { header: 'id', value: (row) => row.id },
              { header: 'type', value: (row) => row.type },
              { header: 'time', value: (row) => row.time },
            ]),
      );
      context.note(
        `${answer.matched.length} of ${answer.examined} stored event(s) matched${answer.truncated ? '; older events were not read' : ''}.`,
      );
    }
    return EXIT.ok;
  },
};
