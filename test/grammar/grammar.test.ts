// Tests for the KQL TextMate grammar (syntaxes/kql.tmLanguage.yaml) and its
// Markdown injection (syntaxes/kql.markdown.tmLanguage.yaml).
//
// The YAML sources are converted to JSON in a temporary folder before the tests
// run, so they do not depend on `npm run build`. Set UPDATE_SNAPSHOTS=1 to
// rewrite the .snap files instead of checking them, then review every change.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

/** Returns the repository root: the nearest folder above this file that contains the grammar source. */
function findRepositoryRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'syntaxes', 'kql.tmLanguage.yaml'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`syntaxes/kql.tmLanguage.yaml not found in any folder above ${__dirname}`);
    }
    dir = parent;
  }
  return dir;
}

const root = findRepositoryRoot();
const snapshotDir = path.join(root, 'test', 'grammar', 'snapshots');
const corpusDir = path.join(root, 'test', 'grammar', 'corpus');
const markdownHostGrammar = path.join(root, 'test', 'grammar', 'fixtures', 'markdown.tmLanguage.json');
const snapCli = path.join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'snapshot.js');
const updateSnapshots = process.env.UPDATE_SNAPSHOTS === '1';

const snapshotFiles = fs
  .readdirSync(snapshotDir)
  .filter((name) => !name.endsWith('.snap'))
  .sort();
const corpusFiles = fs
  .readdirSync(corpusDir)
  .filter((name) => name.endsWith('.kql'))
  .sort();

/** Scopes that may stay open at the end of a line: ``` strings and bracketed constructs. */
const multiLineScopes = [
  'string.quoted.multi.kql',
  'meta.literal.dynamic.kql',
  'meta.parameters.kql',
  'meta.render.properties.kql',
];

interface BuiltGrammars {
  /** Folder with the JSON grammars and the vscode-tmgrammar-snap configuration. */
  dir: string;
  /** package.json-style file that maps .kql and .md files to their grammars. */
  config: string;
  registry: vsctm.Registry;
}

/** Converts the YAML grammars to JSON files and writes a configuration that the snapshot CLI reads. */
function writeGrammars(dir: string): string {
  const kql = yaml.load(fs.readFileSync(path.join(root, 'syntaxes', 'kql.tmLanguage.yaml'), 'utf8'));
  const markdownKql = yaml.load(
    fs.readFileSync(path.join(root, 'syntaxes', 'kql.markdown.tmLanguage.yaml'), 'utf8'),
  );
  fs.writeFileSync(path.join(dir, 'kql.tmLanguage.json'), JSON.stringify(kql));
  fs.writeFileSync(path.join(dir, 'kql.markdown.tmLanguage.json'), JSON.stringify(markdownKql));
  fs.copyFileSync(markdownHostGrammar, path.join(dir, 'markdown.tmLanguage.json'));

  const config = {
    contributes: {
      languages: [
        { id: 'kql', extensions: ['.kql'] },
        { id: 'markdown', extensions: ['.md'] },
      ],
      grammars: [
        { language: 'kql', scopeName: 'source.kql', path: './kql.tmLanguage.json' },
        { language: 'markdown', scopeName: 'text.html.markdown', path: './markdown.tmLanguage.json' },
        {
          scopeName: 'markdown.kql.codeblock',
          path: './kql.markdown.tmLanguage.json',
          injectTo: ['text.html.markdown'],
        },
      ],
    },
  };
  const configPath = path.join(dir, 'package.json');
  fs.writeFileSync(configPath, JSON.stringify(config, null, 2));
  return configPath;
}

