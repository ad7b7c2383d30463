/**
 * Entry point of the Hunt Lens KQL language server (bundled as dist/server.js).
 * It loads Microsoft's Kusto language service from dist/kusto/, where the
 * build copies its two scripts, warms it up with one analysis and then serves
 * diagnostics, completion, hover, signature help, definitions, references, document symbols,
 * semantic tokens and quick fixes over LSP.
 *
 * Its initialization options are ServerInitializationOptions in
 * src/protocol/languageServer.ts.
 */
import * as path from 'node:path';
import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
  type TextDocumentChangeEvent,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeQuery, loadKustoLanguage } from '../kusto/service';
import {
  DIAGNOSTICS_PASS_NOTIFICATION,
  RULE_IDS,
  SERVER_STATUS_NOTIFICATION,
  type DiagnosticsPassParams,
  type RuleId,
  type ServerInitializationOptions,
  type ServerSettings,
  type ServerStatusParams,
} from '../protocol/languageServer';
import { TABLE_SCHEMAS } from '../schema/tables';
import { setAnalysisScope } from './blockText';
import { DiagnosticsScheduler } from './diagnosticsScheduler';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from './semanticTokens';
import { codeActions, completion, definition, documentSymbols, hover, references, signatureHelp } from './features';

const DEFAULT_DEBOUNCE_MS = 150;
const WARM_UP_QUERY = 'SigninLogs\n| where TimeGenerated > ago(1d) and ResultType == "500121"\n| summarize count() by UserPrincipalName';

const connection = createConnection(ProposedFeatures.all);
const documents: TextDocuments<TextDocument> = new TextDocuments(TextDocument);

let scheduler: DiagnosticsScheduler | undefined;
let kustoReady = false;
let supportsConfiguration = false;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function enabledRules(settings: ServerSettings | null | undefined): Set<RuleId> {
  return new Set(RULE_IDS.filter((rule) => settings?.diagnostics?.[rule] !== false));
}

async function readRules(): Promise<Set<RuleId>> {
  if (!supportsConfiguration) {
    return enabledRules(undefined);
  }
  const settings = (await connection.workspace.getConfiguration('huntLens')) as ServerSettings | null;
  return enabledRules(settings);
}

/** Loads the Kusto language service and analyzes one query, so the first real request does not pay for either. */
function warmUp(kustoDirectory: string): ServerStatusParams {
  try {
    const loadStart = performance.now();
    loadKustoLanguage(kustoDirectory);
    const analysisStart = performance.now();
    analyzeQuery(WARM_UP_QUERY, TABLE_SCHEMAS.logAnalytics);
    const end = performance.now();
    kustoReady = true;
    return { kind: 'ready', loadMs: Math.round(analysisStart - loadStart), warmUpMs: Math.round(end - analysisStart) };
  } catch (error) {
    return { kind: 'failed', message: `Loading the Kusto language service from ${kustoDirectory} failed (${describe(error)}).` };
  }
}

connection.onInitialize((params): InitializeResult => {
  const options = (params.initializationOptions ?? {}) as ServerInitializationOptions;
  setAnalysisScope(options.analysisScope === 'document' ? 'document' : 'block');
  supportsConfiguration = params.capabilities.workspace?.configuration === true;
  const debounceMs = typeof options.debounceMs === 'number' && options.debounceMs >= 0 ? options.debounceMs : DEFAULT_DEBOUNCE_MS;
  const kustoDirectory = options.kustoDirectory ?? path.join(__dirname, 'kusto');

  const status = warmUp(kustoDirectory);
  setImmediate(() => void connection.sendNotification(SERVER_STATUS_NOTIFICATION, status));
  if (status.kind === 'failed') {
    connection.console.error(status.message);
  }

  scheduler = new DiagnosticsScheduler(
    (uri) => documents.get(uri),
    (result) => {
      // The pass report goes first, so a client holding the diagnostics already has it.
      if (options.reportPasses === true) {
        const pass: DiagnosticsPassParams = { uri: result.uri, version: result.version, blocks: result.blocks, analyzedBlocks: result.analyzedBlocks };
        void connection.sendNotification(DIAGNOSTICS_PASS_NOTIFICATION, pass);
      }
      void connection.sendDiagnostics({ uri: result.uri, version: result.version, diagnostics: result.diagnostics });
    },
    (message, error) => connection.console.error(`${message}: ${describe(error)}`),
    enabledRules(undefined),
    debounceMs,
  );

  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['|', '.', '('] },
      hoverProvider: true,
      signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [' '] },
      definitionProvider: true,
      referencesProvider: true,
      documentSymbolProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
    },
    serverInfo: { name: 'Hunt Lens KQL language server' },
  };
});

connection.onInitialized(() => {
  if (supportsConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'huntLens' });
  }
  void applySettings();
});

async function applySettings(): Promise<void> {
  try {
    scheduler?.setRules(await readRules());
  } catch (error) {
    connection.console.error(`Reading the huntLens settings failed: ${describe(error)}`);
  }
}

connection.onDidChangeConfiguration(() => void applySettings());

// TextDocuments fires this on open too; the scheduler analyzes a document it has not seen at once.
documents.onDidChangeContent((event: TextDocumentChangeEvent<TextDocument>) => kustoReady && scheduler?.schedule(event.document.uri));
documents.onDidClose((event: TextDocumentChangeEvent<TextDocument>) => {
  scheduler?.forget(event.document.uri);
  void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
});

/** Runs a handler on an open document, returning `empty` when the document or the Kusto service is missing or the handler throws. */
function withDocument<T>(uri: string, empty: T, handler: (document: TextDocument) => T): T {
  const document = documents.get(uri);
  if (!document || !kustoReady) {
    return empty;
  }
  try {
    return handler(document);
  } catch (error) {
    connection.console.error(`Request on ${uri} failed: ${describe(error)}`);
    return empty;
  }
}

connection.onCompletion((params) => withDocument(params.textDocument.uri, [], (document) => completion(document, params.position)));
connection.onSignatureHelp((params) =>
  withDocument(params.textDocument.uri, null, (document) => signatureHelp(document, params.position)),
);
connection.onHover((params) => withDocument(params.textDocument.uri, null, (document) => hover(document, params.position)));
connection.onDefinition((params) => withDocument(params.textDocument.uri, [], (document) => definition(document, params.position)));
connection.onReferences((params) =>
  withDocument(params.textDocument.uri, [], (document) => references(document, params.position, params.context.includeDeclaration)),
);
connection.onDocumentSymbol((params) => withDocument(params.textDocument.uri, [], (document) => documentSymbols(document)));
connection.onCodeAction((params) => codeActions(params));
connection.languages.semanticTokens.on((params) => withDocument(params.textDocument.uri, { data: [] }, (document) => semanticTokens(document)));

documents.listen(connection);
connection.listen();
