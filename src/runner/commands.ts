/**
 * The runner's commands and status bar items: Run Query, Run Hunts in File,
 * Run Hunt…, Select Workspace…, Find Workspaces…, Select Default Time
 * Range… and Cancel Running Queries. Each run command returns its outcomes,
 * so callers (and the tests) get the message shown to the user.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findBlocks, blockAtLine } from '../extension/blocks';
import { askForParameters, pickHunt } from '../extension/commands/huntCommands';
import { config } from '../extension/config';
import type { Log } from '../extension/log';
import { blockTarget, documentTarget, huntBlock, leadingCommentLines } from '../hunts/document';
import type { HuntTarget } from '../hunts/types';
import { isLocalConnectionName, isWorkspaceId, pinnedConnectionName, type Connection } from './connections';
import { QueryRunner, type RunOutcome, type RunRequest } from './runner';
import { timeRangeStatus } from './timeRangeStatus';

const ACTIVE_CONNECTION_KEY = 'huntLens.activeConnection';
/** Connection names, most recently selected first. */
const RECENT_CONNECTIONS_KEY = 'huntLens.recentConnections';
const MAX_RECENT_CONNECTIONS = 20;
/** The name under which the local data folder appears among the connections. */
export const LOCAL_CONNECTION_NAME = 'Local data';

/** A saved connection, or the local data folder (its absolute path in `localFolder`). */
type ResolvedConnection = Connection & { localFolder?: string };

/** A query's text and where it starts in its document. */
interface QueryText {
  text: string;
  start: vscode.Position;
  /** True when the cursor was outside every block, so the whole document is the query. */
  wholeFile?: boolean;
}

