/**
 * npm run mutate:conditions [-- --service <name>] [--list] [--json <file>] [--verbose]
 *
 * Shows that every DynamoDB ConditionExpression of services/<service>/src/adapters/** is held by a
 * port contract test: each condition is mutated (dropped; each clause of a conjunction and each
 * alternative of a disjunction dropped; each ordering comparison moved across its boundary), the
 * contract suites that reach the adapter run against the mutant, and a table says which mutants a test
 * killed and which survived, with the score. A tool, not a CI step: it runs Jest once per mutant.
 *
 * The adapters themselves are never modified: each mutant is a copy beside its adapter
 * (`<name>.mutant-<pid>.ts`) that the run's Jest configuration maps the adapter's imports to, so no one else
 * working in the tree (tests, typecheck, a commit) ever sees a mutant. The copy is deleted when its
 * run ends, however it ends (failure, Ctrl-C, SIGTERM); a run refuses to start while one is left
 * over, or a `.mutant-backup`.
 *
 * First a discovery run, with every condition instrumented and behaving as written, checks the suites
 * pass and records which conditions each suite evaluates: conditions built at run time (clauses
 * joined by code) are mutated as they are actually evaluated, and each mutant runs only the suites
 * that evaluated its condition.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import {
  conditionMutants,
  findConditionSites,
  instrumentedSource,
  mutatedSource,
  relativeImports,
  type ConditionSite,
  type Observation,
} from './lib/condition-mutants';
import { CONTRACT_ENV, startContractEnvironment } from '../test/setup/contract-environment';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SERVICES = ['ingest', 'processing', 'notifications', 'tenants'] as const;
const RUN_TIMEOUT_MS = 10 * 60_000;

/** Every file under `dir` (repository-relative paths) whose name passes `keep`. */
function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const absolute = join(root, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && keep(entry.name) && !entry.parentPath.includes('node_modules'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/** A copy names the process that wrote it, so runs side by side (over other services) never meet. */
const COPY = /\.mutant-(\d+)\.ts$/;
const isMutantCopy = (name: string) => /\.mutant(-\d+)?\.ts$|\.mutant-backup$/.test(name);

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A copy left by a run that no longer runs (killed outright), or a backup of any kind. */
const isLeftover = (file: string) => {
  const pid = COPY.exec(file)?.[1];
  return pid === undefined ? isMutantCopy(file) : !isRunning(Number(pid));
};

// --- Which suites reach which adapter --------------------------------------------------------------

function resolveImport(from: string, specifier: string): string | undefined {
  const base = join(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => existsSync(join(root, candidate)));
}

/** The service's files a suite imports, directly or through its other imports. */
function reachable(suite: string, service: string): Set<string> {
  const seen = new Set<string>();
  const pending = [suite];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of relativeImports(readFileSync(join(root, file), 'utf8'))) {
      const target = resolveImport(file, specifier);
      if (target?.startsWith(`services/${service}/`)) pending.push(target);
    }
  }
  return seen;
}

// --- The mutant copies, and deleting them whatever happens -----------------------------------------

const live = new Set<string>();
let child: ChildProcess | undefined;
/** Set by a signal: no copy is written, and no run started, after it. */
let stopping = false;

class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

function deleteCopies(): void {
  for (const copy of live) {
    try {
      unlinkSync(join(root, copy));
    } catch {
      // already gone
    }
  }
  live.clear();
}

const copyOf = (adapter: string) => adapter.replace(/\.ts$/, `.mutant-${process.pid}.ts`);

async function writeCopy(adapter: string, text: string): Promise<string> {
  const copy = copyOf(adapter);
  const path = join(root, copy);
  const formatted = await prettier.format(text, { ...(await prettier.resolveConfig(path)), filepath: path });
  if (stopping) throw new Interrupted();
  live.add(copy);
  writeFileSync(path, formatted);
  return copy;
}

