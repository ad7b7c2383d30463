import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HUNT_TAG } from '../../src/hunts/document';
import { HUNTS } from '../../src/hunts/library';
import { renderHunt } from '../../src/hunts/render';
import { buildSnippets, escapeSnippetText, type KqlSnippetFile } from '../../src/hunts/snippets';
import type { Hunt } from '../../src/hunts/types';
import { analyzeQuery, loadKustoLanguage } from '../../src/kusto/service';
import { TABLE_SCHEMAS } from '../../src/schema/tables';

/** The repository root: tests run from out/test/unit. */
const ROOT = join(__dirname, '..', '..', '..');
const REGENERATE = 'run `node scripts/generate-snippets.mjs` to regenerate it';

/**
 * Expands a snippet body as VS Code would with every placeholder left at its
 * text: `\$`, `\}` and `\\` become `$`, `}` and `\`, and `${1:text}` becomes
 * `text`. Throws on syntax this library never emits (variables, choices,
 * nested placeholders, a bare `$`).
 */
function expandSnippet(lines: readonly string[]): string {
  const text = lines.join('\n');
  let out = '';
  let index = 0;
  let placeholderDepth = 0;
  while (index < text.length) {
    const ch = text[index];
    if (ch === '\\' && '$}\\'.includes(text[index + 1] ?? '')) {
      out += text[index + 1];
      index += 2;
    } else if (ch === '$' && /^\$\{\d+\}/.test(text.slice(index))) {
      // An empty tabstop expands to nothing.
      index += /^\$\{\d+\}/.exec(text.slice(index))![0].length;
    } else if (ch === '$') {
      const tabstop = /^\$\{(\d+):/.exec(text.slice(index));
      if (!tabstop || placeholderDepth > 0) {
        throw new Error(`Unexpected $ at offset ${index}: ${text.slice(index, index + 20)}`);
      }
      placeholderDepth++;
      index += tabstop[0].length;
    } else if (ch === '}' && placeholderDepth > 0) {
      placeholderDepth--;
      index++;
    } else {
      out += ch;
      index++;
    }
  }
  assert.equal(placeholderDepth, 0, 'a placeholder is not closed');
  return out;
}

function readSnippetFile(): KqlSnippetFile {
  const path = join(ROOT, 'snippets', 'kql.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${path} (${String(error)}): ${REGENERATE}.`, { cause: error });
  }
  return JSON.parse(text) as KqlSnippetFile;
}

function snippetOf(hunt: Hunt): { prefix: string; body: string[] } {
  const snippet = buildSnippets(HUNTS)[hunt.title];
  assert.ok(snippet, `no snippet for ${hunt.title}`);
  return snippet;
}

describe('snippets', function () {
  this.timeout(60_000);

  before(() => {
    loadKustoLanguage();
  });

  it('snippets/kql.json matches the hunt library', () => {
    assert.deepEqual(readSnippetFile(), buildSnippets(HUNTS), `snippets/kql.json is out of date: ${REGENERATE}.`);
  });

  it('has one prefixed snippet per hunt', () => {
    const snippets = buildSnippets(HUNTS);
    assert.equal(Object.keys(snippets).length, HUNTS.length);
    for (const hunt of HUNTS) {
      assert.equal(snippets[hunt.title]?.prefix, `hunt-${hunt.id}`);
    }
  });

  it('escapes $, } and backslash', () => {
    assert.equal(escapeSnippetText('a$b}c\\d{e'), 'a\\$b\\}c\\\\d{e');
  });

  it('numbers and shares tabstops', () => {
    const hunt: Hunt = {
      ...HUNTS[0],
      parameters: [
        { name: 'first', type: 'timespan', default: '7d', description: 'First.' },
        { name: 'second', type: 'string', default: 'a}$b', description: 'Second.' },
      ],
      query: 'let x = {{second}}; let y = {{first}}; let z = {{second}};\n',
    };
    const body = buildSnippets([hunt])[hunt.title].body;
    assert.equal(body[body.length - 1], 'let x = "${1:a\\}\\$b}"; let y = ${2:7d}; let z = "${1:a\\}\\$b}";');
  });

  it('keeps typed text inside string quotes', () => {
    const hunt: Hunt = {
      ...HUNTS[0],
      parameters: [{ name: 'user', type: 'string', default: '', description: 'User.' }],
      query: 'let user = {{user}};\n',
    };
    const body = buildSnippets([hunt])[hunt.title].body;
    assert.equal(body[body.length - 1], 'let user = "${1}";');
  });

  for (const hunt of HUNTS) {
    describe(`snippet for ${hunt.id}`, () => {
      it('starts with the hunt header and its tag', () => {
        const lines = snippetOf(hunt).body;
        assert.equal(lines[0], escapeSnippetText(`// ${hunt.title}`));
        assert.equal(lines[2], `${HUNT_TAG} ${hunt.id}`);
      });

      it('expands to the hunt rendered at its defaults', () => {
        const expanded = expandSnippet(snippetOf(hunt).body);
        const query = expanded.split('\n').slice(3).join('\n');
        assert.equal(query, renderHunt(hunt).trimEnd());
      });

      it('parses and binds after expansion', () => {
        const expanded = expandSnippet(snippetOf(hunt).body);
        const analysis = analyzeQuery(expanded, TABLE_SCHEMAS[hunt.target], { analyzers: false });
        const errors = analysis.diagnostics
          .filter((diagnostic) => diagnostic.severity === 'error')
          .map((diagnostic) => `${diagnostic.line}:${diagnostic.column} ${diagnostic.message}`);
        assert.deepEqual(errors, []);
      });
    });
  }
});
