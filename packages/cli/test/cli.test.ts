import { describe, expect, test } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { HeraldNetworkError, HeraldProblem } from '@herald/client';
import { findCommand, GLOBAL_OPTIONS, parseCommandLine, run } from '../src/cli';
import type { Command, Io } from '../src/command';
import { COMMANDS } from '../src/commands';
import { EXIT, UsageError } from '../src/exit-codes';

function memoryIo(env: Record<string, string> = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const read = (stream: PassThrough) => () => String(stream.read() ?? '');
  const io: Io = {
    stdin: new PassThrough(),
    stdout,
    stderr,
    env: { HERALD_CONFIG: '/nonexistent/herald.json', ...env },
    stopped: () => new Promise(() => {}),
  };
  return { io, stdout: read(stdout), stderr: read(stderr) };
}

const failing = (error: unknown): Command => ({
  words: ['fail'],
  summary: 'Fails',
  usage: '',
  run: async () => {
    throw error;
  },
});

describe('the command line', () => {
  test('two words name a command before one does, and the rest are its arguments', () => {
    expect(findCommand(COMMANDS, ['events', 'get', 'e1'])).toMatchObject({
      command: { words: ['events', 'get'] },
      rest: ['e1'],
    });
    expect(findCommand(COMMANDS, ['redeliver', 'msg_1'])).toMatchObject({
      command: { words: ['redeliver'] },
      rest: ['msg_1'],
    });
    expect(findCommand(COMMANDS, ['events'])).toBeUndefined();
  });

  test('options are parsed strictly, with the global ones, and positionals are counted', () => {
    const get = findCommand(COMMANDS, ['events', 'get'])!.command;
    expect(parseCommandLine(get, ['e1', '--json', '--token', 't'])).toEqual({
      values: { json: true, token: 't' },
      positionals: ['e1'],
    });
    expect(() => parseCommandLine(get, [])).toThrow(new UsageError('EVENT_ID is required'));
    expect(() => parseCommandLine(get, ['e1', 'e2'])).toThrow(new UsageError('too many arguments: e2'));
    expect(() => parseCommandLine(get, ['e1', '--bogus'])).toThrow(UsageError);
    const send = findCommand(COMMANDS, ['events', 'send'])!.command;
    expect(parseCommandLine(send, ['{}', '{}', '-f', 'x.ndjson']).values.file).toBe('x.ndjson');
  });

  test('no command’s option shadows an option of every command (its value would be read as both)', () => {
    for (const command of COMMANDS)
      expect(Object.keys(command.options ?? {}).filter((name) => name in GLOBAL_OPTIONS)).toEqual([]);
  });

  test('every command has help, printed on stdout with exit 0', async () => {
    for (const command of COMMANDS) {
      const { io, stdout } = memoryIo();
      expect(await run(COMMANDS, [...command.words, '--help'], io)).toBe(EXIT.ok);
      expect(stdout()).toContain(`Usage: herald ${command.words.join(' ')}`);
    }
    const { io, stdout } = memoryIo();
    expect(await run(COMMANDS, ['--help'], io)).toBe(EXIT.ok);
    expect(stdout()).toContain('subscriptions rotate-secret');
  });

  test('an AWS destination needs both --destination-arn and --role-arn', async () => {
    for (const half of [
      ['--destination-arn', 'arn:aws:sqs:eu-west-1:123456789012:q'],
      ['--role-arn', 'arn:aws:iam::123456789012:role/herald-destinations/r'],
    ]) {
      const { io, stderr } = memoryIo({ HERALD_TOKEN: 't' });
      expect(await run(COMMANDS, ['subscriptions', 'create', '--events', 'order.*', ...half], io)).toBe(
        EXIT.usage,
      );
      expect(stderr()).toContain('--destination-arn and --role-arn go together');
    }
  });

  test('--ordering takes none or subject only, before any call', async () => {
    const { io, stderr } = memoryIo({ HERALD_TOKEN: 't' });
    const argv = ['subscriptions', 'update', 'sub_1', '--ordering', 'fifo'];
    expect(await run(COMMANDS, argv, io)).toBe(EXIT.usage);
    expect(stderr()).toContain('--ordering must be none or subject');
  });

  test('keys, tenants and audit refuse what the API would, before any call', async () => {
    const cases: Array<[string[], string]> = [
      [['keys', 'create', '--scopes', 'events:read'], '--name is required'],
      [['keys', 'create', '--name', 'ci'], '--scopes is required'],
      [
        ['keys', 'create', '--name', 'ci', '--scopes', 'a', '--environment', 'prod'],
        '--environment must be live or test',
      ],
      [['keys', 'create', '--name', 'ci', '--scopes', 'a', '--expires', 'soon'], '--expires must be a time'],
      [['tenants', 'delete', 'acme'], 'add --yes to confirm'],
      [['tenants', 'update', 'acme'], 'nothing to change'],
      [['tenants', 'create', 'acme', '--settings', '[1]'], '--settings must be a JSON object'],
      [['audit', 'list', '--limit', '0'], '--limit must be a whole number'],
      [['portal-token', '--ttl', 'x'], '--ttl must be a whole number'],
    ];
    for (const [argv, message] of cases) {
      let called = false;
      const { io, stderr } = memoryIo({ HERALD_TOKEN: 't' });
      io.fetch = async () => {
        called = true;
        return new Response('{}');
      };
      expect(await run(COMMANDS, argv, io)).toBe(EXIT.usage);
      expect(stderr()).toContain(message);
      expect(called).toBe(false);
    }
  });

  test('audit list prints one page and the next cursor, or every page with --all, from the tenants URL', async () => {
    const entry = (id: string) => ({
      id,
      at: '2026-12-01T00:00:00Z',
      action: 'subscription.created',
      resource: { type: 'subscription', id: 'sub_1' },
      actor: { subject: 'alice', credential: 'jwt' },
      source: { ip: '127.0.0.1' },
      correlationId: 'c-1',
    });
    const urls: string[] = [];
    const fetch = async (request: Request) => {
      urls.push(request.url);
      const cursor = new URL(request.url).searchParams.get('cursor');
      return Response.json(cursor ? { items: [entry('a2')] } : { items: [entry('a1')], nextCursor: 'n1' });
    };
    const env = { HERALD_TOKEN: 't', HERALD_TENANTS_URL: 'http://tenants.example' };
    const one = memoryIo(env);
    one.io.fetch = fetch;
    expect(await run(COMMANDS, ['audit', 'list', '--action', 'subscription.created'], one.io)).toBe(EXIT.ok);
    expect(one.stdout()).toMatch(/a1|subscription\/sub_1/);
    expect(one.stderr()).toContain('next page: --cursor n1');
    const all = memoryIo(env);
    all.io.fetch = fetch;
    expect(await run(COMMANDS, ['audit', 'list', '--all', '--json'], all.io)).toBe(EXIT.ok);
    expect(
      all
        .stdout()
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { id: string }).id),
    ).toEqual(['a1', 'a2']);
    expect(urls).toEqual([
      'http://tenants.example/v1/audit?action=subscription.created',
      'http://tenants.example/v1/audit',
      'http://tenants.example/v1/audit?cursor=n1',
    ]);
  });

  test('an unknown command or option, or no token, is a usage error (2) said on stderr', async () => {
    for (const argv of [
      ['evnts'],
      ['events', 'sned'],
      ['events', 'list', '--bogus'],
      ['events', 'list'],
      [],
    ]) {
      const { io, stderr, stdout } = memoryIo();
      expect(await run(COMMANDS, argv, io)).toBe(EXIT.usage);
      expect(stderr()).not.toBe('');
      expect(stdout()).toBe('');
    }
  });

  test('a problem exits 1 with its title, detail and field errors; no answer exits 3; neither shows a stack', async () => {
    const problem = new HeraldProblem({
      type: 'https://herald.dev/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: 'No subscription sub_1',
    });
    const api = memoryIo();
    expect(await run([failing(problem)], ['fail'], api.io)).toBe(EXIT.problem);
    expect(api.stderr()).toBe('Error: Not found (404)\n  No subscription sub_1\n');

    const json = memoryIo();
    expect(await run([failing(problem)], ['fail', '--json'], json.io)).toBe(EXIT.problem);
    expect(JSON.parse(json.stdout())).toMatchObject({ status: 404, title: 'Not found' });

    const network = memoryIo();
    const unreachable = new HeraldNetworkError(
      'GET',
      'http://localhost:4010/v1/events',
      new Error('fetch failed'),
    );
    expect(await run([failing(unreachable)], ['fail'], network.io)).toBe(EXIT.network);
    expect(network.stderr()).not.toMatch(/\n\s+at /);
  });
});
