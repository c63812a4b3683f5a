import { DEFAULT_MAX_MESSAGE_BYTES, messageBytes } from '@herald/shared/aws/sqs-send';
import type { BusEntry, DeadLetter, DeadLetterQueue, EventBus, PutResult } from '../../src/publish-events';

/** The detail as EventBridge reads it: a JSON object, or nothing (MalformedDetail). */
function detailObject(detail: string): { id?: unknown } | undefined {
  try {
    const parsed: unknown = JSON.parse(detail);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** An error named as the SDK names AWS's. */
const awsError = (name: string, message: string): Error => Object.assign(new Error(message), { name });

/**
 * The bus in memory, with PutEvents' limits enforced (a call over them throws, as the real
 * ValidationException does), an entry whose detail is not a JSON object refused as MalformedDetail,
 * and scripted per-entry rejections keyed by event id. test/contract/ holds it to EventBridge.
 */
export class MemoryBus implements EventBus {
  readonly calls: BusEntry[][] = [];
  /** Event ids that make a whole call that carries them fail with ValidationException. */
  readonly refusingCalls = new Set<string>();
  readonly accepted: BusEntry[] = [];
  /** Event id → error codes to answer with, one per attempt; an empty list means accepted. */
  readonly rejections = new Map<string, string[]>();
  /** Calls to fail as a whole before answering normally. */
  failCalls = 0;

  async put(entries: readonly BusEntry[]): Promise<PutResult[]> {
    this.calls.push([...entries]);
    if (entries.length > 10) throw awsError('ValidationException', 'more than 10 entries');
    const bytes = entries.reduce(
      (sum, e) => sum + 14 + e.Source.length + e.DetailType.length + Buffer.byteLength(e.Detail),
      0,
    );
    if (bytes > 256 * 1024) throw awsError('ValidationException', 'request too large');
    if (entries.some((entry) => this.refusingCalls.has(String(detailObject(entry.Detail)?.id))))
      throw awsError('ValidationException', 'a value of an entry the call refuses as a whole');
    if (this.failCalls > 0) {
      this.failCalls -= 1;
      throw new Error('ServiceUnavailable');
    }
    return entries.map((entry): PutResult => {
      const detail = detailObject(entry.Detail);
      if (detail === undefined)
        return { ok: false, code: 'MalformedDetail', message: 'Detail is malformed.' };
      const code = this.rejections.get(String(detail.id))?.shift();
      if (code !== undefined) return { ok: false, code, message: `rejected: ${code}` };
      this.accepted.push(entry);
      return { ok: true };
    });
  }

  acceptedIds(): string[] {
    return this.accepted.map((entry) => (JSON.parse(entry.Detail) as { id: string }).id);
  }
}

/**
 * The publish dead-letter queue in memory. Like the SQS one it queues every letter it can and then
 * throws if any was refused: one larger than the queue takes, or all of them while `fail` is set.
 */
export class MemoryDeadLetters implements DeadLetterQueue {
  readonly letters: DeadLetter[] = [];
  fail = false;
  async send(letters: readonly DeadLetter[]): Promise<void> {
    if (this.fail) throw new Error('SQS unavailable');
    const fits = (letter: DeadLetter) =>
      messageBytes({ body: JSON.stringify(letter) }) <= DEFAULT_MAX_MESSAGE_BYTES;
    this.letters.push(...letters.filter(fits));
    const refused = letters.filter((letter) => !fits(letter)).length;
    if (refused > 0) throw new Error(`SQS refused ${refused} of ${letters.length} dead letter(s)`);
  }
}