/** Creates a vscode-textmate registry over the JSON grammars in `dir`, with onig.wasm from node_modules. */
function createRegistry(dir: string): vsctm.Registry {
  const wasm = fs.readFileSync(path.join(root, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  const onigLib = oniguruma.loadWASM(wasm).then(() => ({
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (text: string) => new oniguruma.OnigString(text),
  }));
  const files: Record<string, string> = {
    'source.kql': 'kql.tmLanguage.json',
    'markdown.kql.codeblock': 'kql.markdown.tmLanguage.json',
    'text.html.markdown': 'markdown.tmLanguage.json',
  };
  return new vsctm.Registry({
    onigLib,
    loadGrammar: (scopeName) => {
      const file = files[scopeName];
      if (file === undefined) {
        return Promise.resolve(null);
      }
      const filePath = path.join(dir, file);
      return Promise.resolve(vsctm.parseRawGrammar(fs.readFileSync(filePath, 'utf8'), filePath));
    },
    getInjections: (scopeName) => (scopeName === 'text.html.markdown' ? ['markdown.kql.codeblock'] : []),
  });
}

let built: BuiltGrammars | undefined;

/** Builds the grammars once per test run. */
function getGrammars(): BuiltGrammars {
  if (built === undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kql-grammar-'));
    const config = writeGrammars(dir);
    built = { dir, config, registry: createRegistry(dir) };
  }
  return built;
}

after(() => {
  if (built !== undefined) {
    fs.rmSync(built.dir, { recursive: true, force: true });
  }
});

async function loadGrammar(scopeName: string): Promise<vsctm.IGrammar> {
  const grammar = await getGrammars().registry.loadGrammar(scopeName);
  if (grammar === null) {
    throw new Error(`grammar ${scopeName} could not be loaded`);
  }
  return grammar;
}

interface Token {
  text: string;
  scopes: string[];
}

/** Tokenizes `text` line by line and returns the tokens of each line. */
async function tokenize(text: string, scopeName = 'source.kql'): Promise<Token[][]> {
  const grammar = await loadGrammar(scopeName);
  let state = vsctm.INITIAL;
  const lines: Token[][] = [];
  for (const line of text.split(/\r?\n/)) {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    lines.push(
      result.tokens.map((token) => ({
        text: line.slice(token.startIndex, token.endIndex),
        scopes: token.scopes,
      })),
    );
  }
  return lines;
}

/** Returns the token whose text is exactly `text`, failing when there is none. */
function findToken(line: Token[], text: string): Token {
  const token = line.find((candidate) => candidate.text === text);
  assert.ok(token, `no token "${text}" in ${JSON.stringify(line.map((t) => t.text))}`);
  return token;
}

function hasScope(token: Token, prefix: string): boolean {
  return token.scopes.some((scope) => scope === prefix || scope.startsWith(prefix + '.'));
}

/** Runs vscode-tmgrammar-snap on one snapshot file and resolves with its exit code and output. */
function runSnapshotCli(file: string): Promise<{ code: number; output: string }> {
  const { config } = getGrammars();
  const args = [snapCli, '--config', config];
  if (updateSnapshots) {
    args.push('--updateSnapshot');
  }
  args.push(path.relative(root, file));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } },
      (error, stdout, stderr) => {
        let code = 0;
        if (error !== null) {
          // A numeric code is the exit status. Anything else means the process did not start or was killed.
          code = typeof error.code === 'number' ? error.code : 1;
        }
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

describe('KQL grammar snapshots', function () {
  this.timeout(30_000);

  it('snapshot folder has test files', () => {
    assert.ok(snapshotFiles.length > 0, `no snapshot test files in ${snapshotDir}`);
  });

  for (const name of snapshotFiles) {
    it(`matches ${name}.snap`, async () => {
      const file = path.join(snapshotDir, name);
      if (!updateSnapshots) {
        // Without a .snap file the CLI writes one and passes, which would hide a regression.
        assert.ok(fs.existsSync(`${file}.snap`), `${name}.snap is missing: run with UPDATE_SNAPSHOTS=1`);
      }
      const result = await runSnapshotCli(file);
      assert.equal(result.code, 0, `vscode-tmgrammar-snap failed for ${name}:\n${result.output}`);
    });
  }
});

describe('KQL grammar corpus', function () {
  this.timeout(30_000);

  it('corpus has at least 15 queries', () => {
    assert.ok(corpusFiles.length >= 15, `expected at least 15 corpus queries, found ${corpusFiles.length}`);
  });

  for (const name of corpusFiles) {
    it(`${name} ends lines outside strings`, async () => {
      const grammar = await loadGrammar('source.kql');
      const lines = fs.readFileSync(path.join(corpusDir, name), 'utf8').split(/\r?\n/);
      const problems: string[] = [];
      let state = vsctm.INITIAL;
      lines.forEach((line, index) => {
        state = grammar.tokenizeLine(line, state).ruleStack;
        // Tokenizing an empty line from the current state returns the scopes
        // that are still open where the next line starts.
        const openScopes = grammar.tokenizeLine('', state).tokens[0].scopes.slice(1);
        const unexpected = openScopes.filter((scope) => !multiLineScopes.includes(scope));
        if (unexpected.length > 0) {
          problems.push(`line ${index + 1} ends inside ${unexpected.join(' ')}: ${line}`);
        }
      });
      assert.deepEqual(problems, []);
      assert.equal(state.depth, 1, `${name} ends inside an open construct`);
    });
  }
});

describe('KQL grammar targeted cases', () => {
  it('keeps // inside a string as string', async () => {
    const [line] = await tokenize('print Url = "https://login.microsoftonline.com//common" | take 1');
    const content = findToken(line, 'https://login.microsoftonline.com//common');
    assert.ok(hasScope(content, 'string.quoted.double.kql'), content.scopes.join(' '));
    assert.ok(line.every((token) => !hasScope(token, 'comment')), 'a token was scoped as a comment');
    assert.ok(hasScope(findToken(line, 'take'), 'keyword.control.tabular.kql'));
  });

  it('opens nothing from a quote inside a comment', async () => {
    const lines = await tokenize('T // it\'s a "comment\n| where A == 1');
    assert.ok(hasScope(findToken(lines[0], ' it\'s a "comment'), 'comment.line.double-slash.kql'));
    assert.ok(hasScope(findToken(lines[1], 'where'), 'keyword.control.tabular.kql'));
    assert.ok(lines[1].every((token) => !hasScope(token, 'string')), 'line 2 was scoped as a string');
  });

  it('ends "C:\\\\" at its closing quote', async () => {
    const [line] = await tokenize('print p = "C:\\\\", q = 1');
    const escape = findToken(line, '\\\\');
    assert.ok(hasScope(escape, 'constant.character.escape.kql'), escape.scopes.join(' '));
    const closing = line[line.indexOf(escape) + 1];
    assert.equal(closing.text, '"');
    assert.ok(hasScope(closing, 'punctuation.definition.string.end.kql'), closing.scopes.join(' '));
    assert.ok(hasScope(findToken(line, '1'), 'constant.numeric.integer.kql'));
    assert.ok(!hasScope(findToken(line, ','), 'string'), 'the comma after the string is still a string');
  });

  it('ends @"C:\\path\\" at its closing quote', async () => {
    const [line] = await tokenize('print p = @"C:\\path\\", q = "x"');
    const content = findToken(line, 'C:\\path\\');
    assert.ok(hasScope(content, 'string.quoted.double.verbatim.kql'), content.scopes.join(' '));
    assert.ok(
      line.every((token) => !hasScope(token, 'constant.character.escape')),
      'a backslash in a verbatim string was scoped as an escape',
    );
    assert.ok(hasScope(findToken(line, 'x'), 'string.quoted.double.kql'));
    assert.ok(!hasScope(findToken(line, ','), 'string'), 'the comma after the string is still a string');
  });

  it('ends an unterminated string at the end of its line', async () => {
    const lines = await tokenize('print a = "never closed\n| take 10');
    assert.ok(hasScope(findToken(lines[0], 'never closed'), 'string.quoted.double.kql'));
    assert.ok(hasScope(findToken(lines[1], 'take'), 'keyword.control.tabular.kql'));
    assert.ok(hasScope(findToken(lines[1], '10'), 'constant.numeric.integer.kql'));
  });

  it('scopes mv-expand as one operator token', async () => {
    const [line] = await tokenize('T | mv-expand Items | project-away X');
    for (const name of ['mv-expand', 'project-away']) {
      const token = findToken(line, name);
      assert.deepEqual(token.scopes, ['source.kql', 'keyword.control.tabular.kql']);
    }
  });

  it('scopes !has and !in~ as one operator token', async () => {
    const [line] = await tokenize('T | where A !has "x" and B !in~ ("y") and C !startswith_cs "z"');
    assert.deepEqual(findToken(line, '!has').scopes, ['source.kql', 'keyword.operator.string.kql']);
    assert.deepEqual(findToken(line, '!in~').scopes, ['source.kql', 'keyword.operator.in.kql']);
    assert.deepEqual(findToken(line, '!startswith_cs').scopes, ['source.kql', 'keyword.operator.string.kql']);
  });

  it('treats operators as case-sensitive', async () => {
    const [line] = await tokenize('T | Where A Has "x"');
    assert.ok(!hasScope(findToken(line, ' Where A Has '), 'keyword'), 'Where or Has was scoped as a keyword');
  });

  it('highlights a ```kql block in Markdown', async () => {
    const lines = await tokenize(
      ['# Hunt', '```kql', 'SigninLogs | where A has "x"', '```', 'where outside'].join('\n'),
      'text.html.markdown',
    );
    const where = findToken(lines[2], 'where');
    assert.ok(hasScope(where, 'meta.embedded.block.kql'), where.scopes.join(' '));
    assert.ok(hasScope(where, 'keyword.control.tabular.kql'), where.scopes.join(' '));
    const fence = findToken(lines[3], '```');
    assert.ok(hasScope(fence, 'punctuation.definition.markdown'), fence.scopes.join(' '));
    assert.ok(lines[4].every((token) => !hasScope(token, 'meta.embedded.block.kql')), 'KQL continued past the fence');
  });

  it('leaves other fenced languages alone', async () => {
    const lines = await tokenize(['```python', 'where = 1', '```'].join('\n'), 'text.html.markdown');
    assert.ok(lines[1].every((token) => !hasScope(token, 'meta.embedded.block.kql')), 'python was highlighted as KQL');
  });
});