export class RunnerCommands implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly connectionItem = vscode.window.createStatusBarItem('huntLens.connection', vscode.StatusBarAlignment.Left, 50);
  private readonly timespanItem = vscode.window.createStatusBarItem('huntLens.timespan', vscode.StatusBarAlignment.Left, 49);
  private readonly connectionEmitter = new vscode.EventEmitter<void>();
  /** Fires when the user picks another active connection. */
  readonly onDidChangeConnection = this.connectionEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
    readonly runner: QueryRunner,
  ) {
    this.connectionItem.name = 'Hunt Lens Connection';
    this.connectionItem.command = 'huntLens.selectWorkspace';
    this.timespanItem.name = 'Hunt Lens Time Range';
    this.timespanItem.command = 'huntLens.selectTimespan';
    this.disposables.push(
      this.connectionEmitter,
      this.connectionItem,
      this.timespanItem,
      vscode.commands.registerCommand('huntLens.runQuery', () => this.runQuery()),
      vscode.commands.registerCommand('huntLens.runAllHunts', () => this.runAllHunts()),
      vscode.commands.registerCommand('huntLens.runHunt', (origin: unknown) => this.runHunt(origin === WALKTHROUGH_ORIGIN)),
      vscode.commands.registerCommand('huntLens.selectWorkspace', () => this.selectWorkspace()),
      vscode.commands.registerCommand('huntLens.findWorkspaces', async () => this.makeActive(await this.findWorkspace())),
      vscode.commands.registerCommand('huntLens.selectTimespan', () => this.selectTimespan()),
      vscode.commands.registerCommand('huntLens.cancelQueries', () => this.runner.cancelAll()),
      vscode.commands.registerCommand('huntLens.reloadLocalData', () => this.runner.reloadLocalData()),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateStatusBar()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === vscode.window.activeTextEditor?.document && event.contentChanges.some((change) => change.range.start.line === 0)) {
          this.updateStatusBar();
        }
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('huntLens')) {
          this.updateStatusBar();
        }
      }),
    );
    this.updateStatusBar();
  }

  dispose(): void {
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }

  /** Runs the selection, else the statement block under the cursor, else the whole file. */
  async runQuery(): Promise<RunOutcome | undefined> {
    const editor = this.kqlEditor();
    if (!editor) {
      return undefined;
    }
    const query = queryUnderCursor(editor);
    if (!query) {
      void vscode.window.showWarningMessage('Nothing to run: the KQL editor is empty.');
      return undefined;
    }
    if (isOnlyComments(query.text)) {
      void vscode.window.showWarningMessage('Nothing to run: the query under the cursor holds only comments. Put the cursor in a query or select one.');
      return undefined;
    }
    return this.runText(editor.document, query);
  }

  /** Runs every statement block of the active KQL file, at most five at a time. */
  async runAllHunts(): Promise<RunOutcome[]> {
    const editor = this.kqlEditor();
    if (!editor) {
      return [];
    }
    const document = editor.document;
    const lines = document.getText().split(/\r?\n/);
    const queries = findBlocks(lines)
      .map((block) => ({
        text: lines.slice(block.startLine, block.endLine + 1).join('\n'),
        start: new vscode.Position(block.startLine, 0),
      }))
      .filter((query) => !isOnlyComments(query.text));
    const outcomes = await Promise.all(queries.map((query) => this.runText(document, query)));
    return outcomes.filter((outcome): outcome is RunOutcome => outcome !== undefined);
  }

  /**
   * Picks a hunt, asks for its parameters, opens it in a KQL editor and runs
   * it against its kind of target. From the walkthrough the editor opens
   * first, empty, and is closed again when the user cancels. The reason is
   * that a key press on a walkthrough button also selects the button's step,
   * and the walkthrough focuses that step up to 250 ms later, which took the
   * keyboard focus from the picker (seen in VS Code 1.139, which the test
   * host runs). Once the editor has replaced the walkthrough in its group,
   * the step is hidden and cannot take the focus.
   */
  async runHunt(fromWalkthrough = false): Promise<RunOutcome | undefined> {
    const editor = fromWalkthrough ? await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'kql' })) : undefined;
    const hunt = await pickHunt('Run Hunt', 'Pick a hunt to run');
    const values = hunt ? await askForParameters(hunt) : undefined;
    if (!hunt || !values) {
      await closeUntouched(editor);
      return undefined;
    }
    const content = huntBlock(hunt, values);
    let document: vscode.TextDocument;
    if (editor && editor.document.getText() === '' && !editor.document.isClosed) {
      await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), content));
      document = editor.document;
    } else {
      document = await vscode.workspace.openTextDocument({ language: 'kql', content });
    }
    await vscode.window.showTextDocument(document);
    return this.runText(document, { text: document.getText(), start: new vscode.Position(0, 0) });
  }

  private kqlEditor(): vscode.TextEditor | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'kql') {
      void vscode.window.showErrorMessage('Hunt Lens runs queries from a KQL editor. Open a .kql file (or set the language mode to KQL) and run again.');
      return undefined;
    }
    return editor;
  }

  private async runText(document: vscode.TextDocument, query: QueryText): Promise<RunOutcome | undefined> {
    const connection = this.connectionFor(document);
    if ('error' in connection) {
      void vscode.window.showErrorMessage(connection.error);
      this.log.warn(connection.error);
      return undefined;
    }
    const target = connection.connection.localFolder
      ? { kind: 'local' as const, folder: connection.connection.localFolder, displayName: LOCAL_CONNECTION_NAME }
      : targetOf(query.text, documentTarget(documentLines(document)), connection.connection);
    if (target.kind === 'logAnalytics' && !isWorkspaceId(target.workspaceId)) {
      const message = `Connection "${connection.connection.name}" has the workspace ID "${target.workspaceId}", which is not a GUID. Fix it in huntLens.connections in your user settings, or add the workspace again with Hunt Lens: Select Workspace….`;
      void vscode.window.showErrorMessage(message);
      this.log.warn(message);
      return undefined;
    }
    const request: RunRequest = {
      query: query.text,
      target,
      connection: connection.connection,
      document,
      queryStart: query.start,
      wholeFile: query.wholeFile === true,
    };
    return this.runner.run(request);
  }

  /**
   * Returns the connection a document runs on: its pinned one, else the active one.
   * Before the user picks one, a workspace with a local data folder runs on
   * it, so the sample workspace works with no Azure account.
   */
  connectionFor(document: vscode.TextDocument): { connection: ResolvedConnection; pinned: boolean } | { error: string } {
    const connections = config.connections;
    const pinned = leadingCommentLines(documentLines(document)).map(pinnedConnectionName).find((name) => name !== undefined);
    if (pinned !== undefined && isLocalConnectionName(pinned)) {
      const local = localConnection();
      return 'error' in local ? local : { connection: local, pinned: true };
    }
    if (pinned !== undefined) {
      const connection = connections.find((candidate) => candidate.name === pinned);
      return connection
        ? { connection, pinned: true }
        : {
            error: `This file pins the connection "${pinned}" with a // connection: comment, but huntLens.connections in your user settings has no connection of that name. Add it with Hunt Lens: Select Workspace…, or fix the comment.`,
          };
    }
    const activeName = this.context.globalState.get<string>(ACTIVE_CONNECTION_KEY);
    const local = activeName === undefined || activeName === LOCAL_CONNECTION_NAME ? localConnection() : undefined;
    if (local && (!('error' in local) || activeName === LOCAL_CONNECTION_NAME)) {
      return 'error' in local ? local : { connection: local, pinned: false };
    }
    const active = connections.find((candidate) => candidate.name === activeName) ?? connections[0];
    return active
      ? { connection: active, pinned: false }
      : {
          error: `No workspace is selected, and this workspace has no local data folder (${config.localDataFolder}). Run Hunt Lens: Select Workspace… to choose one, or put exported sign-in logs in that folder, then run the query again.`,
        };
  }

  /**
   * True when a document without a `// connection:` pin runs on the local
   * data folder: no connection was picked yet and the folder exists, or the
   * local data is the active connection.
   */
  get unpinnedRunsOnLocalData(): boolean {
    const activeName = this.context.globalState.get<string>(ACTIVE_CONNECTION_KEY);
    if (activeName === LOCAL_CONNECTION_NAME) {
      return true;
    }
    return activeName === undefined && !('error' in localConnection());
  }

  /** Lets the user pick a saved connection, or add one found with Resource Graph or pasted as a workspace ID. */
  async selectWorkspace(): Promise<void> {
    const recent = this.context.globalState.get<string[]>(RECENT_CONNECTIONS_KEY, []);
    const rank = (name: string): number => (recent.includes(name) ? recent.indexOf(name) : recent.length);
    const connections = [...config.connections].sort((a, b) => rank(a.name) - rank(b.name));
    const active = this.context.globalState.get<string>(ACTIVE_CONNECTION_KEY);
    const addItem: vscode.QuickPickItem = { label: '$(add) Enter a workspace ID…', alwaysShow: true };
    const findItem: vscode.QuickPickItem = { label: '$(search) Find workspaces in my subscriptions…', alwaysShow: true };
    const local = localConnection();
    const items: (vscode.QuickPickItem & { connection?: Connection })[] = [
      {
        label: `$(folder) ${LOCAL_CONNECTION_NAME}`,
        description: 'error' in local ? `${config.localDataFolder} (not found)` : local.localFolder,
        detail: active === LOCAL_CONNECTION_NAME ? 'Active connection' : 'Exported logs in this workspace, queried by the local engine with no Azure account',
        connection: { name: LOCAL_CONNECTION_NAME, workspaceId: '' },
      },
      ...connections.map((connection) => ({
        label: connection.name,
        description: `${connection.workspaceId}${connection.cloud ? ` · ${connection.cloud}` : ''}`,
        detail: connection.name === active ? 'Active connection' : undefined,
        connection,
      })),
      findItem,
      addItem,
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'Select Workspace', placeHolder: 'Pick a connection, or enter a workspace ID' });
    if (!picked) {
      return;
    }
    const connection = picked.connection ?? (picked === findItem ? await this.findWorkspace() : await this.addConnection());
    await this.makeActive(connection);
  }

  /** Makes a connection the active one and moves it to the front of the recent list. */
  private async makeActive(connection: Connection | undefined): Promise<void> {
    if (connection) {
      const recent = this.context.globalState.get<string[]>(RECENT_CONNECTIONS_KEY, []);
      await this.context.globalState.update(ACTIVE_CONNECTION_KEY, connection.name);
      const recentNames = [connection.name, ...recent.filter((name) => name !== connection.name)].slice(0, MAX_RECENT_CONNECTIONS);
      await this.context.globalState.update(RECENT_CONNECTIONS_KEY, recentNames);
      this.log.info(`Active connection: ${connection.name}${connection.workspaceId ? ` (${connection.workspaceId})` : ''}`);
      this.updateStatusBar();
      this.connectionEmitter.fire();
    }
  }

  /** Lists workspaces with Azure Resource Graph and saves the picked one as a connection. */
  private async findWorkspace(): Promise<Connection | undefined> {
    const controller = new AbortController();
    const items = this.runner.listWorkspaces({ cloud: config.cloud }, controller.signal).then((listed) => {
      if ('message' in listed) {
        void vscode.window.showErrorMessage(listed.message);
        return [];
      }
      return listed.workspaces.map((workspace) => ({
        label: workspace.name,
        description: `${workspace.resourceGroup} · ${workspace.location}`,
        detail: `Subscription ${workspace.subscriptionId} · workspace ID ${workspace.workspaceId}`,
        workspace,
      }));
    });
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Select Workspace: workspaces in your subscriptions',
      placeHolder: 'Pick a Log Analytics workspace',
      matchOnDescription: true,
      matchOnDetail: true,
    });
    controller.abort();
    if (!picked) {
      return undefined;
    }
    return this.saveConnection({ name: picked.workspace.name, workspaceId: picked.workspace.workspaceId, cloud: config.cloud });
  }

  private async saveConnection(connection: Connection): Promise<Connection> {
    const others = config.connections.filter((existing) => existing.name !== connection.name);
    await vscode.workspace.getConfiguration('huntLens').update('connections', [...others, connection], vscode.ConfigurationTarget.Global);
    return connection;
  }

  private async addConnection(): Promise<Connection | undefined> {
    const workspaceId = await vscode.window.showInputBox({
      title: 'Select Workspace: workspace ID',
      ignoreFocusOut: true,
      prompt: 'The Log Analytics workspace ID (a GUID, shown on the workspace overview page in the Azure portal)',
      validateInput: (value) => (isWorkspaceId(value) ? undefined : `"${value}" is not a workspace ID; paste a GUID such as 1f2e3d4c-5b6a-7980-a1b2-c3d4e5f60718.`),
    });
    if (!workspaceId) {
      return undefined;
    }
    const name = await vscode.window.showInputBox({
      title: 'Select Workspace: display name',
      prompt: 'A name for this connection',
      value: workspaceId.trim(),
      ignoreFocusOut: true,
    });
    if (!name?.trim()) {
      return undefined;
    }
    return this.saveConnection({ name: name.trim(), workspaceId: workspaceId.trim(), cloud: config.cloud });
  }

  /** Sets huntLens.defaultTimespan from a short list or a typed ISO 8601 duration. */
  async selectTimespan(): Promise<void> {
    const choices = ['PT1H', 'PT12H', 'P1D', 'P7D', 'P14D', 'P30D', 'P90D'];
    const custom = 'Other ISO 8601 duration…';
    const picked = await vscode.window.showQuickPick([...choices, custom], { title: 'Default Time Range', placeHolder: `Now ${config.defaultTimespan}; used when a query does not filter on time` });
    const value = picked === custom ? await vscode.window.showInputBox({ prompt: 'ISO 8601 duration, such as P3D or PT6H', value: config.defaultTimespan }) : picked;
    if (value) {
      await vscode.workspace.getConfiguration('huntLens').update('defaultTimespan', value.trim(), vscode.ConfigurationTarget.Global);
    }
  }

  private updateStatusBar(): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'kql') {
      this.connectionItem.hide();
      this.timespanItem.hide();
      return;
    }
    const resolved = this.connectionFor(editor.document);
    if ('error' in resolved) {
      this.connectionItem.text = '$(warning) No workspace';
      this.connectionItem.tooltip = resolved.error;
    } else if (resolved.connection.localFolder) {
      this.connectionItem.text = `${resolved.pinned ? '$(pinned)' : '$(folder)'} ${LOCAL_CONNECTION_NAME}`;
      this.connectionItem.tooltip = `Local engine over the exports in ${resolved.connection.localFolder}. Click to switch.`;
    } else {
      this.connectionItem.text = `${resolved.pinned ? '$(pinned)' : '$(database)'} ${resolved.connection.name}`;
      this.connectionItem.tooltip = resolved.pinned
        ? `Pinned by this file's // connection: comment: ${resolved.connection.workspaceId}`
        : `Active connection: ${resolved.connection.workspaceId}. Click to switch.`;
    }
    const local = !('error' in resolved) && resolved.connection.localFolder !== undefined;
    const status = timeRangeStatus(local, config.defaultTimespan, config.localReferenceTime);
    this.timespanItem.text = status.text;
    this.timespanItem.tooltip = status.tooltip;
    this.timespanItem.command =
      status.setting === 'huntLens.defaultTimespan'
        ? 'huntLens.selectTimespan'
        : { title: 'Change the reference time', command: 'workbench.action.openSettings', arguments: [status.setting] };
    this.connectionItem.show();
    this.timespanItem.show();
  }
}

