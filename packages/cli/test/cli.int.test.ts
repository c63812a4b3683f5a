/**
 * The herald binary against the shared local cloud, as a user runs it: events sent, listed, read
 * and uploaded; a subscription's whole lifecycle; a problem's exit code and message.
 */
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { awsClients, eventually, localCloud, tokenFor } from '../../../test/setup/local-cloud';
import { herald, heraldEnv } from './run-herald';

jest.setTimeout(120_000);

const SCOPES = ['events:write', 'events:read', 'subscriptions:read', 'subscriptions:write'];
let env: NodeJS.ProcessEnv;
let dir: string;
const type = `cli.tested${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  const tenant = `cli-${randomBytes(6).toString('hex')}`;
  env = heraldEnv(await tokenFor({ tenant, scopes: SCOPES }));
  dir = await mkdtemp(join(tmpdir(), 'herald-cli-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('events', () => {
  test('send from an argument prints the id; get and list find the stored event', async () => {
    const sent = await herald(
      ['events', 'send', JSON.stringify({ type, subject: 'order/1', data: { total: 42 } })],
      env,
    );
    expect(sent).toMatchObject({ code: 0, stderr: '1 accepted, 0 rejected\n' });
    const id = /accepted\s+(\S+)/.exec(sent.stdout)![1]!;

    const stored = await eventually(
      async () => {
        const got = await herald(['events', 'get', id, '--json'], env);
        return got.code === 0 ? (JSON.parse(got.stdout) as { id: string; data: unknown }) : undefined;
      },
      30_000,
      'the event stored',
    );
    expect(stored).toMatchObject({ id, type, data: { total: 42 } });

    const listed = await herald(['events', 'list', '--type', type, '--json'], env);
    expect(listed.code).toBe(0);
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).id),
    ).toEqual([id]);
    const table = await herald(['events', 'list', '--type', type], env);
    expect(table.stdout).toMatch(
      new RegExp(`^ID\\s+TYPE\\s+SUBJECT\\s+RECEIVED\\n${id}\\s+${type}\\s+order/1\\s`),
    );
  });

  test('send reads NDJSON from stdin; --json prints one result document', async () => {
    const input = `${JSON.stringify({ type, data: 1 })}\n\n${JSON.stringify({ type, data: 2 })}\n`;
    const sent = await herald(['events', 'send', '--json'], env, input);
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({
      accepted: 2,
      rejected: 0,
      results: [{ status: 'accepted' }, { status: 'accepted' }],
    });
  });

  test('upload reports each line, lists the rejected one and exits 4', async () => {
    const file = join(dir, 'events.ndjson');
    await writeFile(
      file,
      `${JSON.stringify({ type, data: 1 })}\n{"type":"Not A Type!"}\n\n${JSON.stringify({ type, data: 3 })}\n`,
    );
    const uploaded = await herald(['events', 'upload', file], env);
    expect(uploaded.code).toBe(4);
    expect(uploaded.stdout).toMatch(
      /^upload \S+: completed\n4 lines: 2 accepted, 1 rejected, 1 blank\nLINE\s+REASON\n2\s+\S/,
    );
    // Not a terminal: progress as plain lines.
    expect(uploaded.stderr).toMatch(/uploaded \d+ of \d+ bytes \(100%\)/);
  });
});

describe('subscriptions', () => {
  test('create (secret shown once), list, get, update, pause, resume, rotate-secret, delete', async () => {
    const url = `${localCloud().endpoints.webhooks}/cli-${randomBytes(4).toString('hex')}`;
    const created = await herald(
      ['subscriptions', 'create', '--url', url, '--events', `${type},order.*`],
      env,
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^secret: whsec_\S+$/m);
    expect(created.stderr).toMatch(/shown once/);
    const id = /^id:\s+(sub_\S+)$/m.exec(created.stdout)![1]!;

    const listed = await herald(['subscriptions', 'list'], env);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+active\\s+${url}\\s+${type},order\\.\\*$`, 'm'));

    const got = await herald(['subscriptions', 'get', id, '--json'], env);
    expect(JSON.parse(got.stdout)).toMatchObject({ id, url, status: 'active' });
    expect(got.stdout).not.toMatch(/whsec_/);

    const updated = await herald(['subscriptions', 'update', id, '--events', type, '--json'], env);
    expect(JSON.parse(updated.stdout)).toMatchObject({ eventTypes: [type] });

    expect(JSON.parse((await herald(['subscriptions', 'pause', id, '--json'], env)).stdout)).toMatchObject({
      status: 'paused',
    });
    expect(JSON.parse((await herald(['subscriptions', 'resume', id, '--json'], env)).stdout)).toMatchObject({
      status: 'active',
    });

    const rotated = await herald(['subscriptions', 'rotate-secret', id], env);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/^secret: whsec_\S+$/m);
    expect(rotated.stdout.match(/whsec_\S+/)![0]).not.toBe(created.stdout.match(/whsec_\S+/)![0]);

    expect(await herald(['subscriptions', 'delete', id], env)).toMatchObject({
      code: 0,
      stdout: `deleted ${id}\n`,
    });
    const gone = await herald(['subscriptions', 'get', id], env);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^Error: .+ \(404\)\n/);
  });
});

