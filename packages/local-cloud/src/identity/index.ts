export { startIdentityProvider } from './server';
export type { IdentityProvider, IdentityProviderOptions } from './server';
export { CONSOLE_CLIENT_ID, createClients } from './clients';
export type { ClientRegistration, ClientRegistrations, Clients } from './clients';
export { CODE_LIFETIME_MS, MAX_OUTSTANDING_CODES } from './authorization';
export { defaultKeyDir, loadOrCreateSigningKey } from './keys';
export type { SigningKey } from './keys';
export {
  issueToken,
  issueIdToken,
  normaliseScopes,
  TokenRequestError,
  KNOWN_SCOPES,
  DEFAULT_AUDIENCE,
  DEFAULT_SUBJECT,
  DEFAULT_EXPIRES_IN_SECONDS,
  SIGNING_ALGORITHM,
} from './tokens';
export type { IdTokenClaims, TokenClaims } from './tokens';
