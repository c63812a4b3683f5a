/**
 * The key ingest signs envelopes with under the local cloud (its secret holds the private half;
 * processing and notifications verify with the public half, their `ingestPublicKeys` param). Kept in
 * `.local-cloud/` between starts: a new key at each start would change those two services'
 * configuration each time, and so miss the validation osls keeps for an unchanged configuration
 * (@herald/serverless-plugin's config-validation.ts), about 2.5 s of CPU for each.
 */
import { join } from 'node:path';
import { checkPrivateJwk, generateSigningKeyPair, type SigningKeyPair } from '@herald/shared/signing';
import { readOrMakeJsonFile } from './kept-file';
import { repositoryRoot } from './repository';

export async function loadOrCreateEnvelopeKey(
  file = join(repositoryRoot, '.local-cloud', 'envelope-signing-key.json'),
): Promise<SigningKeyPair> {
  const { value: privateJwk } = await readOrMakeJsonFile(
    file,
    (value) => checkPrivateJwk(value, file),
    () => generateSigningKeyPair(`local-${Date.now()}`).privateJwk,
  );
  const { d: _private, ...publicJwk } = privateJwk;
  return { privateJwk, publicJwk };
}
