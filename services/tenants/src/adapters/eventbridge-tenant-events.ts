/**
 * Tenant lifecycle events on processing's bus, source `herald.tenants` (the bus admits this
 * service's roles under that source alone): what other services act on when a tenant is suspended,
 * resumed or deleted. Detail: shared/src/contracts/tenant-lifecycle.schema.json.
 */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { TenantEvents, TenantEventType } from '../ports';

export const TENANTS_SOURCE = 'herald.tenants';

export class EventBridgeTenantEvents implements TenantEvents {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(type: TenantEventType, detail: { tenantId: string; at: string; by: string }): Promise<void> {
    const out = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: TENANTS_SOURCE,
            DetailType: type,
            Detail: JSON.stringify({ v: 1, ...detail }),
          },
        ],
      }),
    );
    if ((out.FailedEntryCount ?? 0) > 0) {
      const entry = out.Entries?.[0];
      throw new Error(`The bus refused ${type}: ${entry?.ErrorCode ?? ''} ${entry?.ErrorMessage ?? ''}`);
    }
  }
}
