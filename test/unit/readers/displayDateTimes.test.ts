/**
 * Datetimes of Log Analytics portal CSV exports written in a browser's
 * locale: each display form is read, the day and month order is fixed per
 * file, and a value that cannot be read is reported with line, column and value.
 */
import * as assert from 'node:assert/strict';
import { readExportFile } from '../../../src/engine/readers';
import { isoFromParts, splitDisplayDateTime } from '../../../src/engine/readers/displayDateTimes';
import { makeFixtureFolder, problemCollector, readAll, rowsOf, writeFixture } from './helpers';

const HEADER = 'TimeGenerated [UTC],UserPrincipalName,ResultType';

describe('display datetimes in CSV exports', () => {
  let folder: string;

  before(async () => {
    folder = await makeFixtureFolder();
  });

  async function read(name: string, times: readonly string[]) {
    const lines = [HEADER, ...times.map((time, index) => `"${time}",hank${index}@fabrikam.example,500121`)];
    const file = await writeFixture(folder, name, `${lines.join('\r\n')}\r\n`);
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'SigninLogs');
    return { file, times: rows.map((row) => row.TimeGenerated), problems };
  }

  it('reads 24-hour slashed dates day first and says so when no day is above 12', async () => {
    const { times, problems } = await read('SigninLogs_enGB.csv', ['02/12/2026, 14:10:00.000', '02/12/2026, 14:11:00.000']);
    assert.deepEqual(times, ['2026-12-02T14:10:00.000Z', '2026-12-02T14:11:00.000Z']);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 2);
    assert.equal(problems[0].kind, 'cell');
    assert.match(problems[0].message, /read as day\/month/);
  });

  it('takes the order from a later date with a day above 12', async () => {
    const { times, problems } = await read('SigninLogs_enGB_later.csv', ['02/12/2026, 14:10:00', '13/12/2026, 09:00:00']);
    assert.deepEqual(times, ['2026-12-02T14:10:00Z', '2026-12-13T09:00:00Z']);
    assert.deepEqual(problems, []);
  });

  it('reads US dates month first, by a later date too', async () => {
    const { times, problems } = await read('SigninLogs_enUS.csv', ['12/2/2026, 2:10:00.000 PM', '12/13/2026, 12:05:00.000 AM']);
    assert.deepEqual(times, ['2026-12-02T14:10:00.000Z', '2026-12-13T00:05:00.000Z']);
    assert.deepEqual(problems, []);
  });

  it('reads dotted, dashed and year-first dates', async () => {
    const { times, problems } = await read('SigninLogs_other.csv', ['2.12.2026, 14:10:00', '02-12-2026 14:10:05', '2026/12/02 14:10:09']);
    assert.deepEqual(times, ['2026-12-02T14:10:00Z', '2026-12-02T14:10:05Z', '2026-12-02T14:10:09Z']);
    assert.deepEqual(problems, []);
  });

  it('reports unreadable datetimes with line, column and value', async () => {
    const { file, times, problems } = await read('SigninLogs_bad.csv', [
      '2026-12-02T14:10:00Z',
      'yesterday at noon',
      '31/02/2026, 10:00:00',
      'soon',
      'later',
      'never',
    ]);
    assert.deepEqual(times, ['2026-12-02T14:10:00Z', null, null, null, null, null]);
    assert.equal(problems.length, 4);
    assert.deepEqual(
      problems.slice(0, 3).map((problem) => [problem.file, problem.line, problem.kind]),
      [
        [file, 3, 'cell'],
        [file, 4, 'cell'],
        [file, 5, 'cell'],
      ],
    );
    assert.match(problems[0].message, /column TimeGenerated: the datetime "yesterday at noon" could not be read/);
    assert.match(problems[3].message, /^in all, 5 datetime values in this file could not be read/);
    assert.equal(problems[3].line, 3);
  });

  it('rejects dates that do not exist', () => {
    const parts = splitDisplayDateTime('31/02/2026, 10:00:00');
    assert.ok(parts);
    assert.equal(isoFromParts(parts, 'dayFirst'), undefined);
    const time = splitDisplayDateTime('2/12/2026, 25:00:00');
    assert.ok(time);
    assert.equal(isoFromParts(time, 'dayFirst'), undefined);
  });
});
