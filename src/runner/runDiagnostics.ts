/**
 * Diagnostics from query runs (a service error with a line and column),
 * merged with the language server's: a run diagnostic is hidden while the
 * server reports an error at the same place, because both then describe the
 * same compile error. A run diagnostic is removed when the lines of the query
 * it came from are edited, and moves with edits above that query.
 */
import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE as SERVER_SOURCE } from '../protocol/languageServer';

interface RunEntry {
  readonly diagnostic: vscode.Diagnostic;
  /** Zero-based document lines of the query that produced the diagnostic, inclusive. */
  readonly firstLine: number;
  readonly lastLine: number;
}

export class RunDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('huntLens');
  private readonly entries = new Map<string, RunEntry[]>();
  /** The diagnostics the collection shows per document, so it is set only when they change. */
  private readonly shown = new Map<string, readonly vscode.Diagnostic[]>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => this.applyEdits(event)),
      vscode.workspace.onDidCloseTextDocument((document) => this.delete(document.uri)),
      // The server may publish after the run finishes, so every change of another source is checked again.
      vscode.languages.onDidChangeDiagnostics((event) => {
        for (const uri of event.uris) {
          if (this.entries.has(uri.toString())) {
            this.publish(uri);
          }
        }
      }),
    ];
  }

  /** Shows a run's diagnostic; `firstLine` and `lastLine` are the document lines of the query that was run. */
  set(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, firstLine: number, lastLine: number): void {
    this.entries.set(document.uri.toString(), [{ diagnostic, firstLine, lastLine }]);
    this.publish(document.uri);
  }

  delete(uri: vscode.Uri): void {
    this.entries.delete(uri.toString());
    this.shown.delete(uri.toString());
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) {
      subscription.dispose();
    }
    this.collection.dispose();
  }

  private publish(uri: vscode.Uri): void {
    const key = uri.toString();
    const server = vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === SERVER_SOURCE);
    const visible = (this.entries.get(key) ?? []).map((entry) => entry.diagnostic).filter((diagnostic) => !server.some((other) => sameProblem(diagnostic, other)));
    const before = this.shown.get(key) ?? [];
    if (visible.length === before.length && visible.every((diagnostic, index) => diagnostic === before[index])) {
      return;
    }
    this.shown.set(key, visible);
    this.collection.set(uri, visible);
  }

  /** Drops the diagnostics of an edited query and moves those below an edit by the lines it added or removed. */
  private applyEdits(event: vscode.TextDocumentChangeEvent): void {
    const key = event.document.uri.toString();
    let entries = this.entries.get(key);
    if (!entries || event.contentChanges.length === 0) {
      return;
    }
    for (const change of event.contentChanges) {
      const delta = lineCount(change.text) - 1 - (change.range.end.line - change.range.start.line);
      entries = entries.flatMap((entry) => {
        if (change.range.end.line < entry.firstLine) {
          return delta === 0 ? [entry] : [moved(entry, delta)];
        }
        return change.range.start.line > entry.lastLine ? [entry] : [];
      });
    }
    this.entries.set(key, entries);
    this.publish(event.document.uri);
  }
}

/**
 * True when the server reports an error on the same line whose range
 * contains the start of the service's error: the service and the Kusto
 * parser or binder then point at the same token for the same compile error.
 */
function sameProblem(run: vscode.Diagnostic, server: vscode.Diagnostic): boolean {
  if (server.severity !== vscode.DiagnosticSeverity.Error) {
    return false;
  }
  const start = run.range.start;
  const range = server.range;
  const contains = range.start.isBeforeOrEqual(start) && (range.end.isAfter(start) || range.start.isEqual(start));
  const sameToken = start.isBeforeOrEqual(range.start) && run.range.end.isAfter(range.start);
  return range.start.line === start.line && (contains || sameToken);
}

function moved(entry: RunEntry, delta: number): RunEntry {
  const range = entry.diagnostic.range;
  const diagnostic = new vscode.Diagnostic(
    new vscode.Range(range.start.translate(delta), range.end.translate(delta)),
    entry.diagnostic.message,
    entry.diagnostic.severity,
  );
  diagnostic.source = entry.diagnostic.source;
  diagnostic.code = entry.diagnostic.code;
  return { diagnostic, firstLine: entry.firstLine + delta, lastLine: entry.lastLine + delta };
}

function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}
