import * as vscode from 'vscode';
import { huntBlock } from '../../hunts/document';
import { findHunt, HUNTS } from '../../hunts/library';
import type { ParameterValues } from '../../hunts/render';
import { STAGE_LABELS, TARGET_LABELS, type Hunt, type HuntStage } from '../../hunts/types';
import { config } from '../config';
import { LIBRARY_VIEW_ID } from '../huntLibraryView';
import { planBlockInsertion } from '../insertion';
import type { Log } from '../log';
import { huntPickOptions, parameterPrompt } from './parameterPrompt';

interface HuntPick extends vscode.QuickPickItem {
  hunt?: Hunt;
}

/** Untitled documents opened by *Open Hunt*, by hunt id, so a second click shows the same document. */
const openedHunts = new Map<string, vscode.TextDocument>();

/** Registers *Insert Hunt…*, *Open Hunt Library* and *Open Hunt*. */
export function registerHuntCommands(log: Log): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('huntLens.insertHunt', () => insertHunt(log)),
    vscode.commands.registerCommand('huntLens.openHuntLibrary', openHuntLibrary),
    vscode.commands.registerCommand('huntLens.openHunt', (id: unknown) => openHunt(log, id)),
    vscode.workspace.onDidCloseTextDocument((document) => {
      for (const [id, opened] of openedHunts) {
        if (opened === document) {
          openedHunts.delete(id);
        }
      }
    }),
  ];
}

/** Asks for a hunt and its parameters, then inserts it into the active KQL editor or a new one. */
async function insertHunt(log: Log): Promise<void> {
  const hunt = await pickHunt();
  if (!hunt) {
    return;
  }
  const values = config.askForParameters ? await askForParameters(hunt) : {};
  if (!values) {
    return;
  }

  const text = huntBlock(hunt, values);
  const editor = vscode.window.activeTextEditor;
  if (editor && editor.document.languageId === 'kql') {
    await insertIntoEditor(editor, text);
  } else {
    await openKqlDocument(text);
  }
  log.info(`Inserted hunt ${hunt.id}`);
}

/** Shows every hunt in a quick pick, grouped by stage, with its target and description. */
export async function pickHunt(title = 'Insert Hunt', placeHolder = 'Pick a hunt to insert'): Promise<Hunt | undefined> {
  const items: HuntPick[] = [];
  for (const stage of ['before', 'approval', 'after'] as HuntStage[]) {
    items.push({ label: STAGE_LABELS[stage], kind: vscode.QuickPickItemKind.Separator });
    for (const hunt of HUNTS.filter((h) => h.stage === stage)) {
      items.push({
        label: hunt.title,
        description: `${hunt.mitre} · ${TARGET_LABELS[hunt.target]}`,
        detail: hunt.description,
        hunt,
      });
    }
  }
  const picked = await vscode.window.showQuickPick(items, huntPickOptions(title, placeHolder));
  return picked?.hunt;
}

/** Asks for each parameter in turn; returns undefined when the user cancels. */
export async function askForParameters(hunt: Hunt): Promise<ParameterValues | undefined> {
  const values: ParameterValues = {};
  for (const [index, parameter] of hunt.parameters.entries()) {
    const answer = await vscode.window.showInputBox(parameterPrompt(hunt, index));
    if (answer === undefined) {
      return undefined;
    }
    // Values stay as typed: the renderer checks the text itself, so "1e3" is not read as 1000.
    values[parameter.name] = answer;
  }
  return values;
}

/**
 * Inserts the hunt as its own statement block after the block under the
 * cursor, with a blank line on each side, so it runs and folds on its own and
 * the existing text stays as it was.
 */
async function insertIntoEditor(editor: vscode.TextEditor, text: string): Promise<void> {
  const document = editor.document;
  const lines = document.getText().split(/\r?\n/);
  const plan = planBlockInsertion(lines, editor.selection.active.line, text);
  const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const insertion = plan.text.replace(/\n/g, eol);

  const inserted = await editor.edit((edit) => {
    if (plan.replaceAll) {
      edit.replace(new vscode.Range(new vscode.Position(0, 0), document.lineAt(document.lineCount - 1).range.end), insertion);
    } else {
      edit.insert(document.lineAt(plan.line).range.end, insertion);
    }
  });
  if (!inserted) {
    throw new Error('The editor rejected the edit; the document may be read-only.');
  }
  const start = new vscode.Position(plan.firstLine, 0);
  editor.selection = new vscode.Selection(start, start);
  editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

async function openKqlDocument(text: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'kql', content: text });
  await vscode.window.showTextDocument(document);
  return document;
}

/** Shows the Hunt Library view in its activity-bar container. */
async function openHuntLibrary(): Promise<void> {
  await vscode.commands.executeCommand(`${LIBRARY_VIEW_ID}.focus`);
}

/** Opens a hunt, by id, as a new KQL document with its default parameters. */
async function openHunt(log: Log, id: unknown): Promise<void> {
  const hunt = typeof id === 'string' ? findHunt(id) : undefined;
  if (!hunt) {
    const shown = typeof id === 'string' ? `"${id}"` : 'no hunt id';
    void vscode.window.showErrorMessage(`Cannot open hunt: ${shown} is not in the hunt library.`);
    log.warn(`openHunt called with ${shown}`);
    return;
  }
  const text = huntBlock(hunt);
  const opened = openedHunts.get(hunt.id);
  if (opened && !opened.isClosed && opened.getText() === text) {
    await vscode.window.showTextDocument(opened);
    return;
  }
  openedHunts.set(hunt.id, await openKqlDocument(text));
  log.info(`Opened hunt ${hunt.id}`);
}
