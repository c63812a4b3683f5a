// SSM Parameter Store over HTTP (AWS JSON 1.1, target prefix AmazonSSM), in memory: what a deploy publishes
// (a template's AWS::SSM::Parameter resources) and what `npm run bootstrap` reads and writes. SecureString
// values are encrypted through the local KMS, under the key the call names or the account's `alias/aws/ssm`
// (made on first use, as AWS makes its managed key), with the encryption context Parameter Store uses,
// PARAMETER_ARN = the parameter's ARN.
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../aws-json-protocol';
import {
  AwsError,
  epochSeconds,
  isJsonObject,
  jsonServiceHandler,
  listen,
  missing,
  optionalArray,
  optionalBoolean,
  optionalNumber,
  optionalString,
  requiredString,
} from '../aws-json-protocol';
import { ACCOUNT_ID, REGION } from '../aws';
import { portUse } from '../config';
import { Keyring, KmsError } from '../kms/keyring';
import type { ParameterCipher, ParameterType, ParameterView } from './store';
import { ParameterStore } from './store';

export interface SsmOptions {
  /** A fixed port, or `auto` (the default) for one the OS picks. */
  port?: number | 'auto';
  /** The local KMS's keys (the local cloud's); without it, a keyring of the server's own. */
  keyring?: Keyring;
}

export interface SsmServer {
  readonly endpoint: string;
  readonly port: number;
  readonly store: ParameterStore;
  stop(): Promise<void>;
}

/** The alias of the AWS managed key Parameter Store encrypts with when the call names none. */
export const DEFAULT_SSM_KEY = 'alias/aws/ssm';
/** GetParametersByPath's page size when the call gives none, and its largest. */
const MAX_RESULTS = 10;

export async function startSsm(options: SsmOptions = {}): Promise<SsmServer> {
  const keyring = options.keyring ?? new Keyring(ACCOUNT_ID, REGION);
  const store = new ParameterStore({ account: ACCOUNT_ID, region: REGION, cipher: kmsCipher(keyring) });
  const server = await listen(
    jsonServiceHandler({ targetPrefix: 'AmazonSSM', operations: operations(store) }),
    options.port ?? 'auto',
    portUse('ssm'),
  );
  return { endpoint: server.endpoint, port: server.port, store, stop: () => server.close() };
}

function kmsCipher(keyring: Keyring): ParameterCipher {
  const translated = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (error) {
      // AWS names a key that cannot be used InvalidKeyId, whatever KMS said about it.
      if (error instanceof KmsError && error.type === 'NotFoundException')
        throw new AwsError('InvalidKeyId', error.message);
      if (error instanceof KmsError) throw new AwsError(error.type, error.message);
      throw error;
    }
  };
  return {
    encrypt(keyId, value, context) {
      return translated(() => {
        if (keyId === undefined) defaultKey(keyring);
        return keyring
          .encrypt(keyId ?? DEFAULT_SSM_KEY, Buffer.from(value, 'utf8'), context)
          .blob.toString('base64');
      });
    },
    decrypt(ciphertext, context) {
      return translated(() =>
        keyring.decrypt(Buffer.from(ciphertext, 'base64'), context).plaintext.toString('utf8'),
      );
    },
  };
}

function defaultKey(keyring: Keyring): void {
  try {
    keyring.find(DEFAULT_SSM_KEY);
  } catch {
    keyring.addAlias(DEFAULT_SSM_KEY, keyring.addKey(randomUUID(), 'Default key for SSM (local)'));
  }
}

function parameter(view: ParameterView) {
  return {
    Name: view.name,
    Type: view.type,
    Value: view.value,
    Version: view.version,
    LastModifiedDate: epochSeconds(view.lastModified),
    ARN: view.arn,
    DataType: view.dataType,
    ...(view.selector === undefined ? {} : { Selector: view.selector }),
  };
}

