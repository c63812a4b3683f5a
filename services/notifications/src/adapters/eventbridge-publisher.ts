import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { busEntry, type BusCodec, type BusDetails, type DetailTypeName } from '@herald/shared/contracts';
import type { BusPublisher } from '../delivery/ports';

/**
 * Publishes notifications' events (delivery.failed, subscription.disabled, subscription.recovered) on
 * processing's bus, each with the codec its caller names (so a function bundles only those validators).
 */
export class EventBridgePublisher implements BusPublisher {
  constructor(
    private readonly events: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish<T extends DetailTypeName>(codec: BusCodec<T>, detail: BusDetails[T]): Promise<void> {
    const out = await this.events.send(
      new PutEventsCommand({ Entries: [{ ...busEntry(codec, detail), EventBusName: this.busName }] }),
    );
    if ((out.FailedEntryCount ?? 0) > 0) {
      const entry = out.Entries?.find((e) => e.ErrorCode);
      throw new Error(
        `PutEvents refused ${codec.detailType}: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`,
      );
    }
  }
}
