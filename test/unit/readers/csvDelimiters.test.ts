import * as assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runQuery } from '../../../src/engine';
import { loadData } from '../../../src/engine/load';
import { detectCsvDelimiter } from '../../../src/engine/readers/csvRecoveringParser';
import { makeFixtureFolder } from './helpers';

const ROWS = [
  ['2026-12-02T01:40:10Z', 'hank@contoso.example', '500121', 'MFA denied; user declined the authentication'],
  ['2026-12-02T01:41:10Z', 'hank@contoso.example', '0', 'MFA successfully completed'],
];

describe('CSV separators', function () {
  // The first query loads the Kusto language service.
  this.timeout(30_000);
  let folder: string;
  before(async () => {
    folder = await makeFixtureFolder();
  });

  async function load(name: string, text: string | Buffer): Promise<unknown[][]> {
    const data = join(folder, name.replace(/\W/g, '-'));
    await mkdir(data);
    await writeFile(join(data, name), text);
    const loaded = await loadData([data]);
    assert.deepEqual(loaded.problems, []);
    return runQuery(loaded.database, 'SigninLogs | order by TimeGenerated asc | project UserPrincipalName, ResultType, ResultDescription').tables[0].rows;
  }

  it('reads a semicolon export', async () => {
    const lines = ['TimeGenerated [UTC];UserPrincipalName;ResultType;ResultDescription', ...ROWS.map((row) => row.map((cell) => `"${cell}"`).join(';'))];
    const rows = await load('SigninLogs_semicolon.csv', lines.join('\r\n'));
    assert.deepEqual(rows, ROWS.map((row) => row.slice(1)));
  });

  it('reads Excel Unicode text', async () => {
    const lines = ['TimeGenerated\tUserPrincipalName\tResultType\tResultDescription', ...ROWS.map((row) => row.join('\t'))];
    const rows = await load('SigninLogs_unicode.csv', Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf16le'));
    assert.deepEqual(rows, ROWS.map((row) => row.slice(1)));
  });

  it('detects the separator of the first line', () => {
    assert.equal(detectCsvDelimiter('a,b,c\n1;2;3;4;5'), ',');
    assert.equal(detectCsvDelimiter('a;b;c\r\n1,2'), ';');
    assert.equal(detectCsvDelimiter('a\tb\tc'), '\t');
    assert.equal(detectCsvDelimiter('"x,y;z";"b";"c"'), ';');
    assert.equal(detectCsvDelimiter('"Date (UTC)","Request ID","Location; city"'), ',');
    assert.equal(detectCsvDelimiter('single'), ',');
    assert.equal(detectCsvDelimiter(''), ',');
  });
});
