/**
 * What the IAM gateway saw: every denial (enforced or only reported), which granted statements each
 * function's allowed calls used (on which action and resource: the unused-grants report's input), and
 * calls no function signed (forwarded unchecked).
 */
import type { CheckMode } from '../check-mode';
import type { StatementRef } from './types';

export type IamMode = CheckMode;

export interface Denial {
  /** `enforce`: answered AccessDenied; `report`: let through. */
  mode: 'enforce' | 'report';
  service: string;
  functionName: string;
  operation: string;
  action: string;
  resource: string;
  message: string;
  /** A test's probe with the function's credentials (credentials.ts isProbe), denied on purpose. */
  probe?: true;
}

/** One authorization request of a call that some statements allowed. */
export interface AuthorizedRequest {
  action: string;
  resource: string;
  /** The Allow statements that matched (the evaluator's `Decision.allowedBy`). */
  allowedBy: readonly StatementRef[];
}

export interface GrantUse {
  action: string;
  resource: string;
  /** Calls that used the statement for this action on this resource. */
  count: number;
}

export interface StatementUsage {
  statement: StatementRef;
  uses: GrantUse[];
}

/** Function name → the statements its allowed calls used. */
export type IamUsage = Record<string, StatementUsage[]>;

const statementKey = (ref: StatementRef) => `${ref.policy}\u0000${ref.index}`;

/**
 * Distinct resources kept per statement and action: an object ARN names each upload, so a long run
 * would otherwise grow without end. Past it, calls count under OTHER_RESOURCES; the report needs to
 * know a grant was used, not every object it was used on.
 */
export const RESOURCES_KEPT = 100;
export const OTHER_RESOURCES = '(other resources)';
/** Denials kept; past it they are counted only (each is logged all the same). */
export const DENIALS_KEPT = 10_000;

export class GatewayLedger {
  private readonly denied: Denial[] = [];
  private deniedNotKept = 0;
  // function → statement → action and resource → use; and how many resources are kept per action
  private readonly used = new Map<
    string,
    Map<string, { statement: StatementRef; uses: Map<string, GrantUse>; resources: Map<string, number> }>
  >();
  private readonly unsigned = new Map<string, number>();
  private readonly unknown = new Map<string, number>();

  deny(denial: Denial): void {
    if (this.denied.length < DENIALS_KEPT) this.denied.push(denial);
    else this.deniedNotKept++;
  }

  /** Denials past the DENIALS_KEPT kept. */
  denialsNotKept(): number {
    return this.deniedNotKept;
  }

  use(functionName: string, requests: readonly AuthorizedRequest[]): void {
    let statements = this.used.get(functionName);
    if (!statements) this.used.set(functionName, (statements = new Map()));
    for (const request of requests) {
      for (const statement of request.allowedBy) {
        const key = statementKey(statement);
        let entry = statements.get(key);
        if (!entry) statements.set(key, (entry = { statement, uses: new Map(), resources: new Map() }));
        const kept = entry.resources.get(request.action) ?? 0;
        let useKey = `${request.action}\u0000${request.resource}`;
        let resource = request.resource;
        if (!entry.uses.has(useKey) && kept >= RESOURCES_KEPT) {
          resource = OTHER_RESOURCES;
          useKey = `${request.action}\u0000${resource}`;
        }
        const use = entry.uses.get(useKey);
        if (use) use.count++;
        else {
          entry.uses.set(useKey, { action: request.action, resource, count: 1 });
          if (resource !== OTHER_RESOURCES) entry.resources.set(request.action, kept + 1);
        }
      }
    }
  }

  /** Counts a call signed with a key that is no function's; true the first time for this key. */
  unattributed(accessKeyId: string): boolean {
    const count = this.unsigned.get(accessKeyId) ?? 0;
    this.unsigned.set(accessKeyId, count + 1);
    return count === 0;
  }

  /** Counts a call the authorizer did not interpret; true the first time for this kind of call. */
  uninterpreted(kind: string): boolean {
    const count = this.unknown.get(kind) ?? 0;
    this.unknown.set(kind, count + 1);
    return count === 0;
  }

  denials(): readonly Denial[] {
    return [...this.denied];
  }

  usage(): IamUsage {
    return Object.fromEntries(
      [...this.used].map(([functionName, statements]) => [
        functionName,
        [...statements.values()].map(({ statement, uses }) => ({
          statement,
          uses: [...uses.values()].map((use) => ({ ...use })),
        })),
      ]),
    );
  }

  /** Access key id (or `(unsigned)`) → calls forwarded unchecked. */
  unattributedCalls(): Record<string, number> {
    return Object.fromEntries(this.unsigned);
  }

  /** `<function> <service> <operation>` → calls the authorizer did not interpret, forwarded. */
  uninterpretedCalls(): Record<string, number> {
    return Object.fromEntries(this.unknown);
  }

  reset(): void {
    this.denied.length = 0;
    this.deniedNotKept = 0;
    this.used.clear();
    this.unsigned.clear();
    this.unknown.clear();
  }
}
