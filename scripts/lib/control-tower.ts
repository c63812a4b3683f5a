/**
 * AWS Control Tower's proactive controls, run over packaged templates offline: the cfn-guard rule of
 * each control and the cfn-guard binary, both as `@cdklabs/cdk-validator-cfnguard` ships them.
 *
 * In an organization, a proactive control is a CloudFormation hook that judges each resource as it
 * is created or updated, with every intrinsic function resolved. Here the rules judge the template
 * itself: the pseudo parameters (`AWS::AccountId`, `AWS::Region`...) are resolved first, to stand-in
 * values of the right form, so `SourceAccount: !Ref AWS::AccountId` reads as the account id it
 * becomes; references to resources stay, and the rules accept those that name a resource of the
 * template.
 *
 * A control is run over a template when it evaluates a resource type the template has. A control
 * that fails where it cannot apply is excluded in the config (scripts/control-tower.json), with the
 * reason, for every stage or some, for every resource or some; an exclusion that no failure needs
 * any more is reported, so the list never outlives its reasons.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { resolvePseudoParameters } from './pseudo-parameters';

const run = promisify(execFile);
const packageRoot = dirname(
  createRequire(import.meta.url).resolve('@cdklabs/cdk-validator-cfnguard/package.json'),
);
const RULES = join(packageRoot, 'rules', 'control-tower', 'cfn-guard');
const METADATA = join(packageRoot, 'rules', 'control-tower', 'metadata');

export interface Control {
  /** `CT.SQS.PR.1` */
  id: string;
  name: string;
  ruleFile: string;
  resourceTypes: string[];
  /** Names of the guard rules in its file (each control's are its own). */
  rules: string[];
}

export interface Exclusion {
  control: string;
  /** Only in these stages; every stage when left out. */
  stages?: string[];
  /** Only for these logical ids; every resource when left out. */
  resources?: string[];
  reason: string;
}

export interface ControlsConfig {
  excluded: Exclusion[];
}

export interface CheckedTemplate {
  /** How the report names it: `processing (prod)`. */
  name: string;
  stage: string;
  template: { Resources?: Record<string, { Type: string }> };
}

export type Outcome = 'pass' | 'fail' | 'excluded';

export interface ControlFinding {
  control: string;
  template: string;
  outcome: Outcome;
  /** The resources that failed it. */
  resources: string[];
  /** Why the failure is accepted, for `excluded`. */
  reasons: string[];
}

export interface ControlsReport {
  /** Every control run over at least one template. */
  controls: Control[];
  findings: ControlFinding[];
  /** Resource types of the templates that no control evaluates. */
  uncovered: string[];
  /** Exclusions that excused no failure. */
  stale: Exclusion[];
}

/** Every control of the catalogue, from its rule file and its metadata. */
export async function controlCatalogue(): Promise<Control[]> {
  const controls: Control[] = [];
  for (const folder of await readdir(RULES)) {
    for (const file of await readdir(join(RULES, folder))) {
      if (!file.endsWith('.guard')) continue;
      const ruleFile = join(RULES, folder, file);
      const base = file.replace(/\.guard$/, '');
      const metadata = JSON.parse(
        await readFile(join(METADATA, folder, `${base}.metadata.json`), 'utf8'),
      ) as { Id: string; DisplayName: string; EvaluatedResourceTypes?: string[] };
      const rules = [...(await readFile(ruleFile, 'utf8')).matchAll(/^rule (\w+) when/gm)].map((m) => m[1]!);
      controls.push({
        id: metadata.Id,
        name: metadata.DisplayName,
        ruleFile,
        resourceTypes: metadata.EvaluatedResourceTypes ?? [],
        rules: [...new Set(rules)],
      });
    }
  }
  return controls.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

/** The cfn-guard binary for this machine, as the package ships it. */
export function guardBinary(platform = process.platform, arch = process.arch): string {
  const os = { linux: 'ubuntu', darwin: 'macos' }[platform as string];
  const cpu = { x64: 'x86_64', arm64: 'aarch64' }[arch as string];
  if (!os || !cpu) throw new Error(`cfn-guard is not shipped for ${platform}/${arch}`);
  return join(packageRoot, 'bin', os, cpu, 'cfn-guard');
}

interface GuardFileResult {
  name: string;
  compliant: string[];
  not_compliant: Array<{ Rule?: { name: string } }>;
}

/** Logical ids of the resources a failed rule's checks reached, from the paths cfn-guard reports. */
function failedResources(result: unknown): string[] {
  const ids = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'path' && typeof child === 'string') {
          const id = /^\/Resources\/([^/]+)/.exec(child)?.[1];
          if (id) ids.add(id);
        } else walk(child);
      }
    }
  };
  walk(result);
  return [...ids].sort();
}

