/**
 * parse (kind=simple, the default, and kind=regex): matches a text
 * expression against a pattern of string literals, `*` and new columns,
 * from the start of the text. Rows that do not match keep null in the new
 * columns, as in Kusto.
 */
import { buildColumn, ColumnarTable, type ColumnEntry } from './columns';
import { convertInput } from './builder';
import type { Scope } from './context';
import { compileRowExpression } from './scalar';
import { compileRegex } from './strings';
import { childOf, elementsOf, kindOf, nameOf, requireChild, tableColumnsOf, tokenText, type Node } from './syntax';

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds the regular expression of a parse pattern and the column each capture group fills. */
function patternRegex(patterns: readonly Node[], regexKind: boolean): { source: string; captures: string[] } {
  const captures: string[] = [];
  let source = '^';
  patterns.forEach((pattern, index) => {
    const last = index === patterns.length - 1;
    const kind = kindOf(pattern);
    if (kind === 'StringLiteralExpression') {
      const text = typeof pattern.LiteralValue === 'string' ? pattern.LiteralValue : '';
      source += regexKind ? text : escapeRegex(text);
    } else if (kind === 'StarExpression') {
      source += last ? '.*' : '.*?';
    } else {
      const declaration = kind === 'NameAndTypeDeclaration' ? requireChild(pattern, 'Name') : pattern;
      captures.push(nameOf(declaration));
      // A column at the end of the pattern takes the rest of the text.
      source += last ? '(.*)$' : '(.*?)';
    }
  });
  return { source, captures };
}

export function parse(node: Node, input: ColumnarTable, scope: Scope): ColumnarTable {
  const kindParameter = elementsOf(childOf(node, 'Parameters')).find((parameter) => nameOf(requireChild(parameter, 'Name')).toLowerCase() === 'kind');
  const kind = kindParameter ? tokenText(requireChild(kindParameter, 'Expression')).toLowerCase() : 'simple';
  if (kind !== 'simple' && kind !== 'regex') {
    throw scope.run.unsupported(node, `parse kind=${kind}`);
  }
  const { source, captures } = patternRegex(elementsOf(childOf(node, 'Patterns')), kind === 'regex');
  const regex = compileRegex(source, node, scope, 's');
  const text = compileRowExpression(requireChild(node, 'Expression'), scope).fn;
  const matches = new Array<RegExpExecArray | null>(input.rowCount);
  for (let row = 0; row < input.rowCount; row++) {
    const value = text(row);
    matches[row] = regex.exec(typeof value === 'string' ? value : '');
  }

  const schema = tableColumnsOf(node) ?? [];
  const entries = schema.map((column): ColumnEntry => {
    const capture = captures.indexOf(column.name);
    if (capture < 0) {
      return input.entry(input.columnIndex(column.name));
    }
    return buildColumn(column.type, input.rowCount, (row) => {
      const match = matches[row];
      return match ? convertInput(match[capture + 1], column.type) : convertInput(null, column.type);
    });
  });
  return new ColumnarTable(input.name, schema, entries, input.rowCount);
}
