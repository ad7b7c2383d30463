/**
 * Helpers over the bound syntax tree of Kusto.Language (see src/kusto/bridge.ts):
 * kind names, children by role, list elements, token text and positions.
 */
import { listItems, syntaxKindName, typeName, type KustoSyntaxElement, type KustoSyntaxNode } from '../kusto/bridge';
import type { ColumnSchema, KustoColumnType } from '../schema/tables';
import { EngineError } from './errors';

export type Node = KustoSyntaxNode;

export function kindOf(node: KustoSyntaxElement): string {
  return syntaxKindName(node.Kind);
}

/** Returns the first child, token or node, with the given role (NameInParent). */
export function childOf(node: Node, role: string): Node | undefined {
  for (let index = 0; index < node.ChildCount; index++) {
    const child = node.GetChild(index);
    if (child && child.NameInParent === role) {
      return child as Node;
    }
  }
  return undefined;
}

export function requireChild(node: Node, role: string): Node {
  const child = childOf(node, role);
  if (!child) {
    throw new EngineError('runtime', `The ${kindOf(node)} node has no ${role} part.`);
  }
  return child;
}

/** Returns the elements of a List or SeparatedList node, without separators. */
export function elementsOf(list: Node | undefined): Node[] {
  const elements: Node[] = [];
  if (!list) {
    return elements;
  }
  for (let index = 0; index < list.ChildCount; index++) {
    const child = list.GetChild(index);
    if (!child || child.IsToken) {
      continue;
    }
    if (kindOf(child) === 'SeparatedElement') {
      const element = child.GetChild(0);
      if (element && !element.IsToken) {
        elements.push(element as Node);
      }
    } else {
      elements.push(child as Node);
    }
  }
  return elements;
}

/** Returns the arguments of a FunctionCallExpression. */
export function argumentsOf(call: Node): Node[] {
  const argumentList = childOf(call, 'ArgumentList');
  return argumentList ? elementsOf(childOf(argumentList, 'Expressions')) : [];
}

/** Returns the text of a token, or of the first token below a node. */
export function tokenText(element: KustoSyntaxElement | undefined): string {
  if (!element) {
    return '';
  }
  if (element.IsToken) {
    return (element as unknown as { Text: string }).Text;
  }
  for (let index = 0; index < element.ChildCount; index++) {
    const child = element.GetChild(index);
    const text = child ? tokenText(child) : '';
    if (text) {
      return text;
    }
  }
  return '';
}

/** Returns the text of every token below a node, separated by spaces: the same for spellings that differ only in spacing. */
export function fullText(element: KustoSyntaxElement): string {
  if (element.IsToken) {
    return (element as unknown as { Text: string }).Text;
  }
  const parts: string[] = [];
  for (let index = 0; index < element.ChildCount; index++) {
    const child = element.GetChild(index);
    if (child) {
      parts.push(fullText(child));
    }
  }
  return parts.join(' ');
}

/** Returns the name a NameReference, NameDeclaration or bracketed name stands for. */
export function nameOf(node: Node): string {
  const symbol = node.ReferencedSymbol;
  if (symbol && kindOf(node) !== 'NameDeclaration') {
    return symbol.Name;
  }
  const text = tokenText(node);
  const bracketed = /^\[\s*(['"])(.*)\1\s*\]$/.exec(text);
  return bracketed ? bracketed[2] : text;
}

/** Maps a bound type to a column type; decimal is kept as real, and unknown types as dynamic. */
export function columnTypeOf(node: Node): KustoColumnType {
  const type = node.ResultType ? typeName(node.ResultType) : 'dynamic';
  switch (type) {
    case 'string':
    case 'long':
    case 'int':
    case 'real':
    case 'bool':
    case 'datetime':
    case 'timespan':
    case 'guid':
      return type;
    case 'decimal':
      return 'real';
    default:
      return 'dynamic';
  }
}

/** Returns the columns of a node's bound tabular result type, or undefined when it is not a table. */
export function tableColumnsOf(node: Node): ColumnSchema[] | undefined {
  const columns = node.ResultType?.Columns;
  if (!columns) {
    return undefined;
  }
  return listItems(columns).map((column) => ({ name: column.Name, type: columnTypeOfSymbol(column.Type) }));
}

function columnTypeOfSymbol(type: { readonly Name: string; readonly Kind: number }): KustoColumnType {
  const name = typeName(type);
  const known: readonly string[] = ['string', 'long', 'int', 'real', 'bool', 'datetime', 'timespan', 'guid'];
  return known.includes(name) ? (name as KustoColumnType) : name === 'decimal' ? 'real' : 'dynamic';
}

/** Offsets at which each line of a text starts, for 1-based line and column numbers. */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let index = 0; index < text.length; index++) {
      const ch = text[index];
      if (ch === '\r' && text[index + 1] === '\n') {
        continue;
      }
      if (ch === '\n' || ch === '\r') {
        this.starts.push(index + 1);
      }
    }
  }

  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (this.starts[middle] <= offset) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return { line: low + 1, column: offset - this.starts[low] + 1 };
  }
}
