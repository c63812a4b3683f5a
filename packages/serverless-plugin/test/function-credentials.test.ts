import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from '@jest/globals';
import {
  functionAccessKeyId,
  functionOfAccessKeyId,
  parseFunctionCredentials,
} from '../src/function-credentials';
import HeraldServerlessPlugin from '../src/plugin';

describe('a function’s access key id', () => {
  test('reads as the function’s name and decodes back to it', () => {
    expect(functionAccessKeyId('herald-ingest-local-acceptEvents')).toBe(
      'LOCALFNherald0ingest0local0acceptEvents',
    );
    for (const name of ['a-b', 'a_b', 'ab', 'a1b', 'a-1_b', '9', 'x--_99', 'Deliver2Webhook']) {
      const key = functionAccessKeyId(name);
      expect(key).toMatch(/^[A-Za-z0-9]+$/);
      expect(functionOfAccessKeyId(key)).toBe(name);
    }
  });

  test('names that differ only in - _ and digits get different keys', () => {
    const names = ['a-b', 'a_b', 'ab', 'a0b', 'a1b', 'a9b', 'a-0b'];
    expect(new Set(names.map(functionAccessKeyId)).size).toBe(names.length);
  });

  test('any other key is no function’s', () => {
    for (const key of ['local', 'test', 'AKIAIOSFODNN7EXAMPLE', 'LOCALFN', 'LOCALFNa2b', 'LOCALFNab9'])
      expect(functionOfAccessKeyId(key)).toBeUndefined();
  });

  test('a name Lambda would not accept has no key', () => {
    expect(() => functionAccessKeyId('a.b')).toThrow(/not a Lambda function name/);
  });

  test('HERALD_FUNCTION_CREDENTIALS is JSON with the secret, or unset', () => {
    expect(parseFunctionCredentials(undefined)).toBeUndefined();
    expect(parseFunctionCredentials('{"secretAccessKey":"s3cret"}')).toEqual({ secretAccessKey: 's3cret' });
    expect(() => parseFunctionCredentials('s3cret')).toThrow(/HERALD_FUNCTION_CREDENTIALS must be JSON/);
    expect(() => parseFunctionCredentials('{}')).toThrow(/HERALD_FUNCTION_CREDENTIALS must be JSON/);
  });
});

describe('the plugin in serverless offline start', () => {
  const saved = {
    credentials: process.env.HERALD_FUNCTION_CREDENTIALS,
    manifest: process.env.HERALD_FUNCTION_MANIFEST,
  };
  const dirs: string[] = [];
  afterEach(() => {
    for (const [name, value] of [
      ['HERALD_FUNCTION_CREDENTIALS', saved.credentials],
      ['HERALD_FUNCTION_MANIFEST', saved.manifest],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });

  // The parts of osls's `serverless` object the hook reads and writes.
  function fakeServerless() {
    const functions: Record<
      string,
      { name: string; handler: string; environment?: Record<string, unknown> }
    > = {
      deliver: {
        name: 'herald-notifications-local-deliver',
        handler: 'src/handlers/deliver.handler',
        environment: { TABLE: 'subscriptions', AWS_ACCESS_KEY_ID: 'from-serverless-yml' },
      },
      dispatch: { name: 'herald-notifications-local-dispatch', handler: 'src/handlers/dispatch.handler' },
    };
    return {
      functions,
      serverless: {
        serviceDir: '/repo/services/notifications',
        configSchemaHandler: { defineCustomProperties() {}, defineFunctionProperties() {} },
        classes: { Error },
        service: {
          service: 'herald-notifications',
          provider: { region: 'us-east-1', environment: { LOG_LEVEL: 'INFO' } },
          getAllFunctions: () => Object.keys(functions),
          getFunction: (key: string) => functions[key]!,
        },
      },
    };
  }

  function startOffline(serverless: unknown) {
    const plugin = new HeraldServerlessPlugin(serverless as never);
    plugin.hooks['offline:start:init']!();
  }

  test('gives each function its own credentials in its environment, which the manifest holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'function-credentials-'));
    dirs.push(dir);
    process.env.HERALD_FUNCTION_CREDENTIALS = '{"secretAccessKey":"local-secret"}';
    process.env.HERALD_FUNCTION_MANIFEST = join(dir, 'manifest.json');
    const { serverless, functions } = fakeServerless();
    startOffline(serverless);
    expect(functions.deliver!.environment).toEqual({
      TABLE: 'subscriptions',
      AWS_ACCESS_KEY_ID: 'LOCALFNherald0notifications0local0deliver',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
    });
    expect(functions.dispatch!.environment).toEqual({
      AWS_ACCESS_KEY_ID: 'LOCALFNherald0notifications0local0dispatch',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
    });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      functions: { name: string; environment: Record<string, string> }[];
    };
    expect(manifest.functions.map((fn) => [fn.name, fn.environment.AWS_ACCESS_KEY_ID])).toEqual([
      ['herald-notifications-local-deliver', 'LOCALFNherald0notifications0local0deliver'],
      ['herald-notifications-local-dispatch', 'LOCALFNherald0notifications0local0dispatch'],
    ]);
  });

  test('without HERALD_FUNCTION_CREDENTIALS the environment stays as serverless.yml declares it', () => {
    delete process.env.HERALD_FUNCTION_CREDENTIALS;
    delete process.env.HERALD_FUNCTION_MANIFEST;
    const { serverless, functions } = fakeServerless();
    startOffline(serverless);
    expect(functions.deliver!.environment).toEqual({
      TABLE: 'subscriptions',
      AWS_ACCESS_KEY_ID: 'from-serverless-yml',
    });
    expect(functions.dispatch!.environment).toBeUndefined();
  });

  test('a malformed HERALD_FUNCTION_CREDENTIALS stops serverless offline with the reason', () => {
    process.env.HERALD_FUNCTION_CREDENTIALS = 'local-secret';
    const { serverless } = fakeServerless();
    expect(() => startOffline(serverless)).toThrow(
      /@herald\/serverless-plugin: HERALD_FUNCTION_CREDENTIALS must be JSON/,
    );
  });
});
