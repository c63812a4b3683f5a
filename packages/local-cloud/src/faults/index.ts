/**
 * Fault injection for the local cloud, from HERALD_FAULTS or the `faults` option: a fault stage in
 * front of each AWS service the functions call (in the IAM gateway, or a fault proxy of its own), an
 * invoker whose event-source invocations may crash, and the control tests and the benchmark use
 * (rates at run time, counts). Without a configuration nothing is started and nothing changes.
 */
import type { FunctionInvoker } from '../types';
import {
  describeFaults,
  FAULTY_SERVICES,
  parseFaults,
  type FaultOptions,
  type FaultRates,
  type FaultyService,
} from './config';
import { formatFaultCounts, type FaultCounts } from './counts';
import { FaultInjectingInvoker } from './invoker';
import { FaultPlan } from './plan';
import { startFaultProxy, type FaultProxy } from './proxy';

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

/** The environment variable that points the SDK of a function at each service. */
export const ENDPOINT_VARIABLE: Record<FaultyService, string> = {
  sqs: 'AWS_ENDPOINT_URL_SQS',
  dynamodb: 'AWS_ENDPOINT_URL_DYNAMODB',
  events: 'AWS_ENDPOINT_URL_EVENTBRIDGE',
  kms: 'AWS_ENDPOINT_URL_KMS',
  s3: 'AWS_ENDPOINT_URL_S3',
};

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
  /** The front in front of each service (a fault proxy, or the IAM gateway), where functions send their calls. */
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

export interface FaultInjection {
  control: LocalCloudFaults;
  /** The functions' environment: each service's endpoint replaced by its fault proxy. */
  env: Record<string, string>;
  /** `inner` (the invoker that runs the functions) with invocation faults in front. */
  invoker(
    inner: FunctionInvoker,
    log: (line: string) => void,
  ): FunctionInvoker & { drained(): Promise<void> };
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

/**
 * Starts fault injection when `options` asks for any (else undefined), with a fault proxy of its own
 * in front of each service. `awsEnv` is the environment functions would get: its endpoints, whatever
 * sits behind them, become the proxies' targets.
 */
export async function startFaults(
  options: FaultOptions | undefined,
  awsEnv: Readonly<Record<string, string>>,
  log: (line: string) => void,
): Promise<FaultInjection | undefined> {
  const planned = planFaults(options, log);
  if (!planned) return undefined;
  const { plan } = planned;
  const proxies: FaultProxy[] = [];
  const stop = async () => {
    await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
  };
  try {
    for (const service of FAULTY_SERVICES) {
      const target = awsEnv[ENDPOINT_VARIABLE[service]];
      if (target) proxies.push(await startFaultProxy(service, target, plan, log));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const env = { ...awsEnv };
  for (const proxy of proxies) env[ENDPOINT_VARIABLE[proxy.service]] = proxy.endpoint;
  return {
    env,
    control: planned.control(
      Object.fromEntries(proxies.map((p) => [p.service, p.endpoint])) as Record<FaultyService, string>,
    ),
    invoker: planned.invoker,
    async stop() {
      await planned.stop();
      await stop();
    },
  };
}
