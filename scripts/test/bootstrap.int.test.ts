/**
 * The bootstrap's Secrets Manager adapter (scripts/lib/bootstrap-aws.ts) through the real AWS SDK
 * against the local cloud's Secrets Manager, in a new stage's order: no secret yet (ingest not
 * deployed), then the secret ingest's stack creates without a value, then a run with nothing to do.
 * The local cloud has no SSM emulator, so SSM is the in-memory stand-in here; the SSM adapter's calls
 * (GetParameter, PutParameter, DeleteParameter) are not run against anything.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { generateSigningKeyPair } from '@herald/shared/signing';
import { clientConfig } from '@herald/local-cloud/client';
import { localCloud } from '../../test/setup/local-cloud';
import { bootstrap, names, type BootstrapPorts } from '../lib/bootstrap';
import { secretsPorts } from '../lib/bootstrap-aws';

// The shared local cloud of the integration tests (test/setup/global-setup.mjs).
const secrets = new SecretsManagerClient(clientConfig(localCloud().endpoints.aws.secretsmanager));
afterAll(() => secrets.destroy());

describe('the bootstrap on Secrets Manager', () => {
  test('before ingest’s deploy the key waits; after it, it is in the secret; then nothing changes', async () => {
    // A stage of its own: the local stage's secrets are the running services'.
    const stage = `bootstrap${Date.now().toString(36)}`;
    const n = names(stage);
    const parameters = new Map<string, string>();
    const pair = generateSigningKeyPair('ingest-emu-1');
    const ports: BootstrapPorts = {
      getParameter: async (name) => parameters.get(name),
      putParameter: async (name, value) => void parameters.set(name, value),
      deleteParameter: async (name) => void parameters.delete(name),
      ...secretsPorts(secrets),
      newKeyPair: () => pair,
    };

    expect(await ports.getSecret(n.secret)).toEqual({ exists: false });
    await bootstrap(stage, ports, { kid: 'ingest-emu-1' });
    expect(parameters.has(n.pendingKey)).toBe(true);

    // What ingest's stack creates: the secret, encrypted with ingest's key, and no value.
    await secrets.send(new CreateSecretCommand({ Name: n.secret, KmsKeyId: `alias/herald-${stage}-ingest` }));
    expect(await ports.getSecret(n.secret)).toEqual({ exists: true });
    const moved = await bootstrap(stage, ports, { kid: 'ingest-emu-1' });
    expect(moved.done).toEqual([expect.stringMatching(/^private key ingest-emu-1 moved from/)]);
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: n.secret }));
    expect(JSON.parse(SecretString!)).toEqual(pair.privateJwk);
    expect(parameters.has(n.pendingKey)).toBe(false);

    const again = await bootstrap(stage, ports, { kid: 'ingest-emu-2' });
    expect(again.done).toEqual([]);
    expect(again.ok[0]).toBe(`signing key ingest-emu-1: private in ${n.secret}, public in ${n.publicKeys}`);
  });
});
