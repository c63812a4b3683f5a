/**
 * What the unused-grants report reads from disk, with no local cloud running: the packaged templates
 * (planned as provisioning would make them), the services' serverless.yml (explanations), and the
 * iam-usage.json files local clouds wrote when they stopped.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACCOUNT_ID, REGION } from '../aws';
import { SERVICES } from '../config';
import { repositoryRoot } from '../repository';
import { explanationsIn, grantsOf, unusedGrants, type GrantFinding } from './report';
import { planPackagedServices } from './packaged-stacks';
import { iamModel } from './roles';
import { IAM_USAGE_FILE, type IamUsageRecord } from './usage';

const scope = { accountId: ACCOUNT_ID, region: REGION, partition: 'aws' };

/** Every iam-usage.json under `dir` (the local clouds' log directories), deepest first found. */
export function findUsageFiles(dir = join(repositoryRoot, '.local-cloud')): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path === IAM_USAGE_FILE || path.endsWith(`/${IAM_USAGE_FILE}`))
    .map((path) => join(dir, path))
    .sort();
}

export interface IamReport {
  usageFiles: string[];
  functions: number;
  grants: number;
  unused: GrantFinding[];
  /** Calls of the functions themselves that were denied. */
  denials: number;
  /** Those calls, `<function> <action> on <resource>` each (the first of each kind). */
  deniedCalls: string[];
  /** Tests' probes that were denied (on purpose: they try what a role must not allow). */
  probeDenials: number;
  uninterpreted: Record<string, number>;
}

/** The report over the given usage files (default: every one under .local-cloud/). */
export async function loadIamReport(usageFiles = findUsageFiles()): Promise<IamReport> {
  const stacks = Object.values(await planPackagedServices(scope)).map((service) => service.stack);
  const model = iamModel(stacks, scope);
  const records = usageFiles.map((file) => JSON.parse(readFileSync(file, 'utf8')) as IamUsageRecord);
  const explanations = new Map(
    SERVICES.flatMap((service) => [
      ...explanationsIn(readFileSync(join(repositoryRoot, 'services', service, 'serverless.yml'), 'utf8')),
    ]),
  );
  const unused = unusedGrants(model, records, { explanations });
  const uninterpreted: Record<string, number> = {};
  for (const record of records)
    for (const [kind, count] of Object.entries(record.uninterpreted))
      uninterpreted[kind] = (uninterpreted[kind] ?? 0) + count;
  return {
    usageFiles,
    functions: model.functions.size,
    grants: grantsOf(model).length,
    unused,
    denials: records.reduce((n, record) => n + record.denials.filter((d) => !d.probe).length, 0),
    deniedCalls: [
      ...new Set(
        records.flatMap((record) =>
          record.denials.filter((d) => !d.probe).map((d) => `${d.functionName} ${d.action} on ${d.resource}`),
        ),
      ),
    ],
    probeDenials: records.reduce((n, record) => n + record.denials.filter((d) => d.probe).length, 0),
    uninterpreted,
  };
}
