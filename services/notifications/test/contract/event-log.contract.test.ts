/**
 * EventLog: the stored events fan-out keeps, replay pages through by bus time, and deliver loads
 * by key; each tenant's own.
 */
import { expect, test } from '@jest/globals';
import type { Envelope } from '@herald/shared/contracts';
import { describePort } from '../../../../test/setup/contract';
import type { StoredEvent } from '../../src/fan-out/ports';
import type { PageKey } from '../../src/model/pages';
import { eventSortKey } from '../../src/model/table-keys';
import { eventLogImplementations, freshEach } from './implementations';

/** An event stored at bus time `time`. The envelope is opaque to the log: no signature needed here. */
function stored(time: string, id: string, tenantId = 'acme'): StoredEvent {
  const envelope = {
    specversion: '1.0',
    id,
    source: '/herald/ingest',
    type: 'order.created',
    time,
    datacontenttype: 'application/json',
    data: { total: 42, lines: [{ sku: 'A-1', quantity: 2 }] },
    tenantid: tenantId,
    correlationid: `corr-${id}`,
    signature: 'c2lnbmF0dXJl',
  } as unknown as Envelope;
  return { tenantId, eventKey: eventSortKey(time, id), envelope, expiresAt: 1_800_000_000 };
}

describePort('EventLog', eventLogImplementations, (make) => {
  const log = freshEach(make);

  const window = { from: '2026-11-28T10:00:00.000Z', to: '2026-11-28T11:00:00.000Z' };

  test('newest: the newest events of a range first, at most the limit, more when the limit was reached', async () => {
    const events = ['10:05', '10:10', '10:20', '10:40'].map((at, i) =>
      stored(`2026-11-28T${at}:00.000Z`, `evt-${i}`),
    );
    await log().putAll([...events, stored('2026-11-28T10:30:00.000Z', 'theirs', 'globex')]);
    const all = await log().newest('acme', window, 10);
    expect(all.items.map((e) => e.envelope.id)).toEqual(['evt-3', 'evt-2', 'evt-1', 'evt-0']);
    expect(all.items[0]).toEqual(events[3]);
    expect(all.more).toBe(false);
    const two = await log().newest('acme', { from: '2026-11-28T10:06:00.000Z', to: window.to }, 2);
    expect(two.items.map((e) => e.envelope.id)).toEqual(['evt-3', 'evt-2']);
    expect(two.more).toBe(true);
  });

  test('keeps an event and loads its envelope by key, in its tenant only', async () => {
    const event = stored('2026-11-28T10:00:00.000Z', 'evt-1');
    await log().put(event);
    expect(await log().load('acme', event.eventKey)).toEqual(event.envelope);
    expect(await log().load('globex', event.eventKey)).toBeUndefined();
    expect(await log().load('acme', eventSortKey('2026-11-28T10:00:00.000Z', 'evt-2'))).toBeUndefined();
  });

  test('the same event stored twice is one event', async () => {
    const event = stored('2026-11-28T10:30:00.000Z', 'evt-1');
    await log().put(event);
    await log().put(event);
    expect((await log().between('acme', window, 10)).items).toEqual([event]);
  });

  test('putAll keeps many events as put keeps each, the same event twice once, in any number', async () => {
    // More than one BatchWriteItem request takes (25), one event given twice.
    const events = Array.from({ length: 30 }, (_, i) =>
      stored(`2026-11-28T10:${String(i).padStart(2, '0')}:00.000Z`, `evt-${i}`),
    );
    const errors = await log().putAll([...events, events[3]!]);
    expect(errors).toEqual(Array.from({ length: 31 }, () => undefined));
    expect((await log().between('acme', window, 100)).items).toEqual(events);
    expect(await log().load('acme', events[29]!.eventKey)).toEqual(events[29]!.envelope);
    expect(await log().putAll([])).toEqual([]);
  });

  test('between gives the events from `from` through every event at exactly `to`, oldest first', async () => {
    const before = stored('2026-11-28T09:59:59.999Z', 'evt-0');
    const atFrom = stored('2026-11-28T10:00:00.000Z', 'evt-1');
    const inside = stored('2026-11-28T10:30:00.000Z', 'evt-2');
    const atTo = [stored(window.to, 'evt-3'), stored(window.to, 'evt-4')];
    const after = stored('2026-11-28T11:00:00.001Z', 'evt-5');
    for (const event of [after, inside, before, ...atTo, atFrom]) await log().put(event);
    const page = await log().between('acme', window, 10);
    expect(page.items).toEqual([atFrom, inside, ...atTo]);
    expect(page.next).toBeUndefined();
  });

  test('pages to the end: every event once, in order, at most `limit` a page', async () => {
    const events = Array.from({ length: 7 }, (_, i) => stored(`2026-11-28T10:0${i}:00.000Z`, `evt-${i}`));
    for (const event of [...events].reverse()) await log().put(event);
    const seen: StoredEvent[] = [];
    let after: PageKey | undefined;
    let pages = 0;
    do {
      const page = await log().between('acme', window, 3, after);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      after = page.next;
    } while (after && ++pages < 10);
    expect(seen).toEqual(events);
  });

  test('another tenant’s events are never in the window', async () => {
    await log().put(stored('2026-11-28T10:10:00.000Z', 'evt-1', 'globex'));
    const mine = stored('2026-11-28T10:20:00.000Z', 'evt-2');
    await log().put(mine);
    expect((await log().between('acme', window, 10)).items).toEqual([mine]);
    expect((await log().between('umbrella', window, 10)).items).toEqual([]);
  });
});
