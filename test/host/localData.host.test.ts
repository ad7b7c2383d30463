// Runs queries through the real Run Query command on the local engine, over a
// folder of export files that each test writes. No server and no sign-in.
import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { HuntLensApi } from '../../src/extension/extension';
import type { RunOutcome } from '../../src/runner/runner';
import { waitForLogText } from './hostLog';

const EXTENSION_ID = 'hunt-lens.hunt-lens';

/** Returns one SigninLogs record as a Log Analytics JSON line. */
function signInLine(time: string, user: string): string {
  return JSON.stringify({ TimeGenerated: time, UserPrincipalName: user, ResultType: '500121', OriginalRequestId: `r-${user}`, Type: 'SigninLogs' });
}

/** Returns `count` SigninLogs JSON lines, each ending in a newline: enough rows that their load takes a while. */
function manySignIns(count: number): string {
  return Array.from({ length: count }, (_unused, index) => `${signInLine('2026-11-29T02:10:00Z', `user${index}@contoso.com`)}\n`).join('');
}

/** Returns a Log Analytics JSON export of SigninLogs rows, keyed by the table's own column names. */
function signIns(rows: Array<[string, string, string, string]>): string {
  return JSON.stringify(
    rows.map(([time, user, resultType, requestId]) => ({
      TimeGenerated: time,
      UserPrincipalName: user,
      ResultType: resultType,
      OriginalRequestId: requestId,
      IPAddress: '203.0.113.7',
      AuthenticationRequirement: 'multiFactorAuthentication',
      Status: { errorCode: Number(resultType), additionalDetails: resultType === '0' ? 'MFA successfully completed' : 'MFA denied; user declined the authentication' },
    })),
  );
}

const QUERY = [
  '// connection: local',
  'SigninLogs',
  '| where TimeGenerated > ago(1d)',
  '| where ResultType == "500121"',
  '| summarize Denials = dcount(OriginalRequestId) by UserPrincipalName',
  '| order by UserPrincipalName asc',
  '',
].join('\n');

