// The local SSM Parameter Store: an in-memory store and the JSON-protocol server in front of it.
export type { SsmOptions, SsmServer } from './server';
export { DEFAULT_SSM_KEY, startSsm } from './server';
export type { ParameterCipher, ParameterType, ParameterView, PutParameterInput } from './store';
export { PARAMETER_TYPES, ParameterStore } from './store';
