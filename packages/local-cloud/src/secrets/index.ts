// The local Secrets Manager: an in-memory store and the JSON-protocol server in front of it.
export type { SecretsManagerOptions, SecretsManagerServer } from './server';
export { startSecretsManager } from './server';
export type {
  CreateSecretInput,
  SecretDescription,
  SecretStoreOptions,
  SecretValue,
  SecretVersion,
  Tag,
} from './store';
export { CURRENT, PREVIOUS, SecretStore } from './store';
