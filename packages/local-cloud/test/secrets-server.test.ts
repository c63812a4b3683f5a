// The local Secrets Manager through the real AWS SDK: create, read by name and ARN, new versions moving the
// AWSCURRENT / AWSPREVIOUS labels, deletion with and without a recovery window, and the named errors.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { clientConfig } from '../src/aws';
import { PortInUseError } from '../src/ports';
import type { SecretsManagerServer } from '../src/secrets/server';
import { startSecretsManager } from '../src/secrets/server';

let server: SecretsManagerServer;
let secrets: SecretsManagerClient;

beforeAll(async () => {
  server = await startSecretsManager({ port: 'auto' });
  secrets = new SecretsManagerClient(clientConfig(server.endpoint));
}, 30_000);

afterAll(async () => {
  secrets?.destroy();
  await server?.stop();
}, 30_000);

const get = (SecretId: string, extra: { VersionId?: string; VersionStage?: string } = {}) =>
  secrets.send(new GetSecretValueCommand({ SecretId, ...extra }));

describe('Secrets Manager', () => {
  test('a created secret is read back by name, full ARN and partial ARN', async () => {
    const created = await secrets.send(
      new CreateSecretCommand({
        Name: 'herald/local/ingest/envelope-signing-key',
        SecretString: '{"kty":"OKP"}',
        Description: 'signing key',
        KmsKeyId: 'alias/ignored',
      }),
    );
    expect(created.ARN).toMatch(
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:herald\/local\/ingest\/envelope-signing-key-[A-Za-z0-9]{6}$/,
    );
    expect(created.VersionId).toEqual(expect.any(String));

    const partialArn = created.ARN!.slice(0, -7);
    for (const id of [created.Name!, created.ARN!, partialArn]) {
      const value = await get(id);
      expect(value).toMatchObject({
        ARN: created.ARN,
        Name: 'herald/local/ingest/envelope-signing-key',
        SecretString: '{"kty":"OKP"}',
        VersionId: created.VersionId,
        VersionStages: ['AWSCURRENT'],
      });
      expect(value.CreatedDate).toBeInstanceOf(Date);
    }
  });

  test('unknown secrets and duplicate names raise the named exceptions', async () => {
    await expect(get('no-such-secret')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
    });
    await expect(
      get('arn:aws:secretsmanager:us-east-1:000000000000:secret:no-such-secret-AbCdEf'),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await secrets.send(new CreateSecretCommand({ Name: 'dup', SecretString: 'a' }));
    await expect(
      secrets.send(new CreateSecretCommand({ Name: 'dup', SecretString: 'b' })),
    ).rejects.toMatchObject({
      name: 'ResourceExistsException',
      message: 'The operation failed because the secret dup already exists.',
    });
    await expect(
      secrets.send(
        new CreateSecretCommand({ Name: 'both', SecretString: 'a', SecretBinary: Uint8Array.of(1) }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  test('PutSecretValue makes a new AWSCURRENT and the old one AWSPREVIOUS', async () => {
    const first = await secrets.send(new CreateSecretCommand({ Name: 'rotating', SecretString: 'v1' }));
    const second = await secrets.send(
      new PutSecretValueCommand({ SecretId: 'rotating', SecretString: 'v2' }),
    );
    expect(second).toMatchObject({ ARN: first.ARN, Name: 'rotating', VersionStages: ['AWSCURRENT'] });
    expect(second.VersionId).not.toBe(first.VersionId);

    expect(await get('rotating')).toMatchObject({ SecretString: 'v2', VersionId: second.VersionId });
    expect(await get('rotating', { VersionStage: 'AWSPREVIOUS' })).toMatchObject({
      SecretString: 'v1',
      VersionId: first.VersionId,
      VersionStages: ['AWSPREVIOUS'],
    });

    const third = await secrets.send(new PutSecretValueCommand({ SecretId: first.ARN, SecretString: 'v3' }));
    const described = await secrets.send(new DescribeSecretCommand({ SecretId: 'rotating' }));
    expect(described.VersionIdsToStages).toEqual({
      [second.VersionId!]: ['AWSPREVIOUS'],
      [third.VersionId!]: ['AWSCURRENT'],
    });
    expect(described.LastChangedDate).toBeInstanceOf(Date);
    expect(described.LastAccessedDate).toBeInstanceOf(Date);
    // The first version lost its labels but can still be read by id.
    expect(await get('rotating', { VersionId: first.VersionId })).toMatchObject({
      SecretString: 'v1',
      VersionStages: [],
    });
    await expect(get('rotating', { VersionId: 'no-such-version' })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  test('PutSecretValue is idempotent per ClientRequestToken', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'tokens', SecretString: 'v1' }));
    const token = '11111111-2222-3333-4444-555555555555';
    const put = () =>
      secrets.send(
        new PutSecretValueCommand({ SecretId: 'tokens', SecretString: 'v2', ClientRequestToken: token }),
      );
    expect((await put()).VersionId).toBe(token);
    expect((await put()).VersionId).toBe(token);
    expect((await get('tokens', { VersionStage: 'AWSPREVIOUS' })).SecretString).toBe('v1');
    await expect(
      secrets.send(
        new PutSecretValueCommand({ SecretId: 'tokens', SecretString: 'other', ClientRequestToken: token }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceExistsException' });
  });

  test('a binary secret round-trips', async () => {
    const bytes = Uint8Array.of(0, 1, 2, 250, 255);
    await secrets.send(new CreateSecretCommand({ Name: 'binary', SecretBinary: bytes }));
    const value = await get('binary');
    expect(value.SecretString).toBeUndefined();
    expect(value.SecretBinary).toEqual(bytes);
  });

  test('a secret created without a value has no AWSCURRENT until one is put', async () => {
    const created = await secrets.send(new CreateSecretCommand({ Name: 'empty' }));
    expect(created.VersionId).toBeUndefined();
    await expect(get('empty')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    });
    await secrets.send(new PutSecretValueCommand({ SecretId: 'empty', SecretString: 'now' }));
    expect((await get('empty')).SecretString).toBe('now');
  });

  test('deletion: a recovery window blocks reads until restored; forced deletion frees the name', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'x' }));
    const scheduled = await secrets.send(
      new DeleteSecretCommand({ SecretId: 'doomed', RecoveryWindowInDays: 7 }),
    );
    const inDays = ((scheduled.DeletionDate?.getTime() ?? 0) - Date.now()) / 86_400_000;
    expect(inDays).toBeGreaterThan(6.9);
    expect(inDays).toBeLessThanOrEqual(7);
    await expect(get('doomed')).rejects.toMatchObject({ name: 'InvalidRequestException' });
    expect(
      (await secrets.send(new DescribeSecretCommand({ SecretId: 'doomed' }))).DeletedDate,
    ).toBeInstanceOf(Date);
    await expect(
      secrets.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'y' })),
    ).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });

    await secrets.send(new RestoreSecretCommand({ SecretId: 'doomed' }));
    expect((await get('doomed')).SecretString).toBe('x');

    await expect(
      secrets.send(
        new DeleteSecretCommand({
          SecretId: 'doomed',
          ForceDeleteWithoutRecovery: true,
          RecoveryWindowInDays: 7,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const forced = await secrets.send(
      new DeleteSecretCommand({ SecretId: 'doomed', ForceDeleteWithoutRecovery: true }),
    );
    expect(forced.Name).toBe('doomed');
    await expect(get('doomed')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const again = await secrets.send(new CreateSecretCommand({ Name: 'doomed', SecretString: 'z' }));
    expect(again.ARN).not.toBe(forced.ARN);
    await expect(get(forced.ARN!)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test('a fixed port that is taken fails with PortInUseError naming the setting', async () => {
    const clash = startSecretsManager({ port: server.port });
    await expect(clash).rejects.toBeInstanceOf(PortInUseError);
    await expect(clash).rejects.toMatchObject({ setting: 'HERALD_PORT_SECRETSMANAGER' });
  });
});