/** Returns the selection, else the block under the cursor, else the whole document; undefined when empty. */
function queryUnderCursor(editor: vscode.TextEditor): QueryText | undefined {
  const document = editor.document;
  if (!editor.selection.isEmpty) {
    return { text: document.getText(editor.selection), start: editor.selection.start };
  }
  const lines = document.getText().split(/\r?\n/);
  const block = blockAtLine(lines, editor.selection.active.line);
  if (block) {
    return { text: lines.slice(block.startLine, block.endLine + 1).join('\n'), start: new vscode.Position(block.startLine, 0) };
  }
  const text = document.getText();
  return text.trim() === '' ? undefined : { text, start: new vscode.Position(0, 0), wholeFile: true };
}

/**
 * Picks the target: a block tagged `// hunt: <id>` runs on its hunt's kind of
 * target, anything else on the file's target (a `// huntLens: target=...`
 * directive in its leading comments, else Log Analytics).
 */
function targetOf(query: string, fileTarget: HuntTarget, connection: Connection): RunRequest['target'] {
  if (blockTarget(query.split(/\r?\n/), fileTarget) === 'defenderXdr') {
    const tenant = connection.tenant ?? (config.tenant || undefined);
    return tenant ? { kind: 'defenderXdr', tenantId: tenant, displayName: 'Defender XDR' } : { kind: 'defenderXdr', displayName: 'Defender XDR' };
  }
  return { kind: 'logAnalytics', workspaceId: connection.workspaceId, displayName: connection.name };
}

