// The GitHub Actions workflows: the lint's rules (each with a workflow it refuses) and what the
// per-service pipelines promise (triggers, OIDC without stored keys, an environment and a
// concurrency group per service and stage).
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from '@jest/globals';
import yaml from 'js-yaml';
import { lintWorkflows, type WorkflowFile } from '../lib/workflows';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const schema = JSON.parse(
  await readFile(join(root, '.github/schemas/github-workflow.json'), 'utf8'),
) as object;
const names = (await readdir(join(root, '.github/workflows'))).filter((name) => name.endsWith('.yml')).sort();
const files: WorkflowFile[] = await Promise.all(
  names.map(async (name) => ({
    path: `.github/workflows/${name}`,
    text: await readFile(join(root, '.github/workflows', name), 'utf8'),
  })),
);
const SERVICES = ['ingest', 'processing', 'notifications', 'console'];
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const load = (name: string) =>
  yaml.load(files.find((file) => file.path.endsWith(`/${name}.yml`))!.text) as Json;

const SHA = 'a'.repeat(40);
const lint = (text: string, others: WorkflowFile[] = []) =>
  lintWorkflows([{ path: '.github/workflows/x.yml', text }, ...others], schema).map(
    (p) => `${p.at}: ${p.message}`,
  );
const job = (steps: string) => `on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n${steps}`;

describe('workflow lint', () => {
  test("the repository's workflows pass", () => {
    expect(names).toEqual(expect.arrayContaining(['service.yml', ...SERVICES.map((s) => `${s}.yml`)]));
    expect(lintWorkflows(files, schema)).toEqual([]);
  });

  test('a well-formed workflow passes', () => {
    expect(lint(job(`      - uses: actions/checkout@${SHA} # v7\n      - run: npm ci\n`))).toEqual([]);
  });

  test("GitHub's schema: an unknown key, a wrong type, a missing runs-on", () => {
    expect(lint(job('      - run: npm ci\n        shel: bash\n'))).toEqual([
      '/jobs/build/steps/0: unknown key "shel"',
    ]);
    expect(
      lint(
        'on: push\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    timeout-minutes: soon\n    steps: [{ run: x }]\n',
      ),
    ).toEqual([expect.stringContaining('/jobs/build/timeout-minutes: must be number')]);
    expect(lint('on: push\njobs:\n  build:\n    steps:\n      - run: x\n')).toEqual([
      expect.stringContaining("/jobs/build: must have required property 'runs-on'"),
    ]);
    expect(lint('on: [pushed]\njobs:\n  build:\n    runs-on: x\n    steps:\n      - run: x\n')).toEqual([
      expect.stringMatching(/^\/on\/0: must be equal to one of the allowed values/),
    ]);
  });

  test('actions pinned to a full commit SHA, local ones apart', () => {
    expect(lint(job('      - uses: actions/checkout@v4\n'))).toEqual([
      '/jobs/build/steps/0/uses: actions/checkout@v4 is not pinned to a full commit SHA (a tag can be moved)',
    ]);
    expect(lint(job('      - uses: ./.github/actions/setup\n'))).toEqual([]);
  });

  test('needs names a job of the workflow', () => {
    const text = `${job('      - run: x\n')}  deploy:\n    needs: [biuld]\n    runs-on: ubuntu-24.04\n    steps:\n      - run: x\n`;
    expect(lint(text)).toEqual(['/jobs/deploy/needs: needs "biuld", which is no job here']);
  });

  test('no github.event text expanded into a script', () => {
    expect(lint(job('      - run: echo "${{ github.event.pull_request.title }}"\n'))).toEqual([
      '/jobs/build/steps/0/run: expands ${{ github.event.* }} into a script: pass it through env instead',
    ]);
    expect(lint(job('      - run: echo "${{ github.ref }}"\n'))).toEqual([]);
  });

  test('a local reusable workflow exists, is reusable and gets its inputs', () => {
    const called: WorkflowFile = {
      path: '.github/workflows/called.yml',
      text: 'on:\n  workflow_call:\n    inputs:\n      service:\n        required: true\n        type: string\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: x\n',
    };
    const caller = (uses: string, withs: string) => `on: push\njobs:\n  call:\n    uses: ${uses}\n${withs}`;
    expect(
      lint(caller('./.github/workflows/called.yml', '    with:\n      service: ingest\n'), [called]),
    ).toEqual([]);
    expect(
      lint(caller('./.github/workflows/called.yml', '    with:\n      servce: ingest\n'), [called]),
    ).toEqual([
      '/jobs/call/with/servce: .github/workflows/called.yml has no input servce',
      '/jobs/call/with: .github/workflows/called.yml requires input service',
    ]);
    expect(lint(caller('./.github/workflows/missing.yml', ''), [called])).toEqual([
      '/jobs/call/uses: .github/workflows/missing.yml does not exist',
    ]);
    const notReusable = { path: '.github/workflows/plain.yml', text: job('      - run: x\n') };
    expect(lint(caller('./.github/workflows/plain.yml', ''), [notReusable])).toEqual([
      '/jobs/call/uses: .github/workflows/plain.yml is not a reusable workflow (no on.workflow_call)',
    ]);
  });
});

describe('per-service pipelines', () => {
  test.each(SERVICES)(
    '%s: its paths and lockfile, its tags, the shared workflow with id-token',
    (service) => {
      const workflow = load(service);
      expect(workflow.on.push.branches).toEqual(['main']);
      expect(workflow.on.push.tags).toEqual([`${service}/v*`]);
      for (const paths of [workflow.on.push.paths, workflow.on.pull_request.paths]) {
        expect(paths).toEqual(
          expect.arrayContaining([
            `services/${service}/**`,
            'package-lock.json',
            '.github/workflows/service.yml',
          ]),
        );
      }
      if (service !== 'console')
        expect(workflow.on.push.paths).toEqual(expect.arrayContaining(['shared/**', 'contracts/**']));
      const [caller, ...others] = Object.values(workflow.jobs) as Json[];
      expect(others).toEqual([]);
      expect(caller).toMatchObject({
        uses: './.github/workflows/service.yml',
        with: { service },
        permissions: { 'id-token': 'write', contents: 'read' },
      });
    },
  );

  test('deploy: dev from main, prod from the service tag, OIDC role from a variable, never stored keys', () => {
    const { jobs } = load('service');
    const deploy = jobs.deploy as Json;
    expect(deploy.needs).toBe('check');
    expect(deploy.if).toContain("github.ref == 'refs/heads/main'");
    expect(deploy.if).toContain("format('refs/tags/{0}/v', inputs.service)");
    expect(deploy.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(deploy.environment.name).toBe("${{ startsWith(github.ref, 'refs/tags/') && 'prod' || 'dev' }}");
    expect(deploy.concurrency).toEqual({
      group: "deploy-${{ inputs.service }}-${{ startsWith(github.ref, 'refs/tags/') && 'prod' || 'dev' }}",
      'cancel-in-progress': false,
    });
    const credentials = (deploy.steps as Json[]).find((step) =>
      String(step.uses).startsWith('aws-actions/configure-aws-credentials@'),
    )!;
    expect(credentials.uses).toMatch(/@[0-9a-f]{40}$/);
    expect(credentials.with['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
    for (const file of files)
      expect(file.text).not.toMatch(/aws-access-key-id|aws-secret-access-key|secrets\.AWS/);
    expect(jobs.check.permissions).toBeUndefined();
    expect(load('service').permissions).toEqual({ contents: 'read' });
  });
});
