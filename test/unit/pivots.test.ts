import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { findHunt } from '../../src/hunts/library';
import { analyzeQuery, loadKustoLanguage, walkSyntax, type QueryAnalysis } from '../../src/kusto/service';
import { appendsAfterLine, BlockRuns, isStale, MAX_CLOSED_DOCUMENTS } from '../../src/pivots/blockRuns';
import { extractEntities, type FlaggedEntity } from '../../src/pivots/entities';
import { displayValue, entityTitle } from '../../src/pivots/lensTitle';
import { availablePivots, buildPivot, PIVOTS, type PivotKind } from '../../src/pivots/pivotQuery';
import type { CellValue, QueryResult, ResultColumn } from '../../src/results/model';
import { TABLE_SCHEMAS } from '../../src/schema/tables';
import { parseWebviewMessage } from '../../src/webview/protocol';
import { resultHeader } from '../../src/webview/resultHeader';

const SUCCESS_AFTER_FAILURES = findHunt('success-after-failures')!;

function datetime(iso: string): CellValue {
  return { kind: 'datetime', epochMs: Date.parse(iso), subMsTicks: 0, iso };
}

function resultOf(columns: ResultColumn[], rows: CellValue[][]): Pick<QueryResult, 'tables'> {
  return { tables: [{ name: 'PrimaryResult', columns, rows }] };
}

const SUCCESS_COLUMNS: ResultColumn[] = [
  { name: 'UserPrincipalName', type: 'string' },
  { name: 'IPAddress', type: 'string' },
  { name: 'FailedAttempts', type: 'long' },
  { name: 'SuccessfulAttempts', type: 'long' },
  { name: 'FirstSeen', type: 'datetime' },
  { name: 'LastSeen', type: 'datetime' },
  { name: 'FirstFailure', type: 'datetime' },
  { name: 'LastSuccess', type: 'datetime' },
];

function successRow(user: string | null, ip: string | null, failures: number, lastSuccess: string | null): CellValue[] {
  const seen = datetime('2026-12-01T01:00:00Z');
  return [user, ip, failures, 1, seen, datetime('2026-12-01T03:00:00Z'), seen, lastSuccess === null ? null : datetime(lastSuccess)];
}

const ALICE: FlaggedEntity = {
  userPrincipalName: 'alice@contoso.com',
  ipAddress: '203.0.113.7',
  approvalTime: '2026-12-01T02:13:00.000Z',
  denials: 14,
  rowIndex: 0,
};

/** Returns the values of every string literal in the query, in order. */
function stringLiterals(analysis: QueryAnalysis): string[] {
  const values: string[] = [];
  walkSyntax(analysis.syntax, (node) => {
    if (node.kind === 'StringLiteralExpression' && node.stringValue !== undefined) {
      values.push(node.stringValue);
    }
  });
  return values;
}

function tablesRead(analysis: QueryAnalysis): string[] {
  const tables = new Set<string>();
  walkSyntax(analysis.syntax, (node) => {
    if (node.kind === 'NameReference' && node.symbol?.kind === 'Table') {
      tables.add(node.symbol.name);
    }
  });
  return [...tables].sort();
}

function errorsOf(analysis: QueryAnalysis): string[] {
  return analysis.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => `${diagnostic.code} ${diagnostic.message}`);
}

