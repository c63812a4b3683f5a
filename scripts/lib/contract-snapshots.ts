/**
 * The released contracts: a copy of each contract's schema as it was last released, in
 * contracts/released/<name>.v<major>.schema.json, against which `npm run contracts:check` holds the
 * current schema, and which `npm run contracts:release` refreshes deliberately.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Contract, ServiceName } from '@herald/shared/contracts/registry';
import { compareContract, type Finding, type JudgedConsumer } from './contract-compat';

export const RELEASED_DIR = 'contracts/released';

const readJson = async (path: string): Promise<unknown> => JSON.parse(await readFile(path, 'utf8'));
/** Each service's previous release (contracts/released/releases.json). */
export const RELEASES_FILE = `${RELEASED_DIR}/releases.json`;

export interface ServiceRelease {
  /** The commit the service's previous release was built from (reachable in a full clone). */
  readonly commit: string;
  /** Whether that release's consumers let through properties their schemas do not name. */
  readonly ignoresUnknownProperties: boolean;
}

export type Releases = Partial<Record<ServiceName, ServiceRelease>>;

/** The previous releases recorded under `root`; none when the file is missing. */
export async function readReleases(root: string): Promise<Releases> {
  const path = join(root, RELEASES_FILE);
  if (!existsSync(path)) return {};
  const parsed = (await readJson(path)) as { services?: Releases };
  return parsed.services ?? {};
}

/** A contract's consumers as the check judges them: Herald's at their previous release. */
export function judgedConsumers(contract: Contract, releases: Releases): JudgedConsumer[] {
  return contract.consumers.map((consumer) => ({
    strict: consumer.strict,
    ignoresUnknownProperties:
      consumer.name !== 'outside Herald' && releases[consumer.name]?.ignoresUnknownProperties === true,
  }));
}

/** Keywords under which a violation does not reach the validator's errors as itself. */
const COMPOSING = ['not', 'anyOf', 'oneOf', 'if', 'then', 'else'];

/**
 * Pointers of `additionalProperties: false` under not/anyOf/oneOf/if/then/else: consumers read a
 * contract by dropping unknown-property violations, which there would not give the relaxed schema
 * (under `not` it would let through what the relaxed schema refuses).
 */
export function closedUnderComposition(schema: unknown, pointer = '', composed = false): string[] {
  if (Array.isArray(schema))
    return schema.flatMap((item, index) => closedUnderComposition(item, `${pointer}/${index}`, composed));
  if (typeof schema !== 'object' || schema === null) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    const at = `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    if (key === 'additionalProperties' && value === false && composed) found.push(at);
    found.push(...closedUnderComposition(value, at, composed || COMPOSING.includes(key)));
  }
  return found;
}

export const snapshotName = (contract: Pick<Contract, 'name' | 'major'>) =>
  `${contract.name}.v${contract.major}.schema.json`;

const SNAPSHOT_FILE = /^(?<name>[a-z0-9-]+)\.v(?<major>\d+)\.schema\.json$/;

/** The major version a schema's `$id` ends with (`….v2.json`), or undefined. */
export function majorOfId(schema: unknown): number | undefined {
  const id = typeof schema === 'object' && schema !== null ? (schema as { $id?: unknown }).$id : undefined;
  const match = typeof id === 'string' ? /\.v(\d+)\.json$/.exec(id) : null;
  return match ? Number(match[1]) : undefined;
}

export interface ContractReport {
  readonly contract: string;
  readonly major: number;
  /** 'unreleased': no snapshot of this major yet, nothing to hold it to. */
  readonly status: 'unchanged' | 'compatible' | 'breaking' | 'unreleased' | 'invalid';
  readonly findings: readonly Finding[];
  /** Problems with the registry entry or the schema itself. */
  readonly problems: readonly string[];
}

export interface CheckResult {
  readonly reports: readonly ContractReport[];
  /** Snapshots of a contract or major no longer in the registry. */
  readonly orphans: readonly string[];
  readonly ok: boolean;
}

/** Holds a contract's registry entry and current schema to what the message and the registry say. */
export function entryProblems(contract: Contract, schema: unknown): string[] {
  const problems: string[] = [];
  const major = majorOfId(schema);
  if (major === undefined) {
    problems.push(`its schema's $id must end with .v${contract.major}.json (the major version)`);
  } else if (major !== contract.major) {
    problems.push(`the registry says v${contract.major}, its schema's $id v${major}`);
  }
  if (contract.wireVersion) {
    const { property, value } = contract.wireVersion;
    const node = schema as { properties?: Record<string, { const?: unknown }>; required?: string[] };
    if (node.properties?.[property]?.const !== value || !node.required?.includes(property)) {
      problems.push(
        `its messages carry ${property} ${JSON.stringify(value)}: the schema must require it with that const`,
      );
    }
  }
  if (contract.consumers.length === 0)
    problems.push('it has no consumer: a message nobody reads is not a contract');
  for (const pointer of closedUnderComposition(schema)) {
    problems.push(
      `additionalProperties: false at ${pointer} is under not/anyOf/oneOf/if, where consumers cannot ignore unknown properties: close the object outside them`,
    );
  }
  return problems;
}

