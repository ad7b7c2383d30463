/**
 * Diagnostics of one statement block: the Kusto parser's and binder's errors,
 * the Kusto analyzers' warnings and Hunt Lens's rules. Results are computed
 * on block-relative offsets, so a block whose text did not change keeps its
 * result when lines above it move.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { HuntTarget } from '../hunts/types';
import { analyzeQuery, type KqlDiagnostic } from '../kusto/service';
import { DIAGNOSTIC_SOURCE } from '../protocol/languageServer';
import { TABLE_SCHEMAS, type TableSchema } from '../schema/tables';
import { positionInDocument, type DocumentBlock } from './blockText';
import { runRules, type RuleFinding, type RuleSettings, type TextEdit } from './rules';

export { DIAGNOSTIC_SOURCE };

/**
 * Blocks longer than this are not analyzed: the Kusto parser and binder run on
 * the server's only thread, and a block this size takes seconds. The figure is
 * an estimate, not a measured limit.
 */
export const MAX_BLOCK_LENGTH = 100_000;

/** A quick fix carried in a diagnostic's `data`, in document coordinates, so code actions need no new analysis. */
export interface DiagnosticFix {
  readonly title: string;
  readonly edits: readonly { readonly range: Diagnostic['range']; readonly newText: string }[];
}

/** One diagnostic on block-relative offsets. */
interface BlockDiagnostic {
  readonly start: number;
  readonly length: number;
  readonly severity: DiagnosticSeverity;
  readonly code: string;
  readonly message: string;
  readonly fix?: { readonly title: string; readonly edits: readonly TextEdit[] };
}

export type BlockResult = readonly BlockDiagnostic[];

const SEVERITIES: Readonly<Record<KqlDiagnostic['severity'] | RuleFinding['severity'], DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  suggestion: DiagnosticSeverity.Hint,
  information: DiagnosticSeverity.Information,
};

/** Analyzes one block's text against `tables`, the schemas of its target, and runs the enabled rules. */
export function analyzeBlock(text: string, target: HuntTarget, tables: readonly TableSchema[], rules: RuleSettings): BlockResult {
  if (text.length > MAX_BLOCK_LENGTH) {
    return [
      {
        start: 0,
        length: 0,
        severity: DiagnosticSeverity.Information,
        code: 'HL900',
        message:
          `This block has ${text.length} characters, more than the ${MAX_BLOCK_LENGTH} that Hunt Lens analyzes. ` +
          'Separate its queries with blank lines to check them.',
      },
    ];
  }
  const analysis = analyzeQuery(text, tables);
  const findings = runRules(analysis, rules, tables);
  const replaced = findings.filter((finding) => finding.replacesParserErrors);
  const kusto = analysis.diagnostics.filter(
    (diagnostic) =>
      !replaced.some((finding) => diagnostic.start >= finding.start && diagnostic.start < finding.start + finding.length),
  );
  return [
    ...kusto.map((diagnostic) => ({
      start: diagnostic.start,
      length: diagnostic.length,
      severity: SEVERITIES[diagnostic.severity],
      code: diagnostic.code,
      message: withTargetHint(diagnostic.message, text.slice(diagnostic.start, diagnostic.start + diagnostic.length), target, tables),
    })),
    ...findings.map((finding) => ({
      start: finding.start,
      length: finding.length,
      severity: SEVERITIES[finding.severity],
      code: finding.code,
      message: finding.message,
      ...(finding.fix ? { fix: finding.fix } : {}),
    })),
  ];
}

/**
 * Adds the fix to an error on a name that is a table of the other target, for
 * example AADSignInEventsBeta (Defender XDR) in a Log Analytics document.
 */
function withTargetHint(message: string, name: string, target: HuntTarget, tables: readonly TableSchema[]): string {
  const other: HuntTarget = target === 'logAnalytics' ? 'defenderXdr' : 'logAnalytics';
  const inTarget = tables.some((table) => table.name === name);
  const inOther = TABLE_SCHEMAS[other].some((table) => table.name === name);
  if (inTarget || !inOther) {
    return message;
  }
  return other === 'defenderXdr'
    ? `${message} ${name} is a Defender XDR table: add the line // huntLens: target=defenderXdr at the top of the file to check and run it there.`
    : `${message} ${name} is a Log Analytics table: remove the // huntLens: target=defenderXdr line to check and run it there.`;
}

/** Reports an analysis that threw (for example on a stack overflow from deep nesting) as one diagnostic. */
export function failedBlock(error: unknown): BlockResult {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return [
    {
      start: 0,
      length: 0,
      severity: DiagnosticSeverity.Information,
      code: 'HL901',
      message: `Hunt Lens could not analyze this block (${reason}). Simplify or split it to get diagnostics.`,
    },
  ];
}

/** Places a block's diagnostics at the block's current lines in the document. */
export function toDocumentDiagnostics(block: DocumentBlock, result: BlockResult): Diagnostic[] {
  return result.map((item) => {
    const range = { start: positionInDocument(block, item.start), end: positionInDocument(block, item.start + item.length) };
    const diagnostic: Diagnostic = { range, severity: item.severity, code: item.code, source: DIAGNOSTIC_SOURCE, message: item.message };
    if (item.fix) {
      const fix: DiagnosticFix = {
        title: item.fix.title,
        edits: item.fix.edits.map((edit) => ({
          range: { start: positionInDocument(block, edit.start), end: positionInDocument(block, edit.start + edit.length) },
          newText: edit.newText,
        })),
      };
      diagnostic.data = fix;
    }
    return diagnostic;
  });
}
