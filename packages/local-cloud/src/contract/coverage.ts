/**
 * What the contract checks saw in one local cloud: how often each (operation, status) was answered,
 * the responses that broke the contract, and the requests no documented operation matches (kept
 * apart: API Gateway's own 404 for an unknown route is not the service's answer). Written to
 * `<logDir>/contract-usage.json` when the local cloud stops, for `npm run contract:report`.
 */
import { CHECK_MODES, parseCheckMode, type CheckMode } from '../check-mode';

export const CONTRACT_USAGE_FILE = 'contract-usage.json';

export type ContractMode = CheckMode;
export const CONTRACT_MODES = CHECK_MODES;

/** HERALD_CONTRACT: `enforce` unless it says otherwise. */
export function parseContractMode(value: string | undefined): ContractMode {
  return parseCheckMode('HERALD_CONTRACT', value);
}

export interface ContractViolation {
  service: string;
  operation: string;
  status: number;
  /** What is wrong, each point of it. */
  message: string;
  /** The mode it was seen in: `enforce` answered 500 instead, `report` let it through. */
  mode: ContractMode;
  count: number;
}

export interface ContractUsageRecord {
  mode: ContractMode;
  /** Service → operationId → status → responses seen. */
  seen: Record<string, Record<string, Record<string, number>>>;
  violations: ContractViolation[];
  /**
   * `<service> <METHOD> <path> → <status>` → responses, for requests no operation matches, and (with
   * ` (before any function)`) those serverless-offline answered itself, as API Gateway would in AWS.
   */
  unmatched: Record<string, number>;
}

// Distinct violations and unmatched requests kept, at most: a test that loops over ids must not make
// the record grow with it (each beyond is counted in the last entry's key).
const KEPT = 500;

export class ContractLedger {
  private readonly seen: ContractUsageRecord['seen'] = {};
  private readonly violations = new Map<string, ContractViolation>();
  private readonly unmatched = new Map<string, number>();

  constructor(public mode: ContractMode) {}

  answered(service: string, operation: string, status: number): void {
    const operations = (this.seen[service] ??= {});
    const statuses = (operations[operation] ??= {});
    statuses[status] = (statuses[status] ?? 0) + 1;
  }

  broken(violation: Omit<ContractViolation, 'count' | 'mode'>): void {
    const key = `${this.mode} ${violation.service} ${violation.operation} ${violation.status} ${violation.message}`;
    const known = this.violations.get(key);
    if (known) known.count += 1;
    else if (this.violations.size < KEPT)
      this.violations.set(key, { ...violation, mode: this.mode, count: 1 });
  }

  /** A request no operation matches, or one answered before any function ran (`gateway`). */
  noOperation(service: string, method: string, url: string, status: number, gateway = false): void {
    const path = url.split('?')[0]!;
    // A fuzzed path can be kilobytes long: enough of it to tell what it was.
    const shown = path.length > 200 ? `${path.slice(0, 200)}...` : path;
    const key = `${service} ${method} ${shown} → ${status}${gateway ? ' (before any function)' : ''}`;
    if (this.unmatched.has(key) || this.unmatched.size < KEPT)
      this.unmatched.set(key, (this.unmatched.get(key) ?? 0) + 1);
  }

  record(): ContractUsageRecord {
    return {
      mode: this.mode,
      seen: structuredClone(this.seen),
      violations: [...this.violations.values()].map((violation) => ({ ...violation })),
      unmatched: Object.fromEntries(this.unmatched),
    };
  }
}
