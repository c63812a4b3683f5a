/**
 * tenant.suspended / tenant.resumed / tenant.deleted and tenant.settings_updated, from processing's
 * bus through the tenant-state queue: the tenant's status stamped on its subscriptions (a suspended
 * tenant's deliveries are held as a paused subscription's, released on its resume), its settings
 * kept for the queue-driven functions' limits (tenant-state/apply.ts). An event that breaks its
 * contract fails until the queue's DLQ takes it (its alarm says so).
 */
import { takeCallCounts } from '@herald/shared/aws/call-counter';
import { BusDetailError, type BusEventLike } from '@herald/shared/contracts/bus';
import { isTenantLifecycleType, parseTenantLifecycleEvent } from '@herald/shared/contracts/tenant-lifecycle';
import { parseTenantSettingsUpdatedEvent } from '@herald/shared/contracts/tenant-settings-updated';
import { sqsBatchHandler } from '@herald/shared/entry/sqs';
import type { TenantSettings } from '@herald/shared/tenants/authorizer-context';
import type { SQSRecord } from 'aws-lambda';
import { applyTenantSettings, applyTenantStatus } from '../tenant-state/apply';
import type { TenantStateDeps } from '../tenant-state/ports';
import { tenantStateDeps } from '../wiring';

/** Milliseconds, so every time compares as text in one form (the stamps' condition compares them so). */
const normalTime = (time: string) => new Date(time).toISOString();

async function applyRecord(record: SQSRecord, correlationId: string, deps: TenantStateDeps) {
  const event = JSON.parse(record.body) as BusEventLike;
  if (isTenantLifecycleType(event['detail-type'])) {
    const { detail } = parseTenantLifecycleEvent(event);
    return applyTenantStatus(
      detail.tenantId,
      { status: detail.status, at: normalTime(detail.time) },
      correlationId,
      deps,
    );
  }
  const detail = parseTenantSettingsUpdatedEvent(event);
  // Kept as published: a limit the contract does not allow takes the stage's default where it is
  // enforced (shared/src/tenants/limits.ts), as the authorizer's copy does.
  const settings = detail.settings as TenantSettings;
  const kept = await applyTenantSettings(detail.tenantId, settings, normalTime(detail.time), deps);
  return { tenantId: detail.tenantId, settings: kept ? 'kept' : 'older than the kept ones' };
}

export function createHandler(deps: () => TenantStateDeps) {
  return sqsBatchHandler(
    async (record, context) => {
      try {
        const applied = await applyRecord(record, context.correlationId, deps());
        context.log.info('Tenant state applied', { ...applied });
      } catch (error) {
        if (error instanceof BusDetailError || error instanceof SyntaxError) {
          context.log.warn('Tenant event refused', {
            reason: error instanceof BusDetailError ? error.reason : 'unreadable',
            messageId: record.messageId,
            receiveCount: record.attributes.ApproximateReceiveCount,
          });
        }
        throw error;
      }
    },
    { summary: () => ({ awsCalls: takeCallCounts() }) },
  );
}

export const handler = createHandler(tenantStateDeps);
