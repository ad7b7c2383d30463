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

  it('reports ISO dates that do not exist', async () => {
    const { times, problems } = await read('SigninLogs_isoBad.csv', ['2026-11-20T03:14:00Z', '2026-13-45T00:00:00Z']);
    assert.deepEqual(times, ['2026-11-20T03:14:00Z', null]);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 3);
    assert.match(problems[0].message, /column TimeGenerated: the datetime "2026-13-45T00:00:00Z" could not be read/);
  });

  it('names the line that fixed the order', async () => {
    const { times, problems } = await read('SigninLogs_fixedBy.csv', ['02/11/2026, 14:10:00', '13/11/2026, 08:00:00', '11/31/2026, 10:00:00']);
    assert.deepEqual(times, ['2026-11-02T14:10:00Z', '2026-11-13T08:00:00Z', null]);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 4);
    assert.match(problems[0].message, /the datetime "11\/31\/2026, 10:00:00" \(read as day\/month, the order that line 3 fixed for this file with "13\/11\/2026, 08:00:00"\) could not be read/);
  });

  it('names a later line that fixed the order', async () => {
    const { times, problems } = await read('SigninLogs_fixedLater.csv', ['02/11/2026, 14:10:00', '02/11/2026, 25:00:00', '11/13/2026, 08:00:00']);
    assert.deepEqual(times, ['2026-02-11T14:10:00Z', null, '2026-11-13T08:00:00Z']);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 3);
    assert.match(problems[0].message, /\(read as month\/day, the order that line 4 fixed for this file with "11\/13\/2026, 08:00:00"\)/);
  });

  it('says that no line fixed a guessed order', async () => {
    const { times, problems } = await read('SigninLogs_guessed.csv', ['02/11/2026, 14:10:00', '02/11/2026, 25:00:00']);
    assert.deepEqual(times, ['2026-11-02T14:10:00Z', null]);
    assert.equal(problems.length, 2);
    assert.equal(problems[0].line, 2);
    assert.match(problems[0].message, /^no line of this file fixes the day and month order, because no slashed date has a field above 12/);
    assert.equal(problems[1].line, 3);
    assert.match(problems[1].message, /\(read as day\/month, a guess, because no line of this file fixes the order\) could not be read/);
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
