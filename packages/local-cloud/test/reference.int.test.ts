/**
 * The rendered API reference on the shared local cloud: each service's front serves it at /docs, with
 * every operation of the merged document in it, and nothing it loads comes from elsewhere.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { remoteAssets } from '../src/reference';
import { repositoryRoot } from '../src/repository';
import { localCloud } from '../../../test/setup/local-cloud';

const cloud = localCloud();
const operationIds = Object.values(
  JSON.parse(readFileSync(join(repositoryRoot, 'openapi', 'herald.openapi.json'), 'utf8')).paths as Record<
    string,
    Record<string, { operationId?: string }>
  >,
).flatMap((item) => Object.values(item).flatMap((operation) => operation.operationId ?? []));

describe('the API reference at /docs', () => {
  test('is one HTML page carrying every operation, loading nothing from elsewhere', async () => {
    const response = await fetch(`${cloud.endpoints.services.ingest}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(operationIds.length).toBeGreaterThan(20);
    // Redoc renders the page from the document it carries (the bundle below hydrates it).
    expect(operationIds.filter((id) => !html.includes(`"operationId":"${id}"`))).toEqual([]);
    expect(html).toContain('<div id="redoc">');
    expect(remoteAssets(html)).toEqual([]);
    expect(html).toContain('import { hydrate } from "/docs/redoc.standalone.js"');
  });

  test('serves the Redoc bundle the page imports, on every service’s front', async () => {
    const bundle = await fetch(`${cloud.endpoints.services.notifications}/docs/redoc.standalone.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await bundle.text()).toMatch(/export\s*\{[^}]*hydrate/);
  });
});