/** A Jest configuration: the contract project, with the adapters' imports sent to their copies. */
function jestConfig(dir: string, contract: object, copies: readonly string[]): string {
  const moduleNameMapper = Object.fromEntries(
    copies.map((copy) => {
      const name = basename(copy)
        .replace(COPY, '')
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return [`^\\.{1,2}/(?:.*/)?${name}(?:\\.ts)?$`, join(root, copy)];
    }),
  );
  const path = join(dir, 'jest.config.json');
  writeFileSync(
    path,
    JSON.stringify({ rootDir: root, projects: [{ ...contract, rootDir: root, moduleNameMapper }] }),
  );
  return path;
}

interface JestOutcome {
  result: 'killed' | 'survived' | 'error' | 'timeout';
  /** The first failing test, or why the run failed. */
  detail?: string;
  /** The first failing test's failure. */
  failure?: string;
}

interface JestJson {
  numFailedTests: number;
  numRuntimeErrorTestSuites: number;
  testResults: Array<{
    message: string;
    assertionResults: Array<{ status: string; fullName: string; failureMessages?: string[] }>;
  }>;
}

let verbose = false;

function runJest(config: string, suites: readonly string[], env: NodeJS.ProcessEnv): Promise<JestOutcome> {
  const output = join(dirname(config), 'result.json');
  rmSync(output, { force: true });
  const args = [
    '--experimental-vm-modules',
    '--no-warnings=ExperimentalWarning',
    join(root, 'node_modules/jest/bin/jest.js'),
    '--config',
    config,
    '--runInBand',
    '--ci',
    '--silent',
    '--json',
    '--outputFile',
    output,
    ...suites.flatMap((suite) => ['--testPathPatterns', suite.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')]),
  ];
  if (stopping) return Promise.reject(new Interrupted());
  return new Promise((done, fail) => {
    let log = '';
    let timedOut = false;
    child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      log += chunk;
      if (verbose) process.stderr.write(chunk);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      child?.kill('SIGTERM');
    }, RUN_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      child = undefined;
      if (stopping) return fail(new Interrupted());
      if (timedOut) return done({ result: 'timeout', detail: `no result in ${RUN_TIMEOUT_MS / 60_000} min` });
      let report: JestJson;
      try {
        report = JSON.parse(readFileSync(output, 'utf8')) as JestJson;
      } catch {
        return done({ result: 'error', detail: log.trim().split('\n').slice(-5).join(' ') });
      }
      const failedTest = report.testResults
        .flatMap((file) => file.assertionResults)
        .find((test) => test.status === 'failed');
      if (failedTest)
        return done({
          result: 'killed',
          detail: failedTest.fullName,
          failure: failedTest.failureMessages?.[0]?.split('\n').slice(0, 12).join('\n'),
        });
      if (code === 0) return done({ result: 'survived' });
      const message = report.testResults.find((file) => file.message)?.message ?? log;
      done({ result: 'error', detail: message.trim().split('\n').slice(0, 3).join(' ') });
    });
  });
}

// --- The run ---------------------------------------------------------------------------------------

interface Target {
  adapter: string;
  sites: ConditionSite[];
  /** Contract suites that reach the adapter. */
  suites: string[];
}

interface Row {
  adapter: string;
  line: number;
  condition: string;
  mutant: string;
  result: JestOutcome['result'] | 'no suite';
  detail?: string;
}

function targets(services: readonly string[]): Target[] {
  return services.flatMap((service) => {
    const suites = filesUnder(`services/${service}/test`, (name) => name.endsWith('.contract.test.ts'));
    const reach = new Map(suites.map((suite) => [suite, reachable(suite, service)]));
    return filesUnder(`services/${service}/src/adapters`, (n) => n.endsWith('.ts') && !isMutantCopy(n))
      .map((adapter) => ({
        adapter,
        sites: findConditionSites(adapter, readFileSync(join(root, adapter), 'utf8')),
        suites: suites.filter((suite) => reach.get(suite)!.has(adapter)),
      }))
      .filter((target) => target.sites.length > 0);
  });
}

