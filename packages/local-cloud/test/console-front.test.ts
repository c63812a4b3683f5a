// The console's local front: the response headers of the template's ResponseHeadersPolicy with this
// cloud's origins, config.json from the deploy step's declaration, CloudFront's SPA routing, and a
// 503 with the reason while the console is not built.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CONSOLE_DIR, consoleSettings, startConsoleFront, type ConsoleFront } from '../src/console-front';

const params = {
  ingestUrl: 'http://localhost:51000',
  processingUrl: 'http://localhost:51010',
  notificationsUrl: 'http://localhost:51020',
  tenantsUrl: 'http://localhost:51030',
  authIssuer: 'http://localhost:51100',
};

describe('console front', () => {
  let dist: string;
  let front: ConsoleFront;
  let yml: string;
  beforeAll(async () => {
    yml = await readFile(join(CONSOLE_DIR, 'serverless.yml'), 'utf8');
    dist = await mkdtemp(join(tmpdir(), 'herald-console-dist-'));
    await mkdir(join(dist, 'assets'));
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>Herald</title>');
    await writeFile(join(dist, 'assets', 'index-B1x2c3D4.js'), 'export {}');
    front = await startConsoleFront({
      port: 'auto',
      dist,
      settings: consoleSettings(yml, params),
      state: { available: true },
      use: { purpose: 'web console', setting: 'HERALD_PORT_CONSOLE' },
    });
  });
  afterAll(async () => {
    await front.stop();
    await rm(dist, { recursive: true, force: true });
  });

  test('the template’s headers, with this cloud’s origins in the CSP', () => {
    const { headers } = consoleSettings(yml, params);
    expect(headers['content-security-policy']).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        "connect-src 'self' http://localhost:51000 http://localhost:51010 http://localhost:51020 http://localhost:51030 " +
        'http://localhost:51100; ' +
        "frame-ancestors 'none'; base-uri 'none'; form-action http://localhost:51100",
    );
    expect(headers).toMatchObject({
      'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    expect(headers['permissions-policy']).toContain('camera=()');
  });

  test('a header changed in the template changes here', () => {
    const changed = yml.replace('ReferrerPolicy: no-referrer', 'ReferrerPolicy: same-origin');
    expect(consoleSettings(changed, params).headers['referrer-policy']).toBe('same-origin');
  });

  test('config.json: the local issuer and service URLs, the scopes of the declaration', async () => {
    const response = await fetch(`${front.url}/config.json`);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await response.json()).toEqual({
      issuer: params.authIssuer,
      clientId: 'herald-console',
      scopes: expect.arrayContaining(['openid', 'subscriptions:write']),
      tenantClaim: 'tenant',
      apis: {
        ingest: params.ingestUrl,
        processing: params.processingUrl,
        notifications: params.notificationsUrl,
        tenants: params.tenantsUrl,
      },
    });
  });

  test('app routes are index.html; files are themselves; a missing file is 403, as from S3', async () => {
    for (const path of ['/', '/subscriptions/sub_1/deliveries']) {
      const response = await fetch(`${front.url}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(await response.text()).toContain('<title>Herald</title>');
    }
    const asset = await fetch(`${front.url}/assets/index-B1x2c3D4.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${front.url}/assets/gone-B1x2c3D4.js`)).status).toBe(403);
    expect((await fetch(`${front.url}/..%2f..%2fetc%2fpasswd.txt`)).status).toBe(403);
    expect((await fetch(`${front.url}/`, { method: 'POST' })).status).toBe(405);
  });

  test('unavailable: 503 with the reason', async () => {
    front.setState({ available: false, reason: 'console build failed (exit 1)' });
    try {
      const response = await fetch(`${front.url}/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('console build failed');
    } finally {
      front.setState({ available: true });
    }
  });
});
