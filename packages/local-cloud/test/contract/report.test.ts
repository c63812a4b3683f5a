// The contract coverage report: per operation, the documented statuses the run's local clouds saw and
// those none did, the total, violations summed over the records, and `contract:report --check`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import type { ContractUsageRecord } from '../../src/contract/coverage';
import { readContractDocument } from '../../src/contract/document';
import { contractReport, findContractUsageFiles } from '../../src/contract/report';
import { repositoryRoot } from '../../src/repository';

const responses = (...statuses: string[]) =>
  Object.fromEntries(statuses.map((status) => [status, { description: status }]));
const document = readContractDocument('ingest', {
  paths: {
    '/v1/things': { get: { operationId: 'listThings', responses: responses('200', '401', '500') } },
    '/v1/things/{id}': { delete: { operationId: 'deleteThing', responses: responses('204', '404') } },
  },
});

const record = (overrides: Partial<ContractUsageRecord>): ContractUsageRecord => ({
  mode: 'enforce',
  seen: {},
  violations: [],
  unmatched: {},
  ...overrides,
});

describe('contract coverage report', () => {
  test('per operation, the documented statuses seen and not seen, over every record, and the total', () => {
    const report = contractReport(
      [document],
      [
        record({ seen: { ingest: { listThings: { 200: 3 } }, processing: { listThings: { 401: 1 } } } }),
        record({ seen: { ingest: { listThings: { 401: 1, 418: 1 }, deleteThing: { 204: 2 } } } }),
      ],
    );
    expect(report.operations).toEqual([
      {
        service: 'ingest',
        operation: 'listThings',
        method: 'GET',
        template: '/v1/things',
        seen: ['200', '401'],
        notSeen: ['500'],
        undocumented: ['418'],
      },
      {
        service: 'ingest',
        operation: 'deleteThing',
        method: 'DELETE',
        template: '/v1/things/{id}',
        seen: ['204'],
        notSeen: ['404'],
        undocumented: [],
      },
    ]);
    expect([report.exercised, report.documented]).toEqual([3, 5]);
  });

  test('violations and unmatched requests are summed over the records', () => {
    const violation = {
      service: 'ingest',
      operation: 'listThings',
      status: 418,
      message: 'status 418 is not documented',
    };
    const report = contractReport(
      [document],
      [
        record({
          violations: [{ ...violation, mode: 'enforce', count: 2 }],
          unmatched: { 'ingest GET /x → 404': 1 },
        }),
        record({
          violations: [
            { ...violation, mode: 'enforce', count: 1 },
            { ...violation, mode: 'report', count: 1 },
          ],
          unmatched: { 'ingest GET /x → 404': 2 },
        }),
      ],
    );
    expect(report.violations).toEqual([
      { ...violation, mode: 'enforce', count: 3 },
      { ...violation, mode: 'report', count: 1 },
    ]);
    expect(report.unmatched).toEqual({ 'ingest GET /x → 404': 3 });
  });

  test('npm run contract:report prints the figure, and --check fails on a violation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'contract-report-'));
    writeFileSync(
      join(dir, 'contract-usage.json'),
      JSON.stringify(record({ seen: { ingest: { sendEvents: { 202: 1 } } } })),
    );
    const clean = findContractUsageFiles(dir);
    expect(clean).toEqual([join(dir, 'contract-usage.json')]);
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', join(repositoryRoot, 'scripts', 'contract-report.ts'), ...args],
        {
          cwd: repositoryRoot,
          encoding: 'utf8',
        },
      );
    const passed = run('--check', ...clean);
    expect(passed.stdout).toMatch(/sendEvents +seen 202; not seen 207 400/);
    expect(passed.stdout).toMatch(
      /\n1 of \d+ documented operation-statuses exercised \(\d+%\); 0 responses broke the contract\n/,
    );
    expect(passed.status).toBe(0);

    const broken = join(dir, 'broken', 'contract-usage.json');
    mkdirSync(join(dir, 'broken'));
    writeFileSync(
      broken,
      JSON.stringify(
        record({
          mode: 'report',
          violations: [
            {
              service: 'ingest',
              operation: 'sendEvents',
              status: 200,
              message: 'status 200 is not documented',
              mode: 'report',
              count: 1,
            },
          ],
        }),
      ),
    );
    const failed = run('--check', ...findContractUsageFiles(dir));
    expect(failed.stdout).toMatch(/let through ×1: ingest sendEvents 200: status 200 is not documented/);
    expect(failed.status).toBe(1);
    expect(run(...findContractUsageFiles(dir)).status).toBe(0);
  });
});
