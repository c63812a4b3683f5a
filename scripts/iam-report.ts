/**
 * `npm run iam:report [--explained] [--check] [usage files...]`: which actions each function's role
 * grants that no call used in the local clouds of the last test run (the iam-usage.json files under
 * .local-cloud/). A grant may be explained: a `# unused locally: <why>` comment above its statement in
 * serverless.yml, or AWS using it on the function's behalf (those are listed with --explained).
 * `--check` fails when a grant is unused and unexplained, or when a function's call was denied (a
 * test's probes, denied on purpose, are counted apart).
 */
import { parseArgs } from 'node:util';
import { loadIamReport, type GrantFinding } from '@herald/local-cloud';

const { values, positionals } = parseArgs({
  options: { check: { type: 'boolean', default: false }, explained: { type: 'boolean', default: false } },
  allowPositionals: true,
});

const report = await loadIamReport(positionals.length > 0 ? positionals : undefined);
if (report.usageFiles.length === 0) {
  console.error('No iam-usage.json under .local-cloud/: run the tests (npm test) or npm start first.');
  process.exit(1);
}

const where = (grant: GrantFinding) =>
  `${grant.statement.sid ?? `${grant.statement.policy}#${grant.statement.index}`}: ${grant.action} on ${grant.resource}`;
const byFunction = new Map<string, GrantFinding[]>();
for (const grant of report.unused.filter((g) => values.explained || g.explanation === undefined))
  byFunction.set(grant.functionName, [...(byFunction.get(grant.functionName) ?? []), grant]);

const unexplained = report.unused.filter((grant) => grant.explanation === undefined);
console.log(`usage from ${report.usageFiles.length} local cloud(s): ${report.usageFiles.join(', ')}`);
for (const [functionName, grants] of [...byFunction].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`\n${functionName}`);
  for (const grant of grants)
    console.log(
      `  ${grant.explanation === undefined ? 'UNUSED   ' : 'explained'} ${where(grant)}${grant.explanation ? ` (${grant.explanation})` : ''}`,
    );
}
const kinds = Object.entries(report.uninterpreted);
if (kinds.length > 0) console.log(`\ncalls not judged: ${kinds.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
console.log(
  `\n${report.functions} functions, ${report.grants} grants: ${report.grants - report.unused.length} used, ` +
    `${report.unused.length - unexplained.length} unused and explained, ${unexplained.length} unused and unexplained; ` +
    `${report.denials} calls denied` +
    (report.probeDenials > 0 ? ` (and ${report.probeDenials} probes, denied on purpose)` : ''),
);
for (const denial of report.deniedCalls) console.log(`  denied: ${denial}`);
if (values.check && (unexplained.length > 0 || report.denials > 0)) process.exit(1);
