export { startIdentityProvider } from './server';
export type { IdentityProvider, IdentityProviderOptions } from './server';
export { defaultKeyDir, loadOrCreateSigningKey } from './keys';
export type { SigningKey } from './keys';
export {
  issueToken,
  normaliseScopes,
  TokenRequestError,
  KNOWN_SCOPES,
  DEFAULT_AUDIENCE,
  DEFAULT_SUBJECT,
  DEFAULT_EXPIRES_IN_SECONDS,
  SIGNING_ALGORITHM,
} from './tokens';
export type { TokenClaims } from './tokens';
