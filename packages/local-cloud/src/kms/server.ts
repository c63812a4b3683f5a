/**
 * KMS over HTTP (AWS JSON 1.1, target prefix TrentService): the calls functions make to encrypt and
 * decrypt with their service's key. Keys come from the templates' AWS::KMS::Key resources.
 */
import { randomUUID } from 'node:crypto';
import {
  AwsError,
  isJsonObject,
  jsonServiceHandler,
  listen,
  optionalNumber,
  optionalString,
  requiredString,
  type JsonObject,
} from '../aws-json-protocol';
import { portUse } from '../config';
import { ACCOUNT_ID, REGION } from '../aws';
import { Keyring, KmsError } from './keyring';

export interface KmsServer {
  readonly endpoint: string;
  readonly port: number;
  readonly keyring: Keyring;
  stop(): Promise<void>;
}

function context(input: JsonObject): Record<string, string> | undefined {
  const value = input.EncryptionContext;
  if (value === undefined) return undefined;
  if (!isJsonObject(value) || Object.values(value).some((v) => typeof v !== 'string')) {
    throw new AwsError('ValidationException', 'EncryptionContext must map strings to strings');
  }
  return value as Record<string, string>;
}

const blob = (input: JsonObject, name: string): Buffer => Buffer.from(requiredString(input, name), 'base64');
const base64 = (bytes: Buffer): string => bytes.toString('base64');
/** The only algorithm of the local keys (symmetric AES-GCM, as AWS's default keys). */
const ALGORITHM = { EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' };

/** KmsError → the AWS error the SDK raises by name. */
const translated =
  <T>(fn: (input: JsonObject) => T) =>
  (input: JsonObject): T => {
    try {
      return fn(input);
    } catch (error) {
      if (error instanceof KmsError) throw new AwsError(error.type, error.message);
      throw error;
    }
  };

function metadata(key: { id: string; arn: string; description?: string }) {
  return {
    KeyId: key.id,
    Arn: key.arn,
    AWSAccountId: ACCOUNT_ID,
    Enabled: true,
    KeyState: 'Enabled',
    KeyUsage: 'ENCRYPT_DECRYPT',
    KeySpec: 'SYMMETRIC_DEFAULT',
    Description: key.description ?? '',
  };
}

export async function startKms(options: { port?: number | 'auto' } = {}): Promise<KmsServer> {
  const keyring = new Keyring(ACCOUNT_ID, REGION);
  const operations = {
    Encrypt: translated((input) => {
      const out = keyring.encrypt(requiredString(input, 'KeyId'), blob(input, 'Plaintext'), context(input));
      return { CiphertextBlob: base64(out.blob), KeyId: out.keyArn, ...ALGORITHM };
    }),
    Decrypt: translated((input) => {
      const keyId = optionalString(input, 'KeyId');
      const out = keyring.decrypt(blob(input, 'CiphertextBlob'), context(input), keyId);
      return { Plaintext: base64(out.plaintext), KeyId: out.keyArn, ...ALGORITHM };
    }),
    GenerateDataKey: translated((input) => {
      const spec = optionalString(input, 'KeySpec');
      const bytes = optionalNumber(input, 'NumberOfBytes') ?? (spec === 'AES_128' ? 16 : 32);
      const out = keyring.generateDataKey(requiredString(input, 'KeyId'), bytes, context(input));
      return { Plaintext: base64(out.plaintext), CiphertextBlob: base64(out.blob), KeyId: out.keyArn };
    }),
    // A symmetric encryption key, the only kind the local keys are; for tests of one adapter at a
    // time (port contract tests), which have no template to provision keys from.
    CreateKey: translated((input) => {
      const spec = optionalString(input, 'KeySpec') ?? 'SYMMETRIC_DEFAULT';
      const usage = optionalString(input, 'KeyUsage') ?? 'ENCRYPT_DECRYPT';
      if (spec !== 'SYMMETRIC_DEFAULT' || usage !== 'ENCRYPT_DECRYPT')
        throw new AwsError(
          'UnsupportedOperationException',
          'The local KMS makes symmetric encryption keys only',
        );
      const description = optionalString(input, 'Description');
      return { KeyMetadata: metadata(keyring.find(keyring.addKey(randomUUID(), description))) };
    }),
    DescribeKey: translated((input) => ({
      KeyMetadata: metadata(keyring.find(requiredString(input, 'KeyId'))),
    })),
  };
  const server = await listen(
    jsonServiceHandler({ targetPrefix: 'TrentService', operations }),
    options.port ?? 'auto',
    portUse('kms'),
  );
  return { endpoint: server.endpoint, port: server.port, keyring, stop: () => server.close() };
}