/** True when every line is blank or a `//` comment, so there is no query to send. */
function isOnlyComments(text: string): boolean {
  const lines = text.split(/\r?\n/);
  return leadingCommentLines(lines).length === lines.length;
}

/** Returns the local data folder as a connection, or the reason there is none. */
function localConnection(): ResolvedConnection | { error: string } {
  const setting = config.localDataFolder;
  let folder = setting;
  if (!path.isAbsolute(setting)) {
    const root = vscode.workspace.workspaceFolders?.[0];
    if (!root || root.uri.scheme !== 'file') {
      return { error: `Local data needs an open folder: huntLens.localData.folder ("${setting}") is relative to the first workspace folder. Open a folder, or set an absolute path.` };
    }
    folder = path.join(root.uri.fsPath, setting);
  }
  if (!existsSync(folder)) {
    return { error: `The local data folder ${folder} does not exist. Create it and put exported sign-in logs in it, or change huntLens.localData.folder.` };
  }
  return { name: LOCAL_CONNECTION_NAME, workspaceId: '', localFolder: folder };
}

function documentLines(document: vscode.TextDocument): string[] {
  return document.getText().split(/\r?\n/);
}

/** The argument the walkthrough's Run Hunt button passes to huntLens.runHunt. */
export const WALKTHROUGH_ORIGIN = 'walkthrough';

/** Closes the tab of an editor that Run Hunt opened, unless the user has typed into it. */
async function closeUntouched(editor: vscode.TextEditor | undefined): Promise<void> {
  if (!editor || editor.document.isClosed || editor.document.getText() !== '') {
    return;
  }
  const uri = editor.document.uri.toString();
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === uri);
  await vscode.window.tabGroups.close(tabs);
}
