import * as vscode from 'vscode';

/** Typed access to the `huntLens.*` settings. Read on every use so a change applies at once. */
export const config = {
  /** Whether *Insert Hunt…* asks for each parameter, or inserts the defaults straight away. */
  get askForParameters(): boolean {
    return vscode.workspace.getConfiguration('huntLens').get<boolean>('insertHunt.askForParameters', true);
  },

  /** A one-line summary of the effective settings, for the log. */
  describe(): string {
    return `insertHunt.askForParameters=${String(this.askForParameters)}`;
  },
};
