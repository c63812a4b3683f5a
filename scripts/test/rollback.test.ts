import { describe, expect, test } from '@jest/globals';
import {
  describeOutcome,
  previousVersion,
  rollback,
  RollbackError,
  type AliasState,
  type RollbackPort,
} from '../lib/rollback';

/** A stack and its functions' versions and aliases, in memory, recording what was changed. */
function memoryPort(options: {
  status?: string;
  functions: Record<string, { versions: string[]; live?: AliasState }>;
}) {
  const calls: string[] = [];
  const functions = structuredClone(options.functions);
  const port: RollbackPort = {
    stackStatus: async () => options.status,
    cancelUpdate: async (stack) => void calls.push(`cancel ${stack}`),
    stackFunctions: async () => Object.keys(functions),
    getAlias: async (name, alias) => (alias === 'live' ? functions[name]?.live : undefined),
    listVersions: async (name) => functions[name]?.versions ?? [],
    updateAlias: async (name, alias, version) => {
      calls.push(`update ${name}:${alias} -> ${version}`);
      functions[name]!.live = { version, additionalWeights: {} };
    },
  };
  return { port, calls, functions };
}

const live = (version: string, additionalWeights: Record<string, number> = {}) => ({
  version,
  additionalWeights,
});

describe('rollback', () => {
  test('points each live alias at the newest version older than its own', async () => {
    const { port, calls, functions } = memoryPort({
      status: 'UPDATE_COMPLETE',
      functions: {
        'herald-processing-prod-consume': { versions: ['1', '2', '3', '10'], live: live('10') },
        // Unchanged by the release: its previous version is older still, and it goes back too.
        'herald-processing-prod-publish': { versions: ['4', '7'], live: live('7') },
      },
    });
    const outcome = await rollback({ service: 'processing', stage: 'prod' }, port);
    expect(calls).toEqual([
      'update herald-processing-prod-consume:live -> 3',
      'update herald-processing-prod-publish:live -> 4',
    ]);
    expect(functions['herald-processing-prod-consume']!.live).toEqual(live('3'));
    expect(describeOutcome(outcome)).toEqual([
      'herald-processing-prod-consume: 10 -> 3',
      'herald-processing-prod-publish: 7 -> 4',
    ]);
  });

  test('mid-deployment, cancels the stack update and moves no alias itself', async () => {
    const { port, calls } = memoryPort({
      status: 'UPDATE_IN_PROGRESS',
      functions: {
        'herald-ingest-prod-acceptEvents': { versions: ['5', '6'], live: live('5', { '6': 0.1 }) },
      },
    });
    const outcome = await rollback({ service: 'ingest', stage: 'prod' }, port);
    expect(outcome).toEqual({ kind: 'cancelled-update', stackName: 'herald-ingest-prod', dryRun: false });
    expect(calls).toEqual(['cancel herald-ingest-prod']);
  });

  test('an alias still splitting traffic outside a stack update goes back to its primary version', async () => {
    const { port, calls } = memoryPort({
      status: 'UPDATE_ROLLBACK_COMPLETE',
      functions: {
        'herald-ingest-prod-acceptEvents': { versions: ['5', '6'], live: live('5', { '6': 0.1 }) },
      },
    });
    await rollback({ service: 'ingest', stage: 'prod' }, port);
    expect(calls).toEqual(['update herald-ingest-prod-acceptEvents:live -> 5']);
  });

  test.each(['UPDATE_ROLLBACK_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'])(
    'refuses while the stack is %s, and changes nothing',
    async (status) => {
      const { port, calls } = memoryPort({
        status,
        functions: { f: { versions: ['1', '2'], live: live('2') } },
      });
      await expect(rollback({ service: 'notifications', stage: 'dev' }, port)).rejects.toThrow(
        new RegExp(`herald-notifications-dev is ${status}`),
      );
      expect(calls).toEqual([]);
    },
  );

  test('says which functions it left alone: no alias, no older version', async () => {
    const { port, calls } = memoryPort({
      status: 'UPDATE_COMPLETE',
      functions: {
        'herald-processing-dev-consume': { versions: ['1'], live: live('1') },
        'herald-processing-dev-publish': { versions: ['1', '2'] },
      },
    });
    const outcome = await rollback({ service: 'processing', stage: 'dev' }, port);
    expect(calls).toEqual([]);
    expect(describeOutcome(outcome)).toEqual([
      'herald-processing-dev-consume: left as it is (no version older than 1 to go back to)',
      'herald-processing-dev-publish: left as it is (no live alias)',
    ]);
  });

  test('--function rolls back only the functions named, and refuses one the stack does not have', async () => {
    const functions = {
      'herald-processing-prod-consume': { versions: ['1', '2'], live: live('2') },
      'herald-processing-prod-publish': { versions: ['1', '2'], live: live('2') },
    };
    const { port, calls } = memoryPort({ status: 'UPDATE_COMPLETE', functions });
    await rollback({ service: 'processing', stage: 'prod', functions: ['publish'] }, port);
    expect(calls).toEqual(['update herald-processing-prod-publish:live -> 1']);
    await expect(
      rollback({ service: 'processing', stage: 'prod', functions: ['nope'] }, port),
    ).rejects.toThrow(RollbackError);
  });

  test('a dry run changes nothing and says what it would do', async () => {
    const { port, calls } = memoryPort({
      status: 'UPDATE_COMPLETE',
      functions: { 'herald-ingest-prod-onUpload': { versions: ['2', '3'], live: live('3') } },
    });
    const outcome = await rollback({ service: 'ingest', stage: 'prod', dryRun: true }, port);
    expect(calls).toEqual([]);
    expect(describeOutcome(outcome)).toEqual([
      'herald-ingest-prod-onUpload: 3 -> 2 (dry run: nothing changed)',
    ]);
    const midway = memoryPort({ status: 'UPDATE_IN_PROGRESS', functions: {} });
    await rollback({ service: 'ingest', stage: 'prod', dryRun: true }, midway.port);
    expect(midway.calls).toEqual([]);
  });

  test('refuses a stack that does not exist', async () => {
    const { port } = memoryPort({ functions: {} });
    await expect(rollback({ service: 'ingest', stage: 'qa' }, port)).rejects.toThrow(
      'there is no stack herald-ingest-qa',
    );
  });

  test('previousVersion compares numbers, not text', () => {
    expect(previousVersion(['9', '10', '11'], '11')).toBe('10');
    expect(previousVersion(['2', '10'], '10')).toBe('2');
    expect(previousVersion(['$LATEST', '1'], '1')).toBeUndefined();
  });
});
