// The token CLI signs with the key the running identity provider publishes, so its tokens verify there.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { freePort, startIdentityProvider, type IdentityProvider } from '@herald/local-cloud';

const run = promisify(execFile);
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

let keyDir: string;
let port: number;
let provider: IdentityProvider;

async function verify(token: string) {
  // jose gives up on the key set after 5 s by default; a loaded CI machine can take longer to answer.
  return jwtVerify(token, createRemoteJWKSet(new URL(provider.jwksUrl), { timeoutDuration: 30_000 }), {
    issuer: provider.issuer,
    audience: 'herald',
  });
}

beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'herald-token-'));
  port = await freePort();
  provider = await startIdentityProvider({ port, keyDir });
}, 30_000);

afterAll(async () => {
  await provider.stop();
  await rm(keyDir, { recursive: true, force: true });
}, 30_000);

describe('token CLI', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    run('npx', ['tsx', 'scripts/token.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      timeout: 60_000,
    });

  test('prints a token that verifies against the running provider', async () => {
    const { stdout, stderr } = await cli([
      '--tenant',
      'acme',
      '--scope',
      'events:write',
      '--scope',
      'deliveries:read deliveries:write',
      '--subject',
      'cli-user',
      '--expires-in',
      '3600',
      '--issuer',
      provider.issuer,
      '--key-dir',
      keyDir,
    ]);
    expect(stderr).not.toMatch(/warning/);
    const token = stdout.trim();
    const { payload, protectedHeader } = await verify(token);
    expect(protectedHeader.kid).toBe(provider.kid);
    expect(payload).toMatchObject({
      tenant: 'acme',
      sub: 'cli-user',
      scope: 'events:write deliveries:read deliveries:write',
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
  }, 60_000);

  test('takes the port and key directory from the environment', async () => {
    const { stdout } = await cli(['--tenant', 'acme', '--scope', 'events:read'], {
      HERALD_PORT_IDENTITY: String(port),
      HERALD_IDENTITY_KEY_DIR: keyDir,
    });
    const { payload } = await verify(stdout.trim());
    expect(payload).toMatchObject({ iss: `http://localhost:${port}`, tenant: 'acme' });
  }, 60_000);

  test('fails clearly without --tenant', async () => {
    const failure = await cli(['--scope', 'events:read', '--key-dir', keyDir]).then(
      () => undefined,
      (error: unknown) => error as { code: number; stdout: string; stderr: string },
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toContain('--tenant is required');
  }, 60_000);
});
