/**
 * The operator routes as Lambda handlers on the shared HTTP entry helper: the operator scope, the
 * routes' schemas. A service's handler modules pass in its wiring.
 */
import { httpHandler, type HttpLambdaHandler } from '../entry/http';
import validateInspect from './inspect-dead-letters.validator.generated';
import validateRedrive from './redrive-dead-letters.validator.generated';
import {
  inspectDeadLettersRoute,
  OPERATOR_SCOPE,
  redriveDeadLettersRoute,
  type DeadLetterDeps,
} from './routes';

export function inspectDeadLettersHandler(deps: () => DeadLetterDeps): HttpLambdaHandler {
  return httpHandler(inspectDeadLettersRoute(deps), { scopes: [OPERATOR_SCOPE], validator: validateInspect });
}

export function redriveDeadLettersHandler(deps: () => DeadLetterDeps): HttpLambdaHandler {
  return httpHandler(redriveDeadLettersRoute(deps), { scopes: [OPERATOR_SCOPE], validator: validateRedrive });
}
