/**
 * Makes an Ed25519 key pair for envelope signing.
 *
 *   npm run keys -- --kid ingest-2026-11
 *
 * Prints the private JWK (the value of ingest's signing-key secret) and the public JWKS (the
 * `ingestPublicKeys` parameter of processing and notifications). Nothing is written to disk.
 */
import { parseArgs } from 'node:util';
import { generateSigningKeyPair } from '@herald/shared/signing';

const { values } = parseArgs({ options: { kid: { type: 'string' } } });
const kid = values.kid ?? `ingest-${new Date().toISOString().slice(0, 10)}`;
const { privateJwk, publicJwk } = generateSigningKeyPair(kid);

console.log('# Private JWK: the secret value of herald/<stage>/ingest/envelope-signing-key');
console.log(JSON.stringify(privateJwk));
console.log(
  '\n# Public JWKS: ingestPublicKeys of processing and notifications (add to the existing keys to rotate)',
);
console.log(JSON.stringify({ keys: [publicJwk] }));
