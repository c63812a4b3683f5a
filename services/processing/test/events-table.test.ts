import { describe, expect, test } from '@jest/globals';
import {
  eventKey,
  indexStartKey,
  parseTimeSortKey,
  tenantPartition,
  timeSortKey,
  toStoredEvent,
  typePartition,
} from '../src/events-table';
import { signedEnvelope } from './support/envelopes';

describe('key design', () => {
  test('every key of an item starts with its tenant', () => {
    const envelope = signedEnvelope({ tenantid: 'acme', id: 'e1', type: 'order.created' });
    const item = toStoredEvent(envelope, JSON.stringify(envelope), new Date(0), new Date(0), 1);
    for (const key of [item.pk, item.gsi1pk, item.gsi2pk]) expect(key.startsWith('TENANT#acme')).toBe(true);
    expect(item).toMatchObject({
      pk: 'TENANT#acme',
      sk: 'EVENT#e1',
      gsi1pk: 'TENANT#acme',
      gsi1sk: '1970-01-01T00:00:00.000Z#e1',
      gsi2pk: 'TENANT#acme#TYPE#order.created',
    });
  });

  test('dedupe is on (tenant, event id): the same id in two tenants is two keys', () => {
    expect(eventKey('acme', 'e1')).toEqual({ pk: 'TENANT#acme', sk: 'EVENT#e1' });
    expect(eventKey('globex', 'e1')).not.toEqual(eventKey('acme', 'e1'));
  });

  test('a tenant’s partitions never equal another tenant’s, whatever the type', () => {
    // Tenant ids and types cannot hold '#', so "acme" + type can never spell another tenant's key.
    expect(typePartition('acme', 'order.created')).toBe('TENANT#acme#TYPE#order.created');
    expect(tenantPartition('acme')).not.toBe(tenantPartition('acme-2'));
    expect(typePartition('acme', 'a.b')).not.toBe(typePartition('acme-2', 'a.b'));
  });

  test('sort keys order by received time, then id', () => {
    const keys = [
      timeSortKey('2026-11-28T10:00:00.001Z', 'a'),
      timeSortKey('2026-11-28T09:59:59.999Z', 'z'),
      timeSortKey('2026-11-28T10:00:00.001Z', 'B'),
      timeSortKey('2027-01-01T00:00:00.000Z', '0'),
    ];
    expect([...keys].sort()).toEqual([keys[1], keys[2], keys[0], keys[3]]);
  });

  test('a sort key parses back to its parts; anything else does not', () => {
    expect(parseTimeSortKey('2026-11-28T10:00:00.001Z#e:1.x')).toEqual({
      receivedAt: '2026-11-28T10:00:00.001Z',
      eventId: 'e:1.x',
    });
    for (const bad of [
      '',
      'e1',
      '2026-11-28#e1',
      '2026-11-28T10:00:00.001Z#',
      '2026-11-28T10:00:00.001Z#a#b',
    ])
      expect(parseTimeSortKey(bad)).toBeUndefined();
  });

  test('a query resumes from a full key built with the caller’s tenant', () => {
    const sortKey = '2026-11-28T10:00:00.001Z#e1';
    expect(indexStartKey('acme', 'byTime', tenantPartition('acme'), sortKey)).toEqual({
      pk: 'TENANT#acme',
      sk: 'EVENT#e1',
      gsi1pk: 'TENANT#acme',
      gsi1sk: sortKey,
    });
    expect(indexStartKey('acme', 'byType', typePartition('acme', 'a.b'), sortKey)).toEqual({
      pk: 'TENANT#acme',
      sk: 'EVENT#e1',
      gsi2pk: 'TENANT#acme#TYPE#a.b',
      gsi1sk: sortKey,
    });
    expect(indexStartKey('acme', 'byTime', tenantPartition('acme'), 'garbage')).toBeUndefined();
  });
});
