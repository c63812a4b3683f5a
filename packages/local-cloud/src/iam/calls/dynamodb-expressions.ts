/**
 * The top-level attribute names a DynamoDB expression (update, condition, filter, projection, key
 * condition) names, with `#placeholders` resolved through ExpressionAttributeNames: what
 * `dynamodb:Attributes` counts from an expression (DynamoDB Developer Guide, "Using IAM policy
 * conditions for fine-grained access control": the attributes read, written, or evaluated in a
 * conditional write or filter; a nested path `a.b[0]` accesses the top-level attribute `a`).
 *
 * Not a full grammar: a name is an identifier or a placeholder that starts a path (not after `.`),
 * is not a function (followed by `(`), and is not one of the expression keywords. Values (`:v`),
 * numbers and list indexes are skipped.
 */
const KEYWORDS = new Set(['set', 'remove', 'add', 'delete', 'and', 'or', 'not', 'between', 'in']);

const TOKEN = /#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*|\[\s*\d+\s*\]|\S/g;

export function expressionAttributes(
  expression: string | undefined,
  names: Record<string, string> | undefined,
): string[] {
  if (!expression) return [];
  const tokens = expression.match(TOKEN) ?? [];
  const found: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const previous = tokens[i - 1];
    const next = tokens[i + 1];
    if (previous === '.') continue; // a nested part of a path
    if (token.startsWith('#')) {
      const name = names?.[token];
      if (name === undefined) throw new Error(`Expression attribute name ${token} is not defined`);
      found.push(name);
      continue;
    }
    if (!/^[A-Za-z_]/.test(token)) continue;
    if (next === '(') continue; // a function: attribute_exists, begins_with, size, if_not_exists...
    if (KEYWORDS.has(token.toLowerCase())) continue;
    found.push(token);
  }
  return found;
}

/**
 * The values a KeyConditionExpression requires the partition key to equal (`pk = :v` or `:v = pk`),
 * resolved through ExpressionAttributeValues: what `dynamodb:LeadingKeys` is for a Query.
 */
export function partitionKeyValues(
  expression: string | undefined,
  partitionKey: string,
  names: Record<string, string> | undefined,
  values: Record<string, unknown> | undefined,
): string[] {
  if (!expression) return [];
  const tokens = expression.match(TOKEN) ?? [];
  const isKey = (token: string | undefined) =>
    token !== undefined && (token.startsWith('#') ? names?.[token] === partitionKey : token === partitionKey);
  const out: string[] = [];
  for (let i = 1; i < tokens.length - 1; i++) {
    if (tokens[i] !== '=') continue;
    const [left, right] = [tokens[i - 1], tokens[i + 1]];
    const placeholder = isKey(left) ? right : isKey(right) ? left : undefined;
    if (!placeholder?.startsWith(':')) continue;
    const value = scalar(values?.[placeholder]);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/** A key attribute's value as a string, from DynamoDB JSON (`{ "S": "x" }`, `{ "N": "1" }`, `{ "B": ... }`). */
export function scalar(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const typed = value as Record<string, unknown>;
  for (const type of ['S', 'N', 'B']) if (typeof typed[type] === 'string') return typed[type] as string;
  return undefined;
}
