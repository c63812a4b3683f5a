/**
 * The contract checks as a service's HTTP front uses them (HERALD_CONTRACT): with `enforce` or
 * `report` the front reads each upstream response whole and asks `judge` about it before passing it
 * on. Every response is counted (ContractLedger); one that breaks the document is logged, and with
 * `enforce` answered `500 application/problem+json` "response breaks the contract: ..." instead, so
 * the test that made the request fails saying what is wrong. `off`: the front streams as it always did.
 */
import { HttpProblem, problemType } from '@herald/shared/problem';
import type { ContractChecker, ObservedResponse } from './check';
import type { ContractLedger, ContractMode } from './coverage';

export interface ContractAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface FrontContract {
  mode(): ContractMode;
  /** Undefined: pass the response as it came; otherwise the answer to send instead. */
  judge(method: string, url: string, response: ObservedResponse): ContractAnswer | undefined;
}

export interface ContractLogs {
  /** A response that broke the document. */
  log: (line: string) => void;
  /** Every response judged, one line each (the contract log file only: tests find theirs there). */
  trace?: (line: string) => void;
}

export function frontContract(
  checker: ContractChecker,
  ledger: ContractLedger,
  logs: ContractLogs,
): FrontContract {
  const { log, trace } = logs;
  const service = checker.service;
  return {
    mode: () => ledger.mode,
    judge(method, url, response) {
      const verdict = checker.check(method, url, response);
      const path = url.split('?')[0];
      const correlationId = response.headers['x-correlation-id'];
      const outcome =
        verdict.kind === 'unmatched'
          ? 'no operation'
          : verdict.kind === 'gateway'
            ? 'before any function'
            : verdict.violations.length > 0
              ? 'BROKEN'
              : 'ok';
      trace?.(
        `${outcome} ${service} ${verdict.kind === 'checked' ? verdict.operation.id : '-'} ${response.status} ` +
          `${method} ${path} correlation-id=${String(correlationId ?? '-')}`,
      );
      if (verdict.kind !== 'checked') {
        ledger.noOperation(service, method, url, response.status, verdict.kind === 'gateway');
        return undefined;
      }
      const operation = verdict.operation.id;
      ledger.answered(service, operation, response.status);
      if (verdict.violations.length === 0) return undefined;
      const message = verdict.violations.join('; ');
      ledger.broken({ service, operation, status: response.status, message });
      const detail = `response breaks the contract: ${operation} ${response.status}: ${message}`;
      if (ledger.mode !== 'enforce') {
        log(`contract (HERALD_CONTRACT=report, let through): ${service} ${method} ${path}: ${detail}`);
        return undefined;
      }
      log(`contract: ${service} ${method} ${path}: ${detail}`);
      const problem = new HttpProblem(500, {
        type: problemType('contract-violation'),
        detail,
        extra: { service, operation, upstreamStatus: response.status, violations: verdict.violations },
      }).toProblem();
      const body = JSON.stringify(problem);
      return {
        status: 500,
        headers: {
          'content-type': 'application/problem+json',
          'cache-control': 'no-store',
          ...(typeof correlationId === 'string' ? { 'x-correlation-id': correlationId } : {}),
        },
        body,
      };
    },
  };
}
