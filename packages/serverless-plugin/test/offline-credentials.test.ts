/**
 * The plugin in a real `serverless offline start` (test/fixture/serverless.offline.yml): each function's
 * handler sees its own credentials, although the serverless-offline process has AWS credentials of its
 * own, which serverless-offline copies into every handler's environment before the function's own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { functionAccessKeyId } from '../src/function-credentials';

const root = join(import.meta.dirname, '..', '..', '..');
const fixture = join(import.meta.dirname, 'fixture');
let child: ChildProcess | undefined;
let httpPort = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  httpPort = await freePort();
  const lambdaPort = await freePort();
  const offline = spawn(
    join(root, 'node_modules', '.bin', 'serverless'),
    [
      'offline',
      'start',
      '--config',
      'serverless.offline.yml',
      '--stage',
      'test',
      '--param',
      `httpPort=${httpPort}`,
      '--param',
      `lambdaPort=${lambdaPort}`,
    ],
    {
      cwd: fixture,
      env: {
        ...process.env,
        FORCE_COLOR: '0',
        SLS_TELEMETRY_DISABLED: '1',
        // What the local cloud gives serverless-offline's process.
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        HERALD_FUNCTION_CREDENTIALS: '{"secretAccessKey":"function-secret"}',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, ended whole after the tests.
      detached: true,
    },
  );
  child = offline;
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Server ready/.test(output)) resolve();
    };
    offline.stdout!.on('data', onData);
    offline.stderr!.on('data', onData);
    offline.once('exit', (code) => reject(new Error(`serverless offline exited (${code}):\n${output}`)));
  });
}, 180_000);

afterAll(async () => {
  if (!child?.pid || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  await exited;
}, 30_000);

const get = async (path: string) =>
  (await (await fetch(`http://127.0.0.1:${httpPort}${path}`)).json()) as Record<string, string>;

test('each function signs with its own access key, whatever the process has', async () => {
  expect(await get('/first')).toEqual({
    name: 'plugin-offline-fixture-test-first',
    accessKeyId: functionAccessKeyId('plugin-offline-fixture-test-first'),
    secretAccessKey: 'function-secret',
  });
  expect(await get('/second')).toEqual({
    name: 'plugin-offline-fixture-test-second',
    accessKeyId: functionAccessKeyId('plugin-offline-fixture-test-second'),
    secretAccessKey: 'function-secret',
    own: 'declared',
  });
}, 60_000);
