import * as assert from 'node:assert/strict';
import { HUNTS } from '../../src/hunts/library';
import { timespanDays } from '../../src/hunts/literals';
import { renderHunt } from '../../src/hunts/render';
import type { EntityKind, Hunt } from '../../src/hunts/types';
import { analyzeQuery, loadKustoLanguage, type ResultColumn as AnalyzedColumn } from '../../src/kusto/service';
import { extractEntities, type FlaggedEntity } from '../../src/pivots/entities';
import { availablePivots, buildPivot } from '../../src/pivots/pivotQuery';
import { coveringTimespan, runTimeRange } from '../../src/pivots/runRange';
import type { CellValue, ColumnType, QueryResult } from '../../src/results/model';
import { TABLE_SCHEMAS } from '../../src/schema/tables';

const DAY_MS = 86_400_000;
const EPOCH = new Date(0).toISOString();
/** When the runs below started; each row's time lies in the day before. */
const STARTED_AT = '2026-12-02T08:00:00.000Z';
const ROW_TIME = '2026-12-01T02:13:00.000Z';
const SETTINGS = { window: '24h', lookback: '7d' };

/** Entity values as a flagged row of a real hunt contains them. */
const ENTITY_TEXT: Partial<Record<EntityKind, string>> = {
  userPrincipalName: 'alice@contoso.com',
  userObjectId: '4f1c2b3a-0000-4000-8000-00000000a11c',
  ipAddress: '203.0.113.7',
  sessionId: '0a1b2c3d-session',
  correlationId: '9c0ffee0-0000-4000-8000-000000000001',
};

function datetimeCell(iso: string): CellValue {
  return { kind: 'datetime', epochMs: Date.parse(iso), subMsTicks: 0, iso };
}

/** Returns a plausible cell for a column that names no entity. */
function otherCell(type: string): CellValue {
  switch (type) {
    case 'long':
    case 'int':
    case 'real':
    case 'decimal':
      return 3;
    case 'bool':
      return true;
    case 'timespan':
      return '00:05:00';
    case 'dynamic':
      return { kind: 'dynamic', value: ['203.0.113.7'] };
    default:
      return 'text';
  }
}

/**
 * Builds one row for a hunt's output columns: entity values in the columns the
 * hunt declares, `time` in every datetime column (null for a row without a
 * time), and plausible values elsewhere.
 */
function rowFor(hunt: Hunt, columns: readonly AnalyzedColumn[], time: (index: number) => string | null): CellValue[] {
  const kinds = new Map(hunt.entities.map((entity) => [entity.column, entity.kind]));
  return columns.map((column, index) => {
    if (column.type === 'datetime') {
      const value = time(index);
      return value === null ? null : datetimeCell(value);
    }
    const kind = kinds.get(column.name);
    return (kind === undefined ? undefined : ENTITY_TEXT[kind]) ?? otherCell(column.type);
  });
}

function resultFor(hunt: Hunt, columns: readonly AnalyzedColumn[], rows: CellValue[][]): QueryResult {
  return {
    status: 'Success',
    query: `// hunt: ${hunt.id}\n${renderHunt(hunt)}`,
    target: { kind: 'logAnalytics', workspaceId: 'w', displayName: 'Test SOC' },
    startedAt: STARTED_AT,
    durationMs: 1,
    tables: [{ name: 'PrimaryResult', columns: columns.map((column) => ({ name: column.name, type: column.type as ColumnType })), rows }],
  };
}

/** Reads the single flagged entity of a one-row result. */
function onlyEntity(hunt: Hunt, result: QueryResult): FlaggedEntity {
  const { entities, missingColumns } = extractEntities(result, hunt.entities);
  assert.deepEqual(missingColumns, [], 'declared entity columns are missing from the output');
  assert.equal(entities.length, 1, 'the row yields no flagged entity');
  return entities[0];
}

/** Returns the lookback a hunt's run covers at its defaults, in milliseconds. */
function defaultLookbackMs(hunt: Hunt): number {
  const lookback = hunt.parameters.find((parameter) => parameter.name === 'lookback');
  assert.ok(lookback, `hunt ${hunt.id} has no lookback parameter`);
  assert.ok(lookback.type === 'timespan', `the lookback of hunt ${hunt.id} is a ${lookback.type}`);
  return timespanDays(lookback.default) * DAY_MS;
}

