/**
 * The event-type catalog on the local cloud: a type registered through the API (its roles as
 * serverless.yml grants them, the event-types table as its CloudFormation declares it) makes
 * POST /v1/events and uploads validate that type's data; another tenant's catalog does not apply;
 * list, get and deprecation; scopes.
 */
import { describe, expect, test } from '@jest/globals';
import { eventually, localCloud, tokenFor } from '../../../test/setup/local-cloud';
import { ORDER, ORDER_SCHEMA } from './support/schemas';

const cloud = localCloud();
const api = cloud.endpoints.services.ingest;

let tenants = 0;
/** A tenant of its own per test: its catalog is read fresh (each container keeps one for a while). */
const newTenant = (name: string) => `it-types-${name}-${Date.now().toString(36)}-${tenants++}`;

const everything = (tenant: string) =>
  tokenFor({ tenant, scopes: ['events:write', 'event-types:read', 'event-types:write'] });

async function request(method: string, path: string, token: string, body?: unknown) {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
  };
}

const order = { description: 'An order was placed.', schema: ORDER_SCHEMA, examples: [ORDER] };

describe('the event-type catalog', () => {
  test('a registered schema: a valid event is 202, an invalid one 422 naming its pointer and keyword', async () => {
    const tenant = newTenant('validate');
    const token = await everything(tenant);
    const put = await request('PUT', '/v1/event-types/order.created', token, order);
    expect(put).toMatchObject({
      status: 200,
      body: { type: 'order.created', version: 1, deprecated: false },
    });

    expect((await request('POST', '/v1/events', token, { type: 'order.created', data: ORDER })).status).toBe(
      202,
    );
    const bad = await request('POST', '/v1/events', token, {
      events: [
        { type: 'order.created', data: ORDER },
        { type: 'order.created', data: { ...ORDER, customer: { ...ORDER.customer, email: 'nope' } } },
      ],
    });
    expect(bad).toMatchObject({
      status: 422,
      body: {
        type: 'https://herald.dev/problems/validation-failed',
        errors: [
          { pointer: '/body/events/1/data/customer/email', message: expect.stringContaining('(format)') },
        ],
      },
    });
    // A type the catalog does not know is accepted as before.
    expect((await request('POST', '/v1/events', token, { type: 'order.other', data: 1 })).status).toBe(202);
  });

  test("another tenant's catalog does not apply", async () => {
    const owner = await everything(newTenant('owner'));
    expect((await request('PUT', '/v1/event-types/order.created', owner, order)).status).toBe(200);
    expect(
      (await request('POST', '/v1/events', owner, { type: 'order.created', data: 'not an order' })).status,
    ).toBe(422);
    const other = await everything(newTenant('other'));
    expect(
      (await request('POST', '/v1/events', other, { type: 'order.created', data: 'not an order' })).status,
    ).toBe(202);
    expect((await request('GET', '/v1/event-types/order.created', other)).status).toBe(404);
  });

  test('an unsafe schema or an example that breaks it is a 422 naming the pointer; nothing is stored', async () => {
    const token = await everything(newTenant('unsafe'));
    const backreference = await request('PUT', '/v1/event-types/order.created', token, {
      description: 'd',
      schema: { type: 'object', properties: { code: { type: 'string', pattern: '^(a+)\\1$' } } },
    });
    expect(backreference).toMatchObject({
      status: 422,
      body: { errors: [{ pointer: '/body/schema/properties/code/pattern' }] },
    });
    const remote = await request('PUT', '/v1/event-types/order.created', token, {
      description: 'd',
      schema: { $ref: 'https://example.org/order.json' },
    });
    expect(remote).toMatchObject({ status: 422, body: { errors: [{ pointer: '/body/schema/$ref' }] } });
    const example = await request('PUT', '/v1/event-types/order.created', token, {
      ...order,
      examples: [ORDER, { ...ORDER, total: -1 }],
    });
    expect(example).toMatchObject({ status: 422, body: { errors: [{ pointer: '/body/examples/1/total' }] } });
    expect((await request('GET', '/v1/event-types/order.created', token)).status).toBe(404);
  });

  test('list in pages, get, replace and deprecate', async () => {
    const token = await everything(newTenant('list'));
    for (const type of ['a.one', 'b.two', 'c.three']) {
      expect((await request('PUT', `/v1/event-types/${type}`, token, { description: type })).status).toBe(
        200,
      );
    }
    const first = await request('GET', '/v1/event-types?limit=2', token);
    expect(first.body).toMatchObject({ items: [{ type: 'a.one' }, { type: 'b.two' }] });
    const second = await request('GET', `/v1/event-types?cursor=${first.body!.nextCursor as string}`, token);
    expect(second.body).toMatchObject({ items: [{ type: 'c.three' }] });
    expect(second.body!.nextCursor).toBeUndefined();

    const deprecated = await request('PUT', '/v1/event-types/a.one', token, {
      description: 'a.one',
      deprecated: true,
      replacedBy: 'b.two',
    });
    expect(deprecated.body).toMatchObject({ version: 2, deprecated: true, replacedBy: 'b.two' });
    expect((await request('GET', '/v1/event-types/a.one', token)).body).toMatchObject({ version: 2 });
  });

  test('a deprecated type is accepted, and the answer names it', async () => {
    const token = await everything(newTenant('deprecated'));
    await request('PUT', '/v1/event-types/order.placed', token, {
      description: 'Use order.created',
      deprecated: true,
      replacedBy: 'order.created',
    });
    const sent = await request('POST', '/v1/events', token, { type: 'order.placed', data: {} });
    expect(sent).toMatchObject({
      status: 202,
      body: { deprecations: [{ type: 'order.placed', replacedBy: 'order.created' }] },
    });
  });

  test('scopes are enforced: 403 without event-types:write or event-types:read', async () => {
    const tenant = newTenant('scopes');
    const writerOnly = await tokenFor({ tenant, scopes: ['events:write'] });
    expect((await request('PUT', '/v1/event-types/order.created', writerOnly, order)).status).toBe(403);
    expect((await request('GET', '/v1/event-types', writerOnly)).status).toBe(403);
    const reader = await tokenFor({ tenant, scopes: ['event-types:read'] });
    expect((await request('GET', '/v1/event-types', reader)).status).toBe(200);
    expect((await request('PUT', '/v1/event-types/order.created', reader, order)).status).toBe(403);
  });

  test('an NDJSON upload rejects the line whose data breaks the schema, and only it', async () => {
    const tenant = newTenant('upload');
    const token = await everything(tenant);
    await request('PUT', '/v1/event-types/order.created', token, order);
    const lines = [
      JSON.stringify({ type: 'order.created', data: ORDER }),
      JSON.stringify({ type: 'order.created', data: { ...ORDER, lines: [] } }),
      JSON.stringify({ type: 'order.other', data: {} }),
    ];
    const content = Buffer.from(`${lines.join('\n')}\n`);
    const created = await request('POST', '/v1/uploads', token, { size: content.length });
    const upload = created.body as { id: string; upload: { url: string; headers: Record<string, string> } };
    const { 'content-length': _length, ...headers } = upload.upload.headers;
    expect((await fetch(upload.upload.url, { method: 'PUT', headers, body: content })).status).toBe(200);
    const report = await eventually(
      async () => {
        const view = await request('GET', `/v1/uploads/${upload.id}`, token);
        return view.body?.status === 'completed' ? view.body : undefined;
      },
      60_000,
      'the upload processed',
    );
    expect(report).toMatchObject({
      report: {
        lines: 3,
        accepted: 2,
        rejected: 1,
        rejections: [
          {
            line: 2,
            reason: expect.stringMatching(/^breaks its event type's schema at \/data\/lines: .*minItems/),
          },
        ],
      },
    });
  });
});
