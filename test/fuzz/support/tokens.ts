/**
 * Bearer tokens for the fuzz cases: the tenant's good one, and every way a token can be wrong
 * (expired, not yet valid, another audience or issuer, no or an odd tenant, scopes of the wrong
 * shape, `alg: none`, an HMAC made with the public key, a payload swapped under its signature, a
 * key the issuer never had), each signed with the local identity provider's own key where that
 * matters, so only the claim under test is wrong.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SignJWT, type JWTPayload } from 'jose';
import { loadOrCreateSigningKey } from '@herald/local-cloud/client';
import { localCloud, tokenFor } from '../../setup/local-cloud';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface OddTokens {
  /** Each a token that must be refused (401 or 403), by what is wrong with it. */
  refused: Record<string, string>;
  /** The identity provider's private key member, which no answer may show. */
  privateKeyD: string;
}

export async function oddTokens(tenant: string, scopes: readonly string[]): Promise<OddTokens> {
  const cloud = localCloud();
  const key = await loadOrCreateSigningKey(cloud.identityKeyDir);
  const now = Math.floor(Date.now() / 1000);
  const sign = (claims: JWTPayload, header: Record<string, unknown> = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt', ...header })
      .sign(key.privateKey);
  const base: JWTPayload = {
    tenant,
    scope: scopes.join(' '),
    iss: cloud.endpoints.issuer,
    aud: 'herald',
    sub: 'fuzz',
    iat: now,
    nbf: now,
    exp: now + 3600,
    jti: randomUUID(),
  };
  const good = await tokenFor({ tenant, scopes });
  const [header, , signature] = good.split('.');
  const refused: Record<string, string> = {
    expired: await sign({ ...base, iat: now - 7200, nbf: now - 7200, exp: now - 3600 }),
    notYetValid: await sign({ ...base, nbf: now + 3600 }),
    otherAudience: await sign({ ...base, aud: 'someone-else' }),
    otherIssuer: await sign({ ...base, iss: 'https://issuer.invalid' }),
    noTenant: await sign({ ...base, tenant: undefined }),
    oddTenant: await sign({ ...base, tenant: '../TENANT#x' }),
    numericTenant: await sign({ ...base, tenant: 42 as unknown as string }),
    longTenant: await sign({ ...base, tenant: 't'.repeat(65) }),
    // (A `scope` or `scp` claim that is an array is taken by design, as some issuers write it.)
    noScope: await sign({ ...base, scope: undefined }),
    noSubject: await sign({ ...base, sub: undefined }),
    unknownKey: await sign(base, { kid: 'no-such-key' }),
    algNone: `${b64({ alg: 'none', typ: 'JWT' })}.${b64(base)}.`,
    hmacWithPublicKey: `${b64({ alg: 'HS256', kid: key.kid })}.${b64(base)}.${Buffer.from('x').toString('base64url')}`,
    swappedPayload: `${header}.${b64({ ...base, tenant: 'someone-else' })}.${signature}`,
    noSignature: `${header}.${b64(base)}`,
    garbage: 'a.b.c',
    huge: 'x'.repeat(9000),
  };
  const jwk = JSON.parse(await readFile(key.file, 'utf8')) as { d?: string };
  return { refused, privateKeyD: jwk.d ?? '' };
}
