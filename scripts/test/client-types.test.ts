import { describe, expect, test } from '@jest/globals';
import { CLIENT_VALUES, clientValuesText, withConditionalsAsUnions } from '../openapi/client-types';
import type { Document } from '../openapi/document';

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

describe('the client’s query values', () => {
  const audit = (parameters: unknown[]): Document => ({
    paths: { '/v1/audit': { get: { operationId: 'listAuditEntries', parameters } } },
    components: { schemas: {} },
  });
  const action = { name: 'action', in: 'query', schema: { enum: ['tenant.created', 'api_key.revoked'] } };
  const resourceType = { name: 'resourceType', in: 'query', schema: { enum: ['tenant', 'api_key'] } };

  test('are the enums of GET /v1/audit’s filters, in the document’s order, typed by the client’s types', async () => {
    const text = await clientValuesText(
      CLIENT_VALUES,
      audit([{ name: 'limit', in: 'query' }, action, resourceType]),
    );
    expect(text).toContain(
      "export const AUDIT_ACTIONS = ['tenant.created', 'api_key.revoked'] as const satisfies",
    );
    expect(text).toContain("export const AUDIT_RESOURCE_TYPES = ['tenant', 'api_key'] as const satisfies");
    expect(text).toContain("operations['listAuditEntries']['parameters']['query']>['resourceType']");
  });

  test('are refused when the document no longer has one of them as a string enum', async () => {
    await expect(clientValuesText(CLIENT_VALUES, audit([action]))).rejects.toThrow(
      'GET /v1/audit has no query parameter resourceType with a string enum',
    );
    await expect(
      clientValuesText(CLIENT_VALUES, audit([action, { ...resourceType, schema: { type: 'string' } }])),
    ).rejects.toThrow('resourceType');
  });
});
