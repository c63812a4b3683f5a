import { createRequire } from 'node:module';
import { describe, expect, test } from '@jest/globals';

const require = createRequire(import.meta.url);
const { nodeVersionProblem } = require('../require-node.cjs') as {
  nodeVersionProblem(version: string, range: unknown): string | undefined;
};

describe('the Node version guard of npm ci, npm start and npm test', () => {
  test('lets through the version engines asks for, and newer ones', () => {
    for (const version of ['22.12.0', 'v22.12.0', '22.12.1', '22.23.3', '23.0.0', '24.1.0'])
      expect(nodeVersionProblem(version, '>=22.12.0')).toBeUndefined();
  });

  test('stops an older Node, naming what is needed and how to get it', () => {
    for (const version of ['20.20.2', '22.11.9', '22.2.0', 'v18.19.0']) {
      const problem = nodeVersionProblem(version, '>=22.12.0');
      expect(problem).toContain('Herald needs Node 22.12.0 or newer');
      expect(problem).toContain(`this is Node ${version.replace(/^v/, '')}`);
      expect(problem).toContain('.nvmrc');
    }
  });

  test('refuses an engines range it cannot read rather than let anything through', () => {
    expect(nodeVersionProblem('22.23.3', '^22')).toMatch(/engines.node must be/);
    expect(nodeVersionProblem('22.23.3', undefined)).toMatch(/engines.node must be/);
  });
});
