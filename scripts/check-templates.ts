/**
 * Checks the packaged CloudFormation of every service against Herald's rules
 * (scripts/lib/template-policy.ts) and AWS Control Tower's proactive controls
 * (scripts/lib/control-tower.ts; the controls that cannot apply, and why, in
 * scripts/control-tower.json): for the local stage, as `npm run package` left it, and for a deployed
 * stage (prod), packaged here into a temporary folder with its settings, the sample stages/prod.yml
 * (whose `offline:` section stands in for the values other services publish in SSM). Both
 * templates of each are checked: the one every deploy applies, and the one a stack's first deploy
 * creates (the deployment bucket).
 *
 *   npm run check:templates [-- --stage local --stage prod]
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEPLOYED_SERVICES as services, templatePath, type DeployedService } from '@herald/local-cloud';
import {
  runControls,
  type CheckedTemplate,
  type ControlsConfig,
  type ControlsReport,
} from './lib/control-tower';
import { packageStage, type PackagedStage } from './lib/package-stage';
import { checkTemplate, type Template } from './lib/template-policy';

const CONFIG = join(dirname(fileURLToPath(import.meta.url)), 'control-tower.json');

async function packagedLocally(service: DeployedService): Promise<PackagedStage> {
  const path = templatePath(service);
  const read = async (file: string) =>
    JSON.parse(
      await readFile(file, 'utf8').catch(() => {
        throw new Error(`${file} is missing: run \`npm run package\` first`);
      }),
    ) as unknown;
  return {
    update: await read(path),
    create: await read(join(dirname(path), 'cloudformation-template-create-stack.json')),
  };
}

async function templates(stages: readonly string[]): Promise<CheckedTemplate[]> {
  const checked: CheckedTemplate[] = [];
  for (const stage of stages) {
    const packaged = await Promise.all(
      services.map((service) =>
        stage === 'local' ? packagedLocally(service) : packageStage(service, stage),
      ),
    );
    services.forEach((service, index) => {
      const { update, create } = packaged[index]!;
      checked.push(
        { name: `${service} (${stage})`, stage, template: update as CheckedTemplate['template'] },
        {
          name: `${service} (${stage}, first deploy)`,
          stage,
          template: create as CheckedTemplate['template'],
        },
      );
    });
  }
  return checked;
}

function printControls(report: ControlsReport): number {
  const byControl = new Map<string, ControlsReport['findings']>();
  for (const finding of report.findings)
    byControl.set(finding.control, [...(byControl.get(finding.control) ?? []), finding]);
  const outcome = (findings: ControlsReport['findings']) =>
    findings.some((f) => f.outcome === 'fail')
      ? 'fail'
      : findings.some((f) => f.outcome === 'excluded')
        ? 'excluded'
        : 'pass';
  const counts = { pass: 0, excluded: 0, fail: 0 };
  for (const findings of byControl.values()) counts[outcome(findings)]++;
  console.log(
    `\nControl Tower: ${report.controls.length} proactive controls evaluate the templates' resource types: ` +
      `${counts.pass} pass, ${counts.excluded} excluded where they cannot apply, ${counts.fail} fail, ` +
      `${report.controls.length - byControl.size} skipped`,
  );
  const passing = report.controls.filter(
    (c) => byControl.has(c.id) && outcome(byControl.get(c.id)!) === 'pass',
  );
  console.log(`  pass: ${passing.map((c) => c.id).join(', ')}`);
  const skipped = report.controls.filter((c) => !byControl.has(c.id));
  if (skipped.length > 0)
    console.log(`  skipped, nothing they judge is in the templates: ${skipped.map((c) => c.id).join(', ')}`);
  if (report.uncovered.length > 0) console.log(`  (no control evaluates ${report.uncovered.join(', ')})`);
  for (const control of report.controls) {
    const findings = byControl.get(control.id) ?? [];
    const result = outcome(findings);
    if (result === 'pass') continue;
    console.log(`  ${result === 'fail' ? 'FAIL' : 'excluded'} ${control.id}: ${control.name}`);
    for (const finding of findings.filter((f) => f.outcome === 'fail'))
      console.log(`    - ${finding.template}: ${finding.resources.join(', ')}`);
    if (result === 'excluded')
      for (const reason of new Set(findings.flatMap((f) => f.reasons))) console.log(`    because ${reason}`);
  }
  for (const exclusion of report.stale)
    console.log(
      `  stale exclusion of ${exclusion.control}: nothing fails it any more; remove it from ${CONFIG}`,
    );
  return counts.fail + report.stale.length;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { stage: { type: 'string', multiple: true } } });
  const stages = values.stage ?? ['local', 'prod'];
  const checked = await templates(stages);
  let failures = 0;
  for (const { name, template } of checked) {
    const problems = checkTemplate(template as Template);
    const functions = Object.values(template.Resources ?? {}).filter(
      (r) => r.Type === 'AWS::Lambda::Function',
    );
    console.log(`${name}: ${functions.length} function(s), ${problems.length} problem(s)`);
    for (const problem of problems) console.log(`  - ${problem}`);
    failures += problems.length;
  }
  const config = JSON.parse(await readFile(CONFIG, 'utf8')) as ControlsConfig;
  failures += printControls(await runControls(checked, config));
  if (failures > 0) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
