/**
 * SQS in memory, as far as the dead-letter routes use it, for the logic's tests. Its receive, hold,
 * release and delete keep SQS's rules (contract.ts runs the same checks against it and fauxqs); a move
 * runs to the end as soon as it starts.
 */
import {
  MoveRefused,
  type DeadLetter,
  type DeadLetterQueues,
  type LocatedQueue,
  type MoveTask,
  type OutgoingLetter,
  type QueueAddress,
  type ReceiveOptions,
} from '../../src/dead-letters/ports';

interface Stored {
  id: string;
  body: string;
  sentAt: Date;
  receives: number;
  attributes: Record<string, string>;
  hiddenUntil: number;
  receipt?: string;
}

export class MemoryQueues implements DeadLetterQueues {
  readonly queues = new Map<string, Stored[]>();
  readonly policies = new Map<string, LocatedQueue['redrivePolicy']>();
  readonly moves = new Map<string, MoveTask[]>();
  /** Refuse the next startMove, as SQS does when a move of the queue already runs. */
  refuseMove?: MoveRefused['why'];
  now = () => Date.now();
  private ids = 0;

  create(name: string, redrivePolicy?: LocatedQueue['redrivePolicy']): QueueAddress {
    this.queues.set(name, []);
    if (redrivePolicy) this.policies.set(name, redrivePolicy);
    return this.address(name);
  }

  address(name: string): QueueAddress {
    return { name, url: `memory://${name}`, arn: `arn:aws:sqs:us-east-1:000000000000:${name}` };
  }

  put(
    name: string,
    body: string,
    options: { sentAt?: Date; attributes?: Record<string, string> } = {},
  ): string {
    const id = `m-${++this.ids}`;
    this.messagesOf(name).push({
      id,
      body,
      sentAt: options.sentAt ?? new Date(this.now()),
      receives: 0,
      attributes: options.attributes ?? {},
      hiddenUntil: 0,
    });
    return id;
  }

  bodies(name: string): string[] {
    return this.messagesOf(name).map((message) => message.body);
  }

  private messagesOf(name: string): Stored[] {
    const messages = this.queues.get(name);
    if (!messages) throw new Error(`no queue ${name}`);
    return messages;
  }

  async locate(name: string): Promise<LocatedQueue> {
    this.messagesOf(name);
    const policy = this.policies.get(name);
    return { ...this.address(name), ...(policy ? { redrivePolicy: policy } : {}) };
  }

  async counts(queue: QueueAddress) {
    const messages = this.messagesOf(queue.name);
    const visible = messages.filter((m) => m.hiddenUntil <= this.now()).length;
    return { visible, inFlight: messages.length - visible, delayed: 0 };
  }

  async receive(queue: QueueAddress, options: ReceiveOptions): Promise<DeadLetter[]> {
    const taken = this.messagesOf(queue.name)
      .filter((m) => m.hiddenUntil <= this.now())
      .slice(0, Math.min(10, options.max));
    return taken.map((m) => {
      m.receives += 1;
      m.hiddenUntil = this.now() + options.holdSeconds * 1000;
      m.receipt = `${m.id}#${m.receives}`;
      return {
        messageId: m.id,
        receipt: m.receipt,
        body: m.body,
        sentAt: m.sentAt,
        receiveCount: m.receives,
        attributes: { ...m.attributes },
      };
    });
  }

  async release(queue: QueueAddress, receipts: readonly string[]): Promise<void> {
    for (const m of this.messagesOf(queue.name))
      if (m.receipt && receipts.includes(m.receipt)) m.hiddenUntil = 0;
  }

  async delete(queue: QueueAddress, receipts: readonly string[]): Promise<void> {
    const messages = this.messagesOf(queue.name);
    const kept = messages.filter((m) => !(m.receipt && receipts.includes(m.receipt)));
    messages.splice(0, messages.length, ...kept);
  }

  /** Bodies with "refuse" in them are refused, as SQS refuses an entry. */
  async send(queue: QueueAddress, letters: readonly OutgoingLetter[]) {
    const refused: Array<{ index: number; why: string }> = [];
    letters.forEach((letter, index) => {
      if (letter.body.includes('refuse')) refused.push({ index, why: 'InvalidMessageContents' });
      else
        this.put(queue.name, letter.body, {
          attributes: letter.correlationId ? { correlationid: letter.correlationId } : {},
        });
    });
    return refused;
  }

  async startMove(source: QueueAddress, destination: QueueAddress, maxMessagesPerSecond?: number) {
    if (this.refuseMove) throw new MoveRefused(this.refuseMove, `refused: ${this.refuseMove}`);
    const messages = this.messagesOf(source.name).filter((m) => m.hiddenUntil <= this.now());
    for (const m of messages) this.put(destination.name, m.body, { attributes: m.attributes });
    const left = this.messagesOf(source.name).filter((m) => !messages.includes(m));
    this.queues.set(source.name, left);
    const task: MoveTask = {
      status: 'COMPLETED',
      startedAt: new Date(this.now()),
      moved: messages.length,
      toMove: messages.length,
      destinationArn: destination.arn,
      ...(maxMessagesPerSecond !== undefined ? { maxMessagesPerSecond } : {}),
    };
    this.moves.set(source.name, [task, ...(this.moves.get(source.name) ?? [])]);
    return `handle-${source.name}-${this.moves.get(source.name)!.length}`;
  }

  async listMoves(source: QueueAddress): Promise<MoveTask[]> {
    return this.moves.get(source.name) ?? [];
  }
}
