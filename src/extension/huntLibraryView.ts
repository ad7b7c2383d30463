import * as vscode from 'vscode';
import { HUNTS } from '../hunts/library';
import { PIVOTS } from '../pivots/pivotQuery';
import { STAGE_LABELS, TARGET_LABELS, type Hunt, type HuntStage } from '../hunts/types';

export const LIBRARY_VIEW_ID = 'huntLens.library';

const STAGES: readonly HuntStage[] = ['before', 'approval', 'after'];

type LibraryNode = { kind: 'stage'; stage: HuntStage } | { kind: 'hunt'; hunt: Hunt };

/** The Hunt Library tree: the three stages of an MFA-fatigue case, each with its hunts. */
export class HuntLibraryProvider implements vscode.TreeDataProvider<LibraryNode> {
  getChildren(node?: LibraryNode): LibraryNode[] {
    if (!node) {
      return STAGES.map((stage) => ({ kind: 'stage', stage }));
    }
    if (node.kind === 'stage') {
      return HUNTS.filter((hunt) => hunt.stage === node.stage).map((hunt) => ({ kind: 'hunt', hunt }));
    }
    return [];
  }

  getTreeItem(node: LibraryNode): vscode.TreeItem {
    if (node.kind === 'stage') {
      const item = new vscode.TreeItem(STAGE_LABELS[node.stage], vscode.TreeItemCollapsibleState.Expanded);
      item.id = `stage:${node.stage}`;
      item.contextValue = 'stage';
      return item;
    }
    return huntTreeItem(node.hunt);
  }
}

function huntTreeItem(hunt: Hunt): vscode.TreeItem {
  const item = new vscode.TreeItem(hunt.title, vscode.TreeItemCollapsibleState.None);
  item.id = `hunt:${hunt.id}`;
  // Pivot hunts also get an inline button that prompts for the user, IP address and time and opens the pivot.
  item.contextValue = PIVOTS.some((pivot) => pivot.huntId === hunt.id) ? 'pivotHunt' : 'hunt';
  item.description = hunt.target === 'defenderXdr' ? 'Defender XDR' : undefined;
  item.iconPath = new vscode.ThemeIcon(hunt.target === 'defenderXdr' ? 'shield' : 'search');
  item.tooltip = huntTooltip(hunt);
  item.command = { command: 'huntLens.openHunt', title: 'Open Hunt', arguments: [hunt.id] };
  return item;
}

/** Tooltip with the hunt's description, MITRE technique, target and tables; every value is escaped as Markdown text. */
function huntTooltip(hunt: Hunt): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown('**');
  tooltip.appendText(hunt.title);
  tooltip.appendMarkdown('**\n\n');
  tooltip.appendText(hunt.description);
  tooltip.appendMarkdown('\n\n');
  tooltip.appendText(`MITRE ATT&CK ${hunt.mitre} · ${TARGET_LABELS[hunt.target]} · ${hunt.tables.join(', ')}`);
  return tooltip;
}
