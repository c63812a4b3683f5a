// The JSONPath subset EventBridge evaluates in InputPath and InputPathsMap: `$`, dot notation (names may contain
// dashes, underscores and slashes), array indices `[0]`, quoted names `['a.b']`, and the wildcards `.*` / `[*]`.
// A path with a wildcard yields the list of everything it reached, like the Jayway implementation AWS uses.

export type JsonPathSegment =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' };

export type JsonPathResult = { readonly found: true; readonly value: unknown } | { readonly found: false };

export class JsonPathSyntaxError extends Error {
  override name = 'JsonPathSyntaxError';
}

const NAME = /^[^.[\]\s'"*]+/;
const BRACKET = /^\[(?:(\d+)|\*|'([^']*)'|"([^"]*)")\]/;

export function parseJsonPath(path: string): JsonPathSegment[] {
  if (!path.startsWith('$')) throw new JsonPathSyntaxError(`JSON path must start with $: ${path}`);
  const segments: JsonPathSegment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    if (rest.startsWith('.*')) {
      segments.push({ kind: 'wildcard' });
      rest = rest.slice(2);
      continue;
    }
    const name = rest.startsWith('.') ? NAME.exec(rest.slice(1)) : null;
    if (name) {
      segments.push({ kind: 'key', key: name[0] });
      rest = rest.slice(1 + name[0].length);
      continue;
    }
    const bracket = BRACKET.exec(rest);
    if (!bracket) throw new JsonPathSyntaxError(`Unsupported JSON path syntax at "${rest}" in ${path}`);
    const [whole, index, single, double] = bracket;
    if (index !== undefined) segments.push({ kind: 'index', index: Number(index) });
    else if (single !== undefined || double !== undefined)
      segments.push({ kind: 'key', key: single ?? double ?? '' });
    else segments.push({ kind: 'wildcard' });
    rest = rest.slice(whole.length);
  }
  return segments;
}

export function evaluateJsonPath(document: unknown, path: string): JsonPathResult {
  const segments = parseJsonPath(path);
  const hasWildcard = segments.some((segment) => segment.kind === 'wildcard');
  let nodes: unknown[] = [document];
  for (const segment of segments) nodes = nodes.flatMap((node) => step(node, segment));
  if (hasWildcard) return { found: true, value: nodes };
  return nodes.length === 1 ? { found: true, value: nodes[0] } : { found: false };
}

function step(node: unknown, segment: JsonPathSegment): unknown[] {
  if (typeof node !== 'object' || node === null) return [];
  if (segment.kind === 'wildcard') return Object.values(node);
  if (segment.kind === 'index')
    return Array.isArray(node) && segment.index < node.length ? [node[segment.index]] : [];
  if (Array.isArray(node) || !Object.hasOwn(node, segment.key)) return [];
  return [(node as Record<string, unknown>)[segment.key]];
}
