/**
 * CSV records around an unbalanced quote, a quoted field that spans too many
 * lines, and quoted multi-line cells in LF and CRLF files: every problem is
 * reported at the line where its record starts, and reading goes on.
 */
import * as assert from 'node:assert/strict';
import { readExportFile } from '../../../src/engine/readers';
import { MAX_QUOTED_FIELD_LINES } from '../../../src/engine/readers/csvRecoveringParser';
import { makeFixtureFolder, problemCollector, readAll, rowsOf, writeFixture } from './helpers';

const HEADER = 'TimeGenerated,UserId,Operation,ClientIP';

/** An OfficeActivity row of user `user<index>`, a minute per index after midnight. */
function officeRow(index: number): string {
  const minute = String(index % 60).padStart(2, '0');
  const hour = String(Math.floor(index / 60) % 24).padStart(2, '0');
  return `2026-12-02T${hour}:${minute}:00Z,user${index}@fabrikam.example,MailItemsAccessed,198.51.100.${index % 250}`;
}

describe('CSV recovery', () => {
  let folder: string;

  before(async () => {
    folder = await makeFixtureFolder();
  });

  async function read(name: string, text: string) {
    const file = await writeFixture(folder, name, text);
    const { problems, onProblem } = problemCollector();
    const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'OfficeActivity');
    return { rows, problems };
  }

  it('skips a stray quote and keeps every later row', async () => {
    const lines = [HEADER];
    for (let index = 0; index < 10_000; index += 1) {
      lines.push(index === 3 ? '2026-12-02T00:21:00Z,"dana@fabrikam.example,Set-InboxRule,198.51.100.66' : officeRow(index));
    }
    const { rows, problems } = await read('OfficeActivity_strayQuote.csv', `${lines.join('\n')}\n`);
    assert.equal(rows.length, 9_999);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 5);
    assert.match(problems[0].message, /quoted field opened on this line/);
    assert.equal(rows[3].UserId, 'user4@fabrikam.example');
    assert.equal(rows.at(-1)?.UserId, 'user9999@fabrikam.example');
  });

  it('skips a stray quote that is never closed near the end', async () => {
    const text = [HEADER, officeRow(1), '2026-12-02T00:21:00Z,"dana@fabrikam.example,Set-InboxRule,198.51.100.66', officeRow(2)].join('\n');
    const { rows, problems } = await read('OfficeActivity_strayQuoteAtEnd.csv', text);
    assert.deepEqual(
      rows.map((row) => row.UserId),
      ['user1@fabrikam.example', 'user2@fabrikam.example'],
    );
    assert.deepEqual(
      problems.map((problem) => problem.line),
      [3],
    );
    assert.match(problems[0].message, /never closed/);
  });

  it('skips a stray quote that a later stray quote closes', async () => {
    const lines = [HEADER];
    for (let index = 0; index < 30; index += 1) {
      lines.push(officeRow(index));
    }
    lines[5] = '2026-12-02T00:05:00Z,"dana@fabrikam.example,Set-InboxRule,198.51.100.66';
    lines[25] = '2026-12-02T00:25:00Z,"erin@fabrikam.example,Set-InboxRule,198.51.100.67';
    const { rows, problems } = await read('OfficeActivity_twoStrayQuotes.csv', `${lines.join('\n')}\n`);
    assert.equal(rows.length, 28);
    assert.deepEqual(
      problems.map((problem) => problem.line),
      [6, 26],
    );
  });

  it('limits the lines of one quoted field', async () => {
    const lines = [HEADER];
    for (let index = 0; index < MAX_QUOTED_FIELD_LINES + 20; index += 1) {
      lines.push(officeRow(index));
    }
    lines[2] = '2026-12-02T00:02:00Z,"dana@fabrikam.example,Set-InboxRule,198.51.100.66';
    lines[MAX_QUOTED_FIELD_LINES + 10] = 'closing" quote,x,y,z';
    const { rows, problems } = await read('OfficeActivity_longQuote.csv', `${lines.join('\n')}\n`);
    assert.equal(problems[0].line, 3);
    assert.match(problems[0].message, new RegExp(`not closed within ${MAX_QUOTED_FIELD_LINES} lines`));
    assert.equal(rows.length, MAX_QUOTED_FIELD_LINES + 19);
  });

  for (const span of [MAX_QUOTED_FIELD_LINES, MAX_QUOTED_FIELD_LINES + 1]) {
    it(`reads a quoted field spanning ${span} lines`, async () => {
      const lines = [HEADER, officeRow(0), '2026-12-02T00:21:00Z,"first line'];
      for (let index = 2; index < span; index += 1) {
        lines.push(`line ${index}`);
      }
      lines.push(`line ${span}",Set-InboxRule,198.51.100.66`, officeRow(1));
      const { rows, problems } = await read(`OfficeActivity_quoteOver${span}.csv`, `${lines.join('\n')}\n`);
      if (span <= MAX_QUOTED_FIELD_LINES) {
        assert.deepEqual(problems, []);
        assert.equal(rows.length, 3);
        assert.equal(String(rows[1].UserId).split('\n').length, span);
      } else {
        assert.equal(problems[0].line, 3);
        assert.match(problems[0].message, new RegExp(`not closed within ${MAX_QUOTED_FIELD_LINES} lines`));
        assert.deepEqual(
          rows.map((row) => row.UserId),
          ['user0@fabrikam.example', 'user1@fabrikam.example'],
        );
      }
    });
  }

  for (const lineBreak of ['\n', '\r\n']) {
    const name = lineBreak === '\n' ? 'LF' : 'CRLF';

    it(`reports the start line after a multi-line cell (${name})`, async () => {
      const text = [
        HEADER,
        '2026-12-02T00:20:00Z,a@x,New-InboxRule,1.1.1.1',
        `2026-12-02T00:21:00Z,"b@x${lineBreak}second line",Set-InboxRule,1.1.1.2`,
        '2026-12-02T00:22:00Z,c@x,MailItemsAccessed,1.1.1.3,extra,fields',
        '2026-12-02T00:23:00Z,d@x,MailItemsAccessed,1.1.1.4',
      ].join(lineBreak);
      const { rows, problems } = await read(`OfficeActivity_multiLine${name}.csv`, `${text}${lineBreak}`);
      assert.deepEqual(
        problems.map((problem) => problem.line),
        [5],
      );
      assert.match(problems[0].message, /6 fields but the header has 4/);
      assert.deepEqual(
        rows.map((row) => row.UserId),
        ['a@x', `b@x${lineBreak}second line`, 'd@x'],
      );
    });
  }

  for (const gzip of [false, true]) {
    it(`keeps line numbers over several chunks (CRLF${gzip ? ', gzip' : ''})`, async () => {
      // About 3 MB, so the file arrives in several stream chunks and quoted cells and stray quotes cross chunk edges.
      const rowCount = 40_000;
      const strayRows = new Set([1_990, 12_345, 27_000]);
      const lines = [HEADER];
      const expectedProblems: Array<{ line: number; message: RegExp }> = [];
      let physicalLine = 2;
      let rowsKept = 0;
      for (let index = 0; index < rowCount; index += 1) {
        if (strayRows.has(index)) {
          lines.push(`2026-12-02T00:21:00Z,"stray${index}@fabrikam.example,Set-InboxRule,198.51.100.66`);
          expectedProblems.push({ line: physicalLine, message: /quoted field opened on this line/ });
        } else if (index % 997 === 0) {
          lines.push(`2026-12-02T00:21:00Z,"multi${index}@x\r\nsecond line",Set-InboxRule,1.1.1.2`);
          physicalLine += 1;
          rowsKept += 1;
        } else if (index % 997 === 1) {
          lines.push(`${officeRow(index)},extra`);
          expectedProblems.push({ line: physicalLine, message: /5 fields but the header has 4/ });
        } else {
          lines.push(officeRow(index));
          rowsKept += 1;
        }
        physicalLine += 1;
      }
      const file = await writeFixture(folder, `OfficeActivity_chunks${gzip ? '.csv.gz' : '.csv'}`, `${lines.join('\r\n')}\r\n`, gzip);
      const { problems, onProblem } = problemCollector();
      const rows = rowsOf(await readAll(await readExportFile(file, { onProblem })), 'OfficeActivity');

      assert.deepEqual(
        problems.map((problem) => problem.line),
        expectedProblems.map((problem) => problem.line),
      );
      problems.forEach((problem, index) => assert.match(problem.message, expectedProblems[index].message));
      assert.equal(rows.length, rowsKept);
      assert.equal(rows.filter((row) => String(row.UserId).startsWith('multi')).length, Math.ceil(rowCount / 997));
      assert.equal(rows.at(-1)?.UserId, `user${rowCount - 1}@fabrikam.example`);
    });
  }

  it('skips a stray quote on every line of a long run', async () => {
    // The next line's quote closes each quote and text follows it, so every line is its own malformed record.
    const lines = [HEADER, officeRow(0)];
    for (let index = 1; index <= 1_000; index += 1) {
      lines.push(`2026-12-02T00:21:00Z,"stray${index}@fabrikam.example,Set-InboxRule,198.51.100.66`);
    }
    lines.push(officeRow(1));
    const { rows, problems } = await read('OfficeActivity_strayRun.csv', `${lines.join('\n')}\n`);
    assert.equal(problems.length, 1_000);
    assert.equal(problems[0].line, 3);
    assert.equal(problems.at(-1)?.line, 1_002);
    assert.deepEqual(
      rows.map((row) => row.UserId),
      ['user0@fabrikam.example', 'user1@fabrikam.example'],
    );
  });

  it('keeps quotes inside an unquoted field and doubled quotes inside a quoted one', async () => {
    const text = [HEADER, '2026-12-02T00:20:00Z,say "hi",New-InboxRule,1.1.1.1', '2026-12-02T00:21:00Z,"a ""b"", c",Set-InboxRule,1.1.1.2'].join('\n');
    const { rows, problems } = await read('OfficeActivity_quotes.csv', text);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      rows.map((row) => row.UserId),
      ['say "hi"', 'a "b", c'],
    );
  });

  it('keeps text after a closing quote on one line', async () => {
    // csv-parse with relax_quotes keeps such a field as written, quotes included.
    const text = [HEADER, '2026-12-02T00:20:00Z,"dana"@fabrikam.example,New-InboxRule,1.1.1.1'].join('\n');
    const { rows, problems } = await read('OfficeActivity_textAfterQuote.csv', text);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      rows.map((row) => row.UserId),
      ['"dana"@fabrikam.example'],
    );
  });
});