describe('entity extraction', () => {
  it('reads one entity per flagged row', () => {
    const result = resultOf(SUCCESS_COLUMNS, [
      successRow('alice@contoso.com', '203.0.113.7', 14, '2026-12-01T02:13:00Z'),
      successRow('bob@contoso.com', '198.51.100.2', 6, '2026-12-01T04:40:00Z'),
    ]);
    const { entities, missingColumns } = extractEntities(result, SUCCESS_AFTER_FAILURES.entities);
    assert.deepEqual(missingColumns, []);
    assert.equal(entities.length, 2);
    assert.deepEqual(entities[0], {
      userPrincipalName: 'alice@contoso.com',
      ipAddress: '203.0.113.7',
      approvalTime: '2026-12-01T02:13:00.000Z',
      lastSeen: '2026-12-01T03:00:00.000Z',
      denials: 14,
      rowIndex: 0,
    });
    assert.equal(entities[1].userPrincipalName, 'bob@contoso.com');
    assert.equal(entities[1].rowIndex, 1);
  });

  it('lists missing columns and uses the others', () => {
    const columns = SUCCESS_COLUMNS.filter((column) => column.name !== 'IPAddress' && column.name !== 'LastSuccess');
    const row = successRow('alice@contoso.com', '203.0.113.7', 14, '2026-12-01T02:13:00Z').filter((_, index) => index !== 1 && index !== 7);
    const { entities, missingColumns } = extractEntities(resultOf(columns, [row]), SUCCESS_AFTER_FAILURES.entities);
    assert.deepEqual(missingColumns, ['IPAddress', 'LastSuccess']);
    assert.equal(entities.length, 1);
    assert.equal(entities[0].ipAddress, undefined);
    assert.equal(entities[0].approvalTime, undefined);
    assert.equal(entities[0].userPrincipalName, 'alice@contoso.com');
  });

  it('skips nulls and empty text', () => {
    const result = resultOf(SUCCESS_COLUMNS, [successRow(null, '', 3, null), successRow('', '198.51.100.2', 5, null)]);
    const { entities } = extractEntities(result, SUCCESS_AFTER_FAILURES.entities.filter((entity) => entity.kind !== 'lastSeen'));
    assert.equal(entities.length, 1, 'the row with only nulls and empty text is skipped');
    assert.equal(entities[0].userPrincipalName, undefined);
    assert.equal(entities[0].ipAddress, '198.51.100.2');
    assert.equal(entities[0].approvalTime, undefined);
    assert.equal(entities[0].rowIndex, 1);
  });

  it('merges duplicate rows into the first', () => {
    const result = resultOf(SUCCESS_COLUMNS, [
      successRow('alice@contoso.com', '203.0.113.7', 14, '2026-12-01T02:13:00Z'),
      successRow('ALICE@contoso.com', '203.0.113.7', 2, '2026-12-01T02:13:00Z'),
      successRow('alice@contoso.com', '203.0.113.7', 9, '2026-12-01T05:00:00Z'),
    ]);
    const { entities } = extractEntities(result, SUCCESS_AFTER_FAILURES.entities);
    assert.equal(entities.length, 2, 'a second approval stays separate');
    assert.equal(entities[0].denials, 14);
    assert.equal(entities[1].approvalTime, '2026-12-01T05:00:00.000Z');
  });

  it('keeps every user of a large result in row order', () => {
    const rows = Array.from({ length: 5_000 }, (_, index) => successRow(`user${index}@contoso.com`, '203.0.113.7', 5_000 - index, '2026-12-01T02:13:00Z'));
    const { entities } = extractEntities(resultOf(SUCCESS_COLUMNS, rows), SUCCESS_AFTER_FAILURES.entities);
    assert.equal(entities.length, 5_000);
    assert.equal(entities[0].userPrincipalName, 'user0@contoso.com');
    assert.equal(entities[4_999].userPrincipalName, 'user4999@contoso.com');
    assert.equal(entities[4_999].denials, 1);
  });

  it('returns nothing for a result without tables', () => {
    const { entities, missingColumns } = extractEntities({ tables: [] }, SUCCESS_AFTER_FAILURES.entities);
    assert.deepEqual(entities, []);
    assert.equal(missingColumns.length, SUCCESS_AFTER_FAILURES.entities.length);
  });

  it('reads ISO text in a time column and ignores other text', () => {
    const columns: ResultColumn[] = [
      { name: 'UserPrincipalName', type: 'string' },
      { name: 'ApprovalTime', type: 'string' },
    ];
    const declared = [
      { column: 'UserPrincipalName', kind: 'userPrincipalName' as const },
      { column: 'ApprovalTime', kind: 'approvalTime' as const },
    ];
    const { entities } = extractEntities(resultOf(columns, [['a@x', '2026-12-01T02:13:00Z'], ['b@x', 'yesterday']]), declared);
    assert.equal(entities[0].approvalTime, '2026-12-01T02:13:00.000Z');
    assert.equal(entities[1].approvalTime, undefined);
  });
});

