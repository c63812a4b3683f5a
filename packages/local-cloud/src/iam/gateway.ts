/**
 * The IAM gateway: the one front every AWS call a function makes goes through, one HTTP server per
 * emulated service. It reads each request whole, tells which function made it from the access key
 * id it was signed with (each function has its own, see credentials.ts), asks the authorizer whether
 * that function's role allows it, and then, per HERALD_IAM:
 *
 * - `enforce` (the default): a denied call is answered AccessDenied in the service's protocol
 *   (gateway-answers.ts), so the function's SDK throws what it would throw in AWS, and never reaches
 *   the emulator;
 * - `report`: a denied call is logged and let through;
 * - `off`: nothing is asked.
 *
 * Every denial is logged (function, action, resource, why) and kept (`denials()`); the statements
 * that allowed each call are counted per function (`usage()`), for the unused-grants report.
 * A call signed with a key that is no function's (a test's client, the local cloud's own) is
 * forwarded unchecked and counted, logged once per key. Fault injection, when on, is the stage after
 * authorization (a denied call is not faulted); without it a call is forwarded as it came.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { faultStage, type FaultStage } from '../faults/stage';
import { FAULTY_SERVICES, type FaultyService } from '../faults/config';
import type { FaultPlan } from '../faults/plan';
import { listenOnLoopback } from '../ports';
import type { EventSource } from '../types';
import {
  accessKeyIdOf,
  credentialsEnv,
  functionAccessKeyId,
  functionOfAccessKeyId,
  isProbe,
  offlineCredentialsEnv,
} from './credentials';
import {
  accessDeniedAnswer,
  gatewayFailureAnswer,
  GATEWAY_SERVICES,
  type GatewayService,
} from './gateway-answers';
import {
  GatewayLedger,
  type AuthorizedRequest,
  type Denial,
  type IamMode,
  type IamUsage,
} from './gateway-ledger';
import { CHECK_MODES, parseCheckMode } from '../check-mode';
import { pollerCalls } from './event-source-roles';
import {
  createUpstream,
  readRequest,
  sendAnswer,
  type FrontRequest,
  type Upstream,
} from './gateway-upstream';

export { GATEWAY_SERVICES, type GatewayService } from './gateway-answers';
export type {
  AuthorizedRequest,
  Denial,
  GrantUse,
  IamMode,
  IamUsage,
  StatementUsage,
} from './gateway-ledger';
export type { FrontRequest as GatewayCall } from './gateway-upstream';

export const IAM_MODES: readonly IamMode[] = CHECK_MODES;

/** HERALD_IAM or the `iam` option: `enforce` when unset. */
export function parseIamMode(value: string | undefined): IamMode {
  return parseCheckMode('HERALD_IAM', value);
}

/** Who made a call: the function whose access key signed it. */
export interface GatewayCaller {
  functionName: string;
  accessKeyId: string;
}

/** What the authorizer decided about one call. */
export interface Authorization {
  /** The API operation, e.g. `PutItem`, for logs. */
  operation: string;
  /** The call's authorization requests that were allowed (all of them, unless `denied`). */
  allowed: readonly AuthorizedRequest[];
  /** The first authorization request no statement allows (or one explicitly denies). */
  denied?: {
    action: string;
    resource: string;
    /** Says what is missing: function, action, resource, the statement that would allow it. */
    message: string;
    /** The error code, when not the service's usual AccessDenied one (gateway-answers.ts). */
    code?: string;
  };
}

/**
 * The port the gateway asks. Undefined: a call the authorizer does not interpret (forwarded, counted
 * in `uninterpreted()`, logged once per kind of call).
 */
export interface Authorizer {
  authorize(
    service: GatewayService,
    caller: GatewayCaller,
    call: FrontRequest,
  ): Authorization | undefined | Promise<Authorization | undefined>;
}

export interface IamGateway {
  service: GatewayService;
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL_<SERVICE>. */
  endpoint: string;
  stop(): Promise<void>;
}

