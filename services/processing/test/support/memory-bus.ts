import type { BusEntry, DeadLetter, DeadLetterQueue, EventBus, PutResult } from '../../src/publish-events';

/**
 * The bus in memory, with PutEvents' limits enforced (a call over them throws, as the real
 * ValidationException does) and scripted per-entry rejections keyed by event id.
 */
export class MemoryBus implements EventBus {
  readonly calls: BusEntry[][] = [];
  readonly accepted: BusEntry[] = [];
  /** Event id → error codes to answer with, one per attempt; an empty list means accepted. */
  readonly rejections = new Map<string, string[]>();
  /** Calls to fail as a whole before answering normally. */
  failCalls = 0;

  async put(entries: readonly BusEntry[]): Promise<PutResult[]> {
    this.calls.push([...entries]);
    if (entries.length > 10) throw new Error('ValidationException: more than 10 entries');
    const bytes = entries.reduce(
      (sum, e) => sum + 14 + e.Source.length + e.DetailType.length + Buffer.byteLength(e.Detail),
      0,
    );
    if (bytes > 256 * 1024) throw new Error('ValidationException: request too large');
    if (this.failCalls > 0) {
      this.failCalls -= 1;
      throw new Error('ServiceUnavailable');
    }
    return entries.map((entry): PutResult => {
      const id = (JSON.parse(entry.Detail) as { id: string }).id;
      const code = this.rejections.get(id)?.shift();
      if (code !== undefined) return { ok: false, code, message: `rejected: ${code}` };
      this.accepted.push(entry);
      return { ok: true };
    });
  }

  acceptedIds(): string[] {
    return this.accepted.map((entry) => (JSON.parse(entry.Detail) as { id: string }).id);
  }
}

export class MemoryDeadLetters implements DeadLetterQueue {
  readonly letters: DeadLetter[] = [];
  fail = false;
  async send(letters: readonly DeadLetter[]): Promise<void> {
    if (this.fail) throw new Error('SQS unavailable');
    this.letters.push(...letters);
  }
}
