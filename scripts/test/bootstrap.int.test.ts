/**
 * The bootstrap against the local cloud, through the real AWS SDK: its SSM adapter on the local Parameter
 * Store, its Secrets Manager adapter on the local Secrets Manager (scripts/lib/bootstrap-aws.ts), in a new
 * stage's order: nothing deployed (the key pair is made, its private half waits in an SSM SecureString), the
 * services' deploys (their published parameters, and ingest's secret without a value), the run that moves
 * the key into the secret, then `npm run bootstrap` itself, which finds nothing to do.
 *
 * Each test uses a stage of its own: the local stage's secret and parameters are the running services'.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from '@jest/globals';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { generateSigningKeyPair, parsePublicKeys } from '@herald/shared/signing';
import { clientConfig } from '@herald/local-cloud/client';
import { localCloud } from '../../test/setup/local-cloud';
import { bootstrap, names, PUBLISHED_BY_DEPLOYS, type BootstrapPorts } from '../lib/bootstrap';
import { secretsPorts, ssmPorts } from '../lib/bootstrap-aws';

// The shared local cloud of the integration tests (test/setup/global-setup.mjs).
const cloud = localCloud();
const secrets = new SecretsManagerClient(clientConfig(cloud.endpoints.aws.secretsmanager));
const ssm = new SSMClient(clientConfig(cloud.endpoints.aws.ssm));
afterAll(() => {
  secrets.destroy();
  ssm.destroy();
});

const newStage = (purpose: string) => `${purpose}${Date.now().toString(36)}`;
const parameter = (Name: string, WithDecryption = false) =>
  ssm.send(new GetParameterCommand({ Name, WithDecryption })).then(
    (out) => out.Parameter,
    (error: Error) => {
      if (error.name === 'ParameterNotFound') return undefined;
      throw error;
    },
  );

/** What a service's deploy publishes to the stage (its serverless.yml's AWS::SSM::Parameter resources). */
async function deploy(stage: string, service: string, except: readonly string[] = []) {
  for (const name of PUBLISHED_BY_DEPLOYS[service]!.filter((name) => !except.includes(name)))
    await ssm.send(
      new PutParameterCommand({
        Name: `/herald/${stage}/${service}/${name}`,
        Value: `${service}-${name}-value`,
        Type: 'String',
        // A later deploy updates what an earlier one published.
        Overwrite: true,
      }),
    );
}