export interface IamGatewayOptions {
  service: GatewayService;
  /** The emulator's endpoint. */
  target: string;
  authorizer: Authorizer;
  /** Read at each call, so the mode can change while the cloud runs. */
  mode: () => IamMode;
  ledger: GatewayLedger;
  /** The fault plan, when faults are on: the stage after authorization. */
  faults?: FaultPlan;
  log: (line: string) => void;
  port?: number | 'auto';
  /** How calls reach the emulator, when not simply sent on to `target`. */
  upstream?: Upstream;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** A name for a kind of call the authorizer did not interpret: the target, the Action, or method and path. */
function kindOfCall(service: GatewayService, request: FrontRequest): string {
  const target = header(request.headers, 'x-amz-target');
  if (target) return target.slice(target.lastIndexOf('.') + 1);
  const [pathname = '/', query = ''] = request.path.split('?', 2);
  const action =
    new URLSearchParams(query).get('Action') ??
    (/x-www-form-urlencoded/.test(header(request.headers, 'content-type') ?? '')
      ? new URLSearchParams(request.body.toString('utf8')).get('Action')
      : null);
  if (action) return action;
  // REST: the method and the path's first segments (a bucket, or SES v2's resource), never its keys.
  const depth = service === 's3' ? 1 : 3;
  return `${request.method} /${pathname.split('/').filter(Boolean).slice(0, depth).join('/')}`;
}

/** Counts what a judged call used (unless a probe made it) and its denial, if any; returns the denial. */
function recordJudgement(
  ledger: GatewayLedger,
  call: { mode: Denial['mode']; service: GatewayService; functionName: string; probe: boolean },
  outcome: Authorization,
): Denial | undefined {
  const { mode, service, functionName, probe } = call;
  if (!probe) ledger.use(functionName, outcome.allowed);
  if (!outcome.denied) return undefined;
  const { action, resource, message } = outcome.denied;
  const denial: Denial = {
    mode,
    service,
    functionName,
    operation: outcome.operation,
    action,
    resource,
    message,
    ...(probe ? { probe: true as const } : {}),
  };
  ledger.deny(denial);
  return denial;
}

const isFaulty = (service: GatewayService): service is FaultyService =>
  (FAULTY_SERVICES as readonly string[]).includes(service);

export async function startIamGateway(options: IamGatewayOptions): Promise<IamGateway> {
  const { service, authorizer, ledger, log } = options;
  const upstream = options.upstream ?? createUpstream(options.target, `IAM gateway (${service})`, log);
  const forward: FaultStage =
    options.faults && isFaulty(service)
      ? faultStage(service, options.faults, upstream)
      : (request, res) => upstream.pass(request, res);

  /** True when the call may go on; false when it was answered here. */
  async function authorized(request: FrontRequest, res: ServerResponse): Promise<boolean> {
    const mode = options.mode();
    if (mode === 'off') return true;
    const accessKeyId = accessKeyIdOf(request.headers, request.path);
    const functionName = accessKeyId ? functionOfAccessKeyId(accessKeyId) : undefined;
    if (!functionName) {
      const key = accessKeyId ?? '(unsigned)';
      if (ledger.unattributed(key))
        log(`IAM gateway (${service}): calls signed with "${key}" are no function's: forwarded unchecked`);
      return true;
    }
    let outcome: Authorization | undefined;
    try {
      outcome = await authorizer.authorize(service, { functionName, accessKeyId: accessKeyId! }, request);
    } catch (error) {
      const message = `the local cloud could not authorize ${functionName}'s call: ${error instanceof Error ? (error.stack ?? String(error)) : String(error)}`;
      log(`IAM gateway (${service}): ${message}`);
      if (mode === 'report') return true;
      sendAnswer(res, gatewayFailureAnswer(service, request, message));
      return false;
    }
    if (!outcome) {
      const kind = `${functionName} ${service} ${kindOfCall(service, request)}`;
      if (ledger.uninterpreted(kind))
        log(`IAM gateway (${service}): ${kind}: not interpreted, forwarded unchecked`);
      return true;
    }
    const probe = isProbe(request.headers);
    const denial = recordJudgement(ledger, { mode, service, functionName, probe }, outcome);
    if (!denial) return true;
    const { action, resource, message } = denial;
    log(
      `IAM ${mode === 'enforce' ? 'denied' : 'would deny (HERALD_IAM=report, let through)'}${probe ? ' (a probe)' : ''} ` +
        `${functionName} ${action} on ${resource}: ${message}`,
    );
    if (mode === 'report') return true;
    sendAnswer(res, accessDeniedAnswer(service, request, message, outcome.denied?.code));
    return false;
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const request = await readRequest(req);
      if (await authorized(request, res)) await forward(request, res);
    })().catch((error: unknown) => {
      // The emulator is unreachable: the caller sees what it would see of a dead endpoint.
      log(`IAM gateway (${service}): ${req.method} ${req.url}: ${String(error)}`);
      res.destroy();
    });
  });
  // Longer than the SDK keeps an idle connection, so a client never reuses one this side closed.
  server.keepAliveTimeout = 65_000;
  const port = await listenOnLoopback(server, options.port ?? 'auto', {
    purpose: `IAM gateway for ${service}`,
    setting: 'HERALD_IAM',
  });
  return {
    service,
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        upstream.stop();
      }),
  };
}

/**
 * The environment variables that point a function's SDK at each service (the AWS SDK's
 * service-specific endpoint variables); DynamoDB Streams and SES v1 go through the gateway of the
 * service whose emulator serves them.
 */
export const ENDPOINT_VARIABLES: Record<GatewayService, readonly string[]> = {
  sqs: ['AWS_ENDPOINT_URL_SQS'],
  sns: ['AWS_ENDPOINT_URL_SNS'],
  dynamodb: ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL_DYNAMODB_STREAMS'],
  events: ['AWS_ENDPOINT_URL_EVENTBRIDGE'],
  kms: ['AWS_ENDPOINT_URL_KMS'],
  s3: ['AWS_ENDPOINT_URL_S3'],
  secretsmanager: ['AWS_ENDPOINT_URL_SECRETS_MANAGER'],
  ses: ['AWS_ENDPOINT_URL_SESV2', 'AWS_ENDPOINT_URL_SES'],
  ssm: ['AWS_ENDPOINT_URL_SSM'],
};