/** One contract against its snapshot: both parsed JSON, the snapshot undefined when never released. */
export function checkOne(
  contract: Contract,
  current: unknown,
  released: unknown,
  releases: Releases = {},
): ContractReport {
  const base = { contract: contract.name, major: contract.major };
  const problems = entryProblems(contract, current);
  if (problems.length > 0) return { ...base, status: 'invalid', findings: [], problems };
  if (released === undefined) return { ...base, status: 'unreleased', findings: [], problems };
  const findings = compareContract(
    released as boolean | object as never,
    current as never,
    judgedConsumers(contract, releases),
  );
  const status = findings.some((finding) => finding.breaking)
    ? 'breaking'
    : findings.length > 0
      ? 'compatible'
      : 'unchanged';
  return { ...base, status, findings, problems };
}

/** Every contract of the registry against its snapshot under `root`. */
export async function checkContracts(root: string, registry: readonly Contract[]): Promise<CheckResult> {
  const reports: ContractReport[] = [];
  const releases = await readReleases(root);
  for (const contract of registry) {
    const snapshot = join(root, RELEASED_DIR, snapshotName(contract));
    const released = existsSync(snapshot) ? await readJson(snapshot) : undefined;
    reports.push(checkOne(contract, await readJson(join(root, contract.schema)), released, releases));
  }
  const orphans = (await releasedFiles(root)).filter(
    (file) => !registry.some((contract) => snapshotName(contract) === file),
  );
  const ok =
    reports.every((report) => report.status !== 'breaking' && report.status !== 'invalid') &&
    orphans.length === 0;
  return { reports, orphans, ok };
}

async function releasedFiles(root: string): Promise<string[]> {
  const dir = join(root, RELEASED_DIR);
  if (!existsSync(dir)) return [];
  return (await readdir(dir)).filter((file) => SNAPSHOT_FILE.test(file)).sort();
}

/**
 * Makes the snapshots the current schemas, byte for byte (they stay as Prettier left them), and
 * removes those of contracts or majors no longer in the registry. Returns what it wrote and removed.
 */
export async function releaseContracts(
  root: string,
  registry: readonly Contract[],
): Promise<{ written: string[]; removed: string[] }> {
  await mkdir(join(root, RELEASED_DIR), { recursive: true });
  const written: string[] = [];
  for (const contract of registry) {
    const problems = entryProblems(contract, await readJson(join(root, contract.schema)));
    if (problems.length > 0) throw new Error(`${contract.name}: ${problems.join('; ')}`);
    const target = join(root, RELEASED_DIR, snapshotName(contract));
    const text = await readFile(join(root, contract.schema), 'utf8');
    const before = existsSync(target) ? await readFile(target, 'utf8') : undefined;
    if (before !== text) {
      await writeFile(target, text);
      written.push(snapshotName(contract));
    }
  }
  const removed: string[] = [];
  for (const file of await releasedFiles(root)) {
    if (registry.some((contract) => snapshotName(contract) === file)) continue;
    await rm(join(root, RELEASED_DIR, file));
    removed.push(file);
  }
  return { written, removed };
}

/** The lines the check prints for one contract. */
export function describeReport(report: ContractReport): string[] {
  const name = `${report.contract} v${report.major}`;
  switch (report.status) {
    case 'invalid':
      return report.problems.map((problem) => `✗ ${name}: ${problem}`);
    case 'unreleased':
      return [
        `• ${name}: not released yet (no ${RELEASED_DIR}/${snapshotName({ name: report.contract, major: report.major })})`,
      ];
    case 'unchanged':
      return [`✓ ${name}: as released`];
    default:
      return [
        `${report.status === 'breaking' ? '✗' : '✓'} ${name}: ${report.status}`,
        ...report.findings.map(
          (finding) =>
            `    ${finding.breaking ? 'BREAKING' : 'ok'} ${name} at ${finding.pointer} (message ${finding.messagePath}): ${finding.detail} [${finding.rule}]; ${finding.why}`,
        ),
      ];
  }
}