describe('the bootstrap on the local cloud', () => {
  test('the local stage’s services published what the bootstrap checks, when the local cloud started', async () => {
    const { getParameter } = ssmPorts(ssm);
    for (const [service, published] of Object.entries(PUBLISHED_BY_DEPLOYS))
      for (const name of published)
        expect([
          `/herald/local/${service}/${name}`,
          await getParameter(`/herald/local/${service}/${name}`),
        ]).toEqual([`/herald/local/${service}/${name}`, expect.any(String)]);
    expect(await getParameter('/herald/local/processing/inboundQueueUrl')).toBe(
      cloud.outputs.processing.InboundQueueUrl,
    );
  });

  test('a new stage: the key waits in SSM until ingest’s deploy, then is moved; then nothing changes', async () => {
    const stage = newStage('bootstrap');
    const n = names(stage);
    const pair = generateSigningKeyPair('ingest-emu-1');
    const ports: BootstrapPorts = {
      ...ssmPorts(ssm),
      ...secretsPorts(secrets),
      newKeyPair: () => pair,
    };
    const { x, kid } = pair.privateJwk;

    // Nothing deployed: the pair is made, the public half published, the private half pending.
    const first = await bootstrap(stage, ports, { kid: 'ingest-emu-1' });
    expect(first.done).toEqual([
      expect.stringMatching(/^public key ingest-emu-1 written to SSM parameter/),
      expect.stringMatching(/^private key ingest-emu-1 kept in the SSM SecureString parameter/),
    ]);
    const publicKeys = await parameter(n.publicKeys);
    expect(publicKeys).toMatchObject({ Type: 'String', Version: 1 });
    expect(parsePublicKeys(publicKeys!.Value!).keys).toEqual([expect.objectContaining({ kid, x })]);
    const pending = await parameter(n.pendingKey);
    expect(pending?.Type).toBe('SecureString');
    // Encrypted at rest: without decryption the value is KMS ciphertext, not the key.
    expect(pending!.Value).not.toContain(pair.privateJwk.d);
    expect(JSON.parse((await parameter(n.pendingKey, true))!.Value!)).toEqual(pair.privateJwk);
    for (const service of Object.keys(PUBLISHED_BY_DEPLOYS))
      expect(first.missing).toContainEqual(
        expect.stringMatching(new RegExp(`^${service} has not published`)),
      );

    // A run before ingest is deployed changes nothing.
    const waiting = await bootstrap(stage, ports, { kid: 'ingest-emu-2' });
    expect(waiting.done).toEqual([]);
    expect(waiting.missing).toContainEqual(
      expect.stringMatching(/^The private key ingest-emu-1 waits in .*: deploy ingest/),
    );

    // The deploys: processing publishes all but one of its values (that one shows in the report), ingest
    // and notifications their URLs; ingest's stack creates the secret, encrypted with its key, without a value.
    await deploy(stage, 'processing', ['eventBusArn']);
    await deploy(stage, 'ingest');
    await deploy(stage, 'notifications');
    await secrets.send(new CreateSecretCommand({ Name: n.secret, KmsKeyId: `alias/herald-${stage}-ingest` }));

    const moved = await bootstrap(stage, ports, { kid: 'ingest-emu-2' });
    expect(moved.done).toEqual([expect.stringMatching(/^private key ingest-emu-1 moved from/)]);
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: n.secret }));
    expect(JSON.parse(SecretString!)).toEqual(pair.privateJwk);
    expect(await parameter(n.pendingKey)).toBeUndefined();
    expect(moved.missing).toEqual([
      `processing has not published /herald/${stage}/processing/eventBusArn: deploy it to stage '${stage}' (first: the others read these)`,
    ]);
    expect(moved.ok).toEqual(
      expect.arrayContaining([
        'ingest is deployed (it published apiUrl)',
        'notifications is deployed (it published apiUrl)',
      ]),
    );

    await deploy(stage, 'processing');
    const again = await bootstrap(stage, ports, { kid: 'ingest-emu-2' });
    expect(again.done).toEqual([]);
    expect(again.missing).toEqual([]);
    expect(again.ok[0]).toBe(`signing key ingest-emu-1: private in ${n.secret}, public in ${n.publicKeys}`);
    // Idempotent: the public keys were not written again.
    expect((await parameter(n.publicKeys))?.Version).toBe(1);
  });

  test('npm run bootstrap on the local cloud: the key pair once, a run that changes nothing, the move after ingest’s deploy', async () => {
    const stage = newStage('cli');
    // The SDK's default chain, pointed at the local cloud by the standard variables (AWS_ENDPOINT_URL_SSM,
    // AWS_ENDPOINT_URL_SECRETS_MANAGER, the dummy credentials), as a person would after `npm start`.
    const run = () =>
      promisify(execFile)('npx', ['tsx', 'scripts/bootstrap.ts', '--stage', stage, '--kid', 'ingest-cli-1'], {
        env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...cloud.awsEnv },
      }).then(
        (out) => ({ code: 0, stdout: out.stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );

    const first = await run();
    // Exit 1: the stage has no stages/<stage>.yml and nothing is deployed.
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(`Settings, stages/${stage}.yml:`);
    expect(first.stdout).toContain(
      `done: public key ingest-cli-1 written to SSM parameter /herald/${stage}/ingest/publicKeys`,
    );
    expect(first.stdout).toContain(
      `missing: processing has not published /herald/${stage}/processing/inboundQueueUrl`,
    );
    expect(parsePublicKeys((await parameter(names(stage).publicKeys))!.Value!).keys[0]!.kid).toBe(
      'ingest-cli-1',
    );

    const second = await run();
    expect(second.stdout).not.toContain('done:');
    expect(second.stdout).toContain(
      `missing: The private key ingest-cli-1 waits in /herald/${stage}/ingest/pendingSigningKey`,
    );

    await secrets.send(new CreateSecretCommand({ Name: names(stage).secret }));
    const third = await run();
    expect(third.stdout).toContain(
      `done: private key ingest-cli-1 moved from /herald/${stage}/ingest/pendingSigningKey into the secret`,
    );
    expect(await parameter(names(stage).pendingKey)).toBeUndefined();
  }, 60_000);
});
