import { describe, expect, test } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_URLS, profileFilePath, readProfileFile, resolveConfig } from '../src/config';
import { UsageError } from '../src/exit-codes';

describe('configuration', () => {
  test('with nothing set, the local cloud’s fixed ports and no token', () => {
    expect(resolveConfig({}, {}, undefined)).toEqual({ baseUrls: LOCAL_URLS });
  });

  test('flags beat the environment, which beats the profile; a service’s own URL beats the base URL of the same source', () => {
    const file = {
      profiles: {
        default: {
          url: 'https://profile.example',
          notificationsUrl: 'https://n.profile.example',
          token: 'from-profile',
        },
      },
    };
    const env = {
      HERALD_URL: 'https://env.example/',
      HERALD_PROCESSING_URL: 'https://p.env.example',
      HERALD_TOKEN: 'from-env',
    };
    expect(resolveConfig({ ingestUrl: 'https://i.flag.example' }, env, file)).toEqual({
      baseUrls: {
        ingest: 'https://i.flag.example',
        processing: 'https://p.env.example',
        notifications: 'https://env.example',
        tenants: 'https://env.example',
      },
      token: 'from-env',
      profile: 'default',
    });
    expect(resolveConfig({ token: 'from-flag' }, {}, file)).toMatchObject({
      baseUrls: { ingest: 'https://profile.example', notifications: 'https://n.profile.example' },
      token: 'from-flag',
    });
  });

  test('--profile or HERALD_PROFILE picks a named profile, and naming a missing one is a usage error', () => {
    const file = { profiles: { staging: { url: 'https://staging.example', token: 's' } } };
    expect(resolveConfig({ profile: 'staging' }, {}, file).token).toBe('s');
    expect(resolveConfig({}, { HERALD_PROFILE: 'staging' }, file).baseUrls.ingest).toBe(
      'https://staging.example',
    );
    expect(() => resolveConfig({ profile: 'prod' }, {}, file)).toThrow(
      new UsageError('no profile "prod" in the profile file (profiles: staging)'),
    );
  });

  test('a URL that is not http(s) is a usage error naming the service', () => {
    expect(() => resolveConfig({}, { HERALD_INGEST_URL: 'localhost:4000' }, undefined)).toThrow(
      /ingest's URL/,
    );
  });

  test('the profile file: --config, HERALD_CONFIG, XDG_CONFIG_HOME; absent is no profile, not JSON is a usage error', async () => {
    expect(profileFilePath({}, '/x.json')).toBe('/x.json');
    expect(profileFilePath({ HERALD_CONFIG: '/y.json' })).toBe('/y.json');
    expect(profileFilePath({ XDG_CONFIG_HOME: '/xdg' })).toBe('/xdg/herald/config.json');
    const dir = await mkdtemp(join(tmpdir(), 'herald-config-'));
    expect(await readProfileFile(join(dir, 'none.json'))).toBeUndefined();
    await writeFile(join(dir, 'bad.json'), '{');
    await expect(readProfileFile(join(dir, 'bad.json'))).rejects.toBeInstanceOf(UsageError);
  });
});
