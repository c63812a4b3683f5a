/**
 * What a local cloud's IAM gateways saw, written to `<logDir>/iam-usage.json` when it stops: the
 * statements each function's calls used, the denials, and the calls that were not judged. The
 * unused-grants report (`npm run iam:report`) reads every such file of a test run.
 */
import type { IamGateways } from './gateway';
import type { Denial, IamUsage } from './gateway-ledger';

export const IAM_USAGE_FILE = 'iam-usage.json';

export interface IamUsageRecord {
  mode: string;
  usage: IamUsage;
  denials: readonly Denial[];
  /** `<function> <service> <operation>` → calls forwarded without a judgement. */
  uninterpreted: Record<string, number>;
  /** Access key id → calls no function signed. */
  unattributed: Record<string, number>;
}

export function iamUsageRecord(
  iam: Pick<IamGateways, 'mode' | 'usage' | 'denials' | 'uninterpreted' | 'unattributed'>,
): IamUsageRecord {
  return {
    mode: iam.mode(),
    usage: iam.usage(),
    denials: iam.denials(),
    uninterpreted: iam.uninterpreted(),
    unattributed: iam.unattributed(),
  };
}
