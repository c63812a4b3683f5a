/**
 * The pure half of `npm run mutate:conditions`: where the adapters set a DynamoDB ConditionExpression,
 * what the conditions are, which mutants each gives, and the source of a mutated (or instrumented)
 * copy of an adapter. scripts/mutate-conditions.ts runs them.
 *
 * A mutant must differ from the original in what it allows and in nothing else, so DynamoDB never
 * refuses it for a reason of its own (an ExpressionAttributeValues entry no expression uses would be a
 * ValidationException that "kills" the mutant without any test noticing the condition): a condition
 * or clause is therefore dropped by making it always true (`(X OR NOT (X))`) inside a conjunction, or
 * always false (`(X AND NOT (X))`) inside a disjunction, which keeps every placeholder in use.
 */
import ts from 'typescript';

/** One `ConditionExpression: <expression>` in an adapter. */
export interface ConditionSite {
  /** Repository-relative path of the adapter. */
  file: string;
  line: number;
  /** Offsets of the expression in the file's text. */
  start: number;
  end: number;
  /** The condition when the expression is a string literal or a `const` bound to one. */
  literal?: string;
}

export function findConditionSites(file: string, text: string): ConditionSite[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const constants = new Map<string, string>();
  const sites: ConditionSite[] = [];
  const literalOf = (node: ts.Expression): string | undefined => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isIdentifier(node)) return constants.get(node.text);
    return undefined;
  };
  const visit = (node: ts.Node): void => {
    if (
      ts.isVariableDeclarationList(node) &&
      node.flags & ts.NodeFlags.Const &&
      node.declarations.length > 0
    ) {
      for (const declaration of node.declarations) {
        const value = declaration.initializer && literalOf(declaration.initializer);
        if (ts.isIdentifier(declaration.name) && value !== undefined)
          constants.set(declaration.name.text, value);
      }
    }
    if (ts.isPropertyAssignment(node) && node.name.getText(source) === 'ConditionExpression') {
      const expression = node.initializer;
      const start = expression.getStart(source);
      const literal = literalOf(expression);
      sites.push({
        file,
        line: source.getLineAndCharacterOfPosition(start).line + 1,
        start,
        end: expression.getEnd(),
        ...(literal === undefined ? {} : { literal }),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

// --- DynamoDB condition expressions -------------------------------------------------------------

interface Token {
  text: string;
  start: number;
  end: number;
}

export type ConditionNode =
  | { kind: 'and' | 'or'; children: ConditionNode[]; start: number; end: number }
  | { kind: 'not' | 'group'; child: ConditionNode; start: number; end: number }
  | { kind: 'atom'; start: number; end: number; comparator?: Token };

const TOKEN = /\s*(<>|<=|>=|=|<|>|\(|\)|,|[#:]?[A-Za-z0-9_]+(?:(?:\.[#A-Za-z0-9_]+)|(?:\[\d+\]))*)/y;
const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);

function tokenize(condition: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < condition.length) {
    if (/^\s*$/.test(condition.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(condition);
    if (!match) throw new Error(`Cannot read the condition at ${at}: ${condition}`);
    const text = match[1]!;
    const end = TOKEN.lastIndex;
    tokens.push({ text, start: end - text.length, end });
  }
  return tokens;
}

/**
 * Parses a condition (DynamoDB's grammar: comparisons, BETWEEN, IN, functions, NOT over AND over OR,
 * parentheses) into a tree whose nodes carry their offsets in the text.
 */
export function parseCondition(condition: string): ConditionNode {
  const tokens = tokenize(condition);
  let i = 0;
  const peek = (): string | undefined => tokens[i]?.text;
  const keyword = (word: string) => peek()?.toUpperCase() === word;
  const take = (expected?: string): Token => {
    const token = tokens[i];
    if (!token || (expected !== undefined && token.text.toUpperCase() !== expected))
      throw new Error(`Expected ${expected ?? 'more'} at token ${i} of: ${condition}`);
    i += 1;
    return token;
  };
  const list = (kind: 'and' | 'or', next: () => ConditionNode): ConditionNode => {
    const children = [next()];
    while (keyword(kind.toUpperCase())) {
      take();
      children.push(next());
    }
    return children.length === 1
      ? children[0]!
      : { kind, children, start: children[0]!.start, end: children.at(-1)!.end };
  };
  const operand = (): Token => {
    const name = take();
    if (peek() !== '(') return name;
    take('(');
    take();
    while (peek() === ',') {
      take(',');
      take();
    }
    const { end } = take(')');
    return { text: condition.slice(name.start, end), start: name.start, end };
  };
  const primary = (): ConditionNode => {
    if (peek() === '(') {
      const open = take('(');
      const child = or();
      const close = take(')');
      return { kind: 'group', child, start: open.start, end: close.end };
    }
    const first = operand();
    const next = peek();
    if (next !== undefined && COMPARATORS.has(next)) {
      const comparator = take();
      return { kind: 'atom', start: first.start, end: operand().end, comparator };
    }
    if (keyword('BETWEEN')) {
      take();
      operand();
      take('AND');
      return { kind: 'atom', start: first.start, end: operand().end };
    }
    if (keyword('IN')) {
      take();
      take('(');
      operand();
      while (peek() === ',') {
        take();
        operand();
      }
      return { kind: 'atom', start: first.start, end: take(')').end };
    }
    // A function such as attribute_exists(pk) is a condition of its own.
    return { kind: 'atom', start: first.start, end: first.end };
  };
  const not = (): ConditionNode => {
    if (!keyword('NOT')) return primary();
    const word = take();
    const child = not();
    return { kind: 'not', child, start: word.start, end: child.end };
  };
  const and = () => list('and', not);
  const or = () => list('or', and);
  const tree = or();
  if (i !== tokens.length) throw new Error(`Unexpected ${peek()} in: ${condition}`);
  return tree;
}

export interface Mutant {
  /** What the mutant does, for the table. */
  description: string;
  /** The condition the mutant evaluates instead. */
  mutated: string;
}

export const alwaysTrue = (condition: string) => `(${condition}) OR NOT (${condition})`;
const alwaysFalse = (condition: string) => `(${condition}) AND NOT (${condition})`;
const BOUNDARY: Record<string, string> = { '<': '<=', '<=': '<', '>': '>=', '>=': '>' };

/**
 * The mutants of one condition: the whole condition dropped; each clause of a conjunction dropped
 * (made true) and each alternative of a disjunction dropped (made false), at any depth; and each
 * ordering comparison moved across its boundary (`<` and `<=`, `>` and `>=`).
 */
export function conditionMutants(condition: string): Mutant[] {
  const mutants: Mutant[] = [{ description: 'drop the condition', mutated: alwaysTrue(condition) }];
  const splice = (start: number, end: number, text: string) =>
    condition.slice(0, start) + text + condition.slice(end);
  const walk = (node: ConditionNode): void => {
    if (node.kind === 'and' || node.kind === 'or') {
      for (const child of node.children) {
        const clause = condition.slice(child.start, child.end);
        mutants.push(
          node.kind === 'and'
            ? {
                description: `drop clause ${clause}`,
                mutated: splice(child.start, child.end, `(${alwaysTrue(clause)})`),
              }
            : {
                description: `drop alternative ${clause}`,
                mutated: splice(child.start, child.end, `(${alwaysFalse(clause)})`),
              },
        );
        walk(child);
      }
    } else if (node.kind === 'not' || node.kind === 'group') {
      walk(node.child);
    } else if (node.kind === 'atom' && node.comparator && BOUNDARY[node.comparator.text]) {
      const { start, end, text } = node.comparator;
      const atom = condition.slice(node.start, node.end);
      const flipped = BOUNDARY[text]!;
      mutants.push({
        description: `${atom}: ${text} → ${flipped}`,
        mutated: splice(start, end, flipped),
      });
    }
  };
  walk(parseCondition(condition));
  const seen = new Set<string>();
  return mutants.filter((m) => !seen.has(m.mutated) && seen.add(m.mutated));
}

// --- Mutated and instrumented copies of an adapter ----------------------------------------------

/** What a mutated copy does at one site: to every condition there, or to one of them only. */
export interface SiteMutation {
  site: ConditionSite;
  /** The condition mutated; undefined mutates whatever the site evaluates (the whole-site drop). */
  original?: string;
  mutated?: string;
}

// Typed and formatted like the rest, so nobody's typecheck or lint trips over a copy while it exists.
const HEADER = '// Written by scripts/mutate-conditions.ts, which deletes it when its run ends.\n';

function replaceAt(text: string, site: ConditionSite, replacement: (expression: string) => string): string {
  return text.slice(0, site.start) + replacement(text.slice(site.start, site.end)) + text.slice(site.end);
}

/** The adapter with one condition mutated, evaluated at run time so dynamic conditions are covered. */
export function mutatedSource(text: string, mutation: SiteMutation): string {
  const { original, mutated } = mutation;
  const apply =
    original === undefined || mutated === undefined
      ? '`(${c}) OR NOT (${c})`'
      : `(c === ${JSON.stringify(original)} ? ${JSON.stringify(mutated)} : c)`;
  return (
    HEADER +
    replaceAt(text, mutation.site, (expression) => `((c: string): string => ${apply})(${expression})`)
  );
}

/** One line of the instrumented adapters' log: a condition evaluated, and by which test file. */
export interface Observation {
  file: string;
  line: number;
  condition: string;
  testPath?: string;
}

/**
 * The adapter with every site logging the condition it evaluates (and the test file running) to the
 * file named by HERALD_MUTANT_LOG, its behaviour unchanged.
 */
export function instrumentedSource(text: string, sites: readonly ConditionSite[]): string {
  let result = text;
  for (const site of [...sites].sort((a, b) => b.start - a.start)) {
    result = replaceAt(
      result,
      site,
      (expression) => `__heraldCondition(${JSON.stringify(site.file)}, ${site.line}, ${expression})`,
    );
  }
  return `${HEADER}import { appendFileSync as __heraldAppend } from 'node:fs';
${result}
function __heraldCondition(file: string, line: number, condition: string): string {
  const jest = globalThis as { expect?: { getState?: () => { testPath?: string } } };
  const testPath = jest.expect?.getState?.().testPath;
  __heraldAppend(String(process.env.HERALD_MUTANT_LOG), JSON.stringify({ file, line, condition, testPath }) + '\\n');
  return condition;
}
`;
}

/**
 * Relative module specifiers of a TypeScript file (imports and re-exports), the rule by which a
 * contract suite is matched to the adapters it reaches.
 */
export function relativeImports(text: string): string[] {
  const specifiers: string[] = [];
  for (const match of text.matchAll(/(?:from|import)\s*['"](\.{1,2}\/[^'"]+)['"]/g))
    specifiers.push(match[1]!);
  return specifiers;
}
