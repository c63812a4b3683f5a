/**
 * Tenant lifecycle events on processing's bus, source `herald.tenants` (the bus admits this
 * service's roles under that source alone): what other services act on when a tenant is suspended,
 * resumed or deleted (shared/src/contracts/tenant-lifecycle.schema.json), and its settings when they
 * are written (tenant.settings_updated, shared/src/contracts/tenant-settings-updated.schema.json).
 */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { tenantLifecycleEntry } from '@herald/shared/contracts/tenant-lifecycle';
import { tenantSettingsUpdatedEntry } from '@herald/shared/contracts/tenant-settings-updated';
import type { TenantSettings } from '@herald/shared/tenants/authorizer-context';
import type { TenantEvents, TenantEventType } from '../ports';

const STATUS_AFTER = {
  'tenant.suspended': 'suspended',
  'tenant.resumed': 'active',
  'tenant.deleted': 'deleted',
} as const;

export class EventBridgeTenantEvents implements TenantEvents {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(type: TenantEventType, detail: { tenantId: string; at: string; by: string }): Promise<void> {
    const entry = tenantLifecycleEntry(type, {
      tenantId: detail.tenantId,
      status: STATUS_AFTER[type],
      time: detail.at,
      by: detail.by,
    });
    await this.put(type, entry);
  }

  async publishSettings(detail: {
    tenantId: string;
    settings: TenantSettings;
    at: string;
    by: string;
  }): Promise<void> {
    const entry = tenantSettingsUpdatedEntry({
      tenantId: detail.tenantId,
      settings: detail.settings as Record<string, unknown>,
      time: detail.at,
      by: detail.by,
    });
    await this.put(entry.DetailType, entry);
  }

  private async put(type: string, entry: { Source: string; DetailType: string; Detail: string }) {
    const out = await this.client.send(
      new PutEventsCommand({ Entries: [{ EventBusName: this.busName, ...entry }] }),
    );
    if ((out.FailedEntryCount ?? 0) > 0) {
      const failed = out.Entries?.[0];
      throw new Error(`The bus refused ${type}: ${failed?.ErrorCode ?? ''} ${failed?.ErrorMessage ?? ''}`);
    }
  }
}
