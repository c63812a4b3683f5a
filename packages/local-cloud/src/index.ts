/**
 * The local cloud: every Herald service and the AWS services it uses, on one machine, wired from the
 * services' own CloudFormation (`serverless package --stage local`).
 *
 *   const cloud = await startLocalCloud({ ports: 'auto' });
 *   ... cloud.endpoints.services.ingest ...
 *   await cloud.stop();
 */
export {
  startLocalCloud,
  type LocalCloud,
  type LocalCloudEndpoints,
  type LocalCloudOptions,
} from './local-cloud';
export { portUse, resolvePorts, type PartPort } from './config';
export { assertPortFree, freePort, PortInUseError, type PortUse } from './ports';
export { packageService } from './packaging';
export { repositoryRoot, templatePath } from './repository';
export { startIdentityProvider, type IdentityProvider, type IdentityProviderOptions } from './identity';
export * from './client';
