// Waits on VS Code's diagnostics events, for the host tests.
import * as vscode from 'vscode';

const DIAGNOSTICS_TIMEOUT_MS = 45_000;

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/**
 * Resolves with the document's diagnostics once `condition` holds, checking
 * now and on every onDidChangeDiagnostics event. Rejects after the timeout.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  condition: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  description: string,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (condition(diagnostics)) {
        cleanup();
        resolve(diagnostics);
        return true;
      }
      return false;
    };
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) {
        check();
      }
    });
    const timer = setTimeout(() => {
      cleanup();
      const current = vscode.languages.getDiagnostics(uri).map((diagnostic) => `${diagnostic.source ?? ''} ${codeOf(diagnostic)} ${diagnostic.message}`);
      reject(new Error(`Timed out after ${DIAGNOSTICS_TIMEOUT_MS} ms waiting until ${description}; diagnostics now: ${JSON.stringify(current)}`));
    }, DIAGNOSTICS_TIMEOUT_MS);
    function cleanup(): void {
      listener.dispose();
      clearTimeout(timer);
    }
    check();
  });
}
