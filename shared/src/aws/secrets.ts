import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let client: SecretsManagerClient | undefined;
const cache = new Map<string, Promise<string>>();

/**
 * A secret's string value, fetched once per container and kept: the secrets read here (signing
 * keys) rotate by key id, so a new key is picked up by new containers while old ones keep signing
 * with a key that is still trusted.
 */
export function secretString(secretId: string): Promise<string> {
  let value = cache.get(secretId);
  if (!value) {
    client ??= new SecretsManagerClient({});
    value = client.send(new GetSecretValueCommand({ SecretId: secretId })).then((out) => {
      if (!out.SecretString) throw new Error(`secret ${secretId} has no string value`);
      return out.SecretString;
    });
    // A failed fetch is not cached: the next invocation tries again.
    value.catch(() => cache.delete(secretId));
    cache.set(secretId, value);
  }
  return value;
}
