// Pivot lenses and the investigation trail in a real extension host. The
// test runs the success-after-failures hunt through its Run lens against the
// local HTTPS server in test/support/huntServer.ts and checks the
// flagged-entity lenses. It then opens and runs a pivot, pivots again from
// its result, edits the hunt until its lens turns stale, and exports the
// trail. runTests.ts provides the certificate, the trusted CA and the test
// token.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HuntLensApi } from '../../src/extension/extension';
import { huntBlock } from '../../src/hunts/document';
import { findHunt } from '../../src/hunts/library';
import type { OpenedPivot } from '../../src/pivots/pivots';
import type { QueryResult } from '../../src/results/model';
import type { RunOutcome } from '../../src/runner/runner';
import { ALICE_ACTIVITY, FLAGGED_USERS, HOSTILE_USER } from '../fixtures/pivotResults';
import { HuntServer } from '../support/huntServer';

const EXTENSION_ID = 'hunt-lens.hunt-lens';
const WORKSPACE_ID = '1f2e3d4c-5b6a-4980-a1b2-c3d4e5f60718';
function requiredEnv(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set; run the host tier through out/test/host/runTests.js`);
  return value;
}

async function lensesOf(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? [];
}

async function titlesOf(document: vscode.TextDocument): Promise<string[]> {
  return (await lensesOf(document)).map((lens) => lens.command?.title ?? '');
}

async function runLens<T>(lens: vscode.CodeLens | undefined): Promise<T> {
  assert.ok(lens?.command, 'the lens has no command');
  const value = await vscode.commands.executeCommand<T>(lens.command.command, ...((lens.command.arguments ?? []) as unknown[]));
  assert.ok(value, `${lens.command.command} returned nothing`);
  return value;
}

describe('pivot lenses and investigation trail', function () {
  this.timeout(60_000);

  let server: HuntServer;
  let api: HuntLensApi;
  let hunt: vscode.TextDocument;
  let pivot: OpenedPivot;
  let huntResult: QueryResult;
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('huntLens');

  before(async () => {
    const certDir = requiredEnv('HUNT_LENS_TEST_CERT_DIR');
    server = await HuntServer.start({ keyPath: join(certDir, 'key.pem'), certPath: join(certDir, 'cert.pem'), token: requiredEnv('HUNT_LENS_TEST_TOKEN') });
    const extension = vscode.extensions.getExtension<HuntLensApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    await settings().update('endpoints.logAnalytics', `${server.url}/v1`, vscode.ConfigurationTarget.Global);
    await settings().update('connections', [{ name: 'Test SOC', workspaceId: WORKSPACE_ID }], vscode.ConfigurationTarget.Global);
    await settings().update('pivots.maxLenses', 3, vscode.ConfigurationTarget.Global);
    // Earlier host tests ran queries too; the trail starts empty here so step numbers are known.
    api.trail.trail.clear();

    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    const uri = vscode.Uri.joinPath(folder.uri, 'pivots-test.kql');
    const text = `// connection: Test SOC\n\n${huntBlock(findHunt('success-after-failures')!)}`;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    hunt = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(hunt);
  });

  after(async () => {
    for (const key of ['endpoints.logAnalytics', 'connections', 'pivots.maxLenses', 'pivots.window']) {
      await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    await server.close();
  });

  it('shows Run above a hunt that has not run', async () => {
    const lenses = await lensesOf(hunt);
    assert.deepEqual(lenses.map((lens) => lens.command?.title), ['$(play) Run']);
    assert.equal(lenses[0]?.range.start.line, 2, 'the lens is not on the first line of the hunt block');
  });

  it('shows one lens per flagged user after the run', async () => {
    server.answerWith(FLAGGED_USERS);
    const outcome = await runLens<RunOutcome>((await lensesOf(hunt))[0]);
    assert.equal(outcome.result.status, 'Success', outcome.message);
    huntResult = outcome.result;
    assert.match(String(server.requests.at(-1)?.body?.query), /\/\/ hunt: success-after-failures/);
    assert.deepEqual(await titlesOf(hunt), [
      'alice@contoso.com · 14 denials → approved 02:13 UTC from 203.0.113.7',
      'bob@contoso.com · 9 denials → approved 03:31 UTC from 198.51.100.2',
      'mallory"; SigninLogs | take 1 //⏎ · 7 denials → approved 04:22 UTC from 192.0.2.66',
      'more… (1)',
    ]);
  });

  it('opens the pivot query with user, IP and window filled in', async () => {
    pivot = await runLens<OpenedPivot>((await lensesOf(hunt))[0]);
    assert.equal(pivot.huntId, 'activity-after-approval');
    assert.deepEqual(pivot.values, { userPrincipalName: 'alice@contoso.com', startTime: '2026-12-01T02:13:00.000Z', window: '24h', lookback: '7d' });
    const text = pivot.document.getText();
    assert.equal(pivot.document.languageId, 'kql');
    assert.equal(vscode.window.activeTextEditor?.document, pivot.document, 'the pivot is not in the active editor');
    assert.match(text, /^\/\/ connection: Test SOC\n/, 'the pivot does not pin the hunt file connection');
    assert.match(text, /^let userPrincipalName = "alice@contoso\.com";$/m);
    assert.match(text, /^let startTime = datetime\(2026-12-01T02:13:00\.000Z\);$/m);
    assert.match(text, /^let window = 24h;$/m);
    assert.deepEqual(await titlesOf(pivot.document), ['$(play) Run'], 'the pivot has no Run lens of its own');
  });

  it('takes the pivot window from settings', async () => {
    await settings().update('pivots.window', '2h', vscode.ConfigurationTarget.Global);
    const second = await runLens<OpenedPivot>((await lensesOf(hunt))[1]);
    assert.equal(second.values.window, '2h');
    assert.match(second.document.getText(), /^let window = 2h;$/m);
    assert.match(second.document.getText(), /^let userPrincipalName = "bob@contoso\.com";$/m);
  });

  it('pivots from a row of the results panel', async () => {
    const panel = api.results.panels.find((candidate) => candidate.currentResult === huntResult);
    assert.ok(panel, 'the run opened no results panel');
    const opened = await vscode.commands.executeCommand<OpenedPivot>('huntLens.pivotFromResultRow', { huntLensResultId: panel.resultId, huntLensRow: 3 }, 'inboxRules');
    assert.ok(opened);
    assert.equal(opened.huntId, 'inbox-rules-in-range');
    assert.deepEqual(opened.values, { userPrincipalName: 'dana@contoso.com', startTime: '2026-12-01T05:09:00.000Z', window: '2h', lookback: '7d' });
    assert.equal(api.trail.trail.find(opened.stepId)?.source?.entity.rowIndex, 3);
  });

  it('writes a hostile user name as one literal', async () => {
    const lens = (await lensesOf(hunt))[2];
    assert.ok(lens?.command);
    const opened = await vscode.commands.executeCommand<OpenedPivot>(lens.command.command, lens.command.arguments?.[0], lens.command.arguments?.[1], 'userSignIns');
    assert.ok(opened);
    assert.equal(opened.values.userPrincipalName, HOSTILE_USER);
    assert.match(opened.document.getText(), /^let userPrincipalName = "mallory\\"; SigninLogs \| take 1 \/\/\\n";$/m);
  });

  it('runs the pivot and offers pivots from its result', async () => {
    await vscode.window.showTextDocument(pivot.document);
    server.answerWith(ALICE_ACTIVITY);
    const outcome = await runLens<RunOutcome>((await lensesOf(pivot.document))[0]);
    assert.equal(outcome.result.status, 'Success', outcome.message);
    assert.match(String(server.requests.at(-1)?.body?.query), /let userPrincipalName = "alice@contoso\.com";/);
    assert.deepEqual(await titlesOf(pivot.document), ['alice@contoso.com · seen 02:15 UTC from 203.0.113.7']);

    const step = api.trail.trail.find(pivot.stepId);
    assert.equal(step?.rowCount, 2);
    assert.equal(step?.status, 'Success');
    assert.match(step?.target ?? '', /Test SOC/);
  });

  it('pivots again from the pivot result', async () => {
    const lens = (await lensesOf(pivot.document))[0];
    assert.ok(lens?.command);
    const again = await vscode.commands.executeCommand<OpenedPivot>(lens.command.command, lens.command.arguments?.[0], lens.command.arguments?.[1], 'signInsFromIp');
    assert.ok(again);
    assert.equal(again.huntId, 'sign-ins-from-ip');
    assert.equal(again.values.ipAddress, '203.0.113.7');
    assert.equal(again.values.startTime, '2026-12-01T02:15:00.000Z', 'the second pivot does not start at the activity time');
    assert.equal(api.trail.trail.find(again.stepId)?.source?.stepId, pivot.stepId, 'the second pivot does not point at the first');
  });

  it('turns the lens stale when the hunt block is edited', async () => {
    const editor = await vscode.window.showTextDocument(hunt);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '// moved down a line\n'));
    const moved = await titlesOf(hunt);
    assert.equal(moved[0], 'alice@contoso.com · 14 denials → approved 02:13 UTC from 203.0.113.7', 'an edit above the block made it stale');

    const lastLine = hunt.lineCount - 2;
    await editor.edit((edit) => edit.insert(new vscode.Position(lastLine, hunt.lineAt(lastLine).text.length), '\n| take 5'));
    const stale = await titlesOf(hunt);
    assert.equal(stale.length, 1);
    assert.match(stale[0] ?? '', /^\$\(warning\) Edited since the run at \d\d:\d\d UTC: run again for current pivots$/);
    await vscode.commands.executeCommand('undo');
    assert.equal((await titlesOf(hunt)).length, 4, 'undoing the edit did not bring the pivots back');
  });

  it('keeps the pivots when a query is typed below the hunt', async () => {
    const editor = await vscode.window.showTextDocument(hunt);
    const before = await titlesOf(hunt);
    const lastLine = hunt.lineCount - 2;
    const end = new vscode.Position(lastLine, hunt.lineAt(lastLine).text.length);
    editor.selection = new vscode.Selection(end, end);
    await vscode.commands.executeCommand('type', { text: '\n' });
    await vscode.commands.executeCommand('type', { text: '\n' });
    await vscode.commands.executeCommand('type', { text: 'AuditLogs' });
    assert.equal(hunt.lineAt(lastLine + 2).text.trim(), 'AuditLogs');

    const titles = await titlesOf(hunt);
    assert.deepEqual(titles.slice(0, 4), before, 'a query typed below the hunt hid its pivots');
    assert.deepEqual(titles.slice(4), ['$(play) Run'], 'the new query has no Run lens');

    await editor.edit((edit) => edit.delete(new vscode.Range(end, hunt.lineAt(lastLine + 2).range.end)));
    assert.deepEqual(await titlesOf(hunt), before);
  });

  it('keeps the pivots when the hunt file is closed and reopened', async () => {
    await vscode.window.showTextDocument(hunt);
    const before = await titlesOf(hunt);
    const uri = hunt.uri.toString();
    const closedAndOpened = (): Promise<void> => {
      let closed = false;
      return new Promise<void>((resolve) => {
        const subscriptions = [
          vscode.workspace.onDidCloseTextDocument((document) => {
            closed ||= document.uri.toString() === uri;
          }),
          vscode.workspace.onDidOpenTextDocument((document) => {
            if (closed && document.uri.toString() === uri) {
              for (const subscription of subscriptions) {
                subscription.dispose();
              }
              resolve();
            }
          }),
        ];
      });
    };
    // Closing a tab disposes the document only minutes later, when VS Code lets go
    // of it. A language change closes and reopens the document at once, through
    // the same two events.
    const toText = closedAndOpened();
    await vscode.languages.setTextDocumentLanguage(hunt, 'plaintext');
    await toText;
    const toKql = closedAndOpened();
    hunt = await vscode.languages.setTextDocumentLanguage(hunt, 'kql');
    await toKql;
    assert.deepEqual(await titlesOf(hunt), before, 'reopening the hunt file lost its pivot lenses');
  });

  it('moves back and forward along the trail', async () => {
    const steps = api.trail.trail.all;
    assert.deepEqual(
      steps.map((step) => step.kind),
      ['run', 'pivot', 'pivot', 'pivot', 'pivot', 'pivot'],
    );
    const back = await vscode.commands.executeCommand<{ id: string } | undefined>('huntLens.showPreviousTrailStep');
    assert.equal(back?.id, steps[4]?.id);
    const forward = await vscode.commands.executeCommand<{ id: string } | undefined>('huntLens.showNextTrailStep');
    assert.equal(forward?.id, steps[5]?.id);
    assert.ok(api.trail.resultOf(steps[0].id), 'the hunt result is not kept in memory');
  });

  it("links evidence saved from a step's result to that step", async () => {
    const panel = await api.results.showResults(huntResult);
    await new Promise<void>((resolve) => {
      const subscription = panel.onDidRender(() => {
        subscription.dispose();
        resolve();
      });
    });
    const saved = await panel.requestEvidence('all');
    assert.ok(saved, 'nothing was saved');
    const step = api.trail.trail.all.find((candidate) => candidate.title === 'Success after repeated MFA failures');
    assert.deepEqual(step?.evidence, [saved.json.toString(), saved.csv.toString()]);
  });

  it('exports the trail as Markdown', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    const target = vscode.Uri.joinPath(folder.uri, '.trail-export-test.md');
    const written = await vscode.commands.executeCommand<vscode.Uri>('huntLens.exportTrail', target);
    assert.equal(written?.toString(), target.toString());
    const text = Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8');
    await vscode.workspace.fs.delete(target);
    assert.match(text, /^# Investigation trail$/m);
    assert.match(text, /^\| 1 \| run \| Success after repeated MFA failures \| 4 \|/m);
    assert.match(text, /^## 2\. Mailbox and file activity after the approval$/m);
    assert.match(text, /^- Pivot: Activity after the approval from step 1$/m);
    assert.match(text, /^- Entity: user alice@contoso\.com, IP address 203\.0\.113\.7, approval time 2026-12-01T02:13:00\.000Z, last seen 2026-12-01T02:20:00\.000Z, denials 14 \(row 1\)$/m);
    assert.match(text, /^- Rows: 2$/m);
    // Steps are in time order, and the first pivot ran after three more pivots were opened, so it is step 5.
    assert.match(text, /^- Pivot: Sign-ins from this IP from step 5$/m);
    assert.ok(text.includes('let userPrincipalName = "alice@contoso.com";'), 'the pivot query is missing');
    // The report sits in the workspace folder, so the link is relative, and the file is named after the hunt.
    assert.match(text, /^- Evidence: <evidence\/\S+-success-after-failures\.json>$/m);
  });

  it('pivots from a row without a time over its run range', async () => {
    // The first pivot searched 24 hours from the approval at 02:13, and a row of its result without a time keeps that range.
    const result: QueryResult = {
      status: 'Success',
      query: huntBlock(findHunt('activity-after-approval')!, pivot.values),
      target: { kind: 'logAnalytics', workspaceId: WORKSPACE_ID, displayName: 'Test SOC' },
      startedAt: new Date().toISOString(),
      durationMs: 1,
      tables: [
        {
          name: 'PrimaryResult',
          columns: [
            { name: 'TimeGenerated', type: 'datetime' },
            { name: 'UserPrincipalName', type: 'string' },
            { name: 'Operation', type: 'string' },
            { name: 'IPAddress', type: 'string' },
          ],
          rows: [[null, 'alice@contoso.com', 'MailItemsAccessed', '203.0.113.7']],
        },
      ],
    };
    const panel = await api.results.showResults(result);
    try {
      const opened = await vscode.commands.executeCommand<OpenedPivot>('huntLens.pivotFromResultRow', { huntLensResultId: panel.resultId, huntLensRow: 0 }, 'mfaMethods');
      assert.ok(opened, 'no pivot was opened');
      assert.equal(opened.values.startTime, '2026-12-01T02:13:00.000Z');
      assert.equal(opened.values.window, '1d');
      assert.match(opened.document.getText(), /^let startTime = datetime\(2026-12-01T02:13:00\.000Z\);$/m);
    } finally {
      panel.panel.dispose();
    }
  });
  it('records failed and cancelled runs in time order', async () => {
    const open = async (text: string): Promise<vscode.TextEditor> => {
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'kql', content: text }));
      editor.selection = new vscode.Selection(2, 0, 2, 0);
      return editor;
    };

    await open('// connection: Test SOC\n// failed run\nSigninLogs\n| take 1\n');
    server.script('internalError');
    const failed = await vscode.commands.executeCommand<RunOutcome>('huntLens.runQuery');
    assert.equal(failed?.result.status, 'Failure');
    const failedRequestId = failed.result.requestId;
    assert.ok(failedRequestId, 'the failed run kept no request id');

    // A slow run starts first and is cancelled after a later run finished, so it finishes last.
    await open('// connection: Test SOC\n// slow run\nSigninLogs\n| take 2\n');
    const arrived = server.nextRequest();
    server.script('slow');
    const slow = vscode.commands.executeCommand<RunOutcome>('huntLens.runQuery');
    await arrived;
    await open('// connection: Test SOC\n// quick run\nSigninLogs\n| take 3\n');
    const quick = await vscode.commands.executeCommand<RunOutcome>('huntLens.runQuery');
    assert.equal(quick?.result.status, 'Success', quick?.message);
    await vscode.commands.executeCommand('huntLens.cancelQueries');
    assert.match((await slow)?.message ?? '', /Query cancelled/);

    const steps = api.trail.trail.all;
    const titles = steps.map((step) => step.title);
    const slowIndex = titles.indexOf('slow run');
    const quickIndex = titles.indexOf('quick run');
    assert.ok(slowIndex >= 0, `no step for the slow run: ${JSON.stringify(titles)}`);
    assert.ok(quickIndex >= 0, `no step for the quick run: ${JSON.stringify(titles)}`);
    assert.ok(slowIndex < quickIndex, `the cancelled run that started first is listed after a later run: ${JSON.stringify(titles)}`);
    const times = steps.map((step) => Date.parse(step.time));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'the steps are not in time order');

    const folder = vscode.workspace.workspaceFolders![0];
    const target = vscode.Uri.joinPath(folder.uri, '.trail-failures-test.md');
    await vscode.commands.executeCommand<vscode.Uri>('huntLens.exportTrail', target);
    const text = Buffer.from(await vscode.workspace.fs.readFile(target)).toString('utf8');
    await vscode.workspace.fs.delete(target);
    assert.match(text, new RegExp(`^\\| ${slowIndex + 1} \\| run \\| slow run \\| cancelled, no rows \\|`, 'm'));
    assert.match(text, new RegExp(`^## ${slowIndex + 1}\\. slow run\\n\\n- Kind: run\\n- Time: \\S+\\n- Target: .*\\n- Rows: cancelled, no rows$`, 'm'));
    const failedSection = text.slice(text.indexOf('. failed run\n'));
    assert.match(failedSection, /^- Rows: failed, no rows$/m);
    assert.match(failedSection, /^- Error: InternalServerError: An unexpected error occurred\.$/m);
    assert.match(failedSection, new RegExp(`^- Request id: ${failedRequestId}$`, 'm'));
  });

  it('confirms the export and opens the file', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    const target = vscode.Uri.joinPath(folder.uri, '.trail-open-test.md');
    const window = vscode.window as { showInformationMessage: (message: string, ...items: string[]) => Thenable<string | undefined> };
    const original = window.showInformationMessage;
    const messages: string[] = [];
    // Press Open on the confirmation; the extension and this test share the same vscode API object.
    window.showInformationMessage = (message: string, ...items: string[]) => {
      messages.push(message);
      return Promise.resolve(items.includes('Open') ? 'Open' : undefined);
    };
    const opened = new Promise<vscode.TextEditor>((resolve) => {
      const subscription = vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor?.document.uri.toString() === target.toString()) {
          subscription.dispose();
          resolve(editor);
        }
      });
    });
    try {
      await vscode.commands.executeCommand<vscode.Uri>('huntLens.exportTrail', target);
      const editor = await opened;
      assert.match(editor.document.getText(), /^# Investigation trail$/m);
    } finally {
      window.showInformationMessage = original;
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(target);
    }
    const steps = api.trail.trail.all.length;
    assert.ok(messages.includes(`Exported the investigation trail (${steps} steps) to ${target.fsPath}.`), JSON.stringify(messages));
  });
});
