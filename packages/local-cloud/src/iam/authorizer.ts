/**
 * The gateway's authorizer: a call is read for what IAM checks (calls/), and each of those requests
 * is evaluated (evaluate.ts) against the calling function's role and the resource's policy as the
 * packaged templates declare them (roles.ts). Every request is evaluated, also after a denial, so that
 * in `report` mode the usage counts are as complete as the calls.
 *
 * A decision depends on the request (action, resource, context) and on the policies, which are fixed
 * once the local cloud has started, so each is evaluated once and remembered: a busy pipeline makes
 * the same few requests thousands of times, and evaluating them was a few percent of the local
 * cloud's CPU under load.
 */
import { interpretCall, UnknownCall } from './calls';
import { describeDenial, evaluate } from './evaluate';
import type { Authorization, Authorizer } from './gateway';
import type { IamModel } from './roles';

/** Decisions remembered at most; past that the memory starts again (a bound, never reached by Herald). */
const REMEMBERED = 10_000;

export function roleAuthorizer(model: IamModel): Authorizer {
  const decisions = new Map<string, ReturnType<typeof evaluate>>();
  return {
    authorize(service, caller, call) {
      const role = model.functions.get(caller.functionName);
      if (!role) {
        return {
          operation: 'any',
          allowed: [],
          denied: {
            action: `${service}:*`,
            resource: '*',
            message: `${caller.functionName} signed this call, but no template declares a function of that name, so it has no role`,
          },
        };
      }
      let interpreted;
      try {
        interpreted = interpretCall(service, call, model.facts, role.caller);
      } catch (error) {
        if (!(error instanceof UnknownCall)) throw error;
        // Never a silent pass: a call the local cloud cannot judge could be one AWS refuses.
        return {
          operation: error.operation,
          allowed: [],
          denied: {
            action: `${service}:${error.operation}`,
            resource: '*',
            message: `${caller.functionName}: ${error.message}, so the local cloud refuses it rather than guess (teach packages/local-cloud/src/iam/calls/ this operation)`,
          },
        };
      }
      const result: {
        operation: string;
        allowed: Authorization['allowed'][number][];
        denied?: Authorization['denied'];
      } = {
        operation: interpreted.operation,
        allowed: [],
      };
      for (const request of interpreted.requests) {
        const key = `${caller.functionName}\u0000${request.action}\u0000${request.resource}\u0000${JSON.stringify(request.context)}`;
        let decision = decisions.get(key);
        if (!decision) {
          const resourcePolicy = model.resourcePolicy(request.resource);
          decision = evaluate({
            caller: role.caller,
            request,
            identityPolicies: role.policies,
            ...(resourcePolicy ? { resourcePolicy: resourcePolicy.policy } : {}),
            // A key without a declared policy has AWS's default one, which the evaluator supplies.
            resourcePolicyIsKeyPolicy:
              resourcePolicy?.isKeyPolicy ?? request.action.toLowerCase().startsWith('kms:'),
          });
          if (decisions.size >= REMEMBERED) decisions.clear();
          decisions.set(key, decision);
        }
        if (decision.allowed) {
          result.allowed.push({
            action: request.action,
            resource: request.resource,
            allowedBy: decision.allowedBy,
          });
        } else {
          result.denied ??= {
            action: request.action,
            resource: request.resource,
            message: describeDenial(role.caller, request, decision),
          };
        }
      }
      return result;
    },
  };
}
