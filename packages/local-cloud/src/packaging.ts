/**
 * `serverless package` for one service and stage: the CloudFormation template (see templatePath) and the
 * function zips. serverless-compose cannot package a stage that was never deployed (it reads processing's
 * outputs first), so each service is packaged on its own and its stage's params stand in for those outputs.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ServiceName } from './config';
import { repositoryRoot } from './repository';

export function packageService(service: ServiceName, stage: string): Promise<void> {
  const bin = join(repositoryRoot, 'node_modules', '.bin', 'serverless');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['package', '--stage', stage], {
      cwd: join(repositoryRoot, 'services', service),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`serverless package failed for ${service} (exit ${code}):\n${output}`)),
    );
  });
}
