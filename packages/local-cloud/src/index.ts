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
// Each service's HTTP front and its watchdog (what `LocalCloud.status()` reports).
export { startHttpFront, type FrontDown, type HttpFront, type HttpFrontOptions } from './http-front';
export type { ServiceState, ServiceStatus } from './watchdog';
export { assertPortFree, freePort, PortInUseError, type PortUse } from './ports';
export { packageService } from './packaging';
export { repositoryRoot, serviceDir, serviceDirVariable, templatePath } from './repository';
export { startIdentityProvider, type IdentityProvider, type IdentityProviderOptions } from './identity';
export {
  FaultConfigError,
  faultsOf,
  formatFaultCounts,
  parseFaults,
  type FaultCounts,
  type FaultOptions,
  type LocalCloudFaults,
} from './faults';
// The default cap on SQS batches in flight per mapping, and the error a bad cap fails the start with.
export { DEFAULT_LOCAL_CONCURRENCY, LocalConcurrencyError } from './event-sources';
// The emulators alone, for tests of one adapter at a time (port contract tests): no services, no provisioning.
export {
  DYNAMODB_JVM_OPTIONS,
  startDynamoDb,
  startEmulators,
  type DynamoDbOptions,
  type Emulators,
  type EmulatorPorts,
} from './emulators';
export { startEventBridge, type EventBridgeOptions, type EventBridgeServer } from './eventbridge/server';
export { startKms, type KmsServer } from './kms';
export { startSsm, type SsmOptions, type SsmServer } from './ssm';
export { loadTemplate } from './cfn/load';
export type { Template } from './cfn/template';
export {
  createQueueFromTemplate,
  createTableFromTemplate,
  type CreatedFromTemplate,
} from './template-resources';
export * from './client';
// A subscriber's Standard Webhooks check, for a receiver of one's own (the benchmarks').
export { verifyRequest, type Verification } from './webhook-receiver';
// IAM enforcement: the modes, what a denial and the usage record look like, the model and report the
// `iam:report` script builds from the packaged templates.
export { IAM_MODES, parseIamMode, type IamMode } from './iam/gateway';
export type { Denial, IamUsage } from './iam/gateway-ledger';
export { IAM_USAGE_FILE, type IamUsageRecord } from './iam/usage';
export { findUsageFiles, loadIamReport, type IamReport } from './iam/report-inputs';
export type { GrantFinding } from './iam/report';
// Contract checks of the HTTP APIs' responses against the OpenAPI documents: the modes, what a
// local cloud records, and the coverage report `contract:report` prints.
export {
  CONTRACT_MODES,
  CONTRACT_USAGE_FILE,
  parseContractMode,
  type ContractMode,
  type ContractUsageRecord,
  type ContractViolation,
} from './contract/coverage';
export {
  contractReport,
  findContractUsageFiles,
  loadContractReport,
  type ContractReport,
} from './contract/report';
// The rendered API reference the fronts serve at /docs.
export { buildReference, REFERENCE_DIR, REFERENCE_PATH } from './reference';