describe('lens titles', () => {
  it('shows user, denials, approval time and IP', () => {
    assert.equal(entityTitle(ALICE), 'alice@contoso.com · 14 denials → approved 02:13 UTC from 203.0.113.7');
  });

  it('shows the time last seen without an approval', () => {
    const entity: FlaggedEntity = { userPrincipalName: 'bob@contoso.com', lastSeen: '2026-12-01T09:05:00.000Z', rowIndex: 3 };
    assert.equal(entityTitle(entity), 'bob@contoso.com · seen 09:05 UTC');
  });

  it('uses the singular for one denial', () => {
    assert.match(entityTitle({ ...ALICE, denials: 1 }), / · 1 denial → /);
  });

  it('shows hostile text as inert text', () => {
    const title = entityTitle({ userPrincipalName: 'eve\u202E$(alert)\nx'.padEnd(200, 'y'), rowIndex: 0 });
    assert.ok(!title.includes('\u202E'), 'a bidi override reaches the title');
    assert.ok(!title.includes('\n'), 'a line break reaches the title');
    assert.ok(title.includes('⟨U+202E⟩'));
    assert.ok(title.includes('\\$(alert)'), 'the icon syntax is not escaped');
    assert.ok(title.length < 90, `title of ${title.length} characters`);
  });

  it('escapes every icon in a value', () => {
    assert.equal(displayValue('$(a)$(b)'), '\\$(a)\\$(b)');
  });
});

