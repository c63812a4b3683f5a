/**
 * The unused-grants report: every action and resource each function's role allows, against what the
 * functions' calls used in the local clouds of a test run (their iam-usage.json). A grant no call
 * used is either explained (beside its statement in serverless.yml, or because AWS itself uses it on
 * the function's behalf) or reported as one to remove.
 */
import type { IamModel } from './roles';
import { OTHER_RESOURCES } from './gateway-ledger';
import type { IamUsageRecord } from './usage';
import type { OneOrMany, Statement, StatementRef } from './types';
import { matchAction, matchArn } from './wildcards';

/** One action on one resource pattern that an Allow statement of a function's role grants. */
export interface Grant {
  functionName: string;
  statement: StatementRef;
  action: string;
  resource: string;
}

export interface GrantFinding extends Grant {
  /** Why it is not used locally, when that is known; otherwise the grant looks removable. */
  explanation?: string;
}

const list = <T>(value: OneOrMany<T> | undefined): readonly T[] =>
  value === undefined ? [] : ((Array.isArray(value) ? value : [value]) as readonly T[]);

/**
 * Grants AWS itself uses with the function's role, never the function's code, and nothing local
 * stands in for: Lambda writes its logs and traces; and one the framework adds that nothing uses.
 * (What an event source mapping's poller uses is judged when the local cloud starts, gateway.ts
 * judgePollers, and counted as used.)
 */
const AWS_USES: ReadonlyArray<{ action: RegExp; why: string }> = [
  { action: /^logs:/i, why: 'Lambda writes the function’s logs with its role (no CloudWatch Logs locally)' },
  { action: /^xray:/i, why: 'Lambda sends the function’s traces with its role (no X-Ray locally)' },
  {
    action: /^dynamodb:ListStreams$/i,
    why: 'the framework grants it with a stream event, on the stream’s ARN, where it matches nothing (ListStreams acts on no resource); stream pollers work without it',
  },
];

export interface ReportInputs {
  /** Sid → why, from the services' serverless.yml (explanationsIn). */
  explanations: ReadonlyMap<string, string>;
}

/** Every (action, resource) an Allow statement of each function's role grants. */
export function grantsOf(model: IamModel): Grant[] {
  const grants: Grant[] = [];
  for (const [functionName, role] of model.functions) {
    for (const policy of role.policies) {
      list<Statement>(policy.document.Statement).forEach((statement, index) => {
        if (statement.Effect !== 'Allow') return;
        const ref: StatementRef = {
          policy: policy.name,
          index,
          ...(statement.Sid === undefined ? {} : { sid: statement.Sid }),
        };
        const actions = statement.Action === undefined ? ['(NotAction)'] : list(statement.Action);
        const resources = statement.Resource === undefined ? ['(NotResource)'] : list(statement.Resource);
        for (const action of actions)
          for (const resource of resources) grants.push({ functionName, statement: ref, action, resource });
      });
    }
  }
  return grants;
}

const sameStatement = (a: StatementRef, b: StatementRef) => a.policy === b.policy && a.index === b.index;

/**
 * A stream's label is its provisioning's own (each local cloud makes its tables' streams anew, and the
 * report plans them with a fixed label), so a granted stream is any stream of its table.
 */
const anyLabelOfItsStream = (arn: string) => arn.replace(/(:table\/[^/]+\/stream\/)[^/]+$/, '$1*');

function used(grant: Grant, records: readonly IamUsageRecord[]): boolean {
  return records.some((record) =>
    (record.usage[grant.functionName] ?? []).some(
      (entry) =>
        sameStatement(entry.statement, grant.statement) &&
        entry.uses.some(
          (use) =>
            matchAction(grant.action, use.action) &&
            (use.resource === OTHER_RESOURCES || matchArn(anyLabelOfItsStream(grant.resource), use.resource)),
        ),
    ),
  );
}

/**
 * The explanations serverless.yml gives: a comment line `# unused locally: <why>` directly above a
 * statement (before its `Sid:` line, or the line that names the statement) explains that statement.
 */
export function explanationsIn(serverlessYml: string): Map<string, string> {
  const explained = new Map<string, string>();
  const lines = serverlessYml.split('\n');
  lines.forEach((line, i) => {
    const note = /#\s*unused locally:\s*(.+)$/i.exec(line);
    if (!note) return;
    // The statement's Sid is on one of the next lines (after more comment lines, or its key).
    for (const next of lines.slice(i + 1, i + 6)) {
      const sid = /^\s*(?:-\s*)?Sid:\s*['"]?([A-Za-z0-9]+)/.exec(next);
      if (sid) {
        explained.set(sid[1]!, note[1]!.trim());
        return;
      }
    }
  });
  return explained;
}

/** Grants no call used, each with its explanation when there is one. */
export function unusedGrants(
  model: IamModel,
  records: readonly IamUsageRecord[],
  inputs: ReportInputs,
): GrantFinding[] {
  return grantsOf(model)
    .filter((grant) => !used(grant, records))
    .map((grant) => {
      const sid = grant.statement.sid;
      const own = sid === undefined ? undefined : inputs.explanations.get(sid);
      const aws = AWS_USES.find((use) => use.action.test(grant.action))?.why;
      const explanation = own ?? aws;
      return explanation === undefined ? grant : { ...grant, explanation };
    });
}
