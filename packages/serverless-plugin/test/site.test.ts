// The static site's deploy step, through an in-memory port: which keys go to the bucket with which
// headers and in which order, what config.json holds, and what is invalidated. No AWS.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { cacheControl, contentType, deploySite, sitePlan, type SiteObject, type SitePort } from '../src/site';

function memoryPort() {
  const calls: Array<{ put: SiteObject } | { invalidate: readonly string[] }> = [];
  const port: SitePort = {
    put: async (object) => {
      calls.push({ put: object });
    },
    invalidate: async (paths) => {
      calls.push({ invalidate: paths });
    },
  };
  return { port, calls };
}

const text = (value: string) => new TextEncoder().encode(value);

describe('static site deploy', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'herald-site-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(
      join(dir, 'index.html'),
      '<!doctype html><script type="module" src="/assets/index-B1x2c3D4.js"></script>',
    );
    await writeFile(join(dir, 'assets', 'index-B1x2c3D4.js'), 'console.log(1)');
    await writeFile(join(dir, 'assets', 'index-Zz9_y8-X.css'), 'body{}');
    await writeFile(join(dir, 'favicon.svg'), '<svg/>');
    // A config.json left in the build (the dev server's) is replaced by the stage's.
    await writeFile(join(dir, 'config.json'), '{"issuer":"http://localhost:4100"}');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('hashed assets are immutable and go first; index.html and config.json last, revalidated, then invalidated', async () => {
    const { port, calls } = memoryPort();
    const config = { issuer: 'https://auth.example.com', clientId: 'herald-console', scopes: ['openid'] };
    await deploySite(dir, { config }, port);

    const puts = calls.flatMap((call) => ('put' in call ? [call.put] : []));
    expect(puts.map((o) => [o.key, o.contentType, o.cacheControl])).toEqual([
      ['assets/index-B1x2c3D4.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
      ['assets/index-Zz9_y8-X.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
      ['favicon.svg', 'image/svg+xml', 'no-cache'],
      ['index.html', 'text/html; charset=utf-8', 'no-cache'],
      ['config.json', 'application/json', 'no-cache'],
    ]);
    expect(JSON.parse(new TextDecoder().decode(puts.at(-1)!.body))).toEqual(config);
    expect(calls.at(-1)).toEqual({ invalidate: ['/index.html', '/config.json'] });
    expect(calls.filter((call) => 'invalidate' in call)).toHaveLength(1);
  });

  test('a build without index.html is refused before anything is uploaded', async () => {
    await rm(join(dir, 'index.html'));
    const { port, calls } = memoryPort();
    await expect(deploySite(dir, {}, port)).rejects.toThrow('no index.html');
    expect(calls).toEqual([]);
  });

  test('a missing build folder says to build first', async () => {
    const { port } = memoryPort();
    await expect(deploySite(join(dir, 'nope'), {}, port)).rejects.toThrow('build the site first');
  });

  test('only Vite-hashed names under assets/ are cached for good', () => {
    expect(cacheControl('assets/vendor-a1B2c3D4.js')).toContain('immutable');
    expect(cacheControl('assets/logo.svg')).toBe('no-cache');
    expect(cacheControl('index-a1B2c3D4.js')).toBe('no-cache');
    expect(contentType('x.unknown')).toBe('application/octet-stream');
    const plan = sitePlan(new Map([['index.html', text('x')]]));
    expect(plan.invalidate).toEqual(['/index.html']);
  });
});
