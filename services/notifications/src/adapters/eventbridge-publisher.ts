import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { busEntry, type BusDetails, type DetailTypeName } from '@herald/shared/contracts';
import type { BusPublisher } from '../delivery/ports';

/** Publishes notifications' events (delivery.failed, subscription.disabled) on processing's bus. */
export class EventBridgePublisher implements BusPublisher {
  constructor(
    private readonly events: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish<T extends DetailTypeName>(detailType: T, detail: BusDetails[T]): Promise<void> {
    const out = await this.events.send(
      new PutEventsCommand({ Entries: [{ ...busEntry(detailType, detail), EventBusName: this.busName }] }),
    );
    if ((out.FailedEntryCount ?? 0) > 0) {
      const entry = out.Entries?.find((e) => e.ErrorCode);
      throw new Error(
        `PutEvents refused ${detailType}: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`,
      );
    }
  }
}
