/**
 * CloudFormation's pseudo parameters resolved to stand-in values of the form they take, and the
 * `Fn::Sub` and `Fn::Join` made of nothing else folded into the strings they become: what a
 * CloudFormation hook sees of them. References to resources and parameters are left as they are.
 */

/** An account, region and partition of the right form: no real one. */
export const STAND_INS: Readonly<Record<string, string>> = {
  'AWS::AccountId': '123456789012',
  'AWS::Region': 'us-east-1',
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function sub(template: string): string | undefined {
  let unresolved = false;
  const text = template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    const value = STAND_INS[name];
    if (value === undefined) unresolved = true;
    return value ?? whole;
  });
  return unresolved ? undefined : text;
}

export function resolvePseudoParameters<T>(value: T): T {
  if (Array.isArray(value)) return value.map(resolvePseudoParameters) as T;
  if (!isRecord(value)) return value;
  const resolved: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) resolved[key] = resolvePseudoParameters(child);
  const keys = Object.keys(resolved);
  if (keys.length !== 1) return resolved as T;
  const [key] = keys as [string];
  const argument = resolved[key];
  if (key === 'Ref' && typeof argument === 'string' && argument in STAND_INS) return STAND_INS[argument] as T;
  if (key === 'Fn::Sub' && typeof argument === 'string') return (sub(argument) ?? resolved) as T;
  if (key === 'Fn::Join' && Array.isArray(argument) && typeof argument[0] === 'string') {
    const parts = argument[1];
    if (Array.isArray(parts) && parts.every((part) => typeof part === 'string')) {
      return parts.join(argument[0]) as T;
    }
  }
  return resolved as T;
}
