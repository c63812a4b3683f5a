import { afterEach, describe, expect, jest, test } from '@jest/globals';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localKeySet, remoteKeySet, type JsonWebKeySet } from '../../src/middleware/jwks';
import { JwtError, verifyJwt, type JwtVerifyOptions } from '../../src/middleware/jwt';

// jose signs every token here: the verifier is checked against an independent implementation.
const ISSUER = 'https://auth.herald.test/';
const AUDIENCE = 'https://api.herald.test';
const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const options: JwtVerifyOptions = {
  issuer: ISSUER,
  audience: AUDIENCE,
  algorithms: ALGORITHMS,
  clockTolerance: 30,
  requiredClaims: ['exp', 'sub'],
};

async function keyPair(alg: string, kid: string, extra: Partial<JWK> = {}) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, ...extra } as JsonWebKeySet['keys'][number];
  const signed = (header: Record<string, unknown> = {}, claims: Record<string, unknown> = {}) =>
    new SignJWT({ sub: 'user-1', ...claims })
      .setProtectedHeader({ alg, kid, ...header })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(privateKey);
  return { jwk, signed };
}

async function failure(promise: Promise<unknown>): Promise<JwtError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(JwtError);
  return error as JwtError;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('verifyJwt', () => {
  // Signed here with node:crypto, as jose refuses to sign what these carry.
  const raw = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rawKeys = localKeySet({ keys: [{ ...raw.publicKey.export({ format: 'jwk' }), kid: 'raw' }] });
  const rawToken = (payload: unknown) => {
    const data = `${b64({ alg: 'ES256', kid: 'raw' })}.${b64(payload)}`;
    const signature = sign('sha256', Buffer.from(data), { key: raw.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${data}.${signature.toString('base64url')}`;
  };
  const claims = { sub: 'u', iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 60 };

  test.each(ALGORITHMS)('a token signed with %s by a key of the set is accepted', async (alg) => {
    const key = await keyPair(alg, `k-${alg}`);
    const payload = await verifyJwt(await key.signed(), localKeySet({ keys: [key.jwk] }), options);
    expect(payload).toMatchObject({ sub: 'user-1', iss: ISSUER, aud: AUDIENCE });
  });

  test('an audience among several, in the token or in the options, is accepted', async () => {
    const token = rawToken({ ...claims, aud: ['other', AUDIENCE] });
    await expect(verifyJwt(token, rawKeys, options)).resolves.toBeDefined();
    await expect(verifyJwt(token, rawKeys, { ...options, audience: ['x', 'other'] })).resolves.toBeDefined();
    expect((await failure(verifyJwt(token, rawKeys, { ...options, audience: ['x'] }))).reason).toBe(
      'wrong_audience',
    );
  });

  test('a PS256 signature does not pass as RS256, nor one curve for another', async () => {
    const rsa = await keyPair('PS256', 'rsa');
    const token = await rsa.signed();
    const asRs256 = `${b64({ alg: 'RS256', kid: 'rsa' })}.${token.split('.').slice(1).join('.')}`;
    expect((await failure(verifyJwt(asRs256, localKeySet({ keys: [rsa.jwk] }), options))).reason).toBe(
      'bad_signature',
    );
    const p384 = await keyPair('ES384', 'ec');
    const asEs256 = `${b64({ alg: 'ES256', kid: 'ec' })}.${(await p384.signed()).split('.').slice(1).join('.')}`;
    expect((await failure(verifyJwt(asEs256, localKeySet({ keys: [p384.jwk] }), options))).reason).toBe(
      'unknown_signing_key',
    );
  });

  test('keys for encryption, for another algorithm or without verify are not candidates', async () => {
    for (const extra of [{ use: 'enc' }, { alg: 'ES384' }, { key_ops: ['encrypt'] }] as Partial<JWK>[]) {
      const key = await keyPair('ES256', 'k', extra);
      const error = await failure(verifyJwt(await key.signed(), localKeySet({ keys: [key.jwk] }), options));
      expect(error.reason).toBe('unknown_signing_key');
    }
  });

  test('an RSA key under 2048 bits never verifies (RFC 7518 3.3)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'short' };
    const data = `${b64({ alg: 'RS256', kid: 'short' })}.${b64({ sub: 'u', iss: ISSUER, aud: AUDIENCE, exp: 2e9 })}`;
    const token = `${data}.${sign('sha256', Buffer.from(data), privateKey).toString('base64url')}`;
    expect((await failure(verifyJwt(token, localKeySet({ keys: [jwk] }), options))).reason).toBe(
      'bad_signature',
    );
  });

  test.each([
    ['two parts', (token: string) => token.split('.').slice(0, 2).join('.')],
    ['a header that is not JSON', (token: string) => `bm90IGpzb24.${token.split('.').slice(1).join('.')}`],
    [
      'a header that is an array',
      (token: string) => `${b64(['ES256'])}.${token.split('.').slice(1).join('.')}`,
    ],
    [
      'a header without alg',
      (token: string) => `${b64({ kid: 'k' })}.${token.split('.').slice(1).join('.')}`,
    ],
    ['a signature with padding', (token: string) => `${token}=`],
    [
      'a crit header',
      (token: string) => `${b64({ alg: 'ES256', crit: ['x'], x: 1 })}.${token.split('.')[1]}.`,
    ],
  ])('%s is a malformed token', async (_case, mangle) => {
    const key = await keyPair('ES256', 'k');
    const error = await failure(
      verifyJwt(mangle(await key.signed()), localKeySet({ keys: [key.jwk] }), options),
    );
    expect(error.reason).toBe('malformed_token');
  });

  test('a correctly signed payload that is not a JSON object is a malformed token', async () => {
    await expect(verifyJwt(rawToken(claims), rawKeys, options)).resolves.toMatchObject(claims);
    expect((await failure(verifyJwt(rawToken([claims]), rawKeys, options))).reason).toBe('malformed_token');
  });

  test.each([
    ['exp', { exp: 'soon' }, 'invalid_claim'],
    ['exp', { exp: Math.floor(Date.now() / 1000) - 31 }, 'token_expired'],
    ['iat', { iat: 'now' }, 'invalid_claim'],
    ['nbf', { nbf: 'later' }, 'invalid_claim'],
    ['nbf', { nbf: Math.floor(Date.now() / 1000) + 60 }, 'token_not_yet_valid'],
    ['iss', { iss: 'https://elsewhere/' }, 'wrong_issuer'],
    ['aud', { aud: 42 }, 'wrong_audience'],
    ['sub', { sub: undefined }, 'missing_claim'],
    ['aud', { aud: undefined }, 'missing_claim'],
  ])('a bad %s claim is refused, naming the claim', async (claim, changed, reason) => {
    const error = await failure(verifyJwt(rawToken({ ...claims, ...changed }), rawKeys, options));
    expect(error).toMatchObject({ reason, claim });
  });
});

describe('remoteKeySet', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  test('a kid the set does not hold fetches it again, at most every 30 s', async () => {
    const first = await keyPair('ES256', 'old');
    const rotated = await keyPair('ES256', 'new');
    let served: JsonWebKeySet = { keys: [first.jwk] };
    let fetches = 0;
    const server = createServer((_request, response) => {
      fetches += 1;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const keys = remoteKeySet(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`));
      let now = Date.now();
      jest.spyOn(Date, 'now').mockImplementation(() => now);
      await expect(verifyJwt(await first.signed(), keys, options)).resolves.toBeDefined();
      served = { keys: [first.jwk, rotated.jwk] };
      // Within the cool-down the set is not fetched again for an unknown kid.
      expect((await failure(verifyJwt(await rotated.signed(), keys, options))).reason).toBe(
        'unknown_signing_key',
      );
      expect(fetches).toBe(1);
      now += 31_000;
      await expect(verifyJwt(await rotated.signed(), keys, options)).resolves.toBeDefined();
      await expect(verifyJwt(await first.signed(), keys, options)).resolves.toBeDefined();
      expect(fetches).toBe(2);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
