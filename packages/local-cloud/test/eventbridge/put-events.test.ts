// PutEvents request handling: whole-call limits, per-entry errors with AWS's codes and messages, and the events
// built for accepted entries.
import { describe, expect, test } from '@jest/globals';
import { matchesPattern } from '@herald/event-pattern';
import type { PutEventsRequestEntry } from '../../src/eventbridge/put-events';
import {
  entrySize,
  MAX_REQUEST_BYTES,
  putEvents,
  PutEventsValidationError,
} from '../../src/eventbridge/put-events';
import { shapeTargetInput } from '../../src/eventbridge/targets';

const NOW = new Date('2025-06-01T12:34:56.789Z');

function context(): Parameters<typeof putEvents>[1] {
  let counter = 0;
  return {
    account: '123456789012',
    region: 'eu-west-1',
    eventBusNames: ['default', 'herald'],
    now: () => NOW,
    newEventId: () => `event-${++counter}`,
  };
}

const entry: PutEventsRequestEntry = {
  Source: 'com.mycompany.myapp',
  DetailType: 'myDetailType',
  Detail: '{ "key1": "value1", "key2": "value2" }',
  Resources: ['resource1', 'resource2'],
};

function validationError(run: () => unknown): PutEventsValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof PutEventsValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationException');
}

describe('whole-call validation', () => {
  test('more than 10 entries fails the call', () => {
    const error = validationError(() => putEvents({ Entries: Array(11).fill(entry) }, context()));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      "1 validation error detected: Value '[PutEventsRequestEntry]' at 'entries' failed to satisfy constraint: " +
        'Member must have length less than or equal to 10',
    );
  });

  test('no entries fails the call', () => {
    expect(validationError(() => putEvents({ Entries: [] }, context())).message).toContain(
      'Member must have length greater than or equal to 1',
    );
  });

  test('missing Entries fails the call', () => {
    expect(validationError(() => putEvents({}, context())).message).toContain('Member must not be null');
  });

  test('10 entries are accepted', () => {
    const { response } = putEvents({ Entries: Array(10).fill(entry) }, context());
    expect(response.FailedEntryCount).toBe(0);
    expect(response.Entries).toHaveLength(10);
  });

  test('an entry over 256 KB fails the call', () => {
    const big = { ...entry, Detail: JSON.stringify({ pad: 'x'.repeat(MAX_REQUEST_BYTES) }) };
    expect(validationError(() => putEvents({ Entries: [big] }, context())).message).toBe(
      'Total size of the entries in the request is over the limit.',
    );
  });

  test('entries that are small alone but over 256 KB together fail the call', () => {
    const third = { ...entry, Detail: JSON.stringify({ pad: 'x'.repeat(90 * 1024) }) };
    expect(() => putEvents({ Entries: [third, third] }, context())).not.toThrow();
    expect(() => putEvents({ Entries: [third, third, third] }, context())).toThrow(PutEventsValidationError);
  });

  test('a request of exactly the limit is accepted', () => {
    const base = entrySize({ ...entry, Detail: '{"p":""}' });
    const exact = { ...entry, Detail: `{"p":"${'x'.repeat(MAX_REQUEST_BYTES - base)}"}` };
    expect(entrySize(exact)).toBe(MAX_REQUEST_BYTES);
    expect(putEvents({ Entries: [exact] }, context()).response.FailedEntryCount).toBe(0);
  });

  test('the limit can be raised for buses that allow larger events', () => {
    const big = { ...entry, Detail: JSON.stringify({ pad: 'x'.repeat(MAX_REQUEST_BYTES) }) };
    const { response } = putEvents({ Entries: [big] }, { ...context(), maxRequestBytes: 1024 * 1024 });
    expect(response.FailedEntryCount).toBe(0);
  });
});

describe('entrySize', () => {
  test('follows the documented calculation: UTF-8 bytes, and 14 for a Time', () => {
    expect(entrySize({ Source: 'ab', DetailType: 'c', Detail: '{}', Resources: ['r1', 'r2'] })).toBe(
      2 + 1 + 2 + 4,
    );
    expect(entrySize({ Source: 'é', DetailType: '€', Detail: '{}' })).toBe(2 + 3 + 2);
    expect(entrySize({ Source: 'a', DetailType: 'b', Detail: '{}', Time: '2016-01-14T01:02:03Z' })).toBe(
      1 + 1 + 2 + 14,
    );
  });
});

