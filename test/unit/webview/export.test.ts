import * as assert from 'node:assert/strict';
import type { CellValue, ResultColumn } from '../../../src/results/model';
import { dateTime } from '../../../src/webview/core/columnar';
import { toCsv, toJson, toMarkdown, toTsv } from '../../../src/webview/core/export';
import { formatDateTime, revealControls } from '../../../src/webview/core/format';

const columns: ResultColumn[] = [
  { name: 'Text', type: 'string' },
  { name: 'N', type: 'long' },
];

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks', () => {
    const csv = toCsv(columns, [['a,b', 1], ['say "hi"', 2], ['line1\nline2', 3], ['cr\rhere', 4]]);
    assert.equal(csv, 'Text,N\r\n"a,b",1\r\n"say ""hi""",2\r\n"line1\nline2",3\r\n"cr\rhere",4\r\n');
  });

  it('writes null empty and empty string quoted', () => {
    assert.equal(toCsv(columns, [[null, null], ['', 0]]), 'Text,N\r\n,\r\n"",0\r\n');
  });

  it('keeps Unicode and adds a BOM only on request', () => {
    const rows: CellValue[][] = [['Zoë 東京 🙂', 1]];
    assert.equal(toCsv(columns, rows), 'Text,N\r\nZoë 東京 🙂,1\r\n');
    assert.ok(toCsv(columns, rows, { byteOrderMark: true }).startsWith('\uFEFFText'));
  });

  it('quotes column names that need it', () => {
    assert.equal(toCsv([{ name: 'a,"b"', type: 'string' }], []), '"a,""b"""\r\n');
  });

  it('guards formulas in text cells only', () => {
    const csv = toCsv(columns, [['=HYPERLINK("x")', -5], ['@SUM(A1)', 1], ['plain', 2]], { guardFormulas: true });
    assert.equal(csv, 'Text,N\r\n"\'=HYPERLINK(""x"")",-5\r\n\'@SUM(A1),1\r\nplain,2\r\n');
  });

  it('guards formulas in column names', () => {
    const hostile: ResultColumn[] = [{ name: "=cmd|'/C calc'!A0", type: 'string' }, { name: '-2+3', type: 'long' }, { name: '-1', type: 'long' }, { name: 'n', type: 'long' }];
    const csv = toCsv(hostile, [], { guardFormulas: true });
    assert.equal(csv, "'=cmd|'/C calc'!A0,'-2+3,-1,n\r\n");
  });

  it('keeps column names when the guard is off', () => {
    assert.equal(toCsv([{ name: '@SUM(A1)', type: 'string' }], []), '@SUM(A1)\r\n');
  });

  it('leaves negative numbers stored as text unguarded', () => {
    const big: ResultColumn[] = [{ name: 'Big', type: 'long' }];
    const csv = toCsv(big, [['-9007199254740993'], ['-1+2'], ['+5']], { guardFormulas: true });
    assert.equal(csv, "Big\r\n-9007199254740993\r\n'-1+2\r\n+5\r\n");
  });

  it('writes datetimes and dynamic values as text', () => {
    const csv = toCsv(
      [{ name: 't', type: 'datetime' }, { name: 'd', type: 'dynamic' }],
      [[dateTime(Date.UTC(2024, 0, 2, 3, 4, 5, 6), 7), { kind: 'dynamic', value: { a: [1, 'x'] } }]],
    );
    assert.equal(csv, 't,d\r\n2024-01-02T03:04:05.0060007Z,"{""a"":[1,""x""]}"\r\n');
  });
});

describe('TSV copy', () => {
  it('escapes tabs, newlines and backslashes', () => {
    assert.equal(toTsv(columns, [['a\tb\nc\\d', 1]]), 'Text\tN\na\\tb\\nc\\\\d\t1');
  });

  it('omits the header when not given', () => {
    assert.equal(toTsv(undefined, [[null, 2]]), '\t2');
  });
});

