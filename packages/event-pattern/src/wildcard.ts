// The `wildcard` operator: `*` matches any run of characters (including none), `\*` is a literal asterisk and
// `\\` a literal backslash. Consecutive `*` and any other escape are rejected, as event-ruler does.

/** The literal text between the wildcards: "a*b*c" is ["a", "b", "c"], "*.png" is ["", ".png"]. */
export type WildcardSegments = readonly string[];

export class WildcardSyntaxError extends Error {
  override name = 'WildcardSyntaxError';
}

export function parseWildcard(pattern: string): WildcardSegments {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === '*') {
      if (pattern.charAt(i + 1) === '*')
        throw new WildcardSyntaxError(`Consecutive wildcard characters at pos ${i}`);
      segments.push(current);
      current = '';
    } else if (char === '\\') {
      const next = pattern.charAt(i + 1);
      if (next !== '*' && next !== '\\')
        throw new WildcardSyntaxError(`Invalid escape character at pos ${i}`);
      current += next;
      i++;
    } else {
      current += char;
    }
  }
  segments.push(current);
  return segments;
}

/**
 * Anchored glob match without regular expressions, so a pattern full of wildcards cannot backtrack
 * catastrophically: the first and last segments pin the ends, the middle ones are found leftmost in order
 * (leftmost is always safe when the only metacharacter is `*`).
 */
export function matchWildcard(segments: WildcardSegments, value: string): boolean {
  const first = segments[0] ?? '';
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1] ?? '';
  const end = value.length - last.length;
  if (end < first.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let position = first.length;
  for (const middle of segments.slice(1, -1)) {
    const found = value.indexOf(middle, position);
    if (found < 0 || found + middle.length > end) return false;
    position = found + middle.length;
  }
  return true;
}