describe('per-entry errors', () => {
  test.each<[string, PutEventsRequestEntry, string, string]>([
    [
      'no Source',
      { DetailType: 't', Detail: '{}' },
      'InvalidArgument',
      'Parameter Source is not valid. Reason: Source is a required argument.',
    ],
    [
      'an empty Source',
      { Source: '', DetailType: 't', Detail: '{}' },
      'InvalidArgument',
      'Parameter Source is not valid. Reason: Source is a required argument.',
    ],
    [
      'no DetailType',
      { Source: 's', Detail: '{}' },
      'InvalidArgument',
      'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
    ],
    [
      'no Detail',
      { Source: 's', DetailType: 't' },
      'InvalidArgument',
      'Parameter Detail is not valid. Reason: Detail is a required argument.',
    ],
    [
      'Detail that is not JSON',
      { Source: 's', DetailType: 't', Detail: '{oops' },
      'MalformedDetail',
      'Detail is malformed.',
    ],
    [
      'Detail that is a JSON array',
      { Source: 's', DetailType: 't', Detail: '[1, 2]' },
      'MalformedDetail',
      'Detail is malformed.',
    ],
    [
      'Detail that is a JSON string',
      { Source: 's', DetailType: 't', Detail: '"text"' },
      'MalformedDetail',
      'Detail is malformed.',
    ],
    [
      'Detail that is JSON null',
      { Source: 's', DetailType: 't', Detail: 'null' },
      'MalformedDetail',
      'Detail is malformed.',
    ],
    [
      'an unknown bus',
      { ...entry, EventBusName: 'nope' },
      'ResourceNotFoundException',
      'Event bus nope does not exist.',
    ],
    [
      'an unknown bus by ARN',
      { ...entry, EventBusName: 'arn:aws:events:eu-west-1:123456789012:event-bus/nope' },
      'ResourceNotFoundException',
      'Event bus nope does not exist.',
    ],
  ])('%s', (_name, bad, code, message) => {
    const { response, accepted } = putEvents({ Entries: [bad] }, context());
    expect(response).toEqual({ FailedEntryCount: 1, Entries: [{ ErrorCode: code, ErrorMessage: message }] });
    expect(accepted).toEqual([]);
  });

  test('a failed entry does not stop the others, and keeps its position', () => {
    const { response, accepted } = putEvents({ Entries: [entry, { Source: 's' }, entry] }, context());
    expect(response).toEqual({
      FailedEntryCount: 1,
      Entries: [
        { EventId: 'event-1' },
        {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
        },
        { EventId: 'event-2' },
      ],
    });
    expect(accepted.map((a) => a.entryIndex)).toEqual([0, 2]);
  });

  test('an entry that is not an object is an entry without a Source', () => {
    const entries = [null] as unknown as PutEventsRequestEntry[];
    expect(putEvents({ Entries: entries }, context()).response.Entries[0]).toMatchObject({
      ErrorCode: 'InvalidArgument',
    });
  });

  test('the default bus must exist too', () => {
    const { response } = putEvents({ Entries: [entry] }, { ...context(), eventBusNames: ['herald'] });
    expect(response.Entries[0]).toEqual({
      ErrorCode: 'ResourceNotFoundException',
      ErrorMessage: 'Event bus default does not exist.',
    });
  });
});

describe('accepted entries', () => {
  test('become full EventBridge events', () => {
    const { response, accepted } = putEvents({ Entries: [entry] }, context());
    expect(response).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: 'event-1' }] });
    expect(accepted).toEqual([
      {
        entryIndex: 0,
        eventBusName: 'default',
        event: {
          version: '0',
          id: 'event-1',
          'detail-type': 'myDetailType',
          source: 'com.mycompany.myapp',
          account: '123456789012',
          time: '2025-06-01T12:34:56Z',
          region: 'eu-west-1',
          resources: ['resource1', 'resource2'],
          detail: { key1: 'value1', key2: 'value2' },
        },
      },
    ]);
  });

  test('go to the bus named or given by ARN', () => {
    const byName = putEvents({ Entries: [{ ...entry, EventBusName: 'herald' }] }, context()).accepted[0];
    const byArn = putEvents(
      { Entries: [{ ...entry, EventBusName: 'arn:aws:events:eu-west-1:123456789012:event-bus/herald' }] },
      context(),
    ).accepted[0];
    expect(byName?.eventBusName).toBe('herald');
    expect(byArn?.eventBusName).toBe('herald');
  });

  test('have no resources when none are given', () => {
    const { Resources: _resources, ...bare } = entry;
    expect(putEvents({ Entries: [bare] }, context()).accepted[0]?.event.resources).toEqual([]);
  });

  test.each<[string, PutEventsRequestEntry['Time'], string]>([
    ['an RFC 3339 Time', '2016-01-14T01:02:03Z', '2016-01-14T01:02:03Z'],
    ['a Time with an offset', '2016-01-14T03:02:03.500+02:00', '2016-01-14T01:02:03Z'],
    ['a Date', new Date('2016-01-14T01:02:03Z'), '2016-01-14T01:02:03Z'],
    ['epoch seconds, as the JSON protocol sends them', 1452733323, '2016-01-14T01:02:03Z'],
    ['an unusable Time falls back to now', 'yesterday', '2025-06-01T12:34:56Z'],
  ])('take %s', (_name, time, expected) => {
    expect(putEvents({ Entries: [{ ...entry, Time: time }] }, context()).accepted[0]?.event.time).toBe(
      expected,
    );
  });

  test('get a fresh UUID by default', () => {
    const { now: _now, newEventId: _newEventId, ...plain } = context();
    const { accepted } = putEvents({ Entries: [entry, entry] }, plain);
    const [first, second] = accepted.map((a) => a.event.id);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first).not.toBe(second);
  });
});

describe('PutEvents, a rule and a target together', () => {
  test('an accepted event is matched and shaped for its target', () => {
    const { accepted } = putEvents(
      {
        Entries: [
          { Source: 'herald.ingest', DetailType: 'Event Accepted', Detail: '{"tenantId":"t-1","size":42}' },
        ],
      },
      context(),
    );
    const event = accepted[0]?.event;
    if (!event) throw new Error('expected an accepted event');
    const pattern = {
      source: [{ prefix: 'herald.' }],
      detail: { size: [{ numeric: ['>', 0, '<=', 1024] }] },
    };
    expect(matchesPattern(pattern, event)).toBe(true);
    const input = shapeTargetInput(
      {
        InputTransformer: {
          InputPathsMap: { tenant: '$.detail.tenantId' },
          InputTemplate: '{"tenant": <tenant>, "id": "<tenant>"}',
        },
      },
      event,
      { ruleName: 'to-processing' },
    );
    expect(input).toBe('{"tenant": "t-1", "id": "t-1"}');
  });
});