const clip = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, width - 1)}…`);

function printTable(rows: readonly Row[]): void {
  const columns: Array<[string, (row: Row) => string, number]> = [
    ['adapter', (r) => `${basename(r.adapter, '.ts')}:${r.line}`, 34],
    ['condition', (r) => r.condition, 60],
    ['mutant', (r) => r.mutant, 56],
    ['result', (r) => r.result, 9],
  ];
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => clip(cell, columns[i]![2]).padEnd(columns[i]![2]))
      .join('  ')
      .trimEnd();
  console.log(line(columns.map(([name]) => name)));
  console.log(line(columns.map(([, , width]) => '-'.repeat(width))));
  for (const row of rows) console.log(line(columns.map(([, cell]) => cell(row))));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      service: { type: 'string', multiple: true },
      list: { type: 'boolean', default: false },
      json: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  verbose = values.verbose;
  const started = Date.now();
  const services = values.service ?? [...SERVICES];
  const unknown = services.filter((service) => !(SERVICES as readonly string[]).includes(service));
  if (unknown.length > 0)
    throw new Error(`Unknown service ${unknown.join(', ')}: one of ${SERVICES.join(', ')}`);
  // Only this run's services matter: a copy elsewhere is mapped by no import of this run.
  const leftovers = services
    .flatMap((service) => filesUnder(`services/${service}`, isMutantCopy))
    .filter(isLeftover);
  if (leftovers.length > 0) {
    console.error(
      `A mutant from an interrupted run is still in the tree; check and delete it first:\n  ${leftovers.join('\n  ')}`,
    );
    return 2;
  }
  const plan = targets(services);

  if (values.list) {
    for (const { adapter, sites, suites } of plan) {
      console.log(`${adapter} (suites: ${suites.map((s) => basename(s)).join(', ') || 'none'})`);
      for (const site of sites) console.log(`  line ${site.line}: ${site.literal ?? '(built at run time)'}`);
    }
    return 0;
  }

  const work = mkdtempSync(join(tmpdir(), 'herald-mutate-'));
  const { default: jest } = (await import(pathToFileURL(join(root, 'jest.config.js')).href)) as {
    default: { projects: Array<{ displayName?: string }> };
  };
  const contract = jest.projects.find((project) => project.displayName === 'contract');
  if (!contract) throw new Error('jest.config.js has no `contract` project');

  console.log('starting the emulators');
  const contractEnvironment = await startContractEnvironment();
  const stop = async () => {
    deleteCopies();
    await contractEnvironment
      .stop()
      .catch((error: unknown) => console.error('stopping the emulators:', error));
    rmSync(work, { recursive: true, force: true });
  };
  for (const [signal, number] of [
    ['SIGINT', 2],
    ['SIGTERM', 15],
    ['SIGHUP', 1],
  ] as const) {
    process.on(signal, () => {
      // The copies go first, synchronously: whatever happens next, no mutant is left behind.
      deleteCopies();
      if (stopping) process.exit(128 + number);
      stopping = true;
      console.error(`\n${signal}: stopping; no mutant is left in the tree`);
      child?.kill('SIGTERM');
      setTimeout(() => process.exit(128 + number), 10_000).unref();
      void stop().finally(() => process.exit(128 + number));
    });
  }

  try {
    const env = {
      ...process.env,
      [CONTRACT_ENV]: JSON.stringify(contractEnvironment.environment),
      HERALD_MUTANT_LOG: join(work, 'conditions.jsonl'),
    };
    const rows: Row[] = [];
    const exercised = plan.filter((target) => target.suites.length > 0);
    for (const target of plan.filter((t) => t.suites.length === 0))
      for (const site of target.sites)
        rows.push({
          adapter: target.adapter,
          line: site.line,
          condition: site.literal ?? '(built at run time)',
          mutant: 'any',
          result: 'no suite',
        });

    // Discovery: every condition instrumented, behaving as written; the suites must pass.
    console.log(`discovery run over ${exercised.length} adapters`);
    writeFileSync(env.HERALD_MUTANT_LOG, '');
    const copies: string[] = [];
    for (const { adapter, sites } of exercised)
      copies.push(
        await writeCopy(adapter, instrumentedSource(readFileSync(join(root, adapter), 'utf8'), sites)),
      );
    const allSuites = [...new Set(exercised.flatMap((target) => target.suites))];
    let baseline: JestOutcome;
    try {
      baseline = await runJest(jestConfig(work, contract, copies), allSuites, env);
    } finally {
      deleteCopies();
    }
    if (baseline.result !== 'survived') {
      console.error(
        `The contract suites do not pass as they are (${baseline.result}): ${baseline.detail ?? ''}\n${baseline.failure ?? ''}`,
      );
      return 1;
    }
    const observations = readFileSync(env.HERALD_MUTANT_LOG, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Observation);

    for (const { adapter, sites, suites } of exercised) {
      const text = readFileSync(join(root, adapter), 'utf8');
      for (const site of sites) {
        const seen = observations.filter((o) => o.file === adapter && o.line === site.line);
        const variants = [
          ...new Set([...seen.map((o) => o.condition), ...(site.literal ? [site.literal] : [])]),
        ];
        const mutants =
          variants.length === 0
            ? [
                {
                  condition: '(never evaluated)',
                  description: 'drop the condition',
                  original: undefined,
                  mutated: undefined,
                },
              ]
            : variants.flatMap((condition) =>
                conditionMutants(condition).map((m) => ({
                  condition,
                  description: m.description,
                  original: condition,
                  mutated: m.mutated,
                })),
              );
        for (const mutant of mutants) {
          // The suites that evaluated this condition, or failing that every suite reaching the adapter.
          const evaluatedBy = [
            ...new Set(
              seen
                .filter((o) => mutant.original === undefined || o.condition === mutant.original)
                .map((o) => o.testPath && relative(root, o.testPath))
                .filter((path): path is string => path !== undefined && suites.includes(path)),
            ),
          ];
          const copy = await writeCopy(adapter, mutatedSource(text, { site, ...mutant }));
          let outcome: JestOutcome;
          try {
            outcome = await runJest(
              jestConfig(work, contract, [copy]),
              evaluatedBy.length > 0 ? evaluatedBy : suites,
              env,
            );
          } finally {
            deleteCopies();
          }
          const row: Row = {
            adapter,
            line: site.line,
            condition: mutant.condition,
            mutant: mutant.description,
            result: outcome.result,
            ...(outcome.detail === undefined ? {} : { detail: outcome.detail }),
          };
          rows.push(row);
          console.log(
            `${row.result.padEnd(9)} ${basename(adapter)}:${site.line}  ${mutant.description}` +
              (row.detail ? `\n          ${row.result === 'killed' ? 'by ' : ''}${row.detail}` : ''),
          );
        }
      }
    }

    console.log('');
    printTable(rows);
    const killed = rows.filter((r) => r.result === 'killed' || r.result === 'timeout').length;
    const scored = rows.filter((r) => r.result !== 'error').length;
    console.log(
      `\nmutation score: ${killed}/${scored} killed (${scored === 0 ? 0 : Math.round((killed / scored) * 1000) / 10}%)` +
        `; ${rows.filter((r) => r.result === 'error').length} errors; ${Math.round((Date.now() - started) / 1000)} s`,
    );
    for (const row of rows.filter((r) => r.result !== 'killed'))
      console.log(
        `  ${row.result}: ${row.adapter}:${row.line} ${row.mutant}${row.detail ? ` (${row.detail})` : ''}`,
      );
    if (values.json) writeFileSync(values.json, JSON.stringify(rows, null, 2));
    return 0;
  } finally {
    if (!stopping) await stop();
  }
}

process.on('exit', deleteCopies);
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    deleteCopies();
    // Interrupted: the signal handler ends the process once the emulators are stopped.
    if (error instanceof Interrupted) return;
    console.error(error);
    process.exit(1);
  },
);
