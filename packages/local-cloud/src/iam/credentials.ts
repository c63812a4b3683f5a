/**
 * Who signed a call: each function signs with an access key id of its own (its deployed name,
 * encoded; see @herald/serverless-plugin's function-credentials, which serverless-offline's functions
 * get their keys from), and SigV4 puts the access key id in every request.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { REGION } from '../aws';
import {
  FUNCTION_CREDENTIALS_VARIABLE,
  functionCredentials,
  type FunctionCredentials,
} from '@herald/serverless-plugin/function-credentials';

export {
  FUNCTION_CREDENTIALS_VARIABLE,
  functionAccessKeyId,
  functionCredentials,
  functionOfAccessKeyId,
  type FunctionCredentials,
} from '@herald/serverless-plugin/function-credentials';

/**
 * The secret every function signs with. Nothing checks signatures locally (the emulators do not,
 * and the gateway attributes a call by its key id alone), so it need not be secret.
 */
export const FUNCTION_SECRET_ACCESS_KEY = 'local-function-secret';

/** A function's credentials as environment variables. */
export function credentialsEnv(functionName: string): Record<string, string> {
  const own: FunctionCredentials = functionCredentials(functionName, FUNCTION_SECRET_ACCESS_KEY);
  return { AWS_ACCESS_KEY_ID: own.accessKeyId, AWS_SECRET_ACCESS_KEY: own.secretAccessKey };
}

/**
 * What the user agent of a probe carries: a call a test makes with a function's credentials, to see
 * what the function's role allows. Its denials are intended, and what it uses proves nothing about
 * what the function's code needs, so the unused-grants report leaves probes out.
 */
export const PROBE_USER_AGENT = 'herald-iam-probe';

/** True when the request is a probe's (its User-Agent carries PROBE_USER_AGENT). */
export function isProbe(headers: IncomingHttpHeaders): boolean {
  const agents = [headers['user-agent'], headers['x-amz-user-agent']].flat();
  return agents.some((agent) => agent?.includes(PROBE_USER_AGENT) === true);
}

/**
 * SDK client settings that act as a function, as a probe: its credentials, sent to the gateway in
 * front of a service (`LocalCloud.endpoints.gateways`), so the call is judged against the function's
 * role.
 */
export function functionClientConfig(endpoint: string, functionName: string) {
  const own = functionCredentials(functionName, FUNCTION_SECRET_ACCESS_KEY);
  return {
    endpoint,
    region: REGION,
    credentials: { accessKeyId: own.accessKeyId, secretAccessKey: own.secretAccessKey },
    customUserAgent: PROBE_USER_AGENT,
  };
}

/** What serverless-offline's process needs so the plugin gives each function its credentials. */
export function offlineCredentialsEnv(): Record<string, string> {
  return { [FUNCTION_CREDENTIALS_VARIABLE]: JSON.stringify({ secretAccessKey: FUNCTION_SECRET_ACCESS_KEY }) };
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * The access key id a request was signed with: from the `Authorization` header
 * (`AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/<service>/aws4_request, SignedHeaders=...,
 * Signature=...`) or a presigned URL's `X-Amz-Credential` query parameter (same scope), as AWS's
 * "Authenticating Requests (AWS Signature Version 4)" describes both. Undefined if unsigned.
 */
export function accessKeyIdOf(headers: IncomingHttpHeaders, path: string): string | undefined {
  const authorization = first(headers.authorization);
  if (authorization) {
    const credential = /Credential=([^/,\s]+)\//.exec(authorization);
    if (credential) return credential[1];
  }
  const query = path.indexOf('?');
  if (query < 0) return undefined;
  const presigned = new URLSearchParams(path.slice(query + 1)).get('X-Amz-Credential');
  const key = presigned?.split('/')[0];
  return key ? key : undefined;
}
