/**
 * The stage settings inside osls (stage-settings-osls.ts): a small service (test/fixture,
 * serverless.stages.yml, its stage files in test/fixture/stages) packaged as the real services are.
 * The check stops `serverless package` before osls validates the configuration, naming every
 * setting; complete settings reach the template; the local stage needs no file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';

const root = join(import.meta.dirname, '..', '..', '..');
const fixture = join(import.meta.dirname, 'fixture');
const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function packageFor(stage: string, ...extra: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'serverless-plugin-stages-'));
  dirs.push(dir);
  const run = spawnSync(
    join(root, 'node_modules', '.bin', 'serverless'),
    ['package', '--config', 'serverless.stages.yml', '--stage', stage, '--package', dir, ...extra],
    { cwd: fixture, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } },
  );
  const environment = () =>
    JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')).Resources
      .WorkLambdaFunction.Properties.Environment.Variables as Record<string, string>;
  return { status: run.status, output: `${run.stdout}${run.stderr}`, environment };
}

describe('serverless package with the stage settings', () => {
  test('a stage without a file: its file is named', () => {
    const { status, output } = packageFor('nowhere');
    expect(status).not.toBe(0);
    expect(output).toContain(
      "No settings for stage 'nowhere': create stages/nowhere.yml (stages/prod.yml is a sample; stages/README.md lists every setting)",
    );
    expect(output).not.toContain('unsupported');
  }, 60_000);

  test('every missing or malformed setting at once, each with where to set it', () => {
    const { status, output } = packageFor('gaps');
    expect(status).not.toBe(0);
    expect(output).toContain("5 problems with ingest's settings for stage 'gaps':");
    for (const line of [
      `Setting 'ingest.throttleRate' for stage 'gaps' is a string ("fast"), where a number is expected: fix it in stages/gaps.yml`,
      `Unknown setting 'ingest.throtleRate' in stages/gaps.yml: ingest has no such param`,
      `Missing setting 'authIssuer' for stage 'gaps': set it in stages/gaps.yml`,
      `Setting 'authJwksUrl' for stage 'gaps' is not an https URL ('http://auth.example.com/jwks'): fix it in stages/gaps.yml`,
      `Setting 'inboundQueueArn' for stage 'gaps' is not an SQS queue ARN ('herald-gaps-processing-inbound'): fix processing/inboundQueueArn under offline: in stages/gaps.yml`,
    ])
      expect(output).toContain(line);
  }, 60_000);

  test('complete settings reach the template; --param still wins', () => {
    const complete = packageFor('complete', '--param', 'authIssuer=https://login.example.com');
    expect(complete.status).toBe(0);
    expect(complete.environment()).toEqual({
      AUTH_ISSUER: 'https://login.example.com',
      AUTH_JWKS_URL: 'https://auth.example.com/.well-known/jwks.json',
      THROTTLE_RATE: '500',
      INBOUND_QUEUE_ARN: 'arn:aws:sqs:us-east-1:123456789012:herald-complete-processing-inbound',
    });
  }, 60_000);

  test('the local stage: its literal params, no file, no AWS', () => {
    const local = packageFor('local');
    expect(local.status).toBe(0);
    expect(local.environment()).toMatchObject({
      AUTH_ISSUER: 'http://localhost:4100',
      INBOUND_QUEUE_ARN: 'arn:aws:sqs:us-east-1:000000000000:herald-local-processing-inbound',
    });
  }, 60_000);
});