export interface IamGateways {
  /** The mode in force, and a way to change it while the cloud runs (tests). */
  mode(): IamMode;
  setMode(mode: IamMode): void;
  /** The gateway in front of each service. */
  endpoints: Partial<Record<GatewayService, string>>;
  /** A function's environment: every endpoint its gateway, and the function's own credentials. */
  envFor(functionName: string): Record<string, string>;
  /**
   * serverless-offline's process environment: every endpoint its gateway, and what makes the
   * Herald plugin give each function its own credentials (HERALD_FUNCTION_CREDENTIALS).
   */
  offlineEnv: Record<string, string>;
  denials(): readonly Denial[];
  usage(): IamUsage;
  /** Access key id → calls no function signed, forwarded unchecked. */
  unattributed(): Record<string, number>;
  /** `<function> <service> <operation>` → calls the authorizer did not interpret, forwarded. */
  uninterpreted(): Record<string, number>;
  /** Forgets denials, usage and counts (a test's own window). */
  reset(): void;
  /**
   * Judges the calls the event sources' pollers make with their functions' roles (event-source-roles.ts),
   * counting what they use; says why each mapping whose role lacks one would not deploy.
   */
  judgePollers(sources: readonly EventSource[]): Promise<string[]>;
  stop(): Promise<void>;
}

export interface IamGatewaysOptions {
  /** The fault plan (faults/index.ts `planFaults`), when faults are on. */
  faults?: FaultPlan;
  /** A service's own way to its emulator (e.g. SQS's: sqs-message-moves/gateway-route.ts). */
  upstreams?: Partial<Record<GatewayService, (log: (line: string) => void) => Upstream>>;
}

/**
 * A gateway in front of each service `awsEnv` (the environment functions would get without one)
 * has an endpoint for. Ready for `startLocalCloud`: functions get `envFor(name)` in the local
 * runtime and `offlineEnv` in serverless-offline; provisioning, pollers and tests keep the emulators'
 * own endpoints.
 */
export async function startIamGateways(
  awsEnv: Readonly<Record<string, string>>,
  authorizer: Authorizer,
  mode: IamMode,
  log: (line: string) => void,
  options: IamGatewaysOptions = {},
): Promise<IamGateways> {
  const ledger = new GatewayLedger();
  let current = mode;
  const gateways: IamGateway[] = [];
  const stop = async () => {
    await Promise.all(gateways.splice(0).map((gateway) => gateway.stop()));
  };
  const env = { ...awsEnv };
  try {
    for (const service of GATEWAY_SERVICES) {
      const variables = ENDPOINT_VARIABLES[service];
      const target = variables.map((name) => awsEnv[name]).find(Boolean);
      if (!target) continue;
      const gateway = await startIamGateway({
        service,
        target,
        authorizer,
        mode: () => current,
        ledger,
        log,
        ...(options.faults ? { faults: options.faults } : {}),
        ...(options.upstreams?.[service] ? { upstream: options.upstreams[service](log) } : {}),
      });
      gateways.push(gateway);
      // Only the variables that named this emulator: another endpoint stays where it points.
      for (const name of variables) if (awsEnv[name] === target) env[name] = gateway.endpoint;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  log(
    `IAM: ${current === 'off' ? 'not checked (HERALD_IAM=off)' : `each function's role ${current === 'enforce' ? 'enforced' : 'reported, not enforced'} (HERALD_IAM=${current})`}`,
  );
  return {
    mode: () => current,
    setMode(next) {
      current = next;
    },
    endpoints: Object.fromEntries(gateways.map((gateway) => [gateway.service, gateway.endpoint])),
    envFor: (functionName) => ({ ...env, ...credentialsEnv(functionName) }),
    offlineEnv: { ...env, ...offlineCredentialsEnv() },
    denials: () => ledger.denials(),
    usage: () => ledger.usage(),
    unattributed: () => ledger.unattributedCalls(),
    uninterpreted: () => ledger.uninterpretedCalls(),
    reset: () => ledger.reset(),
    async judgePollers(sources) {
      if (current === 'off') return [];
      const refusals: string[] = [];
      for (const source of sources) {
        const functionName = source.functionName;
        for (const { service, call } of pollerCalls(source)) {
          const outcome = await authorizer.authorize(
            service,
            { functionName, accessKeyId: functionAccessKeyId(functionName) },
            call,
          );
          if (!outcome) continue;
          const denial = recordJudgement(
            ledger,
            { mode: current, service, functionName, probe: false },
            outcome,
          );
          if (!denial) continue;
          const { action, resource, message } = denial;
          const refusal = `${functionName}'s event source mapping: its poller ${outcome.operation} needs ${action} on ${resource}: ${message}`;
          log(`IAM ${current === 'enforce' ? 'denied' : 'would deny (HERALD_IAM=report)'} ${refusal}`);
          refusals.push(refusal);
        }
      }
      return refusals;
    },
    stop,
  };
}
