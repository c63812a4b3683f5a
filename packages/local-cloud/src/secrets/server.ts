// Secrets Manager over HTTP (AWS JSON 1.1, target prefix secretsmanager), in memory: the calls needed to hold
// the local cloud's secrets (ingest's envelope-signing key), set them, and rotate them.
import type { JsonObject } from '../aws-json-protocol';
import { portUse } from '../config';
import {
  AwsError,
  epochSeconds,
  isJsonObject,
  jsonServiceHandler,
  listen,
  optionalArray,
  optionalBoolean,
  optionalNumber,
  optionalString,
  optionalStringList,
  requiredString,
} from '../aws-json-protocol';
import { ACCOUNT_ID, REGION } from '../aws';
import type { SecretValue, Tag } from './store';
import { SecretStore } from './store';

export interface SecretsManagerOptions {
  /** A fixed port, or `auto` (the default) for one the OS picks. */
  port?: number | 'auto';
}

export interface SecretsManagerServer {
  readonly endpoint: string;
  readonly port: number;
  readonly store: SecretStore;
  stop(): Promise<void>;
}

export async function startSecretsManager(
  options: SecretsManagerOptions = {},
): Promise<SecretsManagerServer> {
  const store = new SecretStore({ account: ACCOUNT_ID, region: REGION });
  const server = await listen(
    jsonServiceHandler({ targetPrefix: 'secretsmanager', operations: operations(store) }),
    options.port ?? 'auto',
    portUse('secretsmanager'),
  );
  return { endpoint: server.endpoint, port: server.port, store, stop: () => server.close() };
}

function operations(store: SecretStore) {
  return {
    CreateSecret: (input: JsonObject) => {
      // KmsKeyId is kept for DescribeSecret only: nothing is encrypted locally.
      const created = store.create({
        name: requiredString(input, 'Name'),
        clientRequestToken: optionalString(input, 'ClientRequestToken'),
        description: optionalString(input, 'Description'),
        kmsKeyId: optionalString(input, 'KmsKeyId'),
        value: secretValue(input),
        tags: tags(input),
      });
      return { ARN: created.arn, Name: created.name, VersionId: created.versionId };
    },
    GetSecretValue: (input: JsonObject) => {
      const { arn, name, version } = store.getValue(
        requiredString(input, 'SecretId'),
        optionalString(input, 'VersionId'),
        optionalString(input, 'VersionStage'),
      );
      return {
        ARN: arn,
        Name: name,
        VersionId: version.id,
        SecretString: version.value.secretString,
        SecretBinary: version.value.secretBinary,
        VersionStages: version.stages,
        CreatedDate: epochSeconds(version.created),
      };
    },
    PutSecretValue: (input: JsonObject) => {
      const put = store.putValue(
        requiredString(input, 'SecretId'),
        secretValue(input),
        optionalString(input, 'ClientRequestToken'),
        optionalStringList(input, 'VersionStages'),
      );
      return { ARN: put.arn, Name: put.name, VersionId: put.versionId, VersionStages: put.stages };
    },
    DescribeSecret: (input: JsonObject) => {
      const secret = store.describe(requiredString(input, 'SecretId'));
      const date = (value: Date | undefined) => (value ? epochSeconds(value) : undefined);
      return {
        ARN: secret.arn,
        Name: secret.name,
        Description: secret.description,
        KmsKeyId: secret.kmsKeyId,
        LastChangedDate: epochSeconds(secret.lastChanged),
        LastAccessedDate: date(secret.lastAccessed),
        DeletedDate: date(secret.deleted),
        Tags: secret.tags.length > 0 ? secret.tags : undefined,
        VersionIdsToStages: secret.versionIdsToStages,
        CreatedDate: epochSeconds(secret.created),
      };
    },
    DeleteSecret: (input: JsonObject) => {
      const deleted = store.delete(
        requiredString(input, 'SecretId'),
        optionalNumber(input, 'RecoveryWindowInDays'),
        optionalBoolean(input, 'ForceDeleteWithoutRecovery') ?? false,
      );
      return { ARN: deleted.arn, Name: deleted.name, DeletionDate: epochSeconds(deleted.deletionDate) };
    },
    RestoreSecret: (input: JsonObject) => {
      const restored = store.restore(requiredString(input, 'SecretId'));
      return { ARN: restored.arn, Name: restored.name };
    },
  };
}

function secretValue(input: JsonObject): SecretValue {
  return {
    secretString: optionalString(input, 'SecretString'),
    secretBinary: optionalString(input, 'SecretBinary'),
  };
}

function tags(input: JsonObject): Tag[] | undefined {
  return optionalArray(input, 'Tags')?.map((tag) => {
    if (!isJsonObject(tag)) throw new AwsError('SerializationException', 'Each of Tags must be an object.');
    return { Key: requiredString(tag, 'Key'), Value: optionalString(tag, 'Value') ?? '' };
  });
}
