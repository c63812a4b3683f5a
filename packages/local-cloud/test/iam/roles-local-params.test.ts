// The `local` stage params that stand in for other stacks' outputs (serverless-compose passes the real
// outputs to deployed stages; a local package has no deployed stack to read them from) must be what the
// local cloud creates: they end up in the roles' policies, which the local cloud enforces, so a drift
// would deny calls AWS allows. Each is compared with what provisioning the packaged templates gives
// (the processing stack's outputs, as the local cloud passes them to the services it runs).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, expect, test } from '@jest/globals';
import { SERVICES, type ServiceName } from '../../src/config';
import { packageMissingServices, planPackagedServices } from '../../src/iam/packaged-stacks';
import type { PlannedStack } from '../../src/iam/roles';
import { repositoryRoot } from '../../src/repository';

const LOCAL = { accountId: '000000000000', region: 'us-east-1', partition: 'aws' };

/** `params.local` of a service's serverless.yml: the plain `key: value` lines (values here are plain scalars). */
async function localParams(service: ServiceName): Promise<Record<string, string>> {
  const lines = (await readFile(join(repositoryRoot, 'services', service, 'serverless.yml'), 'utf8')).split(
    '\n',
  );
  const start = lines.indexOf('  local:', lines.indexOf('params:'));
  expect(start).toBeGreaterThan(0);
  const params: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && !line.startsWith('    ')) break;
    const match = /^ {4}([A-Za-z0-9]+): (.*)$/.exec(line);
    if (match) params[match[1]!] = match[2]!.replace(/^'(.*)'$/, '$1');
  }
  return params;
}

const stacks = {} as Record<ServiceName, PlannedStack>;
const params = {} as Record<ServiceName, Record<string, string>>;

beforeAll(async () => {
  await packageMissingServices();
  const planned = await planPackagedServices(LOCAL);
  for (const service of SERVICES) {
    stacks[service] = planned[service].stack;
    params[service] = await localParams(service);
  }
}, 600_000);

test.each([
  // Processing's outputs, under the params the local cloud passes them as (src/local-cloud.ts).
  ['ingest', 'inboundQueueUrl', 'InboundQueueUrl'],
  ['ingest', 'inboundQueueArn', 'InboundQueueArn'],
  ['ingest', 'processingKeyArn', 'ProcessingKeyArn'],
  ['notifications', 'eventBusName', 'EventBusName'],
  ['notifications', 'eventBusArn', 'EventBusArn'],
  ['processing', 'publishDlqUrl', 'PublishDeadLetterQueueUrl'],
] as const)("%s's local %s is processing's %s", (service, param, output) => {
  expect(stacks.processing.outputs[output]).toBeDefined();
  expect(params[service][param]).toBe(stacks.processing.outputs[output]);
});

test("ingest's local uploadsBucketName is the uploads bucket's name", () => {
  expect(params.ingest.uploadsBucketName).toBe(stacks.ingest.provisioned.resources.UploadsBucket?.ref);
});

test('the params are read from the local stage only', () => {
  // The default stage's empty placeholders are not what the parser found.
  expect(params.ingest.logLevel).toBe('DEBUG');
  expect(params.ingest.maxBodyBytes).toBeUndefined();
  expect(params.ingest.deletionProtection).toBeUndefined();
});
