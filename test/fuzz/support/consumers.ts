/**
 * Fuzzed messages sent straight to each queue consumer through the SDK: processing's `consume` on
 * the inbound queue, notifications' `dispatch`, `deliver` (both webhook lanes) and `deliverEmail`.
 * Each message is made from a spec (arbitraries.ts): a good one, signed with this run's ingest key
 * exactly as ingest or processing or dispatch would send it, or one of many ways of being wrong.
 * What each must come to: `handled` (its effect happens, it never reaches the DLQ), `dead` (it
 * reaches the DLQ after its receives), or `either`; and no message may crash its batch.
 */
import {
  ReceiveMessageCommand,
  DeleteMessageBatchCommand,
  SendMessageBatchCommand,
  SetQueueAttributesCommand,
  GetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { toQueueBody } from '@herald/shared/aws/queue-body';
import type { Envelope, UnsignedEnvelope } from '@herald/shared/contracts';
import { createEnvelopeSigner, generateSigningKeyPair, type EnvelopeSigner } from '@herald/shared/signing';
import { ulid } from 'ulid';
import { awsClients } from '../../setup/local-cloud';
import { messageSpecs, sqsText, type MessageSpec } from './arbitraries';
import { envelopeSigningJwk } from './cloud';
import { jsonText, type JsonNode } from './raw-text';

export type Outcome = 'handled' | 'dead' | 'either';

export interface Sent {
  consumer: string;
  queueUrl: string;
  messageId: string;
  body: string;
  kind: string;
  must: Outcome;
  /** What must arrive at the subscriber when the message is handled: an event id, or a webhook id. */
  delivers?: { eventId?: string; webhookId?: string };
}

export interface MessageTarget {
  tenant: string;
  /** The tenant's `*` webhook subscription, its e-mail subscription, and one matching no message (replays). */
  webhookSubscription: string;
  emailSubscription: string;
  replaySubscription: string;
  run: string;
}

let counter = 0;
const nextId = (run: string, what: string) => `fz-${run}-${what}-${(counter += 1)}`;

/** The value a JSON node stands for, as any JSON parser reads its text. */
const valueOf = (node: JsonNode): unknown => JSON.parse(jsonText(node, 'json'));

function unsignedEnvelope(
  target: MessageTarget,
  id: string,
  data: unknown,
  extra: Partial<UnsignedEnvelope> = {},
) {
  const now = new Date().toISOString();
  return {
    specversion: '1.0',
    id,
    source: `/tenants/${target.tenant}`,
    type: 'fuzz.queue',
    time: now,
    datacontenttype: 'application/json',
    data,
    tenantid: target.tenant,
    correlationid: `fz-${target.run}`,
    ingesttime: now,
    ...extra,
  } as UnsignedEnvelope;
}

/**
 * Signs, or says the value cannot be signed or sent (thousands of levels deep, it overflows the
 * stack here too): then the message goes as garbage instead.
 */
function trySign(signer: EnvelopeSigner, unsigned: UnsignedEnvelope): Envelope | undefined {
  try {
    const envelope = signer.sign(unsigned);
    toQueueBody(envelope);
    return envelope;
  } catch {
    return undefined;
  }
}

/** A member changed to `value` (or removed): what a forger, or a bug, would do after signing. */
function reshape(value: Record<string, unknown>, spec: MessageSpec): { body: string; changed: boolean } {
  const copy: Record<string, unknown> = { ...value };
  if (spec.value === undefined) delete copy[spec.field];
  else copy[spec.field] = valueOf(spec.value);
  const body = safeBody(copy);
  return { body, changed: body !== safeBody(value) };
}

/** A JSON body SQS takes; values JSON cannot write (undefined) fall out as JSON.stringify does. */
function safeBody(value: unknown): string {
  try {
    return toQueueBody(value);
  } catch {
    return sqsText(String(value)) || '?';
  }
}

export class MessageFactory {
  private readonly signer: EnvelopeSigner;
  private readonly stranger: EnvelopeSigner;
  private lastGood: string | undefined;

  constructor(private readonly target: MessageTarget) {
    this.signer = createEnvelopeSigner(JSON.stringify(envelopeSigningJwk()));
    const foreign = generateSigningKeyPair(this.signer.keyId);
    this.stranger = createEnvelopeSigner(foreign.privateJwk);
  }

  inbound(spec: MessageSpec): Omit<Sent, 'queueUrl' | 'messageId'> {
    const id = nextId(this.target.run, 'in');
    const base = { consumer: 'consume', kind: spec.kind };
    const garbage = { ...base, body: spec.garbage, must: 'dead' as const };
    switch (spec.kind) {
      case 'good':
      case 'duplicate': {
        if (spec.kind === 'duplicate' && this.lastGood)
          return { ...base, body: this.lastGood, must: 'handled' };
        const envelope = trySign(this.signer, unsignedEnvelope(this.target, id, valueOf(spec.data)));
        if (!envelope) return garbage;
        this.lastGood = toQueueBody(envelope);
        return { ...base, body: this.lastGood, must: 'handled', delivers: { eventId: id } };
      }
      case 'signed-odd': {
        const envelope = trySign(this.signer, unsignedEnvelope(this.target, id, valueOf(spec.data)));
        return envelope ? { ...base, body: toQueueBody(envelope), must: 'either' } : garbage;
      }
      case 'tampered': {
        const envelope = trySign(this.signer, unsignedEnvelope(this.target, id, { n: 1 }));
        return { ...base, body: safeBody({ ...envelope, data: valueOf(spec.data) }), must: 'dead' };
      }
      case 'reshaped': {
        const envelope = trySign(this.signer, unsignedEnvelope(this.target, id, { n: 1 }))!;
        const { body, changed } = reshape(envelope as unknown as Record<string, unknown>, spec);
        return { ...base, body, must: changed ? 'dead' : 'handled' };
      }
      case 'stranger': {
        const envelope = trySign(this.stranger, unsignedEnvelope(this.target, id, valueOf(spec.data)));
        return envelope ? { ...base, body: toQueueBody(envelope), must: 'dead' } : garbage;
      }
      case 'stale': {
        const old = new Date(Date.now() - 8 * 86_400_000).toISOString();
        const envelope = trySign(
          this.signer,
          unsignedEnvelope(this.target, id, { n: 1 }, { ingesttime: old, time: old }),
        );
        return { ...base, body: toQueueBody(envelope), must: 'dead' };
      }
      default:
        return garbage;
    }
  }

  /** A stored event as the bus hands it to the dispatch queue (the stored-events rule's target). */
  dispatch(spec: MessageSpec): Omit<Sent, 'queueUrl' | 'messageId'> {
    const id = nextId(this.target.run, 'dsp');
    const base = { consumer: 'dispatch', kind: spec.kind };
    const garbage = { ...base, body: spec.garbage, must: 'dead' as const };
    const busEvent = (detail: unknown, fields: Record<string, unknown> = {}) => ({
      version: '0',
      id: ulid(),
      'detail-type': 'event.stored',
      source: 'herald.processing',
      account: '000000000000',
      time: new Date().toISOString(),
      region: 'us-east-1',
      resources: [],
      detail,
      ...fields,
    });
    const signed = (data: unknown) => trySign(this.signer, unsignedEnvelope(this.target, id, data));
    switch (spec.kind) {
      case 'good': {
        const envelope = signed(valueOf(spec.data));
        return envelope
          ? { ...base, body: safeBody(busEvent(envelope)), must: 'handled', delivers: { eventId: id } }
          : garbage;
      }
      case 'odd-bus-field': {
        // A bus field changed: time, source, detail-type, or one EventBridge never sends.
        const envelope = signed({ n: 1 })!;
        const { body, changed } = reshape(busEvent(envelope), spec);
        const critical = ['source', 'detail-type', 'detail'].includes(spec.field);
        return { ...base, body, must: changed && critical ? 'dead' : 'either' };
      }
      case 'tampered': {
        const envelope = signed({ n: 1 })!;
        return { ...base, body: safeBody(busEvent({ ...envelope, data: valueOf(spec.data) })), must: 'dead' };
      }
      case 'job': {
        const job = {
          v: 1,
          job: 'replay',
          id: ulid(),
          tenantId: this.target.tenant,
          subscriptionId: this.target.replaySubscription,
          since: new Date(Date.now() - 60_000).toISOString(),
          until: new Date().toISOString(),
          correlationId: `fz-${this.target.run}`,
        };
        return { ...base, body: reshape(job, spec).body, must: 'either' };
      }
      default:
        return garbage;
    }
  }

  /** A delivery task as dispatch queues it, the envelope inline. */
  task(spec: MessageSpec, kind: 'webhook' | 'email'): Omit<Sent, 'queueUrl' | 'messageId'> {
    const id = nextId(this.target.run, kind === 'webhook' ? 'dlv' : 'eml');
    const base = { consumer: kind === 'webhook' ? 'deliver' : 'deliverEmail', kind: spec.kind };
    const envelope = trySign(
      this.signer,
      unsignedEnvelope(this.target, id, spec.kind === 'good' ? valueOf(spec.data) : { n: 1 }),
    );
    if (!envelope || spec.kind === 'garbage') return { ...base, body: spec.garbage, must: 'dead' };
    const deliveryId = `msg_${ulid()}`;
    const task = {
      v: 1,
      tenantId: this.target.tenant,
      subscriptionId: kind === 'webhook' ? this.target.webhookSubscription : this.target.emailSubscription,
      kind,
      deliveryId,
      eventId: envelope.id,
      eventType: envelope.type,
      eventKey: `EVT#${envelope.time}#${envelope.id}`,
      correlationId: `fz-${this.target.run}`,
      attempt: 1,
      start: { reason: 'dispatch', id: envelope.id },
      envelope,
    };
    if (spec.kind === 'good')
      return {
        ...base,
        body: toQueueBody(task),
        must: 'handled',
        ...(kind === 'webhook' ? { delivers: { webhookId: deliveryId } } : {}),
      };
    return { ...base, body: reshape(task, { ...spec, value: dueSoon(spec) }).body, must: 'either' };
  }
}

/**
 * A task due far ahead waits on its queue, hopping every 15 minutes, as it should: the run would
 * wait for it. A `notBefore` in the future is brought within seconds; past and unreadable ones stay.
 */
function dueSoon(spec: MessageSpec): JsonNode | undefined {
  if (spec.field !== 'notBefore' || spec.value === undefined || !('str' in spec.value)) return spec.value;
  const due = Date.parse(spec.value.str);
  return due > Date.now() + 10_000 ? { str: new Date(Date.now() + 5_000).toISOString() } : spec.value;
}

export const inboundSpecs = messageSpecs(
  [
    ['good', 5],
    ['duplicate', 1],
    ['signed-odd', 2],
    ['tampered', 1],
    ['reshaped', 2],
    ['stranger', 1],
    ['stale', 1],
    ['garbage', 3],
  ],
  ['good', 'duplicate'],
  [
    'id',
    'source',
    'type',
    'time',
    'subject',
    'data',
    'tenantid',
    'correlationid',
    'ingesttime',
    'signaturekeyid',
    'signature',
    'specversion',
    'datacontenttype',
    'extra',
  ],
);

export const dispatchSpecs = messageSpecs(
  [
    ['good', 5],
    ['odd-bus-field', 2],
    ['tampered', 1],
    ['job', 2],
    ['garbage', 3],
  ],
  ['good'],
  [
    'time',
    'source',
    'detail-type',
    'detail',
    'version',
    'id',
    'account',
    'resources',
    'extra',
    'job',
    'v',
    'since',
    'until',
    'cursor',
    'tenantId',
    'subscriptionId',
  ],
);

export const taskSpecs = messageSpecs(
  [
    ['good', 4],
    ['mutated', 4],
    ['garbage', 2],
  ],
  ['good'],
  [
    'v',
    'tenantId',
    'subscriptionId',
    'kind',
    'deliveryId',
    'eventId',
    'eventType',
    'eventKey',
    'correlationId',
    'attempt',
    'run',
    'start',
    'envelope',
    'notBefore',
    'hops',
    'paced',
    'forwardedFrom',
  ],
);

/** Sends messages ten at a time (one SendMessageBatch each), and returns them with their ids. */
export async function sendAll(
  queueUrl: string,
  messages: ReadonlyArray<Omit<Sent, 'queueUrl' | 'messageId'>>,
  attributes: Array<Array<[string, string]>>,
): Promise<Sent[]> {
  const { sqs } = awsClients();
  const sent: Sent[] = [];
  for (let start = 0; start < messages.length; start += 10) {
    const chunk = messages.slice(start, start + 10);
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((message, index) => ({
          Id: `m${index}`,
          MessageBody: message.body,
          MessageAttributes: Object.fromEntries(
            (attributes[start + index] ?? []).map(([name, value]) => [
              name,
              { DataType: 'String', StringValue: value },
            ]),
          ),
        })),
      }),
    );
    for (const ok of out.Successful ?? []) {
      const message = chunk[Number(ok.Id!.slice(1))]!;
      sent.push({ ...message, queueUrl, messageId: ok.MessageId! });
    }
    for (const failed of out.Failed ?? []) {
      const message = chunk[Number(failed.Id!.slice(1))]!;
      // SQS itself refused it (a value it does not take): nothing reached the consumer.
      sent.push({ ...message, queueUrl, messageId: `refused:${failed.Code}`, must: 'either' });
    }
  }
  return sent;
}

/** The queue's dead-letter queue, as the services name it. */
export const dlqOf = (queueUrl: string) => `${queueUrl}-dlq`;

/**
 * Takes every one of `ids` out of the dead-letter queue, waiting up to `timeoutMs` for those still
 * on their way; returns the ids found. Other messages are left (hidden for a few seconds).
 */
export async function takeDead(
  dlqUrl: string,
  ids: ReadonlySet<string>,
  timeoutMs: number,
): Promise<Set<string>> {
  const { sqs } = awsClients();
  const found = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  while (found.size < ids.size && Date.now() < deadline) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 5,
      }),
    );
    const mine = (out.Messages ?? []).filter((m) => ids.has(m.MessageId!));
    for (const m of mine) found.add(m.MessageId!);
    if (mine.length > 0)
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: dlqUrl,
          Entries: mine.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    if ((out.Messages ?? []).length === 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return found;
}

/** Sets queue attributes for the length of a test; returns what puts them back. */
export async function setForNow(
  queueUrl: string,
  attributes: Record<string, string>,
): Promise<() => Promise<void>> {
  const { sqs } = awsClients();
  const before = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: Object.keys(attributes) as never }),
  );
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: attributes }));
  return async () => {
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: before.Attributes ?? {} }),
    );
  };
}
