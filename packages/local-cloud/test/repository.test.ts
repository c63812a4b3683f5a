// Where the local cloud finds each service: this repository's folder, or another checkout's
// (a previous release run beside the others, test/releases/).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { checkoutOf, repositoryRoot, serviceDir, serviceDirsFromEnv, templatePath } from '../src/repository';

const other = await mkdtemp(join(tmpdir(), 'herald-checkout-'));
await mkdir(join(other, 'services', 'ingest'), { recursive: true });
await writeFile(join(other, 'services', 'ingest', 'serverless.yml'), 'service: herald-ingest\n');
afterAll(() => rm(other, { recursive: true, force: true }));

describe('serviceDir', () => {
  test("is this repository's services/<name> unless another is named", () => {
    expect(serviceDir('ingest', {})).toBe(join(repositoryRoot, 'services', 'ingest'));
    expect(serviceDir('ingest', { ingest: join(other, 'services', 'ingest') })).toBe(
      join(other, 'services', 'ingest'),
    );
    expect(serviceDir('processing', { ingest: join(other, 'services', 'ingest') })).toBe(
      join(repositoryRoot, 'services', 'processing'),
    );
  });

  test('refuses a folder that is not a service in a checkout, naming the variable', () => {
    expect(() => serviceDir('ingest', { ingest: other })).toThrow(/HERALD_SERVICE_DIR_INGEST=/);
    expect(() => serviceDir('processing', { processing: join(other, 'services', 'processing') })).toThrow(
      /not a service's folder/,
    );
  });

  test('is read from HERALD_SERVICE_DIR_<SERVICE>; the checkout and template follow it', () => {
    const dir = join(other, 'services', 'ingest');
    expect(serviceDirsFromEnv({ HERALD_SERVICE_DIR_INGEST: dir, HERALD_SERVICE_DIR_CONSOLE: '' })).toEqual({
      ingest: dir,
    });
    expect(checkoutOf(dir)).toBe(other);
    expect(templatePath('ingest', dir)).toBe(
      join(dir, '.serverless', 'cloudformation-template-update-stack.json'),
    );
  });
});
