/**
 * `npm run contract:report [--check] [usage files...]`: for each operation of the services' OpenAPI
 * documents, the documented statuses the local clouds of the last test run answered and those no test
 * reached (their contract-usage.json files under .local-cloud/), the responses that broke a document,
 * and the requests no documented operation matches. `--check` fails on a response that broke a
 * document (with HERALD_CONTRACT=enforce the test that made it failed already; with `report` only
 * this says so).
 */
import { parseArgs } from 'node:util';
import { loadContractReport } from '@herald/local-cloud';

const { values, positionals } = parseArgs({
  options: { check: { type: 'boolean', default: false } },
  allowPositionals: true,
});

const report = loadContractReport(positionals.length > 0 ? positionals : undefined);
if (report.usageFiles.length === 0) {
  console.error('No contract-usage.json under .local-cloud/: run the tests (npm test) or npm start first.');
  process.exit(1);
}

console.log(`responses from ${report.usageFiles.length} local cloud(s): ${report.usageFiles.join(', ')}`);
let service = '';
for (const op of report.operations) {
  if (op.service !== service) console.log(`\n${(service = op.service)}`);
  console.log(
    `  ${`${op.method} ${op.template}`.padEnd(52)} ${op.operation.padEnd(26)} ` +
      `seen ${op.seen.join(' ') || '-'}; not seen ${op.notSeen.join(' ') || '-'}` +
      (op.undocumented.length > 0 ? `; UNDOCUMENTED ${op.undocumented.join(' ')}` : ''),
  );
}
// Fuzzed paths can be long: each is cut, and only the most frequent are shown.
const unmatched = Object.entries(report.unmatched).sort(([, a], [, b]) => b - a);
if (unmatched.length > 0) {
  console.log(`\nrequests no operation matches, or answered before any function ran: ${unmatched.length}`);
  for (const [request, n] of unmatched.slice(0, 10))
    console.log(`  ×${n} ${request.length > 120 ? `${request.slice(0, 117)}...` : request}`);
  if (unmatched.length > 10) console.log(`  ... and ${unmatched.length - 10} more`);
}
const percent = report.documented === 0 ? 0 : Math.round((100 * report.exercised) / report.documented);
console.log(
  `\n${report.exercised} of ${report.documented} documented operation-statuses exercised (${percent}%); ` +
    `${report.violations.reduce((n, v) => n + v.count, 0)} responses broke the contract`,
);
for (const violation of report.violations)
  console.log(
    `  ${violation.mode === 'enforce' ? 'answered 500' : 'let through'} ×${violation.count}: ` +
      `${violation.service} ${violation.operation} ${violation.status}: ${violation.message}`,
  );
if (values.check && report.violations.length > 0) process.exit(1);
