export { startKms, type KmsServer } from './server';
export { Keyring, KmsError } from './keyring';
