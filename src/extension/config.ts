import * as vscode from 'vscode';

/** Typed access to the `huntLens.*` settings. Read on every use so a change applies at once. */
export const config = {
  /** Whether *Insert Hunt…* asks for each parameter, or inserts the defaults straight away. */
  get askForParameters(): boolean {
    return vscode.workspace.getConfiguration('huntLens').get<boolean>('insertHunt.askForParameters', true);
  },

  /** Whether the results grid shows datetimes in UTC or in the local time zone. */
  get resultsTimeZone(): 'utc' | 'local' {
    return vscode.workspace.getConfiguration('huntLens').get<string>('results.timeZone', 'utc') === 'local' ? 'local' : 'utc';
  },

  /** Whether a new run from the same editor replaces the results in that editor's panel instead of opening another. */
  get reuseResultsPanel(): boolean {
    return vscode.workspace.getConfiguration('huntLens').get<boolean>('results.reusePanel', false);
  },

  /** Whether exported CSV files start with a UTF-8 byte order mark. */
  get csvByteOrderMark(): boolean {
    return vscode.workspace.getConfiguration('huntLens').get<boolean>('results.csvByteOrderMark', false);
  },

  /** Whether exported CSV files prefix a quote to text cells that a spreadsheet would run as a formula. */
  get csvGuardFormulas(): boolean {
    return vscode.workspace.getConfiguration('huntLens').get<boolean>('results.csvGuardFormulas', true);
  },

  /** A one-line summary of the effective settings, for the log. */
  describe(): string {
    return [
      `insertHunt.askForParameters=${String(this.askForParameters)}`,
      `results.timeZone=${this.resultsTimeZone}`,
      `results.reusePanel=${String(this.reuseResultsPanel)}`,
      `results.csvByteOrderMark=${String(this.csvByteOrderMark)}`,
      `results.csvGuardFormulas=${String(this.csvGuardFormulas)}`,
    ].join(', ');
  },
};
