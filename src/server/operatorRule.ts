/**
 * HL005: a misspelled query operator after a pipe, such as `| wher` or
 * `| summarise`. The parser reports "Query operator expected" on the word and
 * then reads the rest of the statement as a new one, so every column after
 * it is reported as unknown. This finding names the operator meant, offers
 * the change, and replaces those follow-on errors up to the end of the
 * statement.
 */
import type { KqlDiagnostic } from '../kusto/service';
import type { RuleFinding } from './rules';

export const UNKNOWN_OPERATOR_CODE = 'HL005';

/** The parser's code for a word after a pipe that is not a query operator. */
const OPERATOR_EXPECTED = 'KS176';

/** Kusto's tabular operators, as written after a pipe. */
const QUERY_OPERATORS = [
  'as', 'consume', 'count', 'distinct', 'evaluate', 'extend', 'externaldata', 'facet', 'filter', 'find', 'fork',
  'getschema', 'invoke', 'join', 'limit', 'lookup', 'make-series', 'mv-apply', 'mv-expand', 'order', 'parse',
  'parse-kv', 'parse-where', 'partition', 'print', 'project', 'project-away', 'project-keep', 'project-rename',
  'project-reorder', 'range', 'reduce', 'render', 'sample', 'sample-distinct', 'scan', 'search', 'serialize',
  'sort', 'summarize', 'take', 'top', 'top-hitters', 'top-nested', 'union', 'where',
];

/** Returns a finding with a quick fix for each misspelled operator that the parser reported. */
export function unknownOperators(text: string, diagnostics: readonly KqlDiagnostic[]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.code !== OPERATOR_EXPECTED) {
      continue;
    }
    const word = /^[A-Za-z][A-Za-z0-9_-]*/.exec(text.slice(diagnostic.start))?.[0];
    const meant = word ? closestOperator(word) : undefined;
    if (!word || !meant) {
      continue;
    }
    findings.push({
      rule: 'unknownOperator',
      code: UNKNOWN_OPERATOR_CODE,
      message: `'${word}' is not a query operator. Did you mean '${meant}'?`,
      start: diagnostic.start,
      length: statementEnd(text, diagnostic.start) - diagnostic.start,
      severity: 'error',
      fix: { title: `Change to '${meant}'`, edits: [{ start: diagnostic.start, length: word.length, newText: meant }] },
      replacesParserErrors: true,
    });
  }
  return findings;
}

/**
 * Returns the operator at the smallest edit distance from `word`: at most 1
 * for words of up to four letters (`tkae` finds `take`) and 2 for longer
 * ones. Case differences count as edits, because operators are lower case.
 */
function closestOperator(word: string): string | undefined {
  let best: string | undefined;
  let bestDistance = word.length <= 4 ? 1 : 2;
  for (const operator of QUERY_OPERATORS) {
    const distance = editDistance(word, operator);
    if (distance > 0 && distance <= bestDistance && (best === undefined || distance < bestDistance)) {
      best = operator;
      bestDistance = distance;
    }
  }
  return best;
}

/** Returns the edit distance between two short words, counting insertions, deletions, substitutions and swaps of adjacent letters. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const columns = b.length + 1;
  const cost: number[][] = [];
  for (let row = 0; row < rows; row++) {
    cost.push(new Array<number>(columns).fill(0));
    cost[row][0] = row;
  }
  for (let column = 0; column < columns; column++) {
    cost[0][column] = column;
  }
  for (let row = 1; row < rows; row++) {
    for (let column = 1; column < columns; column++) {
      const substitution = a[row - 1] === b[column - 1] ? 0 : 1;
      let best = Math.min(cost[row - 1][column] + 1, cost[row][column - 1] + 1, cost[row - 1][column - 1] + substitution);
      if (row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1]) {
        best = Math.min(best, cost[row - 2][column - 2] + 1);
      }
      cost[row][column] = best;
    }
  }
  return cost[a.length][b.length];
}

/** Returns the offset of the `;` that ends the statement at `start`, outside string literals, or the end of the text. */
function statementEnd(text: string, start: number): number {
  let quote: string | undefined;
  for (let index = start; index < text.length; index++) {
    const character = text[index];
    if (quote) {
      if (character === '\\' && quote !== '`') {
        index++;
      } else if (character === quote) {
        quote = undefined;
      }
    } else if (character === '"' || character === "'") {
      quote = character;
    } else if (character === '/' && text[index + 1] === '/') {
      const lineEnd = text.indexOf('\n', index);
      index = lineEnd < 0 ? text.length : lineEnd;
    } else if (character === ';') {
      return index;
    }
  }
  return text.length;
}