function operations(store: ParameterStore) {
  return {
    PutParameter: (input: JsonObject) => {
      if (optionalString(input, 'Policies') !== undefined) {
        // Expiration and notification policies need EventBridge events on a schedule; nothing here sends them.
        throw new AwsError(
          'InvalidPolicyTypeException',
          'Parameter policies are not emulated by the local cloud.',
        );
      }
      const put = store.put({
        name: requiredString(input, 'Name'),
        value: requiredString(input, 'Value'),
        type: optionalString(input, 'Type') as ParameterType | undefined,
        keyId: optionalString(input, 'KeyId'),
        overwrite: optionalBoolean(input, 'Overwrite') ?? false,
        description: optionalString(input, 'Description'),
        allowedPattern: optionalString(input, 'AllowedPattern'),
        dataType: optionalString(input, 'DataType'),
        tier: optionalString(input, 'Tier'),
        tags: tags(input),
      });
      return { Version: put.version, Tier: put.tier };
    },
    GetParameter: (input: JsonObject) => ({
      Parameter: parameter(
        store.get(requiredString(input, 'Name'), optionalBoolean(input, 'WithDecryption') ?? false),
      ),
    }),
    GetParameters: (input: JsonObject) => {
      const names = optionalArray(input, 'Names');
      if (names === undefined) throw missing('Names');
      if (!names.every((name) => typeof name === 'string'))
        throw new AwsError('SerializationException', 'Names must be a list of strings.');
      const found = store.getMany(names as string[], optionalBoolean(input, 'WithDecryption') ?? false);
      return { Parameters: found.parameters.map(parameter), InvalidParameters: found.invalid };
    },
    GetParametersByPath: (input: JsonObject) => {
      const maxResults = optionalNumber(input, 'MaxResults') ?? MAX_RESULTS;
      if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
        throw new AwsError(
          'ValidationException',
          `1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: ` +
            `Member must have value less than or equal to ${MAX_RESULTS} and greater than or equal to 1`,
        );
      }
      const filters = parameterFilters(input);
      const all = store
        .byPath(
          requiredString(input, 'Path'),
          optionalBoolean(input, 'Recursive') ?? false,
          optionalBoolean(input, 'WithDecryption') ?? false,
        )
        .filter((view) => filters.every((filter) => filter(view, store)));
      const start = offset(optionalString(input, 'NextToken'));
      const end = start + maxResults;
      return {
        Parameters: all.slice(start, end).map(parameter),
        ...(end < all.length ? { NextToken: Buffer.from(`ssm:${end}`).toString('base64url') } : {}),
      };
    },
    DeleteParameter: (input: JsonObject) => {
      store.delete(requiredString(input, 'Name'));
      return {};
    },
    DeleteParameters: (input: JsonObject) => {
      const names = optionalArray(input, 'Names');
      if (names === undefined) throw missing('Names');
      const deleted: string[] = [];
      const invalid: string[] = [];
      for (const name of names) {
        if (typeof name !== 'string') throw new AwsError('SerializationException', 'Names must be strings.');
        try {
          store.delete(name);
          deleted.push(name);
        } catch {
          invalid.push(name);
        }
      }
      return { DeletedParameters: deleted, InvalidParameters: invalid };
    },
  };
}

/** The page a NextToken this server gave starts at; any other token is InvalidNextToken. */
function offset(token: string | undefined): number {
  if (token === undefined) return 0;
  const match = /^ssm:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  if (!match) throw new AwsError('InvalidNextToken', 'The specified token is not valid.');
  return Number(match[1]);
}

type Filter = (view: ParameterView, store: ParameterStore) => boolean;

/**
 * GetParametersByPath's ParameterFilters, with Equals: Type, KeyId and DataType. Label is documented too,
 * but the local store keeps no labels; it and the keys GetParametersByPath does not take (Name, Path, Tier,
 * tag) are InvalidFilterKey.
 */
function parameterFilters(input: JsonObject): Filter[] {
  return (optionalArray(input, 'ParameterFilters') ?? []).map((filter) => {
    if (!isJsonObject(filter))
      throw new AwsError('SerializationException', 'Each of ParameterFilters must be an object.');
    const key = requiredString(filter, 'Key');
    const option = optionalString(filter, 'Option') ?? 'Equals';
    const values = optionalArray(filter, 'Values') ?? [];
    if (!['Type', 'KeyId', 'DataType'].includes(key)) {
      throw new AwsError(
        'InvalidFilterKey',
        `The filter key ${key} is not supported here (the local cloud filters by Type, KeyId and DataType).`,
      );
    }
    if (option !== 'Equals')
      throw new AwsError('InvalidFilterOption', `The filter option ${option} is not valid for ${key}.`);
    if (values.length === 0 || !values.every((value) => typeof value === 'string'))
      throw new AwsError('InvalidFilterValue', `The filter ${key} needs one or more string values.`);
    return (view, store) => {
      const actual =
        key === 'Type'
          ? view.type
          : key === 'DataType'
            ? view.dataType
            : (store.keyIdOf(view.name) ?? DEFAULT_SSM_KEY);
      return (values as string[]).includes(actual);
    };
  });
}

function tags(input: JsonObject): Array<{ Key: string; Value: string }> | undefined {
  return optionalArray(input, 'Tags')?.map((tag) => {
    if (!isJsonObject(tag)) throw new AwsError('SerializationException', 'Each of Tags must be an object.');
    return { Key: requiredString(tag, 'Key'), Value: requiredString(tag, 'Value') };
  });
}
