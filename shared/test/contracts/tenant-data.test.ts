import { describe, expect, test } from '@jest/globals';
import { BusDetailError } from '../../src/contracts';
import {
  parseTenantDataEvent,
  tenantDataEntry,
  type ErasureCompletedDetail,
  type ErasureRequestedDetail,
} from '../../src/contracts/tenant-data';

const request: ErasureRequestedDetail = {
  requestId: 'era_01',
  tenantId: 'acme',
  scope: 'subject',
  subject: 'user-42',
  time: '2026-12-01T16:00:00Z',
};

const completed: ErasureCompletedDetail = {
  requestId: 'era_01',
  tenantId: 'acme',
  scope: 'subject',
  service: 'notifications',
  counts: { deliveries: 3, events: 2 },
  time: '2026-12-01T16:00:05Z',
};

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof BusDetailError) return error.reason;
    throw error;
  }
  throw new Error('expected a BusDetailError');
}

describe('tenant data contracts', () => {
  test('a request comes from the tenants service, an answer from the service it names', () => {
    expect(tenantDataEntry('tenant.erasure.requested', request).Source).toBe('herald.tenants');
    const entry = tenantDataEntry('tenant.erasure.completed', completed);
    expect(entry.Source).toBe('herald.notifications');
    const event = { source: entry.Source, 'detail-type': entry.DetailType, detail: JSON.parse(entry.Detail) };
    expect(parseTenantDataEvent(event)).toEqual({
      detailType: 'tenant.erasure.completed',
      detail: completed,
    });
  });

  test('no service answers for another, and nobody but the tenants service asks', () => {
    const forged = {
      source: 'herald.processing',
      'detail-type': 'tenant.erasure.completed',
      detail: completed,
    };
    expect(reason(() => parseTenantDataEvent(forged))).toBe('wrong-source');
    const asked = { source: 'herald.ingest', 'detail-type': 'tenant.erasure.requested', detail: request };
    expect(reason(() => parseTenantDataEvent(asked))).toBe('wrong-source');
  });

  test('a subject erasure names its subject, a whole tenant erasure none', () => {
    const { subject: _subject, ...noSubject } = request;
    expect(reason(() => tenantDataEntry('tenant.erasure.requested', noSubject))).toBe('schema');
    expect(reason(() => tenantDataEntry('tenant.erasure.requested', { ...request, scope: 'tenant' }))).toBe(
      'schema',
    );
    expect(tenantDataEntry('tenant.erasure.requested', { ...noSubject, scope: 'tenant' }).Source).toBe(
      'herald.tenants',
    );
  });

  test('a consumer ignores what a newer publisher adds; a publisher sends only what the schema names', () => {
    const ahead = { ...completed, extra: true };
    const event = {
      source: 'herald.notifications',
      'detail-type': 'tenant.erasure.completed',
      detail: ahead,
    };
    expect(parseTenantDataEvent(event).detail).toMatchObject(completed);
    expect(reason(() => tenantDataEntry('tenant.erasure.completed', ahead))).toBe('schema');
    expect(reason(() => parseTenantDataEvent({ ...event, 'detail-type': 'tenant.unknown' }))).toBe(
      'unknown-detail-type',
    );
  });
});
