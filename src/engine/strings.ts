/**
 * String operators. Operators without `_cs` ignore case. `has` matches whole
 * terms: the match must not continue into a letter or digit on either side,
 * which is how Kusto's term index splits text.
 */
import type { Scope } from './context';
import { operandText } from './operators';
import type { Compiled } from './scalar';
import type { Node } from './syntax';
import { textOf, type Value } from './values';

type Matcher = (text: string, needle: string) => boolean;

const MATCHERS: Record<string, { match: Matcher; caseSensitive: boolean }> = {
  has: { match: hasTerm, caseSensitive: false },
  has_cs: { match: hasTerm, caseSensitive: true },
  hasprefix: { match: hasPrefix, caseSensitive: false },
  hasprefix_cs: { match: hasPrefix, caseSensitive: true },
  hassuffix: { match: hasSuffix, caseSensitive: false },
  hassuffix_cs: { match: hasSuffix, caseSensitive: true },
  contains: { match: (text, needle) => text.includes(needle), caseSensitive: false },
  contains_cs: { match: (text, needle) => text.includes(needle), caseSensitive: true },
  startswith: { match: (text, needle) => text.startsWith(needle), caseSensitive: false },
  startswith_cs: { match: (text, needle) => text.startsWith(needle), caseSensitive: true },
  endswith: { match: (text, needle) => text.endsWith(needle), caseSensitive: false },
  endswith_cs: { match: (text, needle) => text.endsWith(needle), caseSensitive: true },
  '=~': { match: (text, needle) => text === needle, caseSensitive: false },
};

export const STRING_OPERATORS: ReadonlySet<string> = new Set([
  ...Object.keys(MATCHERS),
  ...Object.keys(MATCHERS).map((name) => (name === '=~' ? '!~' : `!${name}`)),
  'matches regex',
  'has_any',
  'has_all',
]);

/** True for characters that Kusto's term index keeps inside a term: ASCII letters and digits, and any non-ASCII character. */
function isTermCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code > 127;
}

/** True when `needle` occurs in `text` starting and ending on term boundaries. */
export function hasTerm(text: string, needle: string): boolean {
  if (needle.length === 0) {
    return true;
  }
  return occursOnBoundaries(text, needle, isTermCharacter(needle.charCodeAt(0)), isTermCharacter(needle.charCodeAt(needle.length - 1)));
}

function hasPrefix(text: string, needle: string): boolean {
  return occursOnBoundaries(text, needle, true, false);
}

function hasSuffix(text: string, needle: string): boolean {
  return occursOnBoundaries(text, needle, false, true);
}

/** True when `needle` occurs in `text` with a term boundary before it (when `checkStart`) and after it (when `checkEnd`). */
function occursOnBoundaries(text: string, needle: string, checkStart: boolean, checkEnd: boolean): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at < 0) {
      return false;
    }
    const end = at + needle.length;
    const startOk = !checkStart || at === 0 || !isTermCharacter(text.charCodeAt(at - 1));
    const endOk = !checkEnd || end === text.length || !isTermCharacter(text.charCodeAt(end));
    if (startOk && endOk) {
      return true;
    }
    from = at + 1;
  }
}

export function compileStringOperator(
  node: Node,
  operator: string,
  left: Compiled,
  right: Compiled,
  scope: Scope,
  deps: ReadonlySet<string> | null,
): Compiled {
  const leftText = textReader(left);
  const rightText = textReader(right);
  if (operator === 'matches regex') {
    return { fn: compileRegexMatch(node, leftText, right, scope), type: 'bool', deps };
  }
  if (operator === 'has_any' || operator === 'has_all') {
    const needles = ((right.fn(0) as unknown[] | null) ?? []).map((needle) => operandText(needle as Value, 'dynamic').toLowerCase());
    const all = operator === 'has_all';
    return {
      fn: (row) => {
        const text = leftText(row).toLowerCase();
        return all ? needles.every((needle) => hasTerm(text, needle)) : needles.some((needle) => hasTerm(text, needle));
      },
      type: 'bool',
      deps,
    };
  }
  const negated = operator.startsWith('!');
  let name = negated ? operator.slice(1) : operator;
  if (operator === '!~') {
    name = '=~';
  }
  const { match, caseSensitive } = MATCHERS[name];
  if (caseSensitive) {
    return { fn: (row) => match(leftText(row), rightText(row)) !== negated, type: 'bool', deps };
  }
  if (right.deps !== null && right.deps.size === 0) {
    const needle = rightText(0).toLowerCase();
    return { fn: (row) => match(leftText(row).toLowerCase(), needle) !== negated, type: 'bool', deps };
  }
  return {
    fn: (row) => match(leftText(row).toLowerCase(), rightText(row).toLowerCase()) !== negated,
    type: 'bool',
    deps,
  };
}

function textReader(compiled: Compiled): (row: number) => string {
  const read = compiled.fn;
  if (compiled.type === 'string') {
    return read as (row: number) => string;
  }
  const type = compiled.type;
  return (row) => operandText(read(row), type);
}

function compileRegexMatch(node: Node, text: (row: number) => string, pattern: Compiled, scope: Scope): (row: number) => boolean {
  if (pattern.deps === null || pattern.deps.size > 0) {
    throw scope.run.unsupported(node, 'matches regex with a pattern that changes per row');
  }
  const regex = compileRegex(textOf(pattern.fn(0)), node, scope);
  return (row) => regex.test(text(row));
}

/** Compiles an RE2-style pattern with JavaScript's engine; most RE2 syntax means the same there. */
export function compileRegex(source: string, node: Node, scope: Scope, flags = ''): RegExp {
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw scope.run.error('semantic', node, `Invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`);
  }
}
