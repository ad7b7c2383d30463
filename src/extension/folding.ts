import * as vscode from 'vscode';
import { findBlocks } from './blocks';

/** Folds each blank-line-separated statement block, which the language configuration cannot express. */
export class KqlFoldingProvider implements vscode.FoldingRangeProvider {
  provideFoldingRanges(document: vscode.TextDocument): vscode.FoldingRange[] {
    const lines = document.getText().split(/\r?\n/);
    return findBlocks(lines)
      .filter((block) => block.endLine > block.startLine)
      .map((block) => new vscode.FoldingRange(block.startLine, block.endLine, vscode.FoldingRangeKind.Region));
  }
}
