/** Reads a packaged CloudFormation template, with errors that say how to get one. */
import { readFile } from 'node:fs/promises';
import { assertTemplate, type Template } from './template';

export async function loadTemplate(path: string): Promise<Template> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const hint = "run `npm run package` to write the services' CloudFormation templates";
    throw new Error(`${path} does not exist: ${hint}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message;
    throw new Error(`${path} is not valid JSON (${reason}): run \`npm run package\` again`, { cause: error });
  }
  assertTemplate(parsed, path);
  return parsed;
}

/** The stack name `serverless` gives a service's stack: `<service>-<stage>`, e.g. `herald-processing-local`. */
export const serviceStackName = (service: string, stage = 'local') => `herald-${service}-${stage}`;