const covers = (exclusion: Exclusion, control: string, stage: string, resource: string) =>
  exclusion.control === control &&
  (exclusion.stages === undefined || exclusion.stages.includes(stage)) &&
  (exclusion.resources === undefined || exclusion.resources.includes(resource));

export async function runControls(
  templates: readonly CheckedTemplate[],
  config: ControlsConfig,
): Promise<ControlsReport> {
  const types = new Set(
    templates.flatMap((t) => Object.values(t.template.Resources ?? {}).map((r) => r.Type)),
  );
  const catalogue = await controlCatalogue();
  const controls = catalogue.filter((control) => control.resourceTypes.some((type) => types.has(type)));
  const evaluated = new Set(controls.flatMap((control) => control.resourceTypes));
  const byRule = new Map(
    controls.flatMap((control) => control.rules.map((rule) => [rule, control] as const)),
  );
  const stages = new Set(templates.map((t) => t.stage));
  const checkedHere = (e: Exclusion) => e.stages === undefined || e.stages.some((stage) => stages.has(stage));
  const uncovered = [...types].filter((type) => !evaluated.has(type)).sort();
  if (controls.length === 0)
    return { controls, findings: [], uncovered, stale: config.excluded.filter(checkedHere) };

  const dir = await mkdtemp(join(tmpdir(), 'control-tower-'));
  try {
    const files = templates.map((_, index) => join(dir, `template-${index}.json`));
    await Promise.all(
      templates.map((t, index) =>
        writeFile(files[index]!, JSON.stringify(resolvePseudoParameters(t.template))),
      ),
    );
    const args = [
      'validate',
      ...controls.flatMap((c) => ['-r', c.ruleFile]),
      '-d',
      dir,
      '-z',
      '-o',
      'json',
      '-S',
      'none',
    ];
    const output = await run(guardBinary(), args, { maxBuffer: 256 * 1024 * 1024 }).catch(
      // cfn-guard exits 19 when a rule fails; its report is the same.
      (error: { code?: number; stdout?: string }) => {
        if (error.code === 19 && error.stdout) return { stdout: error.stdout };
        throw error;
      },
    );
    const results = JSON.parse(output.stdout) as GuardFileResult[];

    const findings: ControlFinding[] = [];
    const used = new Set<Exclusion>();
    templates.forEach((checked, index) => {
      const result = results.find((r) => r.name === files[index]);
      if (!result) throw new Error(`cfn-guard gave no result for ${checked.name}`);
      const failures = new Map<string, Set<string>>();
      for (const failed of result.not_compliant) {
        const control = byRule.get(failed.Rule?.name ?? '');
        if (!control) throw new Error(`cfn-guard failed a rule of no known control: ${failed.Rule?.name}`);
        const resources = failures.get(control.id) ?? new Set<string>();
        failedResources(failed).forEach((id) => resources.add(id));
        failures.set(control.id, resources);
      }
      const ran = new Set([...result.compliant.map((rule) => byRule.get(rule)?.id), ...failures.keys()]);
      for (const control of controls) {
        if (!ran.has(control.id)) continue;
        const failed = [...(failures.get(control.id) ?? [])];
        const reasons = new Set<string>();
        const excused = failed.every((resource) => {
          const exclusion = config.excluded.find((e) => covers(e, control.id, checked.stage, resource));
          if (exclusion) {
            used.add(exclusion);
            reasons.add(exclusion.reason);
          }
          return exclusion !== undefined;
        });
        const outcome: Outcome = failed.length === 0 ? 'pass' : excused ? 'excluded' : 'fail';
        findings.push({
          control: control.id,
          template: checked.name,
          outcome,
          resources: failed,
          reasons: [...reasons],
        });
      }
    });
    return {
      controls,
      findings,
      uncovered,
      stale: config.excluded.filter((exclusion) => checkedHere(exclusion) && !used.has(exclusion)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
