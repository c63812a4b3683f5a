/**
 * A stage file (stages/<stage>.yml) checked for every service at once, as each service's package
 * would check it (@herald/serverless-plugin's stage-settings.ts), without osls or AWS: what the
 * bootstrap reports before it touches AWS. Values other services publish are the bootstrap's to look
 * up in SSM, so they are left out here.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import yaml from 'js-yaml';
import {
  checkSettings,
  publishedName,
  SERVICES,
  stageParams,
  type Origin,
} from '@herald/serverless-plugin/stage-settings';

// serverless.yml's CloudFormation tags, read as the plain objects osls makes of them.
const TAGS = ['Ref', 'GetAtt', 'Sub', 'Join', 'If', 'Equals', 'Not', 'Select', 'Split', 'FindInMap'];
const SCHEMA = yaml.DEFAULT_SCHEMA.extend(
  TAGS.flatMap((tag) => {
    const name = tag === 'Ref' ? 'Ref' : `Fn::${tag}`;
    return (['scalar', 'sequence', 'mapping'] as const).map(
      (kind) => new yaml.Type(`!${tag}`, { kind, construct: (data: unknown) => ({ [name]: data }) }),
    );
  }),
);

async function readYaml(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (yaml.load(text, { schema: SCHEMA }) ?? {});
}

/** Every problem of the stage's file, for every service, each once. */
export async function checkStageFile(root: string, stage: string): Promise<string[]> {
  const file = { path: `stages/${stage}.yml`, content: await readYaml(join(root, 'stages', `${stage}.yml`)) };
  const problems = new Set<string>();
  for (const service of SERVICES) {
    const doc = (await readYaml(join(root, 'services', service, 'serverless.yml'))) as {
      params?: { default?: Record<string, unknown> };
    };
    const defaults = doc.params?.default ?? {};
    const fromFile = stageParams(service, stage, file, defaults, false);
    fromFile.problems.forEach((problem) => problems.add(problem));
    if (file.content === undefined) continue;
    const values: Record<string, { value: unknown; origin: Origin }> = {};
    for (const [name, fallback] of Object.entries(defaults)) {
      if (name in fromFile.params) values[name] = { value: fromFile.params[name], origin: 'stage file' };
      else if (publishedName(fallback) === undefined) values[name] = { value: fallback, origin: 'default' };
    }
    checkSettings({
      service,
      stage,
      file: file.path,
      command: 'deploy',
      values,
      published: {},
      outcomes: {},
    }).forEach((problem) => problems.add(problem));
  }
  return [...problems];
}
