/**
 * Each function's own AWS credentials in the local cloud, so the local cloud's IAM gateway can tell
 * which function signed a call (the access key id is in every SigV4 signature) and check it against
 * that function's role. The access key id is the function's deployed name, encoded so it can be read
 * back without a table: the local cloud's gateway decodes it, and this plugin hands it to each
 * function serverless-offline runs, with no list of names passed between them.
 *
 * Only letters and digits: DynamoDB Local (2.0 and later) rejects an access key id with anything else
 * ("AWS_ACCESS_KEY_ID can contain only letters (A–Z, a–z) and numbers (0–9)", DynamoDB Local's
 * usage notes), and the gateway forwards the signed request to it unchanged. A Lambda function name
 * is letters, digits, `-` and `_` (Lambda's CreateFunction, FunctionName), so:
 *
 *   `-` → `0`, `_` → `1`, a digit d → `9d`, a letter → itself, after the prefix `LOCALFN`
 *
 * e.g. `herald-ingest-local-acceptEvents` → `LOCALFNherald0ingest0local0acceptEvents`, which reads
 * as the name it is and decodes to exactly one name.
 */

/** What every function's access key id starts with. */
export const FUNCTION_KEY_PREFIX = 'LOCALFN';

/** The environment variable the local cloud sets for `serverless offline start`: see `parseFunctionCredentials`. */
export const FUNCTION_CREDENTIALS_VARIABLE = 'HERALD_FUNCTION_CREDENTIALS';

export interface FunctionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The access key id of the function deployed as `functionName`. */
export function functionAccessKeyId(functionName: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(functionName))
    throw new Error(
      `"${functionName}" is not a Lambda function name (letters, digits, - and _): it has no local access key`,
    );
  return (
    FUNCTION_KEY_PREFIX +
    functionName.replaceAll(/[0-9_-]/g, (c) => (c === '-' ? '0' : c === '_' ? '1' : `9${c}`))
  );
}

/** The function whose access key id this is, or undefined for any other key (`local`, a test's own). */
export function functionOfAccessKeyId(accessKeyId: string): string | undefined {
  if (!accessKeyId.startsWith(FUNCTION_KEY_PREFIX) || accessKeyId.length === FUNCTION_KEY_PREFIX.length)
    return undefined;
  let name = '';
  const code = accessKeyId.slice(FUNCTION_KEY_PREFIX.length);
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    if (/[A-Za-z]/.test(c)) name += c;
    else if (c === '0') name += '-';
    else if (c === '1') name += '_';
    else if (c === '9' && /[0-9]/.test(code[i + 1] ?? '')) name += code[++i];
    else return undefined;
  }
  return name;
}

/**
 * `HERALD_FUNCTION_CREDENTIALS`: `{"secretAccessKey":"..."}`, the secret every function signs with (the
 * gateway does not check signatures: the key id alone attributes a call). Undefined when unset.
 */
export function parseFunctionCredentials(value: string | undefined): { secretAccessKey: string } | undefined {
  if (value === undefined || value === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const secret = (parsed as { secretAccessKey?: unknown } | undefined)?.secretAccessKey;
  if (typeof secret !== 'string' || secret === '')
    throw new Error(
      `${FUNCTION_CREDENTIALS_VARIABLE} must be JSON {"secretAccessKey":"<non-empty string>"}, got ${value}`,
    );
  return { secretAccessKey: secret };
}

/** The credentials of the function deployed as `functionName`. */
export function functionCredentials(functionName: string, secretAccessKey: string): FunctionCredentials {
  return { accessKeyId: functionAccessKeyId(functionName), secretAccessKey };
}