describe('AWS destinations', () => {
  test('create --destination-arn --role-arn tests the queue, prints the secret and the ARN in the list', async () => {
    const { sqs } = awsClients();
    const name = `herald-local-destination-test-cli-${randomBytes(4).toString('hex')}`;
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    try {
      const arn = `arn:aws:sqs:us-east-1:000000000000:${name}`;
      const created = await herald(
        [
          'subscriptions',
          'create',
          '--destination-arn',
          arn,
          '--role-arn',
          'arn:aws:iam::000000000000:role/herald-destinations/cli',
          '--events',
          'order.*',
        ],
        env,
      );
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/^kind:\s+aws$/m);
      expect(created.stdout).toMatch(/^secret: whsec_\S+$/m);
      expect((await herald(['subscriptions', 'list'], env)).stdout).toContain(arn);
      const refused = await herald(
        [
          'subscriptions',
          'create',
          '--destination-arn',
          arn,
          '--role-arn',
          'arn:aws:iam::000000000000:role/admin',
          '--events',
          'order.*',
        ],
        env,
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('/body/destination/roleArn');
    } finally {
      await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
    }
  });
});

describe('content filters, headers and timeout', () => {
  test('create and update take --filter, --header, --secret-header and --timeout; test-filter tries a filter', async () => {
    const url = `${localCloud().endpoints.webhooks}/cli-${randomBytes(4).toString('hex')}`;
    const filter = JSON.stringify({ data: { total: [{ numeric: ['=', 42] }] } });
    const created = await herald(
      [
        'subscriptions',
        'create',
        '--url',
        url,
        '--events',
        type,
        '--filter',
        filter,
        '--header',
        'X-Team=payments',
        '--secret-header',
        'Authorization=Bearer cli-never-shown',
        '--timeout',
        '5',
      ],
      env,
    );
    expect(created.code).toBe(0);
    const id = /^id:\s+(sub_\S+)$/m.exec(created.stdout)![1]!;
    const got = JSON.parse((await herald(['subscriptions', 'get', id, '--json'], env)).stdout) as unknown;
    expect(got).toMatchObject({
      filter: JSON.parse(filter) as unknown,
      headers: { 'x-team': 'payments', authorization: { secret: true } },
      timeoutSeconds: 5,
    });
    expect(created.stdout + JSON.stringify(got)).not.toContain('cli-never-shown');

    const updated = await herald(
      ['subscriptions', 'update', id, '--filter', 'null', '--header', 'x-team=', '--json'],
      env,
    );
    const after = JSON.parse(updated.stdout) as Record<string, unknown>;
    expect(after).not.toHaveProperty('filter');
    expect(after.headers).toEqual({ authorization: { secret: true } });

    // The events test sent an event of this type with data.total 42: notifications stores it too.
    const tried = await eventually(
      async () => {
        const out = await herald(
          ['subscriptions', 'test-filter', '--filter', filter, '--events', type, '--json'],
          env,
        );
        const answer = JSON.parse(out.stdout) as { matched: Array<{ type: string }> };
        return answer.matched.length > 0 ? answer : undefined;
      },
      30_000,
      'test-filter to match the stored event',
    );
    expect(tried.matched[0]).toMatchObject({ type });
    const bad = await herald(['subscriptions', 'test-filter', '--filter', '{"type":"x"}'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/\/body\/filter\/type/);
    expect(await herald(['subscriptions', 'test-filter', '--filter', 'not json'], env)).toMatchObject({
      code: 2,
    });
  });

  test('create --signature-scheme v1a prints the public key and no secret; get shows the key again', async () => {
    const url = `${localCloud().endpoints.webhooks}/cli-${randomBytes(4).toString('hex')}`;
    const created = await herald(
      ['subscriptions', 'create', '--url', url, '--events', type, '--signature-scheme', 'v1a'],
      env,
    );
    expect(created.code).toBe(0);
    const publicKey = /^publicKey:\s+(whpk_\S+)$/m.exec(created.stdout)![1]!;
    expect(created.stdout).not.toMatch(/whsec_|^secret:/m);
    const id = /^id:\s+(sub_\S+)$/m.exec(created.stdout)![1]!;
    const got = JSON.parse((await herald(['subscriptions', 'get', id, '--json'], env)).stdout) as unknown;
    expect(got).toMatchObject({ signatureScheme: 'v1a', publicKeys: [{ key: publicKey }] });
    await herald(['subscriptions', 'delete', id], env);
    expect(
      await herald(
        ['subscriptions', 'create', '--url', url, '--events', type, '--signature-scheme', 'v2'],
        env,
      ),
    ).toMatchObject({ code: 2 });
  });
});

describe('problems', () => {
  test('a refused request exits 1 with its title, detail and field errors, and no stack trace', async () => {
    const refused = await herald(
      ['subscriptions', 'create', '--url', 'http://127.0.0.1:1/nowhere', '--events', 'Not A Type'],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^Error: .+ \(422\)\n/);
    expect(refused.stderr).toMatch(/^ {2}\/body\/\S+: .+$/m);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  });

  test('an API that does not answer exits 3; a usage error exits 2', async () => {
    const unreachable = await herald(
      ['subscriptions', 'list', '--notifications-url', 'http://127.0.0.1:1'],
      env,
    );
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/got no answer/);
    expect((await herald(['events', 'get'], env)).code).toBe(2);
  });
});
