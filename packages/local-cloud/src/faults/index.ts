/**
 * Fault injection for the local cloud, from HERALD_FAULTS or the `faults` option: a fault stage in
 * front of each AWS service the functions call (the last stage of the IAM gateway), an
 * invoker whose event-source invocations may crash, and the control tests and the benchmark use
 * (rates at run time, counts). Without a configuration nothing is started and nothing changes.
 */
import type { FunctionInvoker } from '../types';
import {
  describeFaults,
  parseFaults,
  type FaultOptions,
  type FaultRates,
  type FaultyService,
} from './config';
import { formatFaultCounts, type FaultCounts } from './counts';
import { FaultInjectingInvoker } from './invoker';
import { FaultPlan } from './plan';

export {
  describeFaults,
  FaultConfigError,
  FAULTY_SERVICES,
  parseFaults,
  type FaultConfig,
  type FaultOptions,
  type FaultRates,
  type FaultyService,
} from './config';
export {
  AWS_FAULT_KINDS,
  faultsOf,
  formatFaultCounts,
  type AwsFaultKind,
  type CallCounts,
  type FaultCounts,
  type InvocationCounts,
  type ServiceCounts,
} from './counts';

/** `LocalCloud.faults`: what a test or the benchmark can see and change while the cloud runs. */
export interface LocalCloudFaults {
  readonly seed: number;
  /** The rates in force. */
  rates(): FaultRates;
  /** Changes rates at run time (e.g. `{ aws: 0, crash: 0 }` to stop injecting); returns the new ones. */
  set(change: FaultOptions): FaultRates;
  /** Every fault injected since the start (or the last reset), with what was not faulted. */
  counts(): FaultCounts;
  reset(): void;
  /** The IAM gateway in front of each service, where functions send their calls (faults are its last stage). */
  endpoints: Record<FaultyService, string>;
}

/**
 * Fault injection without a front of its own: the plan, which the IAM gateway runs as its fault stage
 * (`startIamGateways`' `faults` option), and what the local cloud needs around it.
 */
export interface PlannedFaults {
  plan: FaultPlan;
  /** The control, given the endpoints functions send their calls to. */
  control(endpoints: Record<FaultyService, string>): LocalCloudFaults;
  /** `inner` (the invoker that runs the functions) with invocation faults in front. */
  invoker(
    inner: FunctionInvoker,
    log: (line: string) => void,
  ): FunctionInvoker & { drained(): Promise<void> };
  /** Logs what was injected. */
  stop(): Promise<void>;
}

/** The fault plan when `options` asks for any fault (else undefined), for a front to run. */
export function planFaults(
  options: FaultOptions | undefined,
  log: (line: string) => void,
): PlannedFaults | undefined {
  const config = parseFaults(options);
  if (!config) return undefined;
  const plan = new FaultPlan(config);
  log(`injecting faults: ${describeFaults({ ...plan.rates, seed: plan.seed })}`);
  return {
    plan,
    control: (endpoints) => ({
      seed: plan.seed,
      rates: () => plan.rates,
      set: (change) => plan.set(change),
      counts: () => plan.ledger.snapshot(),
      reset: () => plan.ledger.reset(),
      endpoints,
    }),
    invoker: (inner, invokerLog) => new FaultInjectingInvoker(plan, inner, invokerLog),
    stop: async () => log(`faults injected:\n${formatFaultCounts(plan.ledger.snapshot())}`),
  };
}