describe('Markdown copy', () => {
  it('escapes pipes and Markdown punctuation', () => {
    const markdown = toMarkdown(columns, [['a|b [x](javascript:alert(1)) <img> *em*', 1]]);
    assert.equal(markdown, '| Text | N |\n| --- | --- |\n| a\\|b \\[x\\](javascript:alert(1)) \\<img\\> \\*em\\* | 1 |\n');
  });

  it('turns line breaks into br and marks null', () => {
    assert.equal(toMarkdown(columns, [['one\r\ntwo', null], ['', 0]]), '| Text | N |\n| --- | --- |\n| one<br>two | _null_ |\n|  | 0 |\n');
  });

  it('escapes underscores so null stays unique', () => {
    assert.equal(toMarkdown(columns, [['_null_', 1]]).split('\n')[2], '| \\_null\\_ | 1 |');
  });

  it('breaks bare URLs so they do not link', () => {
    const row = toMarkdown(columns, [['see https://evil.example/a and HXXP://x, www.evil.example, WWW.Evil.example', 1]]).split('\n')[2];
    assert.equal(row, '| see https\\://evil.example/a and HXXP\\://x, www\\.evil.example, WWW\\.Evil.example | 1 |');
  });

  it('breaks bare URLs in column names', () => {
    assert.equal(toMarkdown([{ name: 'https://evil.example', type: 'string' }], []).split('\n')[0], '| https\\://evil.example |');
  });

  it('leaves a colon without slashes alone', () => {
    assert.equal(toMarkdown(columns, [['mailto:a@b.example 10:30 wwwx.example', 1]]).split('\n')[2], '| mailto:a@b.example 10:30 wwwx.example | 1 |');
  });
});

describe('bidirectional characters in exports', () => {
  const hostile = 'user\u202Egnp.exe\u00AD';

  it('marks them in a Markdown copy', () => {
    assert.equal(toMarkdown(columns, [[hostile, 1]]).split('\n')[2], '| user⟨U+202E⟩gnp.exe⟨U+00AD⟩ | 1 |');
  });

  it('escapes them in JSON, which parses back unchanged', () => {
    const json = toJson(columns, [[hostile, 1]]);
    assert.doesNotMatch(json, /[\u202E\u00AD]/);
    assert.ok(json.includes('user\\u202Egnp.exe\\u00AD'), json);
    assert.deepEqual(JSON.parse(json), [{ Text: hostile, N: 1 }]);
  });

  it('keeps them in CSV and TSV, which copy the data', () => {
    assert.ok(toCsv(columns, [[hostile, 1]]).includes(hostile));
    assert.ok(toTsv(columns, [[hostile, 1]]).includes(hostile));
  });
});

describe('JSON export', () => {
  it('writes objects keyed by column name', () => {
    const json = toJson([{ name: 't', type: 'datetime' }, { name: 'd', type: 'dynamic' }, { name: 's', type: 'string' }], [
      [dateTime(0, 1), { kind: 'dynamic', value: { a: 1 } }, null],
    ]);
    assert.deepEqual(JSON.parse(json), [{ t: '1970-01-01T00:00:00.0000001Z', d: { a: 1 }, s: null }]);
  });

  it('keeps __proto__ and repeated column names', () => {
    const hostile: ResultColumn[] = [
      { name: '__proto__', type: 'string' },
      { name: 'User', type: 'string' },
      { name: 'User', type: 'string' },
      { name: 'User_2', type: 'string' },
    ];
    const json = toJson(hostile, [['p', 'a', 'b', 'c']]);
    const [row] = JSON.parse(json) as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(row), ['__proto__', 'User', 'User_2', 'User_2_2']);
    assert.equal(Object.getOwnPropertyDescriptor(row, '__proto__')?.value, 'p');
    assert.equal(row.User_2, 'b');
    assert.equal(row.User_2_2, 'c');
  });
});

describe('datetime display', () => {
  const cell = dateTime(Date.UTC(2024, 4, 1, 22, 30, 0, 5), 12);

  it('shows UTC with Z', () => {
    assert.equal(formatDateTime(cell, 'utc'), '2024-05-01T22:30:00.0050012Z');
  });

  it('shows local time with its offset', () => {
    assert.equal(formatDateTime(cell, 'local', 120), '2024-05-02T00:30:00.0050012+02:00');
    assert.equal(formatDateTime(cell, 'local', -330), '2024-05-01T17:00:00.0050012-05:30');
  });
});

describe('control characters in display', () => {
  it('reveals bidi overrides and C0 controls', () => {
    assert.equal(revealControls('invoice\u202Efdp.exe'), 'invoice⟨U+202E⟩fdp.exe');
    assert.equal(revealControls('a\u0000b\u2066c'), 'a⟨U+0000⟩b⟨U+2066⟩c');
  });

  it('reveals zero-width and invisible characters', () => {
    assert.equal(revealControls('admin\u200B@contoso'), 'admin⟨U+200B⟩@contoso');
    assert.equal(revealControls('a\u200Db\uFEFFc\u00ADd\u2060e'), 'a⟨U+200D⟩b⟨U+FEFF⟩c⟨U+00AD⟩d⟨U+2060⟩e');
  });

  it('leaves tabs, newlines and ordinary Unicode alone', () => {
    assert.equal(revealControls('a\tb\nc Zoë 東京'), 'a\tb\nc Zoë 東京');
  });
});
