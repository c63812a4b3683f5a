/**
 * Fault injection as a stage of the local cloud's front to the emulators: each call a function makes
 * is forwarded as it came, or failed per the plan. The IAM gateway runs this stage after it has
 * authorized a call (a denied call is not faulted); `startFaultProxy` runs it alone, as a front of
 * its own in front of one emulator endpoint.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createUpstream, readAll, type FrontRequest, type Upstream } from '../iam/gateway-upstream';
import { listenOnLoopback } from '../ports';
import {
  describeCall,
  internalErrorAnswer,
  throttlingAnswer,
  type Answer,
  type CallInfo,
} from './aws-errors';
import type { FaultyService } from './config';
import type { AwsFaultKind } from './counts';
import { canFailByEntry, partialFault } from './partial-batch';
import type { FaultPlan } from './plan';

export interface FaultProxy {
  service: FaultyService;
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL_<SERVICE>. */
  endpoint: string;
  stop(): Promise<void>;
}

/** Answers one call: forwarded to the emulator through `upstream`, or faulted. */
export type FaultStage = (request: FrontRequest, res: ServerResponse) => Promise<void>;

export function sendAnswer(res: ServerResponse, answer: Answer): void {
  const body = Buffer.from(answer.body);
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(body.length) });
  res.end(body);
}

export function faultStage(service: FaultyService, plan: FaultPlan, upstream: Upstream): FaultStage {
  async function faulted(
    request: FrontRequest,
    res: ServerResponse,
    call: CallInfo,
    fault: AwsFaultKind,
  ): Promise<void> {
    const { method } = request;
    const record = (kind: AwsFaultKind, entriesFailed = 0) =>
      plan.ledger.attempt(service, call.operation, call.invocationId, kind, entriesFailed);
    if (fault === 'throttle') {
      record(fault);
      return sendAnswer(res, throttlingAnswer(service, call, method, plan.random(`${service} answers`)));
    }
    const partial =
      fault === 'partial'
        ? partialFault(service, call.operation, request.body, plan.random(`${service} entries`))
        : undefined;
    if (partial) {
      record('partial', partial.failed);
      const answered = partial.forward ? await upstream.forwardBuffered(request, partial.forward) : undefined;
      const { status, body: text } = partial.answer(answered);
      const contentType = String(answered?.headers['content-type'] ?? 'application/x-amz-json-1.0');
      return sendAnswer(res, { status, headers: { 'content-type': contentType }, body: text });
    }
    // A batch without entries to fail one by one fails as a whole.
    const kind = fault === 'partial' ? 'error' : fault;
    record(kind);
    // error-after: the emulator applies the call; only its answer is lost.
    if (kind === 'error-after') await upstream.forwardBuffered(request);
    return sendAnswer(res, internalErrorAnswer(service, call, method));
  }

  return async (request, res) => {
    const call = describeCall(service, request.method, request.path, request.headers, request.body);
    const fault = plan.awsFault(service, canFailByEntry(service, call.operation, call.protocol), call);
    if (fault) return faulted(request, res, call, fault);
    plan.ledger.attempt(service, call.operation, call.invocationId, undefined);
    return upstream.pass(request, res);
  };
}

/** What a front read of a request, whole. */
export async function readRequest(req: IncomingMessage): Promise<FrontRequest> {
  const body = await readAll(req);
  return { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body };
}

export async function startFaultProxy(
  service: FaultyService,
  target: string,
  plan: FaultPlan,
  log: (line: string) => void,
): Promise<FaultProxy> {
  const upstream = createUpstream(target, `fault proxy (${service})`, log);
  const stage = faultStage(service, plan, upstream);
  const server = createServer((req, res) => {
    readRequest(req)
      .then((request) => stage(request, res))
      .catch((error: unknown) => {
        // The emulator is unreachable: the caller sees what it would see of a dead endpoint.
        log(`fault proxy (${service}): ${req.method} ${req.url}: ${String(error)}`);
        res.destroy();
      });
  });
  // Longer than the SDK keeps an idle connection, so a client never reuses one this side closed.
  server.keepAliveTimeout = 65_000;
  const port = await listenOnLoopback(server, 'auto', {
    purpose: `fault proxy for ${service}`,
    setting: 'HERALD_FAULTS',
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
