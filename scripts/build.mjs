// Bundles each part of the extension with esbuild. Type-checking is a separate
// step (`npm run typecheck`), so a bundle never waits for tsc.
import * as esbuild from 'esbuild';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** One entry per bundle: the extension host, and later the language server and the webview. */
const bundles = [
  {
    entryPoints: [join(root, 'src/extension/extension.ts')],
    outfile: join(root, 'dist/extension.js'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // `vscode` is provided by the extension host at run time.
    external: ['vscode'],
  },
  {
    // The results webview: a browser script and its stylesheet, loaded from
    // dist/webview/ under the webview's Content Security Policy.
    entryPoints: [join(root, 'src/webview/app/main.ts')],
    outfile: join(root, 'dist/webview/results.js'),
    platform: 'browser',
    format: 'iife',
    target: 'chrome114',
  },
  {
    entryPoints: [join(root, 'src/webview/app/results.css')],
    outfile: join(root, 'dist/webview/results.css'),
  },
];

/** Converts the YAML grammars in syntaxes/ to the JSON files that package.json points at. */
async function buildGrammars() {
  const grammars = ['kql.tmLanguage', 'kql.markdown.tmLanguage'];
  for (const name of grammars) {
    const source = join(root, 'syntaxes', `${name}.yaml`);
    let text;
    try {
      text = await readFile(source, 'utf8');
    } catch (error) {
      if (error.code === 'ENOENT') continue;
      throw error;
    }
    const grammar = yaml.load(text);
    await writeFile(join(root, 'syntaxes', `${name}.json`), JSON.stringify(grammar, null, 2) + '\n');
  }
}

async function main() {
  await mkdir(join(root, 'dist'), { recursive: true });
  await buildGrammars();
  const options = bundles.map((bundle) => ({
    bundle: true,
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
    ...bundle,
  }));
  if (watch) {
    for (const option of options) {
      const context = await esbuild.context(option);
      await context.watch();
    }
    return;
  }
  await Promise.all(options.map((option) => esbuild.build(option)));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
