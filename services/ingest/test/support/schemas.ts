/** Schemas the tests and the ingest bench share. */

/** A realistic order schema: nested objects, an array of items, formats and a pattern. */
export const ORDER_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['orderId', 'total', 'customer', 'lines'],
  additionalProperties: false,
  properties: {
    orderId: { type: 'string', pattern: '^ord_[0-9a-z]{8,32}$' },
    total: { type: 'number', minimum: 0 },
    currency: { enum: ['EUR', 'USD', 'GBP'] },
    placedAt: { type: 'string', format: 'date-time' },
    customer: {
      type: 'object',
      required: ['id', 'email'],
      properties: { id: { type: 'string', format: 'uuid' }, email: { type: 'string', format: 'email' } },
    },
    lines: { type: 'array', minItems: 1, maxItems: 100, items: { $ref: '#/$defs/line' } },
  },
  $defs: {
    line: {
      type: 'object',
      required: ['sku', 'quantity'],
      properties: { sku: { type: 'string', maxLength: 64 }, quantity: { type: 'integer', minimum: 1 } },
    },
  },
};

/** An order the schema takes. */
export const ORDER = {
  orderId: 'ord_abcdef12',
  total: 10,
  customer: { id: '3b241101-e2bb-4255-8caf-4136c566a962', email: 'a@example.org' },
  lines: [{ sku: 'A', quantity: 1 }],
};
