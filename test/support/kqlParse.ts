import { analyzeQuery, walkSyntax, type SyntaxNodeView } from '../../src/kusto/service';

/** Parses `print x = <literal>` with the Kusto parser and returns its error messages and every literal node. */
export function parseLiteral(literal: string): { errors: string[]; literals: SyntaxNodeView[] } {
  const analysis = analyzeQuery(`print x = ${literal}`, [], { analyzers: false });
  const literals: SyntaxNodeView[] = [];
  walkSyntax(analysis.syntax, (node) => {
    if (node.isLiteral) {
      literals.push(node);
    }
  });
  const errors = analysis.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => diagnostic.message);
  return { errors, literals };
}
