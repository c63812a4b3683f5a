/**
 * Checks the packaged CloudFormation of every service against Herald's security rules
 * (scripts/lib/template-policy.ts). Run `npm run package` first.
 *
 *   npm run check:templates
 */
import { readFile } from 'node:fs/promises';
import { checkTemplate } from './lib/template-policy';
import { SERVICES as services, templatePath } from '@herald/local-cloud';

let failures = 0;
for (const service of services) {
  const path = templatePath(service);
  const template = JSON.parse(
    await readFile(path, 'utf8').catch(() => {
      throw new Error(`${path} is missing: run \`npm run package\` first`);
    }),
  );
  const problems = checkTemplate(template);
  const functions = Object.values(template.Resources).filter(
    (r) => (r as { Type: string }).Type === 'AWS::Lambda::Function',
  );
  console.log(`${service}: ${functions.length} function(s), ${problems.length} problem(s)`);
  for (const problem of problems) console.log(`  - ${problem}`);
  failures += problems.length;
}
if (failures > 0) process.exit(1);