describe('pivot start time', function () {
  // The first analysis loads the Kusto language service.
  this.timeout(120_000);

  before(() => {
    loadKustoLanguage();
  });

  const flagging = HUNTS.filter((hunt) => hunt.entities.length > 0);

  it('covers every hunt that flags entities', () => {
    assert.ok(flagging.length >= 12, `only ${flagging.length} hunts flag entities`);
  });

  for (const hunt of flagging) {
    describe(`hunt ${hunt.id}`, () => {
      let columns: readonly AnalyzedColumn[] = [];

      before(() => {
        const analyzed = analyzeQuery(renderHunt(hunt), TABLE_SCHEMAS[hunt.target]).resultColumns;
        assert.ok(analyzed, 'the query does not return a table');
        columns = analyzed;
      });

      it('declares a time column it outputs', () => {
        const times = new Set(columns.filter((column) => column.type === 'datetime').map((column) => column.name));
        assert.ok(times.size > 0, 'the output has no datetime column');
        const declared = hunt.entities.filter((entity) => entity.kind === 'approvalTime' || entity.kind === 'lastSeen');
        assert.ok(declared.length > 0, `no approvalTime or lastSeen entity, though the output has ${[...times].join(', ')}`);
        for (const entity of declared) {
          assert.ok(times.has(entity.column), `time entity ${entity.column} is not a datetime output column`);
        }
      });

      it('starts every pivot at the row time', () => {
        const result = resultFor(hunt, columns, [rowFor(hunt, columns, () => ROW_TIME)]);
        const entity = onlyEntity(hunt, result);
        const pivots = availablePivots(entity);
        assert.ok(pivots.length > 0, 'the row offers no pivot');
        for (const pivot of pivots) {
          const values = buildPivot(pivot.kind, entity, { ...SETTINGS, runRange: runTimeRange(result, SETTINGS.lookback) }).values;
          assert.equal(values.startTime, ROW_TIME, `pivot ${pivot.kind}`);
          assert.equal(values.window, SETTINGS.window, `pivot ${pivot.kind}`);
        }
      });

      it('starts at one of the row times', () => {
        // Every datetime column gets its own minute, so the start names the column it came from.
        const minute = (index: number): string => new Date(Date.parse(ROW_TIME) + index * 60_000).toISOString();
        const row = rowFor(hunt, columns, minute);
        const rowTimes = columns.flatMap((column, index) => (column.type === 'datetime' ? [minute(index)] : []));
        const result = resultFor(hunt, columns, [row]);
        const entity = onlyEntity(hunt, result);
        for (const pivot of availablePivots(entity)) {
          const start = buildPivot(pivot.kind, entity, { ...SETTINGS, runRange: runTimeRange(result, SETTINGS.lookback) }).values.startTime;
          assert.ok(rowTimes.includes(String(start)), `pivot ${pivot.kind} starts at ${String(start)}, not at a row time: ${rowTimes.join(', ')}`);
        }
      });

      it('searches the run range without a row time', () => {
        const result = resultFor(hunt, columns, [rowFor(hunt, columns, () => null)]);
        const entity = onlyEntity(hunt, result);
        const lookbackMs = defaultLookbackMs(hunt);
        const expectedStart = new Date(Date.parse(STARTED_AT) - lookbackMs).toISOString();
        for (const pivot of availablePivots(entity)) {
          const values = buildPivot(pivot.kind, entity, { ...SETTINGS, runRange: runTimeRange(result, SETTINGS.lookback) }).values;
          assert.notEqual(values.startTime, EPOCH, `pivot ${pivot.kind} starts at the epoch`);
          assert.equal(values.startTime, expectedStart, `pivot ${pivot.kind}`);
          assert.equal(values.window, coveringTimespan(lookbackMs), `pivot ${pivot.kind}`);
        }
      });
    });
  }
});

describe('run time range', () => {
  const base = {
    query: 'let lookback = 3d;\nSigninLogs\n| where TimeGenerated > ago(lookback)',
    target: { kind: 'logAnalytics', workspaceId: 'w', displayName: 'Test SOC' },
    startedAt: STARTED_AT,
  } as const;

  it('uses the range sent with the query', () => {
    const timeRange = { start: '2026-12-01T00:00:00.000Z', end: '2026-12-01T12:00:00.000Z' };
    assert.deepEqual(runTimeRange({ ...base, timeRange }, '7d'), timeRange);
  });

  it('counts the lookback back from the run start', () => {
    assert.deepEqual(runTimeRange(base, '7d'), { start: '2026-11-29T08:00:00.000Z', end: STARTED_AT });
  });

  it('counts back from now() of a local run', () => {
    const local = { ...base, target: { kind: 'local', folder: '/data', displayName: 'Local data' }, statistics: { now: '2026-11-15T06:00:00.000Z' } } as const;
    assert.deepEqual(runTimeRange(local, '7d'), { start: '2026-11-12T06:00:00.000Z', end: '2026-11-15T06:00:00.000Z' });
  });

  it("reads a pivot's start and window", () => {
    const query = 'let startTime = datetime(2026-12-01T02:13:00.000Z);\nlet window = 24h;\nlet lookback = 7d;\nAuditLogs';
    assert.deepEqual(runTimeRange({ ...base, query }, '7d'), { start: ROW_TIME, end: '2026-12-02T02:13:00.000Z' });
  });

  it('reads an unset pivot start as the lookback', () => {
    const query = 'let startTime = datetime(1970-01-01T00:00:00.000Z);\nlet window = 24h;\nlet lookback = 2d;\nAuditLogs';
    assert.deepEqual(runTimeRange({ ...base, query }, '7d'), { start: '2026-11-30T08:00:00.000Z', end: STARTED_AT });
  });

  it('falls back to the lookback setting', () => {
    const query = 'let lookback = ago(3d);\nSigninLogs | take 5';
    assert.deepEqual(runTimeRange({ ...base, query }, '7d'), { start: '2026-11-25T08:00:00.000Z', end: STARTED_AT });
  });

  it('rejects an invalid lookback setting, naming it', () => {
    assert.throws(() => runTimeRange({ ...base, query: 'SigninLogs' }, 'a week'), /Invalid pivot lookback: Invalid timespan "a week"/);
  });

  it('writes covering timespans', () => {
    assert.equal(coveringTimespan(7 * DAY_MS), '7d');
    assert.equal(coveringTimespan(36 * 3_600_000), '36h');
    assert.equal(coveringTimespan(90_001), '2m');
  });
});