describe('local data target', function () {
  this.timeout(120_000);

  let folder: string;
  let api: HuntLensApi;
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('huntLens');

  async function run(text: string, line = 1): Promise<{ outcome: RunOutcome; document: vscode.TextDocument }> {
    const document = await vscode.workspace.openTextDocument({ language: 'kql', content: text });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(line, 0, line, 0);
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('huntLens.runQuery');
    assert.ok(outcome, 'huntLens.runQuery returned no outcome');
    return { outcome, document };
  }

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'hunt-lens-local-'));
    writeFileSync(
      join(folder, 'SigninLogs.json'),
      signIns([
        ['2026-11-29T02:10:00Z', 'alice@contoso.com', '500121', 'r1'],
        ['2026-11-29T02:11:00Z', 'alice@contoso.com', '500121', 'r2'],
        ['2026-11-29T02:11:00Z', 'alice@contoso.com', '500121', 'r2'],
        ['2026-11-29T02:13:00Z', 'alice@contoso.com', '0', 'r3'],
        ['2026-11-29T09:00:00Z', 'bob@contoso.com', '500121', 'r4'],
        // Two days before the newest record: outside ago(1d).
        ['2026-11-27T09:00:00Z', 'carol@contoso.com', '500121', 'r5'],
      ]),
    );
    const extension = vscode.extensions.getExtension<HuntLensApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    await settings().update('localData.folder', folder, vscode.ConfigurationTarget.Global);
    await settings().update('localData.referenceTime', 'newestRecord', vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    for (const key of ['localData.folder', 'localData.referenceTime']) {
      await settings().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    rmSync(folder, { recursive: true, force: true });
  });

  it('runs a query on the export files, with now() at the newest record', async () => {
    const { outcome } = await run(QUERY);
    assert.equal(outcome.result.status, 'Success', outcome.message);
    assert.equal(outcome.result.target.kind, 'local');
    assert.deepEqual(outcome.result.tables[0]?.rows, [
      ['alice@contoso.com', 2],
      ['bob@contoso.com', 1],
    ]);
    assert.equal(outcome.result.statistics?.now, '2026-11-29T09:00:00.000Z');
    assert.equal(api.runs().at(-1), outcome.result);
  });

  it('reads files added to the folder since the last run', async () => {
    writeFileSync(join(folder, 'more-SigninLogs.json'), signIns([['2026-11-29T10:00:00Z', 'dave@contoso.com', '500121', 'r6']]));
    // Log Analytics exports name the table in the file name; this one does not,
    // so the readers detect the table from the columns.
    const { outcome } = await run(QUERY);
    assert.equal(outcome.result.status, 'Success', outcome.message);
    assert.deepEqual(
      outcome.result.tables[0]?.rows.map((row) => row[0]),
      ['alice@contoso.com', 'bob@contoso.com', 'dave@contoso.com'],
    );
  });

  it('reports an unsupported operator', async () => {
    // The message names the operator and its line; the editor text and earlier results stay intact.
    const before = api.runs().slice();
    const text = ['// connection: local', 'SigninLogs', '| where ResultType == "500121"', '| evaluate bag_unpack(Status)', ''].join('\n');
    const { outcome, document } = await run(text);
    assert.equal(outcome.result.status, 'Failure');
    assert.match(outcome.message, /evaluate/);
    assert.match(outcome.message, /workspace/);
    assert.equal(outcome.result.error?.line, 4);
    assert.equal(document.getText(), text);
    assert.deepEqual(api.runs().slice(0, before.length), before);
    const diagnostics = vscode.languages.getDiagnostics(document.uri).filter((diagnostic) => diagnostic.source === 'Local engine');
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]?.range.start.line, 3);
  });

  it('warns about an invalid reference time and uses the clock', async () => {
    await settings().update('localData.referenceTime', 'tomorrow', vscode.ConfigurationTarget.Global);
    try {
      const { outcome } = await run(QUERY);
      assert.equal(outcome.result.status, 'Success', outcome.message);
      assert.ok(
        outcome.result.warnings?.some((warning) => warning.startsWith('huntLens.localData.referenceTime "tomorrow" is invalid, so now() is the current time.')),
        JSON.stringify(outcome.result.warnings),
      );
      // The current time is far past the data, so ago(1d) finds nothing.
      assert.deepEqual(outcome.result.tables[0]?.rows, []);
    } finally {
      await settings().update('localData.referenceTime', 'newestRecord', vscode.ConfigurationTarget.Global);
    }
  });

  it('warns that the data ends days before the clock', async () => {
    await settings().update('localData.referenceTime', 'now', vscode.ConfigurationTarget.Global);
    try {
      const { outcome } = await run(QUERY);
      assert.equal(outcome.result.status, 'Success', outcome.message);
      const warning = outcome.result.warnings?.find((text) => text.startsWith('The newest record of SigninLogs in the local data is from 2026-11-29T10:00:00.000Z'));
      assert.ok(warning, JSON.stringify(outcome.result.warnings));
      assert.match(warning, /Set huntLens\.localData\.referenceTime to newestRecord/);
    } finally {
      await settings().update('localData.referenceTime', 'newestRecord', vscode.ConfigurationTarget.Global);
    }
  });

  it('runs on a bundled table that no file provides', async () => {
    const { outcome } = await run(['// connection: local', 'union SigninLogs, AuditLogs', '| summarize Rows = count()', ''].join('\n'));
    assert.equal(outcome.result.status, 'Success', outcome.message);
    assert.deepEqual(outcome.result.tables[0]?.rows, [[7]]);
    assert.deepEqual(
      outcome.result.warnings?.filter((text) => text.startsWith('AuditLogs: no file in the local data provides this table')).length,
      1,
      JSON.stringify(outcome.result.warnings),
    );
  });

  describe('when the files change', () => {
    let changing: string;

    /** Starts a Run Query on a new editor without waiting for it to finish. */
    async function startRun(text: string): Promise<{ outcome: Promise<RunOutcome | undefined> }> {
      const document = await vscode.workspace.openTextDocument({ language: 'kql', content: text });
      const editor = await vscode.window.showTextDocument(document);
      editor.selection = new vscode.Selection(1, 0, 1, 0);
      return { outcome: Promise.resolve(vscode.commands.executeCommand<RunOutcome | undefined>('huntLens.runQuery')) };
    }

    beforeEach(async () => {
      changing = mkdtempSync(join(tmpdir(), 'hunt-lens-changing-'));
      await settings().update('localData.folder', changing, vscode.ConfigurationTarget.Global);
    });

    afterEach(async () => {
      await settings().update('localData.folder', folder, vscode.ConfigurationTarget.Global);
      rmSync(changing, { recursive: true, force: true });
    });

    it('reloads a file replaced with the same size and time', async () => {
      // cp -p and rsync -a copy the size and set the old modification time.
      const file = join(changing, 'SigninLogs.jsonl');
      const mtime = new Date('2026-11-29T12:00:00Z');
      const users = ['// connection: local', 'SigninLogs', '| project UserPrincipalName', ''].join('\n');
      writeFileSync(file, `${signInLine('2026-11-29T02:10:00Z', 'alice@contoso.com')}\n`);
      utimesSync(file, mtime, mtime);
      const first = (await run(users)).outcome;
      assert.deepEqual(first.result.tables[0]?.rows, [['alice@contoso.com']], first.message);
      assert.equal(first.result.statistics?.dataRead, true);
      const kept = (await run(users)).outcome;
      assert.equal(kept.result.statistics?.dataRead, false, 'the second run read the files again');

      writeFileSync(file, `${signInLine('2026-11-29T02:10:00Z', 'alicf@contoso.com')}\n`);
      utimesSync(file, mtime, mtime);
      const replaced = (await run(users)).outcome;
      assert.deepEqual(replaced.result.tables[0]?.rows, [['alicf@contoso.com']], replaced.message);
    });

    it('reads every file again after Reload Local Data', async () => {
      writeFileSync(join(changing, 'SigninLogs.jsonl'), `${signInLine('2026-11-29T02:10:00Z', 'alice@contoso.com')}\n`);
      const count = ['// connection: local', 'SigninLogs', '| count', ''].join('\n');
      await run(count);
      assert.equal((await run(count)).outcome.result.statistics?.dataRead, false);
      await vscode.commands.executeCommand('huntLens.reloadLocalData');
      const reloaded = (await run(count)).outcome;
      assert.equal(reloaded.result.statistics?.dataRead, true, reloaded.message);
      assert.deepEqual(reloaded.result.tables[0]?.rows, [[1]]);
      await waitForLogText('Success, 1 row on Local data');
    });

    it('stops a cancelled first load and logs its problems later', async () => {
      // Enough rows that the load is still running when the cancel arrives.
      writeFileSync(join(changing, 'SigninLogs.jsonl'), `${manySignIns(100_000)}{"cut line\n`);
      const count = ['// connection: local', 'SigninLogs', '| count', ''].join('\n');
      const running = (await startRun(count)).outcome;
      let settled = false;
      void running.finally(() => (settled = true));
      // cancelQueries returns how many runs it cancelled; the run registers once its progress notification opens.
      while (!settled && (await vscode.commands.executeCommand<number>('huntLens.cancelQueries')) === 0) {
        // Yield a turn of the event loop so the run can open its notification and register.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const cancelled = await running;
      assert.ok(cancelled);
      assert.equal(cancelled.result.error?.code, 'Cancelled', cancelled.message);
      assert.match(cancelled.message, /^Query on local data cancelled\./);
      assert.doesNotMatch(cancelled.message, /failed/);

      const next = (await run(count)).outcome;
      assert.equal(next.result.status, 'Success', next.message);
      // The cancel stopped the load before its last rows, so nothing was kept and this run reads the files.
      assert.equal(next.result.statistics?.dataRead, true, 'the load of the cancelled run went on to the end and was kept');
      assert.deepEqual(next.result.tables[0]?.rows, [[100_000]], next.message);
      await waitForLogText(`Loaded local data from ${changing}`);
      await waitForLogText(`${join(changing, 'SigninLogs.jsonl')}, line 100001:`);
    });

    it('reads a paused copy again on every run until it is complete', async () => {
      const file = join(changing, 'SigninLogs.jsonl');
      const cut = `{"TimeGenerated": "2026-11-29T02:1`;
      writeFileSync(file, `${signInLine('2026-11-29T02:10:00Z', 'alice@contoso.com')}\n${cut}`);
      const count = ['// connection: local', 'SigninLogs', '| count', ''].join('\n');
      const first = (await run(count)).outcome;
      const warning = first.result.warnings?.find((text) => text.startsWith(`The file ${file} was written less than a minute before it was read and ends in a cut line`));
      assert.ok(warning, JSON.stringify(first.result.warnings));
      assert.equal(first.severity, 'warning', 'a run on a paused copy is reported in a warning notification');
      const again = (await run(count)).outcome;
      assert.equal(again.result.statistics?.dataRead, true, 'the load of a paused copy was kept');
      assert.ok(again.result.warnings?.includes(warning), JSON.stringify(again.result.warnings));

      appendFileSync(file, `0:00Z", "UserPrincipalName": "bob@contoso.com", "Type": "SigninLogs"}\n`);
      const complete = (await run(count)).outcome;
      assert.deepEqual(complete.result.tables[0]?.rows, [[2]], complete.message);
      assert.ok(!complete.result.warnings?.some((text) => text.includes('cut line')), JSON.stringify(complete.result.warnings));
    });

    it('warns about a file written while it is read, and reads it again', async () => {
      const file = join(changing, 'SigninLogs.jsonl');
      writeFileSync(file, manySignIns(100_000));
      const count = ['// connection: local', 'SigninLogs', '| count', ''].join('\n');
      const running = (await startRun(count)).outcome;
      let settled = false;
      void running.finally(() => (settled = true));
      // Like a copy still in progress: a line is appended on every turn of the event loop until the run ends.
      let appended = 0;
      while (!settled) {
        appendFileSync(file, `${signInLine('2026-11-29T02:11:00Z', `late${appended}@contoso.com`)}\n`);
        appended += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const partial = await running;
      assert.ok(partial);
      const warning = partial.result.warnings?.find((text) => text.startsWith(`The file ${file} changed while it was read`));
      assert.ok(warning, JSON.stringify(partial.result.warnings));
      assert.match(warning, /Run the query again once the copy has finished/);
      assert.ok(partial.message.includes(warning), partial.message);
      assert.equal(partial.severity, 'warning', 'a run on a file that changed while it was read is reported in a warning notification');
      await waitForLogText(`The file ${file} changed while it was read`);

      const complete = (await run(count)).outcome;
      assert.equal(complete.result.statistics?.dataRead, true);
      assert.deepEqual(complete.result.tables[0]?.rows, [[100_000 + appended]]);
      assert.ok(!complete.result.warnings?.some((text) => text.includes('changed while it was read')), JSON.stringify(complete.result.warnings));
    });
  });

  it('opens the log from the palette', async () => {
    await vscode.commands.executeCommand('huntLens.showLog');
  });

  it('says which folder is missing and how to fix it', async () => {
    await settings().update('localData.folder', join(folder, 'nowhere'), vscode.ConfigurationTarget.Global);
    try {
      const document = await vscode.workspace.openTextDocument({ language: 'kql', content: QUERY });
      await vscode.window.showTextDocument(document);
      const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('huntLens.runQuery');
      assert.equal(outcome, undefined);
    } finally {
      await settings().update('localData.folder', folder, vscode.ConfigurationTarget.Global);
    }
  });
});
