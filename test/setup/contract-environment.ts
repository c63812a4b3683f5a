/**
 * What port contract tests run against: DynamoDB Local, fauxqs (SQS and S3) and the local cloud's
 * EventBridge, on free ports, and a copy of each service's packaged template taken once, so a
 * `serverless package` running meanwhile (it empties .serverless/ first) cannot pull a template from
 * under a test. Started by the contract project's global setup, or once for many Jest runs by
 * scripts/mutate-conditions.ts; tests read it from HERALD_CONTRACT_AWS (./contract.ts).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  packageService,
  SERVICES,
  startEmulators,
  startEventBridge,
  startKms,
  templatePath,
  type ServiceName,
} from '@herald/local-cloud';

export const CONTRACT_ENV = 'HERALD_CONTRACT_AWS';

export interface ContractEnvironment {
  dynamodb: string;
  sqs: string;
  s3: string;
  eventbridge: string;
  /** The local cloud's KMS: make a key of your own with CreateKey. */
  kms: string;
  /** The copy of each service's packaged template (stage local). */
  templates: Record<ServiceName, string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The template's text; packages the service when it has none, after giving a packaging under way time to end. */
async function packagedTemplate(service: ServiceName): Promise<string> {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const text = await readFile(templatePath(service), 'utf8');
      JSON.parse(text);
      return text;
    } catch {
      await sleep(1_000);
    }
  }
  await packageService(service, 'local');
  return readFile(templatePath(service), 'utf8');
}

async function copyTemplates(): Promise<{ templates: Record<ServiceName, string>; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-contract-'));
  const templates = {} as Record<ServiceName, string>;
  await Promise.all(
    SERVICES.map(async (service) => {
      templates[service] = join(dir, `${service}.json`);
      await writeFile(templates[service], await packagedTemplate(service));
    }),
  );
  return { templates, dir };
}

/**
 * Starts the emulators (or uses those of `running`, a local cloud already up in this process) and
 * copies the templates; `stop` undoes what it started.
 */
export async function startContractEnvironment(running?: {
  endpoints: { aws: Omit<ContractEnvironment, 'templates'> };
}): Promise<{ environment: ContractEnvironment; stop(): Promise<void> }> {
  const { templates, dir } = await copyTemplates();
  const removeCopies = () => rm(dir, { recursive: true, force: true });
  if (running) {
    const { dynamodb, sqs, s3, eventbridge, kms } = running.endpoints.aws;
    return { environment: { dynamodb, sqs, s3, eventbridge, kms, templates }, stop: removeCopies };
  }
  const emulators = await startEmulators('auto').catch(async (error: unknown) => {
    await removeCopies();
    throw error;
  });
  const bus = await startEventBridge({ sqsEndpoint: emulators.endpoints.sqs, log: () => undefined }).catch(
    async (error: unknown) => {
      await emulators.stop();
      await removeCopies();
      throw error;
    },
  );
  const kms = await startKms({ port: 'auto' }).catch(async (error: unknown) => {
    await Promise.allSettled([bus.stop(), emulators.stop(), removeCopies()]);
    throw error;
  });
  const { dynamodb, sqs, s3 } = emulators.endpoints;
  return {
    environment: { dynamodb, sqs, s3, eventbridge: bus.endpoint, kms: kms.endpoint, templates },
    stop: async () => {
      // Each part stops even if another fails to: DynamoDB Local is a child process that would outlive us.
      const results = await Promise.allSettled([bus.stop(), kms.stop(), emulators.stop(), removeCopies()]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
