// Runs inside the extension host in code-server: Save as Evidence through the
// real command writes CSV and JSON files into the workspace's case folder and
// never replaces earlier ones. Also checks that a `render` result draws its
// chart in the real webview.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SavedEvidence } from '../../src/evidence/saveEvidence';
import type { HuntLensApi } from '../../src/extension/extension';
import { toCsv } from '../../src/webview/core/export';
import type { ResultsPanel } from '../../src/webview/panel';
import { signInResult } from '../fixtures/signInResults';

const EXTENSION_ID = 'hunt-lens.hunt-lens';
const ROW_COUNT = 50;

async function api(): Promise<HuntLensApi> {
  const extension = vscode.extensions.getExtension<HuntLensApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the host tests run without a workspace folder');
  return folder.uri.fsPath;
}

async function save(rows: 'all' | 'selected'): Promise<SavedEvidence | undefined> {
  return vscode.commands.executeCommand<SavedEvidence | undefined>('huntLens.saveEvidence', { rows });
}

describe('save as evidence', function () {
  this.timeout(120_000);
  const result = { ...signInResult(ROW_COUNT), requestId: 'evidence-request-1', timeRange: { start: '2024-05-01T00:00:00Z', end: '2024-05-02T00:00:00Z' } };
  let panel: ResultsPanel;
  let folder: string;

  before(async () => {
    folder = join(workspaceRoot(), 'evidence');
    rmSync(folder, { recursive: true, force: true });
    const { results } = await api();
    for (const open of results.panels) {
      open.panel.dispose();
    }
    panel = await results.showResults(result);
    await panel.nextRender((report) => report.visibleRowCount === ROW_COUNT);
  });

  after(async () => {
    panel?.panel.dispose();
    rmSync(folder, { recursive: true, force: true });
    await vscode.workspace.getConfiguration('huntLens').update('evidence.folder', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('writes CSV and JSON files', async () => {
    const saved = await save('all');
    assert.ok(saved, 'the command saved nothing');
    assert.equal(saved.csv.fsPath.startsWith(folder), true, saved.csv.fsPath);
    const csv = readFileSync(saved.csv.fsPath);
    assert.equal(csv.toString('utf8'), toCsv(result.tables[0].columns, result.tables[0].rows, { guardFormulas: true }));

    const json = JSON.parse(readFileSync(saved.json.fsPath, 'utf8')) as Record<string, unknown>;
    assert.equal(json.query, result.query);
    assert.equal(json.target, result.target.displayName);
    assert.equal(json.requestId, 'evidence-request-1');
    assert.deepEqual(json.timeRange, result.timeRange);
    assert.equal(json.runStartedAt, result.startedAt);
    assert.equal(json.rowCount, ROW_COUNT);
    assert.equal((json.rows as unknown[]).length, ROW_COUNT);
    assert.equal(json.rowsSha256, createHash('sha256').update(csv).digest('hex'));
    assert.equal(json.csvFile, saved.csv.path.split('/').pop());
  });

  it('never replaces earlier evidence', async () => {
    const before = new Map(readdirSync(folder).map((name) => [name, readFileSync(join(folder, name))]));
    const first = await save('all');
    const second = await save('all');
    assert.ok(first, 'the first save wrote nothing');
    assert.ok(second, 'the second save wrote nothing');
    assert.notEqual(first.json.fsPath, second.json.fsPath);
    assert.notEqual(first.csv.fsPath, second.csv.fsPath);
    assert.equal(readdirSync(folder).length, before.size + 4);
    for (const [name, bytes] of before) {
      assert.deepEqual(readFileSync(join(folder, name)), bytes, `${name} changed`);
    }
  });

  it('saves the selected row', async () => {
    const saved = await save('selected');
    assert.ok(saved);
    const json = JSON.parse(readFileSync(saved.json.fsPath, 'utf8')) as Record<string, unknown>;
    assert.equal(json.rowSelection, 'selected');
    assert.equal(json.rowCount, 1);
    assert.equal((json.rows as Array<Record<string, unknown>>)[0].UserPrincipalName, 'alice@contoso.com');
  });

  it('rejects a folder outside the workspace', async () => {
    await vscode.workspace.getConfiguration('huntLens').update('evidence.folder', '../outside-evidence', vscode.ConfigurationTarget.Workspace);
    const files = readdirSync(folder).length;
    assert.equal(await save('all'), undefined);
    assert.equal(existsSync(join(workspaceRoot(), '..', 'outside-evidence')), false);
    assert.equal(readdirSync(folder).length, files);
    await vscode.workspace.getConfiguration('huntLens').update('evidence.folder', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('saves into the configured folder', async () => {
    await vscode.workspace.getConfiguration('huntLens').update('evidence.folder', 'evidence/case-42', vscode.ConfigurationTarget.Workspace);
    const saved = await save('all');
    assert.ok(saved);
    assert.equal(saved.json.fsPath, join(folder, 'case-42', saved.json.path.split('/').pop() ?? ''));
    await vscode.workspace.getConfiguration('huntLens').update('evidence.folder', undefined, vscode.ConfigurationTarget.Workspace);
  });
});

describe('results chart in VS Code', function () {
  this.timeout(120_000);

  it('draws the render timechart', async () => {
    const { results } = await api();
    const result = { ...signInResult(200), visualization: { visualization: 'timechart', yColumns: ['DurationMs'], series: ['UserPrincipalName'] } };
    const panel = await results.showResults(result);
    try {
      const report = await new Promise<Parameters<Parameters<ResultsPanel['onDidDrawChart']>[0]>[0]>((resolve) => {
        const listener = panel.onDidDrawChart((drawn) => {
          listener.dispose();
          resolve(drawn);
        });
      });
      assert.ok(!('error' in report), JSON.stringify(report));
      assert.equal(report.kind, 'timechart');
      assert.deepEqual(report.seriesNames, ['alice@contoso.com', 'bob@contoso.com', 'carol@contoso.com', 'dave@fabrikam.com', 'erin@fabrikam.com']);
      assert.equal(report.pointCount, 200);
    } finally {
      panel.panel.dispose();
    }
  });
});
