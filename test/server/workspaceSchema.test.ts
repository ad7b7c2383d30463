// The language server binds a document's Log Analytics blocks against the
// schema of the workspace the client says it runs on, and against the bundled
// tables before that schema arrives and for Defender XDR blocks.
import * as assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import {
  DOCUMENT_WORKSPACE_NOTIFICATION,
  WORKSPACE_SCHEMA_NOTIFICATION,
  type DocumentWorkspaceParams,
  type WorkspaceSchemaParams,
} from '../../src/protocol/languageServer';
import { LspTestClient } from './lspClient';

const WORKSPACE_ID = '3c4d5e6f-7081-4920-a3b4-c5d6e7f80910';
const QUERY = 'SigninLogs\n| where TimeGenerated > ago(1d)\n| project UserPrincipalName, PushTag_s\n';

function schema(tables: WorkspaceSchemaParams['tables']): WorkspaceSchemaParams {
  return { workspaceId: WORKSPACE_ID, fetchedAt: '2026-12-01T08:00:00.000Z', tables };
}

const SIGNIN_WITH_TAG: WorkspaceSchemaParams['tables'] = [
  {
    name: 'SigninLogs',
    columns: [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'UserPrincipalName', type: 'string' },
      { name: 'PushTag_s', type: 'string' },
      { name: 'Sketch', type: 'hyperloglog' },
    ],
  },
];

function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((diagnostic) => String(diagnostic.code));
}

describe('server workspace schema', function () {
  this.timeout(60_000);
  let client: LspTestClient;
  let count = 0;
  const nextUri = (): string => `file:///tmp/hunt-lens-schema-test/query-${++count}.kql`;

  before(async () => {
    client = new LspTestClient();
    await client.initialize();
    assert.equal((await client.status).kind, 'ready');
  });

  afterEach(() => client.closeAll());

  after(async () => {
    await client.shutdown();
  });

  async function attach(uri: string, workspaceId: string | null): Promise<Diagnostic[]> {
    const republished = client.diagnosticsFor(uri, undefined);
    const params: DocumentWorkspaceParams = { uri, workspaceId };
    await client.connection.sendNotification(DOCUMENT_WORKSPACE_NOTIFICATION, params);
    return republished;
  }

  it('binds against the bundled tables without a workspace', async () => {
    const diagnostics = await client.open(nextUri(), QUERY);
    assert.deepEqual(codes(diagnostics), ['KS142']);
  });

  it('binds a workspace-only column', async () => {
    const uri = nextUri();
    assert.deepEqual(codes(await client.open(uri, QUERY)), ['KS142']);
    const republished = client.diagnosticsFor(uri, undefined);
    await client.connection.sendNotification(WORKSPACE_SCHEMA_NOTIFICATION, schema(SIGNIN_WITH_TAG));
    await attach(uri, WORKSPACE_ID);
    // The schema alone changes nothing for a document not on that workspace; attaching it does.
    assert.deepEqual(await republished, []);

    const items = await client.completion(uri, 2, '| project '.length);
    assert.ok(items?.some((item) => item.label === 'PushTag_s'), 'PushTag_s is not offered');
    assert.ok(!items?.some((item) => item.label === 'Sketch'), 'a column of an unknown type was offered');
  });

  it('drops the workspace when detached', async () => {
    const uri = nextUri();
    await client.connection.sendNotification(WORKSPACE_SCHEMA_NOTIFICATION, schema(SIGNIN_WITH_TAG));
    const opened = client.open(uri, QUERY);
    await attach(uri, WORKSPACE_ID);
    await opened;
    assert.deepEqual(codes(await attach(uri, null)), ['KS142']);
  });

  it('replaces a schema with a newer one', async () => {
    const uri = nextUri();
    await client.connection.sendNotification(WORKSPACE_SCHEMA_NOTIFICATION, schema(SIGNIN_WITH_TAG));
    await client.open(uri, QUERY);
    assert.deepEqual(await attach(uri, WORKSPACE_ID), []);
    const withoutTag = SIGNIN_WITH_TAG.map((table) => ({ ...table, columns: table.columns.filter((column) => column.name !== 'PushTag_s') }));
    const republished = client.diagnosticsFor(uri, undefined);
    await client.connection.sendNotification(WORKSPACE_SCHEMA_NOTIFICATION, schema(withoutTag));
    assert.deepEqual(codes(await republished), ['KS142']);
  });

  it('keeps Defender XDR blocks on bundled tables', async () => {
    const uri = nextUri();
    const text = '// huntLens: target=defenderXdr\nAADSignInEventsBeta\n| where Timestamp > ago(1d)\n| project AccountUpn\n';
    await client.connection.sendNotification(WORKSPACE_SCHEMA_NOTIFICATION, schema(SIGNIN_WITH_TAG));
    await client.open(uri, text);
    assert.deepEqual(await attach(uri, WORKSPACE_ID), []);
  });
});
