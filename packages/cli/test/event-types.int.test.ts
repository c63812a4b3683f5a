/**
 * herald event-types against the shared local cloud, as a user runs it: put with a schema file and
 * examples, list, get, a refused schema named by pointer (exit 1), deprecate.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tokenFor } from '../../../test/setup/local-cloud';
import { herald, heraldEnv } from './run-herald';

jest.setTimeout(120_000);

let env: NodeJS.ProcessEnv;
let dir: string;

beforeAll(async () => {
  const tenant = `cli-types-${randomBytes(6).toString('hex')}`;
  env = heraldEnv(
    await tokenFor({ tenant, scopes: ['event-types:read', 'event-types:write', 'events:write'] }),
  );
  dir = await mkdtemp(join(tmpdir(), 'herald-cli-types-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('event-types', () => {
  test('put --file with examples, list, get, deprecate; an event of the type is checked', async () => {
    const schema = join(dir, 'order.schema.json');
    await writeFile(
      schema,
      JSON.stringify({
        type: 'object',
        required: ['total'],
        properties: { total: { type: 'number', minimum: 0 } },
      }),
    );
    const examples = join(dir, 'examples.json');
    await writeFile(examples, JSON.stringify([{ total: 42 }]));

    const put = await herald(
      [
        'event-types',
        'put',
        'order.created',
        '--description',
        'An order',
        '--file',
        schema,
        '--examples',
        examples,
      ],
      env,
    );
    expect(put).toMatchObject({ code: 0 });
    expect(put.stdout).toMatch(/^version: +1$/m);
    expect(put.stdout).toContain('"minimum": 0');

    const listed = await herald(['event-types', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^order\.created +1 +yes +no +An order$/m);

    const json = await herald(['event-types', 'get', 'order.created', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ type: 'order.created', examples: [{ total: 42 }] });

    const refused = await herald(['events', 'send', '{"type":"order.created","data":{"total":-1}}'], env);
    expect(refused.code).not.toBe(0);
    expect(`${refused.stdout}${refused.stderr}`).toContain('/data/total');

    const deprecated = await herald(
      ['event-types', 'deprecate', 'order.created', '--replaced-by', 'order.placed', '--json'],
      env,
    );
    expect(deprecated.code).toBe(0);
    expect(JSON.parse(deprecated.stdout)).toMatchObject({
      version: 2,
      deprecated: true,
      replacedBy: 'order.placed',
      schema: { required: ['total'] },
      examples: [{ total: 42 }],
    });
  });

  test('a schema the API refuses exits 1 naming its pointer', async () => {
    const schema = join(dir, 'unsafe.schema.json');
    await writeFile(schema, JSON.stringify({ properties: { code: { type: 'string', pattern: '(?=a)b' } } }));
    const refused = await herald(
      ['event-types', 'put', 'order.unsafe', '--description', 'd', '-f', schema],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^ {2}\/body\/schema\/properties\/code\/pattern: .*RE2/m);
  });
});
