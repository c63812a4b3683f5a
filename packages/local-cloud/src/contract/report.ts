/**
 * The contract coverage report: for each operation of each service's OpenAPI document, which of its
 * documented statuses the local clouds of a test run saw answered (their contract-usage.json), which
 * not, and the responses that broke the document.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES } from '../config';
import { repositoryRoot } from '../repository';
import { CONTRACT_USAGE_FILE, type ContractUsageRecord, type ContractViolation } from './coverage';
import { loadContractDocument, type ContractDocument } from './document';

export interface OperationCoverage {
  service: string;
  operation: string;
  method: string;
  template: string;
  seen: string[];
  notSeen: string[];
  /** Statuses answered that the document does not give (each is also a violation). */
  undocumented: string[];
}

export interface ContractReport {
  operations: OperationCoverage[];
  /** Documented (operation, status) pairs, and how many of them were seen. */
  documented: number;
  exercised: number;
  violations: ContractViolation[];
  unmatched: Record<string, number>;
}

/** The report over the documents and the records of a run. */
export function contractReport(
  documents: readonly ContractDocument[],
  records: readonly ContractUsageRecord[],
): ContractReport {
  const operations: OperationCoverage[] = [];
  for (const document of documents) {
    for (const operation of document.operations) {
      const seen = new Set(
        records.flatMap((record) => Object.keys(record.seen[document.service]?.[operation.id] ?? {})),
      );
      const documented = Object.keys(operation.responses);
      operations.push({
        service: document.service,
        operation: operation.id,
        method: operation.method,
        template: operation.template,
        seen: documented.filter((status) => seen.has(status)),
        notSeen: documented.filter((status) => !seen.has(status)),
        undocumented: [...seen].filter((status) => !documented.includes(status)).sort(),
      });
    }
  }
  const violations = new Map<string, ContractViolation>();
  for (const record of records)
    for (const violation of record.violations) {
      const key = `${violation.mode} ${violation.service} ${violation.operation} ${violation.status} ${violation.message}`;
      const known = violations.get(key);
      if (known) known.count += violation.count;
      else violations.set(key, { ...violation });
    }
  const unmatched: Record<string, number> = {};
  for (const record of records)
    for (const [request, count] of Object.entries(record.unmatched))
      unmatched[request] = (unmatched[request] ?? 0) + count;
  return {
    operations,
    documented: operations.reduce((n, op) => n + op.seen.length + op.notSeen.length, 0),
    exercised: operations.reduce((n, op) => n + op.seen.length, 0),
    violations: [...violations.values()],
    unmatched,
  };
}

/** Every contract-usage.json under `dir` (the local clouds' log directories). */
export function findContractUsageFiles(dir = join(repositoryRoot, '.local-cloud')): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => path === CONTRACT_USAGE_FILE || path.endsWith(`/${CONTRACT_USAGE_FILE}`))
    .map((path) => join(dir, path))
    .sort();
}

/** The report over the services' documents and the given usage files (default: all under .local-cloud/). */
export function loadContractReport(
  usageFiles = findContractUsageFiles(),
): ContractReport & { usageFiles: string[] } {
  const records = usageFiles.map((file) => JSON.parse(readFileSync(file, 'utf8')) as ContractUsageRecord);
  return { ...contractReport(SERVICES.map(loadContractDocument), records), usageFiles };
}
