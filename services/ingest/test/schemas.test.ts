import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import validateAccept from '../src/schemas/accept-events.validator.generated';
import validateCreate from '../src/schemas/create-upload.validator.generated';
import validateGet from '../src/schemas/get-upload.validator.generated';
import validateLine from '../src/schemas/upload-line.validator.generated';

const schema = (name: string) =>
  JSON.parse(readFileSync(new URL(`../src/schemas/${name}.schema.json`, import.meta.url), 'utf8'));

const event = { type: 'order.created', data: { total: 5 } };

describe('schemas', () => {
  test('an upload line is exactly an event of POST /v1/events', () => {
    const { $comment: _comment, ...line } = schema('upload-line');
    expect(line).toEqual(schema('accept-events').definitions.eventInput);
  });

  test.each([
    ['one event', event, true],
    [
      'one event with every member',
      { ...event, id: 'a:b.c-1', subject: 's', time: '2026-11-28T10:00:00Z', source: 'https://x.example/y' },
      true,
    ],
    ['a batch of 1', { events: [event] }, true],
    ['a batch of 100', { events: Array.from({ length: 100 }, () => event) }, true],
    ['a batch of 101', { events: Array.from({ length: 101 }, () => event) }, false],
    ['an empty batch', { events: [] }, false],
    ['a batch with another member', { events: [event], type: 'order.created' }, false],
    ['a batch with a bad event', { events: [event, { type: 'order.created' }] }, false],
    ['data of any JSON type', { ...event, data: null }, true],
    ['a one-word type', { ...event, type: 'created' }, false],
    ['an upper-case type', { ...event, type: 'Order.created' }, false],
    ['a type of 129 characters', { ...event, type: `a.${'b'.repeat(127)}` }, false],
    ['an id of 129 characters', { ...event, id: 'i'.repeat(129) }, false],
    ['an empty subject', { ...event, subject: '' }, false],
    ['a time without offset', { ...event, time: '2026-11-28T10:00:00' }, false],
    ['a source that is no URI reference', { ...event, source: 'a b' }, false],
    ['an array body', [event], false],
  ])('POST /v1/events: %s', (_name, body, valid) => {
    expect(validateAccept({ body })).toBe(valid);
  });

  test('an upload line takes one event and nothing else', () => {
    expect(validateLine(event)).toBe(true);
    expect(validateLine({ events: [event] })).toBe(false);
    expect(validateLine([event])).toBe(false);
    expect(validateLine('order.created')).toBe(false);
  });

  test.each([
    [{ size: 1 }, true],
    [{ size: 5 * 1024 ** 3 }, true],
    [{ size: 5 * 1024 ** 3 + 1 }, false],
    [{ size: '10' }, false],
    [{}, false],
  ])('POST /v1/uploads %j', (body, valid) => {
    expect(validateCreate({ body })).toBe(valid);
  });

  test.each([
    [{ id: '01JDZQ8B4WZ3T6V7X8Y9ZA0B1C' }, {}, true],
    [{ id: '01JDZQ8B4WZ3T6V7X8Y9ZA0B1C' }, { cursor: 'cGFnZTox' }, true],
    [{ id: '01jdzq8b4wz3t6v7x8y9za0b1c' }, {}, false],
    [{ id: '01JDZQ8B4WZ3T6V7X8Y9ZA0B1I' }, {}, false],
    [{ id: '01JDZQ8B4WZ3T6V7X8Y9ZA0B1C' }, { limit: '5' }, false],
    [{ id: '01JDZQ8B4WZ3T6V7X8Y9ZA0B1C' }, { cursor: 'a/b' }, false],
  ])('GET /v1/uploads/{id} %j %j', (pathParameters, queryStringParameters, valid) => {
    expect(validateGet({ pathParameters, queryStringParameters })).toBe(valid);
  });
});
