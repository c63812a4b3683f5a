import { describe, expect, test } from '@jest/globals';
import { authConfig, readAuthConfig } from '../../src/auth-config';

const jwks = JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1' }] });
const base = {
  AUTH_ISSUER: 'https://auth.herald.test/',
  AUTH_AUDIENCE: 'https://api.herald.test',
  AUTH_JWKS_URL: 'https://auth.herald.test/.well-known/jwks.json',
};

describe('readAuthConfig', () => {
  test('reads a remote key set and defaults the tenant claim', () => {
    const config = readAuthConfig(base);
    expect(config).toEqual({
      issuer: base.AUTH_ISSUER,
      audience: base.AUTH_AUDIENCE,
      jwks: { url: new URL(base.AUTH_JWKS_URL) },
      tenantClaim: 'tenant',
    });
  });

  test('reads an inline key set, several audiences and a custom tenant claim', () => {
    const config = readAuthConfig({
      ...base,
      AUTH_JWKS_URL: undefined,
      AUTH_JWKS: jwks,
      AUTH_AUDIENCE: 'a, b',
      AUTH_TENANT_CLAIM: 'org',
    });
    expect(config.jwks).toEqual({ keys: JSON.parse(jwks) });
    expect(config.audience).toEqual(['a', 'b']);
    expect(config.tenantClaim).toBe('org');
  });

  test.each([
    ['AUTH_ISSUER', { ...base, AUTH_ISSUER: undefined }],
    ['AUTH_ISSUER', { ...base, AUTH_ISSUER: '  ' }],
    ['AUTH_AUDIENCE', { ...base, AUTH_AUDIENCE: undefined }],
    ['AUTH_AUDIENCE', { ...base, AUTH_AUDIENCE: ' , ' }],
    ['AUTH_JWKS_URL', { ...base, AUTH_JWKS_URL: undefined }],
    ['AUTH_JWKS_URL', { ...base, AUTH_JWKS_URL: 'not a url' }],
    ['AUTH_JWKS_URL', { ...base, AUTH_JWKS_URL: 'http://auth.herald.test/jwks' }],
    ['AUTH_JWKS_URL', { ...base, AUTH_JWKS: jwks }],
    ['AUTH_JWKS', { ...base, AUTH_JWKS_URL: undefined, AUTH_JWKS: '{nope' }],
    ['AUTH_JWKS', { ...base, AUTH_JWKS_URL: undefined, AUTH_JWKS: '{"keys":[]}' }],
    [
      'AUTH_JWKS',
      { ...base, AUTH_JWKS_URL: undefined, AUTH_JWKS: '{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}' },
    ],
  ])('a bad %s is an error naming it', (variable, env) => {
    expect(() => readAuthConfig(env)).toThrow(variable);
  });

  test('a loopback http key set is allowed for local runs', () => {
    expect(readAuthConfig({ ...base, AUTH_JWKS_URL: 'http://127.0.0.1:4000/jwks' }).jwks).toEqual({
      url: new URL('http://127.0.0.1:4000/jwks'),
    });
  });
});

describe('authConfig', () => {
  test('reads process.env once per container', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, base);
      const first = authConfig();
      process.env.AUTH_ISSUER = 'https://changed.test/';
      expect(authConfig()).toBe(first);
      expect(first.issuer).toBe(base.AUTH_ISSUER);
    } finally {
      for (const key of Object.keys(base)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});
