// Bundles each part of the extension with esbuild. Type-checking is a separate
// step (`npm run typecheck`), so a bundle never waits for tsc.
import * as esbuild from 'esbuild';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** One entry per bundle: the extension host and the language server, and later the webview. */
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
    // The Azure SDK half of the query runner, loaded with require() on the first query.
    entryPoints: [join(root, 'src/runner/runnerSdk.ts')],
    outfile: join(root, 'dist/runnerSdk.js'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    // The KQL language server runs in its own Node process and loads the
    // Kusto language service from dist/kusto/ (see copyKustoScripts).
    entryPoints: [join(root, 'src/server/server.ts')],
    outfile: join(root, 'dist/server.js'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Only the default of loadKustoLanguage() resolves the package; the server passes dist/kusto/.
    external: ['@kusto/language-service-next/package.json'],
  },
  {
    // The local engine's worker thread: export readers and the KQL evaluator,
    // started by the extension host on the first local query. Like the
    // server, it loads the Kusto language service from dist/kusto/.
    entryPoints: [join(root, 'src/engine/worker.ts')],
    outfile: join(root, 'dist/engineWorker.js'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['@kusto/language-service-next/package.json'],
  },
  {
    // Reads later parts of a large export at the same time as the engine
    // reads the first (src/engine/loadParts.ts), for the engine worker and
    // the command line, which both start it from dist/.
    entryPoints: [join(root, 'src/engine/loadWorker.ts')],
    outfile: join(root, 'dist/loadWorker.js'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    // `huntlens query`: the same engine on the command line.
    entryPoints: [join(root, 'src/cli/huntlens.ts')],
    outfile: join(root, 'dist/cli.js'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    external: ['@kusto/language-service-next/package.json'],
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

/** The two scripts of @kusto/language-service-next that the server evaluates, in load order. */
const KUSTO_SCRIPTS = ['bridge.min.js', 'Kusto.Language.Bridge.min.js'];

/**
 * Copies the Kusto language service scripts to dist/kusto/, so the packaged
 * extension carries them for the server without shipping node_modules.
 */
async function copyKustoScripts() {
  const require = createRequire(import.meta.url);
  const packageDirectory = dirname(require.resolve('@kusto/language-service-next/package.json'));
  await mkdir(join(root, 'dist/kusto'), { recursive: true });
  for (const script of KUSTO_SCRIPTS) {
    await copyFile(join(packageDirectory, script), join(root, 'dist/kusto', script));
  }
}

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
  await copyKustoScripts();
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
