/**
 * Lints the GitHub Actions workflows (.github/workflows/*.yml): GitHub's workflow schema and Herald's
 * own rules (scripts/lib/workflows.ts). Part of .ci/run.
 *
 *   npm run lint:workflows
 */
import { glob, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintWorkflows, type WorkflowFile } from './lib/workflows';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schema = JSON.parse(
  await readFile(join(root, '.github/schemas/github-workflow.json'), 'utf8'),
) as object;

const files: WorkflowFile[] = [];
for await (const path of glob('.github/workflows/*.{yml,yaml}', { cwd: root })) {
  files.push({ path, text: await readFile(join(root, path), 'utf8') });
}
files.sort((a, b) => a.path.localeCompare(b.path));

const problems = lintWorkflows(files, schema);
for (const problem of problems) console.log(`✗ ${problem.path} at ${problem.at}: ${problem.message}`);
console.log(`${files.length} workflow(s), ${problems.length} problem(s)`);
if (files.length === 0 || problems.length > 0) process.exitCode = 1;
