// Numeric matching in EventBridge works on JSON numbers between -5.0e9 and +5.0e9 with six digits after the
// decimal point (event-ruler's ComparableNumber). Numbers outside that window never take part in numeric
// comparisons, so they are only ever matched by exact value.

export const NUMERIC_LIMIT = 5_000_000_000;
export const MAX_DECIMALS = 6;
const SCALE = 10 ** MAX_DECIMALS;

/** Digits after the decimal point in the shortest representation of `n` (1e-7 has 7). */
export function decimalPlaces(n: number): number {
  const [mantissa = '', exponent = '0'] = String(Math.abs(n)).split('e');
  const fraction = mantissa.split('.')[1] ?? '';
  return Math.max(0, fraction.length - Number(exponent));
}

/** Why `n` cannot be used in a numeric comparison, or undefined when it can. */
export function numericProblem(n: number): string | undefined {
  if (!Number.isFinite(n)) return 'Value must be a finite number';
  if (decimalPlaces(n) > MAX_DECIMALS) return `Only values upto ${MAX_DECIMALS} decimals are supported`;
  if (n < -NUMERIC_LIMIT || n > NUMERIC_LIMIT) {
    return `Value must be between ${-NUMERIC_LIMIT} and ${NUMERIC_LIMIT}, inclusive`;
  }
  return undefined;
}

export function isComparableNumber(value: unknown): value is number {
  return typeof value === 'number' && numericProblem(value) === undefined;
}

/**
 * Comparisons happen on integers scaled by 10^6 so decimal inputs compare exactly (5e9 * 1e6 stays below 2^53);
 * this is what makes 3.018e2 and 301.8 the same number.
 */
export function scaled(n: number): number {
  return Math.round(n * SCALE);
}
