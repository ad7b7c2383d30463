import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { QueryResult } from '../../src/results/model';
import { asksForRows, buildEvidence, EvidenceError, evidenceFolderPath, evidenceStem } from '../../src/evidence/evidenceFile';
import { toCsv } from '../../src/webview/core/export';
import { TABLE } from './webview/fixtures';

const SAVED_AT = new Date('2024-05-02T10:11:12.345Z');

const RESULT: QueryResult = {
  status: 'PartialFailure',
  tables: [TABLE],
  query: '// MFA storm\nSigninLogs\n| where ResultType == "500121"',
  target: { kind: 'logAnalytics', workspaceId: '1f2e3d4c-5b6a-4980-a1b2-c3d4e5f60718', displayName: 'Contoso SOC' },
  timeRange: { start: '2024-05-01T00:00:00Z', end: '2024-05-02T00:00:00Z' },
  startedAt: '2024-05-02T10:00:00.000Z',
  durationMs: 1234,
  requestId: 'b1c2d3e4-0000-4000-8000-000000000001',
  truncated: true,
};

function parsed(json: string): Record<string, unknown> {
  return JSON.parse(json) as Record<string, unknown>;
}

describe('evidence files', () => {
  it('records the run details', () => {
    const content = buildEvidence({ result: RESULT, tableIndex: 0, rows: 'all', savedAt: SAVED_AT, csv: {} });
    const json = parsed(content.json('run.csv'));
    assert.equal(json.huntLensEvidence, 1);
    assert.equal(json.savedAt, '2024-05-02T10:11:12.345Z');
    assert.equal(json.query, RESULT.query);
    assert.equal(json.target, 'Contoso SOC');
    assert.equal(json.targetKind, 'logAnalytics');
    assert.equal(json.workspaceId, '1f2e3d4c-5b6a-4980-a1b2-c3d4e5f60718');
    assert.deepEqual(json.timeRange, RESULT.timeRange);
    assert.equal(json.runStartedAt, '2024-05-02T10:00:00.000Z');
    assert.equal(json.durationMs, 1234);
    assert.equal(json.requestId, 'b1c2d3e4-0000-4000-8000-000000000001');
    assert.equal(json.status, 'PartialFailure');
    assert.equal(json.truncated, true);
    assert.equal(json.table, 'PrimaryResult');
    assert.equal(json.csvFile, 'run.csv');
    assert.equal(json.rowSelection, 'all');
    assert.equal(json.rowCount, TABLE.rows.length);
  });

  it('records no local data for a service run', () => {
    const json = parsed(buildEvidence({ result: RESULT, tableIndex: 0, rows: 'all', savedAt: SAVED_AT, csv: {} }).json('run.csv'));
    assert.equal(json.localData, null);
  });

  it('records the folder and now() of a local run', () => {
    const local: QueryResult = {
      ...RESULT,
      target: { kind: 'local', folder: '/cases/42/data', displayName: 'Local data' },
      statistics: { now: '2026-11-29T16:29:39.000Z' },
    };
    const json = parsed(buildEvidence({ result: local, tableIndex: 0, rows: 'all', savedAt: SAVED_AT, csv: {} }).json('run.csv'));
    assert.deepEqual(json.localData, { folder: '/cases/42/data', now: '2026-11-29T16:29:39.000Z' });
  });

  it('records the warnings of the run', () => {
    const warned: QueryResult = { ...RESULT, warnings: ['SigninLogs_de.csv, line 2: dates were read as day/month'] };
    const json = parsed(buildEvidence({ result: warned, tableIndex: 0, rows: 'all', savedAt: SAVED_AT, csv: {} }).json('run.csv'));
    assert.deepEqual(json.warnings, ['SigninLogs_de.csv, line 2: dates were read as day/month']);
  });

  it('escapes bidirectional characters of warnings', () => {
    const warning = 'invoice\u202Egnp.jsonl, line 6: invalid JSON';
    const text = buildEvidence({ result: { ...RESULT, warnings: [warning] }, tableIndex: 0, rows: 'all', savedAt: SAVED_AT, csv: {} }).json('run.csv');
    assert.doesNotMatch(text, /\u202E/);
    assert.deepEqual(parsed(text).warnings, [warning]);
  });

  it('records no warnings as an empty list', () => {
    const json = parsed(buildEvidence({ result: { ...RESULT, warnings: undefined }, tableIndex: 0, rows: 'all', savedAt: SAVED_AT, csv: {} }).json('run.csv'));
    assert.deepEqual(json.warnings, []);
  });

  it('hashes the CSV bytes', () => {
    const content = buildEvidence({ result: RESULT, tableIndex: 0, rows: 'all', savedAt: SAVED_AT, csv: {} });
    const expected = createHash('sha256').update(Buffer.from(toCsv(TABLE.columns, TABLE.rows), 'utf8')).digest('hex');
    assert.equal(content.rowsSha256, expected);
    assert.equal(createHash('sha256').update(content.csv).digest('hex'), expected);
    assert.equal(parsed(content.json('run.csv')).rowsSha256, expected);
  });

  it('hashes the CSV with a guarded header', () => {
    const result: QueryResult = { ...RESULT, tables: [{ name: 't', columns: [{ name: "=cmd|'/C calc'!A0", type: 'string' }], rows: [['x']] }] };
    const content = buildEvidence({ result, tableIndex: 0, rows: 'all', savedAt: SAVED_AT, csv: { guardFormulas: true } });
    const csv = content.csv.toString('utf8');
    assert.equal(csv, "'=cmd|'/C calc'!A0\r\nx\r\n");
    assert.equal(content.rowsSha256, createHash('sha256').update(content.csv).digest('hex'));
  });

  it('writes selected rows in order', () => {
    const content = buildEvidence({ result: RESULT, tableIndex: 0, rows: [3, 0], savedAt: SAVED_AT, csv: {} });
    const json = parsed(content.json('run.csv'));
    const rows = json.rows as Array<Record<string, unknown>>;
    assert.equal(json.rowSelection, 'selected');
    assert.equal(json.rowCount, 2);
    assert.equal(rows.length, 2);
    assert.equal(rows[0].Attempts, 100);
    assert.equal(rows[1].UserPrincipalName, 'bob@contoso.com');
    assert.equal(content.csv.toString('utf8').split('\r\n').length, 4, 'header, two rows and the final line break');
  });

  it('changes the hash with the rows', () => {
    const first = buildEvidence({ result: RESULT, tableIndex: 0, rows: [0], savedAt: SAVED_AT, csv: {} });
    const second = buildEvidence({ result: RESULT, tableIndex: 0, rows: [1], savedAt: SAVED_AT, csv: {} });
    assert.notEqual(first.rowsSha256, second.rowsSha256);
  });

  it('keeps hostile column names as keys', () => {
    const result: QueryResult = { ...RESULT, tables: [{ name: 't', columns: [{ name: '__proto__', type: 'string' }], rows: [['=cmd|x']] }] };
    const content = buildEvidence({ result, tableIndex: 0, rows: 'all', savedAt: SAVED_AT, csv: { guardFormulas: true } });
    const rows = parsed(content.json('run.csv')).rows as Array<Record<string, unknown>>;
    assert.ok(Object.hasOwn(rows[0], '__proto__'));
    assert.equal(Object.getOwnPropertyDescriptor(rows[0], '__proto__')?.value, '=cmd|x');
    assert.match(content.csv.toString('utf8'), /'=cmd\|x/);
  });

  it('rejects a missing table', () => {
    assert.throws(() => buildEvidence({ result: RESULT, tableIndex: 2, rows: 'all', savedAt: SAVED_AT, csv: {} }), EvidenceError);
  });

  it('rejects a row beyond the table', () => {
    assert.throws(() => buildEvidence({ result: RESULT, tableIndex: 0, rows: [99], savedAt: SAVED_AT, csv: {} }), /has only 5 rows/);
  });
});

describe('evidence names', () => {
  it('starts with the save time and the title comment', () => {
    assert.equal(evidenceStem(RESULT, SAVED_AT, 0), '2024-05-02T10-11-12Z-mfa-storm');
  });

  it('numbers later attempts', () => {
    assert.equal(evidenceStem(RESULT, SAVED_AT, 1), '2024-05-02T10-11-12Z-mfa-storm-2');
    assert.equal(evidenceStem(RESULT, SAVED_AT, 2), '2024-05-02T10-11-12Z-mfa-storm-3');
  });

  it('tells pivot steps apart by hunt id', () => {
    const mailbox = { ...RESULT, query: '// Mailbox activity\n// hunt: activity-after-approval\nlet userPrincipalName = "ben@contoso.example";\nOfficeActivity' };
    const signIns = { ...RESULT, query: '// Sign-ins\n// hunt: user-sign-ins\nlet userPrincipalName = "ben@contoso.example";\nSigninLogs' };
    assert.equal(evidenceStem(mailbox, SAVED_AT, 0), '2024-05-02T10-11-12Z-activity-after-approval');
    assert.equal(evidenceStem(signIns, SAVED_AT, 0), '2024-05-02T10-11-12Z-user-sign-ins');
  });

  it('skips directive comments', () => {
    const result = { ...RESULT, query: '// connection: local\nSigninLogs\n| take 1' };
    assert.equal(evidenceStem(result, SAVED_AT, 0), '2024-05-02T10-11-12Z-signinlogs');
  });

  it('reduces hostile query text', () => {
    const result = { ...RESULT, query: '../../etc/passwd <script> | take 1 \u202Eexe' };
    assert.equal(evidenceStem(result, SAVED_AT, 0), '2024-05-02T10-11-12Z-etc-passwd-script-take-1-exe');
  });

  it('falls back for an empty query', () => {
    assert.equal(evidenceStem({ ...RESULT, query: '// connection: local\n' }, SAVED_AT, 0), '2024-05-02T10-11-12Z-query');
  });
});

describe('evidence folder setting', () => {
  it('accepts relative paths', () => {
    assert.equal(evidenceFolderPath('evidence'), 'evidence');
    assert.equal(evidenceFolderPath('cases\\case-42/'), 'cases/case-42');
    assert.equal(evidenceFolderPath('cases/../evidence'), 'evidence');
    assert.equal(evidenceFolderPath(''), 'evidence');
    assert.equal(evidenceFolderPath('.'), '.');
  });

  it('rejects paths outside the workspace', () => {
    for (const value of ['/tmp/evidence', '../evidence', 'cases/../../x', 'C:\\evidence', '..']) {
      assert.throws(() => evidenceFolderPath(value), /huntLens\.evidence\.folder is ".*", which is not inside the workspace folder/, value);
    }
  });
});

describe('evidence row choice', () => {
  it('asks for a range short of the table', () => {
    assert.equal(asksForRows(2, 5), true);
    assert.equal(asksForRows(4, 5), true);
  });

  it('does not ask for the active cell alone', () => {
    assert.equal(asksForRows(1, 5), false);
  });

  it('does not ask without a selection or with every row', () => {
    assert.equal(asksForRows(0, 5), false);
    assert.equal(asksForRows(5, 5), false);
  });
});
