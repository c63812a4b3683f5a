// The promises of EventBus, kept by the in-memory stand-in and by the EventBridge adapter (on the local
// cloud's EventBridge, delivering through a rule to a queue) alike: one result per entry, in order;
// accepted entries delivered as sent; what the bus never takes refused per entry or per call.
import { describe, expect, test } from '@jest/globals';
import { CreateEventBusCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { ACCOUNT_ID, REGION } from '@herald/local-cloud/client';
import { BusSource, DetailType } from '@herald/shared/contracts';
import {
  contractAws,
  describePort,
  queueDepth,
  receiveBodies,
  uniqueName,
} from '../../../../test/setup/contract';
import { EventBridgeBus } from '../../src/adapters/eventbridge-bus';
import { MAX_REQUEST_BYTES, type BusEntry, type EventBus } from '../../src/publish-events';
import { MemoryBus } from '../support/memory-bus';

/** What a subscriber sees of an event: the parts the bus promises to carry over. */
interface Delivered {
  source: string;
  'detail-type': string;
  detail: unknown;
  time: string;
}

interface Bus {
  bus: EventBus;
  /** The next `count` events delivered to a subscriber of every event put. */
  delivered(count: number): Promise<Delivered[]>;
  /** Events delivered and not yet taken. */
  left(): Promise<number>;
}

const TIME = new Date('2026-11-30T10:00:00.250Z');
const entry = (id: string, detail: string = JSON.stringify({ id })): BusEntry => ({
  Source: BusSource.processing,
  DetailType: DetailType.eventStored,
  Detail: detail,
  Time: TIME,
});
/** EventBridge's time of an event: whole seconds, UTC. */
const seconds = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const asDelivered = (e: BusEntry): Delivered => ({
  source: e.Source,
  'detail-type': e.DetailType,
  detail: JSON.parse(e.Detail),
  time: seconds(e.Time),
});
const idOf = (d: Delivered) => (d.detail as { id: string }).id;

async function eventBridgeBus(): Promise<Bus> {
  const { eventbridge, sqs } = contractAws();
  const name = uniqueName('processing', 'bus');
  await eventbridge.send(new CreateEventBusCommand({ Name: name }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-subscriber` }));
  await eventbridge.send(
    new PutRuleCommand({
      Name: 'stored-events',
      EventBusName: name,
      EventPattern: JSON.stringify({
        source: [BusSource.processing],
        'detail-type': [DetailType.eventStored],
      }),
    }),
  );
  await eventbridge.send(
    new PutTargetsCommand({
      Rule: 'stored-events',
      EventBusName: name,
      Targets: [{ Id: 'subscriber', Arn: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:${name}-subscriber` }],
    }),
  );
  return {
    bus: new EventBridgeBus(eventbridge, name),
    delivered: async (count) =>
      (await receiveBodies(QueueUrl!, count)).map((body) => {
        const event = JSON.parse(body) as Delivered;
        return {
          source: event.source,
          'detail-type': event['detail-type'],
          detail: event.detail,
          time: event.time,
        };
      }),
    left: () => queueDepth(QueueUrl!),
  };
}

describePort<Bus>(
  'EventBus',
  [
    {
      name: 'in memory',
      make: () => {
        const bus = new MemoryBus();
        let taken = 0;
        return {
          bus,
          delivered: async () => bus.accepted.slice(taken, (taken = bus.accepted.length)).map(asDelivered),
          left: async () => bus.accepted.length - taken,
        };
      },
    },
    { name: 'EventBridge', make: eventBridgeBus },
  ],
  (make) => {
    /** Absence proven with a barrier: an event put after a failed call arrives, and nothing else with it. */
    async function expectNothingDelivered(subject: Bus) {
      expect(await subject.bus.put([entry('barrier')])).toEqual([{ ok: true }]);
      expect((await subject.delivered(1)).map(idOf)).toEqual(['barrier']);
      expect(await subject.left()).toBe(0);
    }

    describe('put', () => {
      test('answers each entry in order, and delivers each accepted one as put', async () => {
        const subject = await make();
        const entries = ['e1', 'e2', 'e3'].map((id) => entry(id));
        expect(await subject.bus.put(entries)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
        const delivered = await subject.delivered(3);
        expect([...delivered].sort((a, b) => idOf(a).localeCompare(idOf(b)))).toEqual(
          entries.map(asDelivered),
        );
        expect(await subject.left()).toBe(0);
      });

      test('refuses an entry whose detail is not a JSON object, in its place, and delivers the others', async () => {
        const subject = await make();
        const results = await subject.bus.put([
          entry('e1'),
          entry('e2', '[1,2]'),
          entry('e3', '{"id":'),
          entry('e4'),
        ]);
        expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual([
          'ok',
          'MalformedDetail',
          'MalformedDetail',
          'ok',
        ]);
        expect((await subject.delivered(2)).map(idOf).sort()).toEqual(['e1', 'e4']);
        expect(await subject.left()).toBe(0);
      });

      test('does not deduplicate: an entry put twice is delivered twice', async () => {
        const subject = await make();
        await subject.bus.put([entry('e1')]);
        await subject.bus.put([entry('e1')]);
        expect((await subject.delivered(2)).map(idOf)).toEqual(['e1', 'e1']);
      });

      test('takes ten entries in one call, and fails a call of eleven as a whole', async () => {
        const subject = await make();
        const ten = Array.from({ length: 10 }, (_, i) => entry(`e${i}`));
        expect(await subject.bus.put(ten)).toHaveLength(10);
        expect(await subject.delivered(10)).toHaveLength(10);
        await expect(subject.bus.put([...ten, entry('e10')])).rejects.toThrow();
        await expectNothingDelivered(subject);
      });

      test('takes a call of exactly 256 KiB, and fails one a byte larger as a whole', async () => {
        const subject = await make();
        // Two entries; each counts 14 bytes for its Time, its source, detail type and detail.
        const overhead = 14 + BusSource.processing.length + DetailType.eventStored.length;
        const sized = (id: string, bytes: number) => {
          const empty = JSON.stringify({ id, pad: '' });
          return entry(id, JSON.stringify({ id, pad: 'x'.repeat(bytes - overhead - empty.length) }));
        };
        const half = MAX_REQUEST_BYTES / 2;
        expect(await subject.bus.put([sized('a1', half), sized('a2', half)])).toEqual([
          { ok: true },
          { ok: true },
        ]);
        expect((await subject.delivered(2)).map(idOf).sort()).toEqual(['a1', 'a2']);
        await expect(subject.bus.put([sized('b1', half), sized('b2', half + 1)])).rejects.toThrow();
        await expectNothingDelivered(subject);
      });
    });
  },
);
