import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { BusEntry, EventBus, PutResult } from '../publish-events';

/** Processing's bus over PutEvents; the caller keeps each call within PutEvents' limits. */
export class EventBridgeBus implements EventBus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async put(entries: readonly BusEntry[]): Promise<PutResult[]> {
    const out = await this.client.send(
      new PutEventsCommand({
        Entries: entries.map((entry) => ({ ...entry, EventBusName: this.busName })),
      }),
    );
    return entries.map((_, index): PutResult => {
      const result = out.Entries?.[index];
      if (result?.EventId && !result.ErrorCode) return { ok: true };
      return {
        ok: false,
        code: result?.ErrorCode ?? 'NoResult',
        ...(result?.ErrorMessage ? { message: result.ErrorMessage } : {}),
      };
    });
  }
}
