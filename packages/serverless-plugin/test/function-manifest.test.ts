import { describe, expect, test } from '@jest/globals';
import { functionManifest, type ManifestInput } from '../src/function-manifest';

const input = (change: Partial<ManifestInput> = {}): ManifestInput => ({
  serviceDir: '/repo/services/notifications',
  service: 'herald-notifications',
  provider: {
    region: 'eu-west-1',
    timeout: 10,
    memorySize: 512,
    environment: { NODE_OPTIONS: '--enable-source-maps', LOG_LEVEL: 'INFO', SHARED: 'provider' },
  },
  location: '.esbuild/.build',
  functions: [
    {
      key: 'deliver',
      name: 'herald-notifications-local-deliver',
      handler: 'src/handlers/deliver.handler',
      timeout: 30,
      environment: { SHARED: 'function', DELIVERY_QUEUE_URL: 'http://queue' },
    },
    {
      key: 'dispatch',
      name: 'herald-notifications-local-dispatch',
      handler: 'src/handlers/dispatch.handler',
    },
  ],
  ...change,
});

describe('the function manifest', () => {
  test('names each function as deployed, with its handler and the directory the build ran into', () => {
    const manifest = functionManifest(input());
    expect(manifest.service).toBe('herald-notifications');
    expect(manifest.region).toBe('eu-west-1');
    expect(
      manifest.functions.map(({ key, name, handler, codeDir }) => ({ key, name, handler, codeDir })),
    ).toEqual([
      {
        key: 'deliver',
        name: 'herald-notifications-local-deliver',
        handler: 'src/handlers/deliver.handler',
        codeDir: '/repo/services/notifications/.esbuild/.build',
      },
      {
        key: 'dispatch',
        name: 'herald-notifications-local-dispatch',
        handler: 'src/handlers/dispatch.handler',
        codeDir: '/repo/services/notifications/.esbuild/.build',
      },
    ]);
  });

  test('a function’s timeout and memory win over the provider’s, which win over the defaults', () => {
    const [deliver, dispatch] = functionManifest(input()).functions;
    expect(deliver).toMatchObject({ timeout: 30, memorySize: 512 });
    expect(dispatch).toMatchObject({ timeout: 10, memorySize: 512 });
    const [bare] = functionManifest(input({ provider: {} })).functions;
    expect(bare).toMatchObject({ timeout: 30, memorySize: 1024 });
    expect(functionManifest(input({ provider: {} })).region).toBe('us-east-1');
  });

  test('the environment is the provider’s and then the function’s own, as strings', () => {
    const [deliver, dispatch] = functionManifest(input()).functions;
    expect(deliver!.environment).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      LOG_LEVEL: 'INFO',
      SHARED: 'function',
      DELIVERY_QUEUE_URL: 'http://queue',
    });
    expect(dispatch!.environment).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      LOG_LEVEL: 'INFO',
      SHARED: 'provider',
    });
  });

  test('values render as serverless-offline renders them: Join and Sub, numbers as text, other intrinsics unresolved', () => {
    const [fn] = functionManifest(
      input({
        provider: {
          environment: {
            JOINED: { 'Fn::Join': [',', ['a', 'b']] },
            SUBBED: { 'Fn::Sub': ['${A}-${B}', { A: 'x' }] },
            COUNT: 5,
            FLAG: false,
            REF: { Ref: 'Queue' },
            NOTHING: null,
          },
        },
        functions: [{ key: 'f', name: 'f', handler: 'f.handler' }],
      }),
    ).functions;
    expect(fn!.environment).toEqual({
      JOINED: 'a,b',
      SUBBED: 'x-${B}',
      COUNT: '5',
      FLAG: 'false',
      REF: '[object Object]',
    });
  });

  test('an absolute location is kept; functions without a handler are left out', () => {
    const manifest = functionManifest(
      input({
        location: '/elsewhere/build',
        functions: [
          { key: 'image', name: 'image' },
          { key: 'f', name: 'f', handler: 'f.handler' },
        ],
      }),
    );
    expect(manifest.functions.map((fn) => [fn.key, fn.codeDir])).toEqual([['f', '/elsewhere/build']]);
  });
});
