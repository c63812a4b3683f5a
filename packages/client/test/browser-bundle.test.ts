/**
 * The client, with its dependencies, bundles for a browser as a console's bundler would (esbuild,
 * platform browser): nothing of Node's reaches it, which the lint rule alone would not see of a
 * dependency.
 */
import { expect, test } from '@jest/globals';
import { build } from 'esbuild';

test('bundles for the browser with no Node module in it', async () => {
  const result = await build({
    entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  expect(result.errors).toEqual([]);
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs).toContain('node_modules/openapi-fetch/dist/index.mjs');
  expect(inputs.filter((input) => input.startsWith('node:') || !/\.(m?js|ts)$/.test(input))).toEqual([]);
  expect(result.outputFiles[0]!.text).not.toMatch(/from\s*["']node:|require\(["']node:/);
});
