/**
 * How hard one of the local cloud's checks holds (IAM: HERALD_IAM; the API contract: HERALD_CONTRACT):
 * `enforce` refuses what breaks the rule, `report` logs it and lets it through, `off` does not check.
 */
export type CheckMode = 'enforce' | 'report' | 'off';
export const CHECK_MODES: readonly CheckMode[] = ['enforce', 'report', 'off'];

/** The setting's value, `enforce` when unset; anything else names the setting and what it may be. */
export function parseCheckMode(setting: string, value: string | undefined): CheckMode {
  if (value === undefined || value.trim() === '') return 'enforce';
  const mode = value.trim().toLowerCase();
  if ((CHECK_MODES as readonly string[]).includes(mode)) return mode as CheckMode;
  throw new Error(`${setting} must be one of ${CHECK_MODES.join(', ')}; got "${value}"`);
}
