/**
 * Rolling a service back to what it ran before its last release: every function's `live` alias (the
 * one its event sources and routes invoke, @herald/serverless-plugin's rollout.ts) pointed back at
 * the version it pointed at before. Plain logic over a port (rollback-aws.ts is AWS's).
 *
 * - Mid-deployment (the stack is UPDATE_IN_PROGRESS: CloudFormation is applying the release, and on a
 *   gradual stage CodeDeploy is shifting traffic to the new versions): the stack update is cancelled.
 *   CloudFormation then rolls the whole stack back, and with it CodeDeploy stops each deployment and
 *   moves each alias back to its original version (an alias not yet updated is left as it was), so
 *   nothing is moved by hand and the stack stays what it says.
 * - After a release (the stack settled): each alias goes back to the newest published version older
 *   than the one it points at (osls publishes a version only for a function whose code or settings
 *   changed, and keeps every version), with any traffic split cleared. The stack still names the
 *   newer versions: CloudFormation moves an alias again only when a deploy publishes a new version of
 *   its function, so the fix is released as usual, and the same release deployed again changes nothing.
 * - An alias that still splits traffic (a deployment stopped outside CloudFormation) goes back to
 *   its primary version, the one it had before the split.
 * - Any other operation in progress (a rollback already, a first deploy, a delete): nothing is done.
 */

export interface AliasState {
  /** The version the alias points at (the old one while traffic is being shifted). */
  version: string;
  /** Versions taking a share of the traffic beside it, by version. */
  additionalWeights: Record<string, number>;
}

export interface RollbackPort {
  /** The stack's status, or undefined when there is no such stack. */
  stackStatus(stackName: string): Promise<string | undefined>;
  cancelUpdate(stackName: string): Promise<void>;
  /** The physical names of the stack's functions. */
  stackFunctions(stackName: string): Promise<string[]>;
  getAlias(functionName: string, alias: string): Promise<AliasState | undefined>;
  /** Published version numbers of the function (not $LATEST). */
  listVersions(functionName: string): Promise<string[]>;
  /** Points the alias at the version alone (no traffic split). */
  updateAlias(functionName: string, alias: string, version: string): Promise<void>;
}

export interface RollbackRequest {
  service: string;
  stage: string;
  /** `live` unless given. */
  alias?: string;
  /** Function keys (serverless.yml) to roll back; every function of the service unless given. */
  functions?: string[];
  /** Say what would be done, do nothing. */
  dryRun?: boolean;
}

export interface FunctionRollback {
  function: string;
  from?: string;
  to?: string;
  /** Why it was left as it is, when it was. */
  skipped?: string;
}

export type RollbackOutcome =
  | { kind: 'cancelled-update'; stackName: string; dryRun: boolean }
  | { kind: 'aliases'; stackName: string; dryRun: boolean; functions: FunctionRollback[] };

export class RollbackError extends Error {}

/** osls names a service's stack `<service>-<stage>` and its functions `<stack>-<function key>`. */
export const stackNameOf = (service: string, stage: string) => `herald-${service}-${stage}`;

const byNumber = (a: string, b: string) => Number(a) - Number(b);

/** The newest published version older than `current`, if any. */
export function previousVersion(versions: readonly string[], current: string): string | undefined {
  return versions
    .filter((v) => /^\d+$/.test(v) && Number(v) < Number(current))
    .sort(byNumber)
    .at(-1);
}

async function rollbackFunction(
  port: RollbackPort,
  functionName: string,
  alias: string,
  dryRun: boolean,
): Promise<FunctionRollback> {
  const state = await port.getAlias(functionName, alias);
  if (!state) return { function: functionName, skipped: `no ${alias} alias` };
  const split = Object.keys(state.additionalWeights).length > 0;
  const target = split
    ? state.version
    : previousVersion(await port.listVersions(functionName), state.version);
  if (!target)
    return {
      function: functionName,
      from: state.version,
      skipped: `no version older than ${state.version} to go back to`,
    };
  if (!dryRun) await port.updateAlias(functionName, alias, target);
  const from = split
    ? `${state.version} + ${Object.keys(state.additionalWeights).join(', ')}`
    : state.version;
  return { function: functionName, from, to: target };
}

export async function rollback(request: RollbackRequest, port: RollbackPort): Promise<RollbackOutcome> {
  const alias = request.alias ?? 'live';
  const dryRun = request.dryRun ?? false;
  const stackName = stackNameOf(request.service, request.stage);
  const status = await port.stackStatus(stackName);
  if (status === undefined) throw new RollbackError(`there is no stack ${stackName}`);
  if (status === 'UPDATE_IN_PROGRESS') {
    if (!dryRun) await port.cancelUpdate(stackName);
    return { kind: 'cancelled-update', stackName, dryRun };
  }
  if (status.endsWith('_IN_PROGRESS'))
    throw new RollbackError(
      `${stackName} is ${status}: nothing to roll back by hand while CloudFormation works on it; run this again once it is done`,
    );
  const names = (await port.stackFunctions(stackName)).sort();
  let chosen = names;
  if (request.functions && request.functions.length > 0) {
    const wanted = request.functions.map((key) => `${stackName}-${key}`);
    const unknown = wanted.filter((name) => !names.includes(name));
    if (unknown.length > 0)
      throw new RollbackError(
        `${stackName} has no function ${unknown.join(', ')} (it has ${names.join(', ')})`,
      );
    chosen = wanted;
  }
  const functions: FunctionRollback[] = [];
  // One at a time: a failure leaves the ones before it rolled back, and says which.
  for (const name of chosen) functions.push(await rollbackFunction(port, name, alias, dryRun));
  return { kind: 'aliases', stackName, dryRun, functions };
}

/** What happened, in lines for a person. */
export function describeOutcome(outcome: RollbackOutcome): string[] {
  const would = outcome.dryRun ? 'would be ' : '';
  if (outcome.kind === 'cancelled-update')
    return [
      `${outcome.stackName} was being updated: its update ${would}cancelled. CloudFormation rolls the stack back,`,
      'and CodeDeploy stops shifting traffic and moves each live alias back to its version before the release.',
    ];
  return outcome.functions.map((f) =>
    f.skipped
      ? `${f.function}: left as it is (${f.skipped})`
      : `${f.function}: ${f.from} -> ${f.to}${outcome.dryRun ? ' (dry run: nothing changed)' : ''}`,
  );
}
