/**
 * SSM Parameter Store (JSON 1.1, `X-Amz-Target: AmazonSSM.<Op>`).
 *
 * Each operation acts on the parameters it names (Service Authorization Reference, "Actions, resources,
 * and condition keys for AWS Systems Manager": resource type `parameter`,
 * `arn:…:parameter/<name without its leading slash>`); a call naming several (GetParameters,
 * DeleteParameters) needs the action on each. GetParametersByPath acts on the path as a parameter ARN, with
 * `ssm:Recursive`; PutParameter sets `ssm:Overwrite`. A name may be given as an ARN or with a `:version`
 * selector, which is not part of the resource.
 *
 * Herald's functions read no parameter at run time (deploys do), so no role grants ssm actions: a function
 * that called SSM would be denied, as in AWS. KMS through SSM (a SecureString under a customer managed key)
 * is not judged: the call does not say the parameter's type.
 */
import type { AuthorizationRequest } from '../types';
import { type HttpCall, type Interpretation, UnknownCall, jsonBody, str, targetOperation } from './common';
import { iamAction, resourceArn } from './catalogue';

const SINGLE = ['GetParameter', 'PutParameter', 'DeleteParameter'];
const MANY = ['GetParameters', 'DeleteParameters'];

export function interpretSsm(call: HttpCall, i: Interpretation) {
  const operation = targetOperation(call);
  if (![...SINGLE, ...MANY, 'GetParametersByPath'].includes(operation))
    throw new UnknownCall('ssm', operation);
  const params = jsonBody('ssm', operation, call);
  const names = MANY.includes(operation)
    ? (Array.isArray(params.Names) ? params.Names : []).map(str)
    : [str(operation === 'GetParametersByPath' ? params.Path : params.Name)];
  if (names.length === 0 || names.some((name) => !name))
    throw new UnknownCall('ssm', operation, 'it names no parameter');
  const context = {
    ...i.base,
    ...(operation === 'GetParametersByPath' && params.Recursive === true ? { 'ssm:Recursive': 'true' } : {}),
    ...(operation === 'PutParameter'
      ? { 'ssm:Overwrite': params.Overwrite === true ? 'true' : 'false' }
      : {}),
  };
  const requests: AuthorizationRequest[] = names.map((name) => ({
    action: iamAction('ssm', operation),
    resource: parameterArn(name!, operation, i),
    context,
  }));
  return { operation, requests };
}

function parameterArn(reference: string, operation: string, { facts }: Interpretation): string {
  const at = reference.indexOf(':parameter/');
  let name = reference.startsWith('arn:') && at >= 0 ? reference.slice(at + ':parameter/'.length) : reference;
  // A `:<version>` or `:<label>` selector picks a version of the same resource.
  const colon = name.lastIndexOf(':');
  if (colon > 0) name = name.slice(0, colon);
  return resourceArn(
    'ssm',
    operation,
    'parameter',
    { ParameterNameWithoutLeadingSlash: name.replace(/^\//, '') },
    facts,
  );
}
