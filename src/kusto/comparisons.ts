/**
 * Finds comparisons of a string expression with a number, such as
 * `ResultType == 0` or `ResultType in (0, 50074)`. Entra result codes are text
 * in Log Analytics, and the Kusto binder accepts `==`, `!=` and `in` between a
 * string and a number without an error, so such filters bind but do not match
 * the codes the author meant. The check walks the bound syntax tree, so it
 * reads the column's type rather than its name.
 */
import { walkSyntax, type QueryAnalysis, type SyntaxNodeView } from './service';

export interface StringNumberComparison {
  /** The whole comparison, for example `ResultType != 0`. */
  readonly text: string;
  /** The string-typed side, for example `ResultType`. */
  readonly stringOperand: string;
  /** The numeric literal, for example `0`. */
  readonly number: string;
  /** Offset and length of the numeric literal, which a quick fix replaces with a string literal. */
  readonly numberStart: number;
  readonly numberLength: number;
  readonly start: number;
  readonly length: number;
  readonly message: string;
}

/** Binary operators whose operands are compared as values. */
const BINARY_COMPARISONS = new Set([
  'EqualExpression',
  'NotEqualExpression',
  'LessThanExpression',
  'LessThanOrEqualExpression',
  'GreaterThanExpression',
  'GreaterThanOrEqualExpression',
  'EqualTildeExpression',
  'BangTildeExpression',
]);

/** Operators whose right side is a list or range of values. */
const LIST_COMPARISONS = new Set([
  'InExpression',
  'NotInExpression',
  'InCsExpression',
  'NotInCsExpression',
  'BetweenExpression',
  'NotBetweenExpression',
]);

const NUMERIC_LITERALS = new Set([
  'IntLiteralExpression',
  'LongLiteralExpression',
  'RealLiteralExpression',
  'DecimalLiteralExpression',
]);

/** Returns every comparison in the analyzed query between a string-typed expression and a numeric literal. */
export function findStringNumberComparisons(analysis: QueryAnalysis): StringNumberComparison[] {
  const findings: StringNumberComparison[] = [];
  walkSyntax(analysis.syntax, (node) => {
    if (BINARY_COMPARISONS.has(node.kind)) {
      checkBinary(node, findings);
    } else if (LIST_COMPARISONS.has(node.kind)) {
      checkList(node, findings);
    }
  });
  return findings;
}

function checkBinary(node: SyntaxNodeView, findings: StringNumberComparison[]): void {
  const left = node.child('Left');
  const right = node.child('Right');
  if (!left || !right) {
    return;
  }
  if (left.type === 'string' && isNumericLiteral(right)) {
    findings.push(finding(node, left, right));
  } else if (right.type === 'string' && isNumericLiteral(left)) {
    findings.push(finding(node, right, left));
  }
}

function checkList(node: SyntaxNodeView, findings: StringNumberComparison[]): void {
  const left = node.child('Left');
  const right = node.child('Right');
  if (!left || !right || left.type !== 'string') {
    return;
  }
  walkSyntax(right, (element) => {
    if (isNumericLiteral(element)) {
      findings.push(finding(node, left, element));
      return false;
    }
    // Values computed by a call or a subquery are not literals of this list.
    return element.kind !== 'FunctionCallExpression' && element.kind !== 'PipeExpression';
  });
}

/** True for `0`, `1.5`, `-1` and `+1`. */
function isNumericLiteral(node: SyntaxNodeView): boolean {
  if (NUMERIC_LITERALS.has(node.kind)) {
    return true;
  }
  if (node.kind === 'UnaryMinusExpression' || node.kind === 'UnaryPlusExpression') {
    const operand = node.children[0];
    return operand !== undefined && NUMERIC_LITERALS.has(operand.kind);
  }
  return false;
}

function finding(comparison: SyntaxNodeView, stringSide: SyntaxNodeView, numberSide: SyntaxNodeView): StringNumberComparison {
  return {
    text: comparison.text,
    stringOperand: stringSide.text,
    number: numberSide.text,
    numberStart: numberSide.start,
    numberLength: numberSide.length,
    start: comparison.start,
    length: comparison.length,
    message:
      `${stringSide.text} is a string, but \`${comparison.text}\` compares it with the number ${numberSide.text}; ` +
      `compare with the string "${numberSide.text.replace(/^\+/, '')}" instead.`,
  };
}
