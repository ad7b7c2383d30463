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
  DOCUMENT_WORKSPACE_NOTIFICATION,
  RULE_IDS,
  SERVER_STATUS_NOTIFICATION,
  WORKSPACE_SCHEMA_NOTIFICATION,
  type DiagnosticsPassParams,
  type DocumentWorkspaceParams,
  type ServerInitializationOptions,
  type ServerSettings,
  type ServerStatusParams,
  type WorkspaceSchemaParams,
} from '../protocol/languageServer';
import { TABLE_SCHEMAS } from '../schema/tables';
import { setAnalysisScope } from './blockText';
import { DiagnosticsScheduler } from './diagnosticsScheduler';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from './semanticTokens';
import { codeActions, completion, definition, documentSymbols, hover, references, signatureHelp } from './features';
import type { RuleSettings } from './rules';
import { documentsOnWorkspace, forgetDocument, setDocumentWorkspace, setWorkspaceSchema } from './workspaceSchemas';

const DEFAULT_DEBOUNCE_MS = 150;
/** The default of huntLens.defaultTimespan in package.json, used until the client's settings arrive. */
const DEFAULT_TIMESPAN = 'P1D';
const WARM_UP_QUERY = 'SigninLogs\n| where TimeGenerated > ago(1d) and ResultType == "500121"\n| summarize count() by UserPrincipalName';

const connection = createConnection(ProposedFeatures.all);
const documents: TextDocuments<TextDocument> = new TextDocuments(TextDocument);

let scheduler: DiagnosticsScheduler | undefined;
let kustoReady = false;
let supportsConfiguration = false;
let supportsTokenRefresh = false;

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function ruleSettings(settings: ServerSettings | null | undefined): RuleSettings {
  const timespan = settings?.defaultTimespan;
  return {
    enabled: new Set(RULE_IDS.filter((rule) => settings?.diagnostics?.[rule] !== false)),
    defaultTimespan: typeof timespan === 'string' && timespan.trim() !== '' ? timespan.trim() : DEFAULT_TIMESPAN,
    localData: settings?.localData === true,
  };
}

async function readRules(): Promise<RuleSettings> {
  if (!supportsConfiguration) {
    return ruleSettings(undefined);
  }
  const settings = (await connection.workspace.getConfiguration('huntLens')) as ServerSettings | null;
  return ruleSettings(settings);
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
  supportsTokenRefresh = params.capabilities.workspace?.semanticTokens?.refreshSupport === true;
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
    ruleSettings(undefined),
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
  forgetDocument(event.document.uri);
  void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
});

connection.onNotification(WORKSPACE_SCHEMA_NOTIFICATION, (params: WorkspaceSchemaParams) => {
  const dropped = setWorkspaceSchema(params);
  const tables = params.tables.length;
  connection.console.info(`Workspace ${params.workspaceId}: binding against its schema of ${tables} tables, fetched ${params.fetchedAt}.`);
  if (dropped > 0) {
    connection.console.warn(`Workspace ${params.workspaceId}: left out ${dropped} tables or columns whose name or type the Kusto binder does not take.`);
  }
  for (const uri of documentsOnWorkspace(params.workspaceId)) {
    scheduleAgain(uri);
  }
});

connection.onNotification(DOCUMENT_WORKSPACE_NOTIFICATION, (params: DocumentWorkspaceParams) => {
  setDocumentWorkspace(params);
  scheduleAgain(params.uri);
});

/** Analyzes an open document again at once, and requests new semantic tokens from the client. */
function scheduleAgain(uri: string): void {
  if (kustoReady && documents.get(uri)) {
    scheduler?.schedule(uri, true);
  }
  if (supportsTokenRefresh) {
    connection.languages.semanticTokens.refresh().catch((error: unknown) => connection.console.warn(`Refreshing semantic tokens failed: ${describe(error)}`));
  }
}

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