describe('pivot queries', function () {
  // The first analysis loads the Kusto language service.
  this.timeout(120_000);

  before(() => {
    loadKustoLanguage();
  });

  /** The range of the run the entity came from, for entities without a time. */
  const runRange = { start: '2026-11-24T08:00:00.000Z', end: '2026-12-01T08:00:00.000Z' };
  const options = { window: '24h', lookback: '7d', runRange };
  const fullEntity: FlaggedEntity = { ...ALICE, sessionId: '0a1b2c3d-session', correlationId: 'c0ffee' };

  for (const pivot of PIVOTS) {
    it(`${pivot.kind} binds and reads its hunt's tables`, () => {
      const query = buildPivot(pivot.kind, fullEntity, options);
      assert.equal(query.hunt.id, pivot.huntId);
      const analysis = analyzeQuery(query.text, TABLE_SCHEMAS.logAnalytics);
      assert.deepEqual(errorsOf(analysis), []);
      assert.deepEqual(tablesRead(analysis), [...query.hunt.tables].sort());
    });
  }

  it('fills user, IP, session and window from the entity', () => {
    assert.deepEqual(buildPivot('activityAfterApproval', ALICE, options).values, {
      userPrincipalName: 'alice@contoso.com',
      startTime: '2026-12-01T02:13:00.000Z',
      window: '24h',
      lookback: '7d',
    });
    assert.deepEqual(buildPivot('signInsFromIp', ALICE, options).values, {
      ipAddress: '203.0.113.7',
      startTime: '2026-12-01T02:13:00.000Z',
      window: '24h',
      lookback: '7d',
    });
    assert.equal(buildPivot('nonInteractiveSession', fullEntity, options).values.sessionId, '0a1b2c3d-session');
  });

  it('writes the approval time and window as literals', () => {
    const text = buildPivot('activityAfterApproval', ALICE, { ...options, window: '90m' }).text;
    assert.match(text, /^let userPrincipalName = "alice@contoso\.com";$/m);
    assert.match(text, /^let startTime = datetime\(2026-12-01T02:13:00\.000Z\);$/m);
    assert.match(text, /^let window = 90m;$/m);
    assert.match(text, /^\/\/ hunt: activity-after-approval$/m);
  });

  it('searches the run range without an entity time', () => {
    const values = buildPivot('mfaMethods', { userPrincipalName: 'bob@contoso.com', rowIndex: 0 }, options).values;
    assert.equal(values.startTime, runRange.start);
    assert.equal(values.window, '7d');
    const own = buildPivot('mfaMethods', ALICE, options).values;
    assert.equal(own.startTime, ALICE.approvalTime, 'the run range replaced the entity time');
    assert.equal(own.window, '24h', 'the run range replaced the window setting');
  });

  it('keeps the window setting for an empty run range', () => {
    const instant = { start: runRange.end, end: runRange.end };
    const values = buildPivot('userSignIns', { userPrincipalName: 'bob@contoso.com', rowIndex: 0 }, { ...options, runRange: instant }).values;
    assert.equal(values.startTime, runRange.end);
    assert.equal(values.window, '24h');
  });

  it('offers only pivots the entity has values for', () => {
    assert.deepEqual(
      availablePivots({ ipAddress: '203.0.113.7', rowIndex: 0 }).map((pivot) => pivot.kind),
      ['signInsFromIp'],
    );
    assert.deepEqual(availablePivots({ sessionId: 's', rowIndex: 0 }).map((pivot) => pivot.kind), ['nonInteractiveSession']);
    assert.equal(availablePivots(fullEntity).length, PIVOTS.length);
  });

  it('rejects a pivot without its value, naming it', () => {
    assert.throws(() => buildPivot('signInsFromIp', { userPrincipalName: 'a@b', rowIndex: 0 }, options), /no IP address/);
  });

  it('rejects an invalid window setting, naming the parameter', () => {
    assert.throws(() => buildPivot('userSignIns', ALICE, { ...options, window: '1 fortnight' }), /parameter window/);
  });

  it('keeps hostile entity values inside their literals', () => {
    const hostile = fc.string({ unit: fc.constantFrom('"', "'", '\\', '\n', '\r', '//', '|', ';', '\u2028', '\u202e', '😀', 'a', ' ', '```', '@"'), maxLength: 30 });
    fc.assert(
      fc.property(hostile, hostile, (user, ip) => {
        const kinds: PivotKind[] = ['activityAfterApproval', 'signInsFromIp'];
        for (const kind of kinds) {
          const query = buildPivot(kind, { userPrincipalName: `${user}x`, ipAddress: `${ip}y`, rowIndex: 0 }, options);
          const analysis = analyzeQuery(query.text, TABLE_SCHEMAS.logAnalytics);
          assert.deepEqual(errorsOf(analysis), [], query.text);
          assert.deepEqual(tablesRead(analysis), [...query.hunt.tables].sort());
          const expected = kind === 'activityAfterApproval' ? `${user}x` : `${ip}y`;
          assert.ok(stringLiterals(analysis).includes(expected), `no literal holds ${JSON.stringify(expected)}`);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('block runs', () => {
  const result = { status: 'Success', tables: [], query: '', target: { kind: 'local', folder: '/', displayName: 'x' }, startedAt: '2026-12-01T00:00:00Z', durationMs: 1 } as QueryResult;
  const lines = ['// a', 'SigninLogs', '| take 1', '', 'AuditLogs', '| take 2'];

  function recorded(): BlockRuns {
    const runs = new BlockRuns();
    runs.record({ documentUri: 'u', startLine: 4, endLine: 5, text: 'AuditLogs\n| take 2', result, entities: [], missingColumns: [] });
    return runs;
  }

  it('moves a block when lines are added above it', () => {
    const runs = recorded();
    runs.applyChange('u', { startLine: 0, endLine: 0, insertedLines: 3 });
    const run = runs.at('u', 6);
    assert.ok(run, 'the run did not move down two lines');
    assert.equal(isStale(run, ['', '', ...lines]), false);
  });

  it('turns stale when the block is edited', () => {
    const runs = recorded();
    runs.applyChange('u', { startLine: 5, endLine: 5, insertedLines: 1 });
    const run = runs.at('u', 4)!;
    assert.equal(isStale(run, [...lines.slice(0, 5), '| take 3']), true);
    assert.equal(isStale(run, lines), false, 'undoing the edit makes it fresh again');
  });

  it('stays fresh after Enter on its last line', () => {
    const runs = recorded();
    const after = [...lines, '', 'AuditLogs'];
    assert.equal(appendsAfterLine(true, '\n', ''), true);
    runs.applyChange('u', { startLine: 5, endLine: 5, insertedLines: 2, appendsAfterLine: true });
    runs.applyChange('u', { startLine: 6, endLine: 6, insertedLines: 2, appendsAfterLine: true });
    const run = runs.at('u', 4)!;
    assert.equal(run.endLine, 5);
    assert.equal(isStale(run, after), false);
  });

  it('turns stale when a line joins the block', () => {
    const runs = new BlockRuns();
    const run = runs.record({ documentUri: 'u', startLine: 4, endLine: 5, text: 'AuditLogs\n| take 2', endsBlock: true, result, entities: [], missingColumns: [] });
    runs.applyChange('u', { startLine: 5, endLine: 5, insertedLines: 2, appendsAfterLine: true });
    assert.equal(isStale(run, [...lines, '']), false, 'an empty line below the block');
    assert.equal(isStale(run, [...lines, '| take 5']), true, 'a query line right below the block');
  });

  it('stays fresh when a line added below is removed', () => {
    const runs = new BlockRuns();
    const run = runs.record({ documentUri: 'u', startLine: 4, endLine: 5, text: 'AuditLogs\n| take 2', endsBlock: true, result, entities: [], missingColumns: [] });
    runs.applyChange('u', { startLine: 5, endLine: 5, insertedLines: 2, appendsAfterLine: true });
    assert.equal(isStale(run, [...lines, '| take 5']), true);
    runs.applyChange('u', { startLine: 5, endLine: 6, insertedLines: 1 });
    assert.equal(run.endLine, 5);
    assert.equal(isStale(run, lines), false);
  });

  it('ignores trailing whitespace of the block', () => {
    const runs = recorded();
    runs.applyChange('u', { startLine: 5, endLine: 5, insertedLines: 3 });
    const run = runs.at('u', 4)!;
    assert.equal(isStale(run, [...lines.slice(0, 5), '| take 2  ', '', '']), false);
  });

  it('tells appended lines from a split line', () => {
    assert.equal(appendsAfterLine(true, '\n  ', '  '), true, 'Enter with indentation at the end of a line');
    assert.equal(appendsAfterLine(true, '\r\n', ''), true, 'CRLF');
    assert.equal(appendsAfterLine(true, '\n', '| take 2'), false, 'Enter inside a line moves its tail down');
    assert.equal(appendsAfterLine(true, 'x\n', ''), false, 'text before the break edits the line');
    assert.equal(appendsAfterLine(false, '\n', ''), false, 'a replaced range edits the line');
    assert.equal(appendsAfterLine(true, 'x', 'x'), false, 'no line break');
    assert.equal(appendsAfterLine(true, '\n', undefined), false, 'the line is unknown');
  });

  it('comes back when its document reopens unchanged', () => {
    const runs = recorded();
    const [run] = runs.forDocument('u');
    runs.close('u');
    assert.equal(runs.forDocument('u').length, 0, 'a closed document still has runs');
    assert.equal(runs.reopen('u', lines), 1);
    const back = runs.at('u', 4);
    assert.ok(back, 'the run did not come back on its block');
    assert.equal(back.id, run?.id);
    assert.equal(isStale(back, lines), false);
  });

  it('follows its block to a new line on reopen', () => {
    const runs = recorded();
    runs.close('u');
    assert.equal(runs.reopen('u', ['// new first line', ...lines]), 1);
    assert.equal(runs.at('u', 5)?.endLine, 6);
  });

  it('drops a block edited while closed', () => {
    const runs = recorded();
    runs.close('u');
    assert.equal(runs.reopen('u', [...lines.slice(0, 5), '| take 3']), 0);
    assert.equal(runs.forDocument('u').length, 0);
    assert.equal(runs.reopen('u', lines), 0, 'a reopen brings runs back only once');
  });

  it('keeps only the newest closed documents', () => {
    const runs = new BlockRuns();
    for (let index = 0; index <= MAX_CLOSED_DOCUMENTS; index++) {
      runs.record({ documentUri: `u${index}`, startLine: 4, endLine: 5, text: 'AuditLogs\n| take 2', result, entities: [], missingColumns: [] });
      runs.close(`u${index}`);
    }
    assert.equal(runs.reopen('u0', lines), 0, 'the oldest closed document was kept');
    assert.equal(runs.reopen(`u${MAX_CLOSED_DOCUMENTS}`, lines), 1);
  });

  it('forgets a closed untitled document', () => {
    const runs = recorded();
    runs.close('u');
    runs.forget('u');
    assert.equal(runs.reopen('u', lines), 0);
  });

  it('replaces the earlier run of the same block', () => {
    const runs = recorded();
    const second = runs.record({ documentUri: 'u', startLine: 4, endLine: 5, text: 'AuditLogs\n| take 2', result, entities: [], missingColumns: [] });
    assert.deepEqual(runs.forDocument('u').map((run) => run.id), [second.id]);
  });
});

describe('results panel pivots', () => {
  it('accepts a pivot request for a row', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'pivot', row: 3 }), { type: 'pivot', row: 3 });
  });

  it('rejects an invalid row', () => {
    for (const row of [-1, 1.5, '3', null, Number.NaN]) {
      assert.equal(parseWebviewMessage({ type: 'pivot', row }), undefined, JSON.stringify(row));
    }
  });

  it('names the entity columns of a tagged hunt', () => {
    const result: QueryResult = {
      status: 'Success',
      query: '// hunt: success-after-failures\nSigninLogs',
      target: { kind: 'logAnalytics', workspaceId: 'w', displayName: 'Test SOC' },
      startedAt: '2026-12-01T00:00:00Z',
      durationMs: 1,
      tables: [{ name: 'PrimaryResult', columns: SUCCESS_COLUMNS.filter((column) => column.name !== 'LastSeen'), rows: [] }],
    };
    assert.deepEqual(resultHeader(result).entityColumns, ['UserPrincipalName', 'IPAddress', 'LastSuccess']);
    assert.deepEqual(resultHeader({ ...result, query: 'SigninLogs' }).entityColumns, []);
  });
});
