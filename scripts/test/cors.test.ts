/**
 * Which origins' pages may call each service's HTTP API from a browser: the CORS rules
 * serverless.cors.cjs makes of a stage's `allowedOrigins`, as `serverless package` writes them into
 * the HTTP API's CloudFormation (packaged into a temporary folder, scripts/lib/package-stage.ts).
 */
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { packageStage } from '../lib/package-stage';

const { corsRules } = createRequire(import.meta.url)('../../serverless.cors.cjs') as {
  corsRules: (origins: string | undefined) => false | Record<string, unknown>;
};

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
const corsOf = (template: unknown) =>
  (template as Template).Resources.HttpApi?.Properties.CorsConfiguration as
    | { AllowOrigins: string[]; AllowHeaders: string[]; ExposeHeaders: string[]; AllowMethods: string[] }
    | undefined;

describe('corsRules', () => {
  test('lists each origin of the comma-separated param, with the headers the client sends and reads', () => {
    expect(corsRules(' https://console.example.com,http://localhost:5173 ')).toMatchObject({
      allowedOrigins: ['https://console.example.com', 'http://localhost:5173'],
      allowedHeaders: expect.arrayContaining(['Authorization', 'Content-Type', 'Idempotency-Key']),
      exposedResponseHeaders: expect.arrayContaining(['Retry-After', 'Location', 'Idempotent-Replayed']),
    });
  });

  test('no origin is no CORS at all', () => {
    expect(corsRules('')).toBe(false);
    expect(corsRules(undefined)).toBe(false);
  });

  test.each(['*', 'https://*.example.com', 'https://console.example.com/', 'console.example.com'])(
    'refuses %s',
    (origin) => {
      expect(() => corsRules(origin)).toThrow();
    },
  );
});

describe('the HTTP APIs’ CORS configuration as packaged', () => {
  let local: unknown;
  let prod: unknown;
  let prodWithConsole: unknown;
  beforeAll(async () => {
    // One service per case: they share serverless.cors.cjs and each pulls it in the same way.
    [local, prod, prodWithConsole] = await Promise.all([
      packageStage('ingest', 'local').then((p) => p.update),
      packageStage('processing', 'prod').then((p) => p.update),
      packageStage('notifications', 'prod', {
        allowedOrigins: 'https://console.example.com,https://ops.example.com',
      }).then((p) => p.update),
    ]);
  }, 600_000);

  test('the local stage allows the console’s Vite dev server and the local cloud’s console, nothing else', () => {
    const cors = corsOf(local);
    expect(cors?.AllowOrigins).toEqual(['http://localhost:5173', 'http://localhost:4400']);
    expect(cors?.AllowHeaders).toEqual(expect.arrayContaining(['Authorization', 'Idempotency-Key']));
    expect(cors?.ExposeHeaders).toEqual(expect.arrayContaining(['Retry-After', 'Location']));
  });

  test('prod answers no browser until its console’s origin is set', () => {
    expect(corsOf(prod)).toBeUndefined();
  });

  test('prod with --param allowedOrigins allows exactly those origins', () => {
    expect(corsOf(prodWithConsole)?.AllowOrigins).toEqual([
      'https://console.example.com',
      'https://ops.example.com',
    ]);
  });
});
