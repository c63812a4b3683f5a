/**
 * What a process talking to a running local cloud needs, without loading any emulator: AWS SDK
 * settings for the emulators, the default ports, and tokens signed with the identity provider's key.
 * Imported as `@herald/local-cloud/client` by tests and the token CLI; `@herald/local-cloud` has it too.
 */
export { ACCOUNT_ID, clientConfig, REGION } from './aws';
export { functionClientConfig } from './iam/credentials';
export {
  DEFAULT_PORTS,
  DEPLOYED_SERVICES,
  SERVICES,
  type DeployedService,
  type LocalCloudPorts,
  type ServiceName,
} from './config';
export { defaultKeyDir, loadOrCreateSigningKey, type SigningKey } from './identity/keys';
export {
  DEFAULT_AUDIENCE,
  DEFAULT_EXPIRES_IN_SECONDS,
  issueToken,
  KNOWN_SCOPES,
  normaliseScopes,
  TokenRequestError,
  type TokenClaims,
} from './identity/tokens';
