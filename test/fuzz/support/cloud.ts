/**
 * What the shared local cloud hands the tests beyond test/setup/local-cloud.ts: this run's
 * envelope-signing key (global setup passes it along), to sign envelopes as ingest does.
 */
import type { Ed25519PrivateJwk } from '@herald/shared/signing';

export function envelopeSigningJwk(): Ed25519PrivateJwk {
  const raw = process.env.HERALD_LOCAL_CLOUD;
  const key = raw
    ? (JSON.parse(raw) as { envelopeSigningKey?: Ed25519PrivateJwk }).envelopeSigningKey
    : undefined;
  if (!key) throw new Error('the local cloud passed no envelope-signing key (test/setup/global-setup.mjs)');
  return key;
}
