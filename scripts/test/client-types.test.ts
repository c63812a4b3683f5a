import { describe, expect, test } from '@jest/globals';
import { withConditionalsAsUnions } from '../openapi/client-types';

describe('the client types’ reading of if/then/else', () => {
  test('is the union of then (with what if requires) and else, wherever it is nested', () => {
    const event = { $ref: '#/components/schemas/EventInput' };
    const body = {
      type: 'object',
      if: { properties: { events: true }, required: ['events'] },
      then: { additionalProperties: false, properties: { events: { type: 'array', items: event } } },
      else: event,
    };
    expect(withConditionalsAsUnions({ content: { 'application/json': { schema: body } } })).toEqual({
      content: {
        'application/json': {
          schema: {
            type: 'object',
            oneOf: [
              {
                type: 'object',
                additionalProperties: false,
                properties: { events: { type: 'array', items: event } },
                required: ['events'],
              },
              event,
            ],
          },
        },
      },
    });
  });

  test('leaves every other schema as it is', () => {
    const schema = { type: 'object', properties: { if: { type: 'string' } }, anyOf: [{ required: ['a'] }] };
    expect(withConditionalsAsUnions(schema)).toEqual(schema);
  });
});
