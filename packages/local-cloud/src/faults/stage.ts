/**
 * Fault injection as a stage of the local cloud's front to the emulators: each call a function makes
 * is forwarded as it came, or failed per the plan. The IAM gateway runs this stage after it has
 * authorized a call (a denied call is not faulted; with HERALD_IAM=off every call reaches it).
 */
import type { ServerResponse } from 'node:http';
import { sendAnswer, type FrontRequest, type Upstream } from '../iam/gateway-upstream';
import { describeCall, internalErrorAnswer, throttlingAnswer, type CallInfo } from './aws-errors';
import type { FaultyService } from './config';
import type { AwsFaultKind } from './counts';
import { canFailByEntry, partialFault } from './partial-batch';
import type { FaultPlan } from './plan';

/** Answers one call: forwarded to the emulator through `upstream`, or faulted. */
export type FaultStage = (request: FrontRequest, res: ServerResponse) => Promise<void>;

export function faultStage(service: FaultyService, plan: FaultPlan, upstream: Upstream): FaultStage {
  async function faulted(
    request: FrontRequest,
    res: ServerResponse,
    call: CallInfo,
    fault: AwsFaultKind,
  ): Promise<void> {
    const record = (kind: AwsFaultKind, entriesFailed = 0) =>
      plan.ledger.attempt(service, call.operation, call.invocationId, kind, entriesFailed);
    if (fault === 'throttle') {
      record(fault);
      return sendAnswer(res, throttlingAnswer(service, request, plan.random(`${service} answers`)));
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
    return sendAnswer(res, internalErrorAnswer(service, request));
  }

  return async (request, res) => {
    const call = describeCall(service, request.method, request.path, request.headers, request.body);
    const fault = plan.awsFault(service, canFailByEntry(service, call.operation, call.protocol), call);
    if (fault) return faulted(request, res, call, fault);
    plan.ledger.attempt(service, call.operation, call.invocationId, undefined);
    return upstream.pass(request, res);
  };
}
