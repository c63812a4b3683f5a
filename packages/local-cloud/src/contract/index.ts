/**
 * Contract checks for the local cloud's HTTP fronts: each service's OpenAPI document loaded once,
 * one ledger for the run, and what is written to `<logDir>/contract-usage.json` at the end.
 */
import type { ServiceName } from '../config';
import { contractChecker } from './check';
import { ContractLedger, type ContractMode, type ContractUsageRecord } from './coverage';
import { loadContractDocument } from './document';
import { frontContract, type ContractLogs, type FrontContract } from './front';

export interface ContractChecks {
  mode(): ContractMode;
  setMode(mode: ContractMode): void;
  /** What every front's responses were, so far. */
  record(): ContractUsageRecord;
  /** The checks one service's front makes; undefined when the mode is `off` from the start. */
  forService(service: ServiceName): FrontContract | undefined;
}

export function contractChecks(mode: ContractMode, logs: ContractLogs): ContractChecks {
  const ledger = new ContractLedger(mode);
  return {
    mode: () => ledger.mode,
    setMode: (next) => {
      ledger.mode = next;
    },
    record: () => ledger.record(),
    // Off from the start: the documents are not even read, and the fronts stream as they did.
    forService: (service) =>
      mode === 'off'
        ? undefined
        : frontContract(contractChecker(loadContractDocument(service)), ledger, logs),
  };
}
