/**
 * Schedules diagnostics per document: waits until edits pause, re-analyzes only
 * the statement blocks whose text or target changed, and abandons a pass as
 * soon as a newer edit arrives. Passes run between LSP messages, never inside
 * a request handler.
 */
import type { Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeBlock, failedBlock, toDocumentDiagnostics, type BlockResult } from './blockDiagnostics';
import { documentBlocks, splitLines, type DocumentBlock } from './blockText';
import { leadingCommentLines } from '../hunts/document';
import { isLocalConnectionName, pinnedConnectionName } from '../runner/connections';
import type { RuleSettings } from './rules';
import { schemaFor, type BoundSchema } from './workspaceSchemas';

export interface PublishedDiagnostics {
  readonly uri: string;
  readonly version: number;
  readonly diagnostics: Diagnostic[];
  readonly blocks: number;
  /** Blocks analyzed in this pass; the others came from the cache. */
  readonly analyzedBlocks: number;
}

interface DocumentState {
  /** Incremented on every edit; a pass stops when it no longer matches. */
  generation: number;
  timer: NodeJS.Timeout | undefined;
  /** Results keyed by schema key, whether the document runs on local data, and block text, from the last finished pass. */
  cache: Map<string, BlockResult>;
}

/** Lets queued LSP messages (newer edits, cancellations) run before the next block. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class DiagnosticsScheduler {
  private readonly states = new Map<string, DocumentState>();
  private rules: RuleSettings;

  constructor(
    private readonly documentOf: (uri: string) => TextDocument | undefined,
    private readonly publish: (result: PublishedDiagnostics) => void,
    private readonly onError: (message: string, error: unknown) => void,
    rules: RuleSettings,
    private readonly debounceMs: number,
  ) {
    this.rules = rules;
  }

  /** Schedules a pass after the debounce delay, or at once for a document not seen before or when `immediately` is set. */
  schedule(uri: string, immediately = false): void {
    const isNew = !this.states.has(uri);
    const state = this.stateOf(uri);
    state.generation++;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => void this.runPass(uri, state), immediately || isNew ? 0 : this.debounceMs);
  }

  /** Forgets a closed document and stops its pending pass. */
  forget(uri: string): void {
    const state = this.states.get(uri);
    if (state) {
      state.generation++;
      clearTimeout(state.timer);
      this.states.delete(uri);
    }
  }

  /** Applies new rule settings: every open document is analyzed again. */
  setRules(rules: RuleSettings): void {
    this.rules = rules;
    for (const [uri, state] of this.states) {
      state.cache.clear();
      this.schedule(uri, true);
    }
  }

  private stateOf(uri: string): DocumentState {
    let state = this.states.get(uri);
    if (!state) {
      state = { generation: 0, timer: undefined, cache: new Map() };
      this.states.set(uri, state);
    }
    return state;
  }

  private async runPass(uri: string, state: DocumentState): Promise<void> {
    const generation = state.generation;
    const document = this.documentOf(uri);
    if (!document) {
      return;
    }
    try {
      const lines = splitLines(document.getText());
      const blocks = documentBlocks(lines);
      const rules = documentRules(lines, this.rules);
      const results = new Map<string, BlockResult>();
      const diagnostics: Diagnostic[] = [];
      let analyzedBlocks = 0;
      for (const block of blocks) {
        const schema = schemaFor(uri, block.target);
        const key = `${schema.key}\u0000${rules.localData ? 'local' : 'service'}\u0000${block.text}`;
        let result = results.get(key) ?? state.cache.get(key);
        if (!result) {
          await yieldToEvents();
          if (generation !== state.generation) {
            return;
          }
          result = this.analyze(block, schema, rules);
          analyzedBlocks++;
        }
        results.set(key, result);
        diagnostics.push(...toDocumentDiagnostics(block, result));
      }
      if (generation !== state.generation || !this.states.has(uri)) {
        return;
      }
      state.cache = results;
      this.publish({ uri, version: document.version, diagnostics, blocks: blocks.length, analyzedBlocks });
    } catch (error) {
      this.onError(`Diagnostics for ${uri} (version ${document.version}) failed`, error);
    }
  }

  private analyze(block: DocumentBlock, schema: BoundSchema, rules: RuleSettings): BlockResult {
    try {
      return analyzeBlock(block.text, block.target, schema.tables, rules);
    } catch (error) {
      this.onError(`Analyzing lines ${block.startLine + 1}-${block.endLine + 1} failed`, error);
      return failedBlock(error);
    }
  }
}

/** The rules of one document: a `// connection:` pin in its leading comments decides whether it runs on local data. */
function documentRules(lines: readonly string[], rules: RuleSettings): RuleSettings {
  const pinned = leadingCommentLines(lines)
    .map(pinnedConnectionName)
    .find((name) => name !== undefined);
  return pinned === undefined ? rules : { ...rules, localData: isLocalConnectionName(pinned) };
}
