import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  KMSClient,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { clientConfig } from '../src/aws';
import { startKms, type KmsServer } from '../src/kms';

let server: KmsServer;
let kms: KMSClient;
let keyArn: string;
const context = { tenant: 'acme', subscription: 'sub-1' };

beforeAll(async () => {
  server = await startKms({ port: 'auto' });
  keyArn = server.keyring.addKey('1234abcd-12ab-34cd-56ef-1234567890ab', 'test key');
  server.keyring.addAlias('alias/herald-test', keyArn);
  kms = new KMSClient(clientConfig(server.endpoint));
}, 30_000);
afterAll(() => server.stop(), 30_000);

const encrypt = (keyId: string, text: string, ctx: Record<string, string> = context) =>
  kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(text), EncryptionContext: ctx }));

describe('local KMS', () => {
  test.each([
    ['key id', '1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['key ARN', 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['alias', 'alias/herald-test'],
    ['alias ARN', 'arn:aws:kms:us-east-1:000000000000:alias/herald-test'],
  ])('encrypts by %s and decrypts with the same context', async (_name, keyId) => {
    const encrypted = await encrypt(keyId, 'whsec_secret');
    expect(encrypted.KeyId).toBe(keyArn);
    expect(Buffer.from(encrypted.CiphertextBlob!).toString()).not.toContain('whsec_secret');
    const decrypted = await kms.send(
      new DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { ...context } }),
    );
    expect(Buffer.from(decrypted.Plaintext!).toString()).toBe('whsec_secret');
    expect(decrypted.KeyId).toBe(keyArn);
  });

  test('context key order does not matter, its content does', async () => {
    const { CiphertextBlob } = await encrypt(keyArn, 'x');
    const reordered = { subscription: 'sub-1', tenant: 'acme' };
    await expect(
      kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: reordered })),
    ).resolves.toBeDefined();
    await expect(
      kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { ...context, tenant: 'globex' } })),
    ).rejects.toBeInstanceOf(InvalidCiphertextException);
    await expect(kms.send(new DecryptCommand({ CiphertextBlob }))).rejects.toBeInstanceOf(
      InvalidCiphertextException,
    );
  });

  test('a tampered ciphertext is refused', async () => {
    const { CiphertextBlob } = await encrypt(keyArn, 'secret');
    const tampered = Buffer.from(CiphertextBlob!);
    tampered[tampered.length - 1]! ^= 1;
    await expect(
      kms.send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: context })),
    ).rejects.toBeInstanceOf(InvalidCiphertextException);
  });

  test('GenerateDataKey returns a key and its ciphertext that decrypts to it', async () => {
    const out = await kms.send(
      new GenerateDataKeyCommand({
        KeyId: 'alias/herald-test',
        KeySpec: 'AES_256',
        EncryptionContext: context,
      }),
    );
    expect(out.Plaintext).toHaveLength(32);
    const back = await kms.send(
      new DecryptCommand({ CiphertextBlob: out.CiphertextBlob, EncryptionContext: context }),
    );
    expect(Buffer.from(back.Plaintext!)).toEqual(Buffer.from(out.Plaintext!));
  });

  test('an unknown key is NotFoundException; DescribeKey describes a known one', async () => {
    await expect(encrypt('alias/nope', 'x')).rejects.toBeInstanceOf(NotFoundException);
    const described = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/herald-test' }));
    expect(described.KeyMetadata).toMatchObject({
      Arn: keyArn,
      KeyState: 'Enabled',
      Description: 'test key',
    });
  });

  test('CreateKey makes a new symmetric key of its own; a ciphertext of another key is refused by name', async () => {
    const created = await kms.send(new CreateKeyCommand({ Description: 'made by a test' }));
    const arn = created.KeyMetadata!.Arn!;
    expect(created.KeyMetadata).toMatchObject({ KeyState: 'Enabled', Description: 'made by a test' });
    expect(arn).not.toBe(keyArn);
    const { CiphertextBlob } = await encrypt(arn, 'mine');
    const back = await kms.send(
      new DecryptCommand({ CiphertextBlob, EncryptionContext: context, KeyId: arn }),
    );
    expect(Buffer.from(back.Plaintext!).toString()).toBe('mine');
    await expect(
      kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: context, KeyId: keyArn })),
    ).rejects.toBeInstanceOf(IncorrectKeyException);
    await expect(
      kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })),
    ).rejects.toThrow(/symmetric encryption keys only/);
  });
});
