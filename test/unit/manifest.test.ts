import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const root = join(__dirname, '../../..');

interface Manifest {
  activationEvents: string[];
  main: string;
  contributes: {
    commands: { command: string; category?: string }[];
    configuration: { properties: Record<string, unknown> };
    languages: { id: string; extensions: string[] }[];
  };
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

describe('extension manifest', () => {
  it('never activates on every event', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    assert.ok(manifest.activationEvents.includes('onLanguage:kql'));
  });

  it('names commands huntLens.verbNoun in the Hunt Lens category', () => {
    for (const { command, category } of manifest.contributes.commands) {
      assert.match(command, /^huntLens\.[a-z]+[A-Z][A-Za-z]*$/, command);
      assert.equal(category, 'Hunt Lens', command);
    }
  });

  it('names settings huntLens.*', () => {
    for (const key of Object.keys(manifest.contributes.configuration.properties)) {
      assert.match(key, /^huntLens\./);
    }
  });

  it('registers kql with its file extensions', () => {
    const kql = manifest.contributes.languages.find((language) => language.id === 'kql');
    assert.deepEqual(kql?.extensions, ['.kql', '.kusto', '.csl']);
  });
});

describe('extension bundle', () => {
  // Activation must stay light: the Kusto language service (31 MB) and the
  // Azure SDK are loaded on first use by the parts that need them.
  it('bundles no Kusto library and no Azure SDK', async function () {
    this.timeout(30_000);
    const result = await esbuild.build({
      entryPoints: [join(root, 'src/extension/extension.ts')],
      bundle: true,
      write: false,
      metafile: true,
      platform: 'node',
      external: ['vscode'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((input) => input.includes('src/extension/extension.ts')), 'the entry point is in the bundle');
    const heavy = inputs.filter((input) => /node_modules\/@(kusto|azure)\//.test(input) || input.includes('src/kusto/'));
    assert.deepEqual(heavy, []);
  });
});
