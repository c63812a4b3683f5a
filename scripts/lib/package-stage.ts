/**
 * `serverless package` of one service for a deployed stage into a folder of its own, with the
 * parameters that stand in for what a deploy passes (processing's outputs, the identity provider):
 * the templates a stage would deploy, without touching the local cloud's packages.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DeployedService } from '@herald/local-cloud';
import { STAND_INS } from './pseudo-parameters';

const run = promisify(execFile);
// Not the local cloud's `repositoryRoot`: importing its package would load the whole local cloud
// into the unit tests that package a stage.
const repositoryRoot = join(import.meta.dirname, '..', '..');

/** What serverless-compose passes each service from processing's outputs, for a stage, with stand-ins. */
export function deployParameters(service: DeployedService, stage: string): Record<string, string> {
  const { 'AWS::AccountId': account, 'AWS::Region': region } = STAND_INS;
  const identity = {
    authIssuer: 'https://auth.example.com/',
    authJwksUrl: 'https://auth.example.com/.well-known/jwks.json',
  };
  switch (service) {
    case 'processing':
      return identity;
    case 'ingest':
      return {
        ...identity,
        inboundQueueUrl: `https://sqs.${region}.amazonaws.com/${account}/herald-${stage}-processing-inbound`,
        inboundQueueArn: `arn:aws:sqs:${region}:${account}:herald-${stage}-processing-inbound`,
        processingKeyArn: `arn:aws:kms:${region}:${account}:key/11111111-2222-4333-8444-555555555555`,
      };
    case 'notifications':
      return {
        ...identity,
        eventBusName: `herald-${stage}`,
        eventBusArn: `arn:aws:events:${region}:${account}:event-bus/herald-${stage}`,
      };
    case 'console':
      return {
        authIssuer: 'https://auth.example.com',
        ingestUrl: `https://ingest.herald.example.com`,
        processingUrl: `https://processing.herald.example.com`,
        notificationsUrl: `https://notifications.herald.example.com`,
        domainName: `console.herald.example.com`,
        certificateArn: `arn:aws:acm:us-east-1:${account}:certificate/11111111-2222-4333-8444-555555555555`,
      };
  }
}

export interface PackagedStage {
  /** cloudformation-template-update-stack.json: every deploy. */
  update: unknown;
  /** cloudformation-template-create-stack.json: a stack's first deploy (the deployment bucket). */
  create: unknown;
}

/**
 * Packages a stage into a folder of its own. `serverless package` empties the service's .serverless/
 * even when it packages elsewhere (its cleanup step removes it first), so the local stage's packages,
 * which the local cloud and other suites read, are kept aside and put back after.
 */
export async function packageStage(
  service: DeployedService,
  stage: string,
  /** More `--param`s, beside (or instead of) the stand-ins. */
  params: Record<string, string> = {},
): Promise<PackagedStage> {
  const dir = await mkdtemp(join(tmpdir(), `herald-${service}-${stage}-`));
  const served = join(repositoryRoot, 'services', service, '.serverless');
  const kept = await mkdtemp(join(tmpdir(), `herald-${service}-local-packages-`));
  const keptAny = await cp(served, kept, { recursive: true }).then(
    () => true,
    () => false,
  );
  const cliParams = Object.entries({ ...deployParameters(service, stage), ...params }).flatMap(([k, v]) => [
    '--param',
    `${k}=${v}`,
  ]);
  try {
    await run(
      join(repositoryRoot, 'node_modules', '.bin', 'serverless'),
      ['package', '--stage', stage, ...cliParams, '--package', dir],
      { cwd: join(repositoryRoot, 'services', service), maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(
        `serverless package failed for ${service} (${stage}):\n${error.stdout}\n${error.stderr}`,
      );
    });
    const read = async (name: string) => JSON.parse(await readFile(join(dir, name), 'utf8')) as unknown;
    return {
      update: await read('cloudformation-template-update-stack.json'),
      create: await read('cloudformation-template-create-stack.json'),
    };
  } finally {
    if (keptAny) {
      await rm(served, { recursive: true, force: true });
      await cp(kept, served, { recursive: true });
    }
    await rm(kept, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
}
