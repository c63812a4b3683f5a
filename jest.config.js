// One Jest run over every package. Sources are TypeScript ES modules, compiled by SWC on the fly;
// Jest runs in native ESM mode (npm test passes --experimental-vm-modules).
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    },
  ],
};

const common = {
  transform,
  extensionsToTreatAsEsm: ['.ts'],
  testEnvironment: 'node',
};

export default {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{shared,scripts,services/*,packages/*}/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$', '\\.contract\\.test\\.ts$'],
      setupFilesAfterEnv: ['<rootDir>/test/setup/harness-per-file.mjs'],
    },
    {
      ...common,
      displayName: 'contract',
      // One suite of a port's promises, run against its in-memory stand-in and its real adapter on the
      // emulators alone (DynamoDB Local, fauxqs, the local EventBridge): no functions, nothing provisioned.
      testMatch: ['<rootDir>/{services/*,shared,packages/*}/test/**/*.contract.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
      setupFilesAfterEnv: ['<rootDir>/test/setup/contract-per-file.mjs'],
      globalSetup: '<rootDir>/test/setup/contract-global-setup.mjs',
      globalTeardown: '<rootDir>/test/setup/contract-global-teardown.mjs',
    },
    {
      ...common,
      displayName: 'integration',
      // Against the local cloud: real emulators, functions in serverless-offline.
      testMatch: ['<rootDir>/{scripts,services/*,packages/*,test}/**/*.int.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/releases/'],
      globalSetup: '<rootDir>/test/setup/global-setup.mjs',
      globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
    },
    {
      ...common,
      displayName: 'releases',
      // Each service at its previous release beside the others at this checkout, on local clouds of
      // its own (slow, minutes): it needs no shared cloud, so it does not wait for one.
      testMatch: ['<rootDir>/test/releases/**/*.int.test.ts'],
      testPathIgnorePatterns: ['/node_modules/'],
    },
  ],
};
